//! Provider reachability against the sandbox over real HTTP: the desk's `provider_status` follows
//! the engine's calls and the idle probe when the sandbox stops and starts again on its port.

use std::net::SocketAddr;
use std::time::Duration;

use guichet_core::catalog::Provider;
use guichet_core::desk::{Desk, FirstRun, ProviderStatus};
use guichet_core::providers::{ProviderTarget, StartOptions};
use guichet_core::till::Till;
use guichet_sandbox::{RunningSandbox, Sandbox};
use secrecy::SecretString;

const WAIT: Duration = Duration::from_secs(10);

async fn sandbox_at(addr: &str) -> RunningSandbox {
    Sandbox::builder()
        .seed(7)
        .start(addr)
        .await
        .expect("sandbox starts")
}

/// A signed-in desk over a fresh till, its providers at `url`, probing every `probe_every`.
async fn desk(dir: &tempfile::TempDir, url: &str, probe_every: Option<Duration>) -> Desk {
    let desk = Desk::new(Till::open(dir.path()).await.unwrap());
    let options = StartOptions {
        reconcile: false,
        timeout: Duration::from_secs(2),
        probe_every,
        ..StartOptions::default()
    };
    desk.start(ProviderTarget::Sandbox(url.to_owned()), options)
        .await
        .unwrap();
    desk.first_run(FirstRun {
        shop_name: "Boutique Awa".into(),
        shop_address: String::new(),
        receipt_header: String::new(),
        manager_name: "Awa".into(),
        pin: SecretString::from("2468".to_owned()),
    })
    .await
    .unwrap();
    desk
}

fn of(list: &[ProviderStatus], provider: Provider) -> &ProviderStatus {
    list.iter().find(|s| s.provider == provider).unwrap()
}

/// Polls `provider_status` until every provider is `reachable`, or fails after [`WAIT`].
async fn until_all(desk: &Desk, reachable: bool) -> Vec<ProviderStatus> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let list = desk.provider_status().await.unwrap();
        if list.iter().all(|s| s.reachable == Some(reachable)) {
            return list;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not all reachable={reachable} within {WAIT:?}: {list:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_probe_sees_the_providers_stop_and_come_back() {
    let sb = sandbox_at("127.0.0.1:0").await;
    let addr: SocketAddr = sb.addr();
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir, &sb.url(), Some(Duration::from_millis(200))).await;

    let up = until_all(&desk, true).await;
    assert_eq!(
        up.iter().map(|s| s.provider).collect::<Vec<_>>(),
        Provider::ALL.to_vec()
    );
    assert_eq!(
        of(&up, Provider::Dexchange).message.fr,
        "DEXCHANGE joignable"
    );
    assert!(up.iter().all(|s| s.checked_at.is_some()));

    sb.shutdown().await;
    let down = until_all(&desk, false).await;
    assert_eq!(
        of(&down, Provider::Dexchange).message.fr,
        "DEXCHANGE injoignable"
    );
    assert_eq!(
        of(&down, Provider::Easytransfert).message.en,
        "EASYTRANSFERT unreachable"
    );

    let sb = sandbox_at(&addr.to_string()).await;
    until_all(&desk, true).await;
    desk.close().await;
    sb.shutdown().await;
}

#[tokio::test]
async fn an_engine_call_tells_without_any_probe() {
    let sb = sandbox_at("127.0.0.1:0").await;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir, &sb.url(), None).await;

    let before = desk.provider_status().await.unwrap();
    assert!(before.iter().all(|s| s.reachable.is_none()), "{before:?}");
    assert_eq!(
        of(&before, Provider::Unipesa).message.fr,
        "Unipesa : vérification en cours"
    );

    // A bill inquiry (DEXCHANGE) that gets an answer, whatever it says.
    let _ = desk.bill_inquiry("SENELEC_SN_BILL", "210278816").await;
    let after = desk.provider_status().await.unwrap();
    assert_eq!(of(&after, Provider::Dexchange).reachable, Some(true));
    assert_eq!(of(&after, Provider::Unipesa).reachable, None);

    sb.shutdown().await;
    let err = desk
        .bill_inquiry("SENELEC_SN_BILL", "210278816")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "provider_unreachable", "{err}");
    let down = desk.provider_status().await.unwrap();
    assert_eq!(of(&down, Provider::Dexchange).reachable, Some(false));
    assert_eq!(of(&down, Provider::Easytransfert).reachable, None);
    desk.close().await;
}
