//! The HTTP/1 accept loop. Hand-written (rather than `axum::serve`) so that each connection can
//! be cut on purpose (`drop_after_commit`), hung requests end at shutdown, and the admin API can
//! check that the peer is on loopback.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

/// Per-connection data, inserted into every request's extensions.
#[derive(Debug, Clone)]
pub struct ConnMeta {
    /// The peer's address.
    pub peer: SocketAddr,
    /// Notified to cut the connection at once, without writing anything more.
    pub kill: Arc<Notify>,
}

/// Accepts connections until `shutdown` turns true; then every open connection is closed.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little and go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = crate::state::stopped(&mut shutdown) => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut stop = shutdown.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let meta = ConnMeta {
                peer,
                kill: kill.clone(),
            };
            let svc = service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(meta.clone());
                router.clone().oneshot(req)
            });
            let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                _ = kill.notified() => {}
                _ = crate::state::stopped(&mut stop) => {}
            }
        });
    }
}
