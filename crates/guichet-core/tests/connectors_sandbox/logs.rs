//! The connectors' logs and answers never carry a key, a secret, a signature or an OTP.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use guichet_core::catalog::Kind;
use guichet_core::connector::{Connector, ConnectorError};
use tracing_subscriber::fmt::MakeWriter;

use crate::common::*;

/// A log sink the test can read back.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Sink {
    type Writer = Sink;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

fn raw_of(e: &ConnectorError) -> String {
    match e {
        ConnectorError::Ambiguous { raw, .. }
        | ConnectorError::Refused { raw, .. }
        | ConnectorError::Duplicate { raw }
        | ConnectorError::Unauthorized { raw }
        | ConnectorError::NotFound { raw } => raw.to_string(),
        other => other.to_string(),
    }
}

/// The process-wide log sink, installed once as the global subscriber (a thread-local one
/// would race with the other tests of this binary over tracing's callsite cache). Every test of
/// the binary logs into it, so the check below covers their calls too.
fn sink() -> Sink {
    static SINK: OnceLock<Sink> = OnceLock::new();
    SINK.get_or_init(|| {
        let sink = Sink::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(sink.clone())
            .with_env_filter("guichet_core=trace")
            .with_ansi(false)
            .without_time()
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        sink
    })
    .clone()
}

#[tokio::test]
async fn no_secret_in_logs_or_raw_answers() {
    let sink = sink();

    let sb = sandbox().await;
    let creds = sb.credentials().clone();
    let mut evidence = String::new();

    let dx = dexchange(&sb);
    let wizall = intent(
        Kind::Collection,
        Ask {
            service: "WIZALL_SN_CASHOUT",
            amount: 3000,
            phone: Some("771234567"),
            ..Ask::default()
        },
    );
    let a = dx.submit(&wizall).await.unwrap();
    evidence.push_str(&a.raw.to_string());
    let p = probe(&wizall, a.provider_ref.as_deref());
    let done = dx.confirm_otp(&p, "739154").await.unwrap();
    evidence.push_str(&done.raw.to_string());
    let e = dexchange_with(&sb, "wrong-dexchange-key", TIMEOUT)
        .balance()
        .await
        .unwrap_err();
    evidence.push_str(&raw_of(&e));

    let et = easytransfert(&sb);
    let om = intent(
        Kind::Collection,
        Ask {
            service: "EASYTRANSFERT_27",
            amount: 2000,
            phone: Some("0701234567"),
            otp: Some("482913"),
            ..Ask::default()
        },
    );
    let a = et.submit(&om).await.unwrap();
    evidence.push_str(&a.raw.to_string());
    let s = until_final(&et, &probe(&om, a.provider_ref.as_deref())).await;
    evidence.push_str(&s.raw.to_string());
    evidence.push_str(&et.balance().await.unwrap().currency);

    let gw = unipesa(&sb);
    let ci = intent(
        Kind::Collection,
        Ask {
            service: "UNIPESA_2304",
            amount: 1100,
            phone: Some("0701234567"),
            otp: Some("561738"),
            ..Ask::default()
        },
    );
    let a = gw.submit(&ci).await.unwrap();
    evidence.push_str(&a.raw.to_string());
    let s = until_final(&gw, &probe(&ci, None)).await;
    evidence.push_str(&s.raw.to_string());

    let logs = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("provider call"),
        "the calls are logged: {logs}"
    );
    assert!(logs.contains("/transaction/init"));
    assert!(logs.contains(&wizall.idempotency_key));
    for secret in [
        creds.dexchange_key.as_str(),
        "wrong-dexchange-key",
        creds.easytransfert_key.as_str(),
        creds.unipesa_secret.as_str(),
        "739154",
        "482913",
        "561738",
    ] {
        assert!(!logs.contains(secret), "{secret} in the logs:\n{logs}");
        assert!(
            !evidence.contains(secret),
            "{secret} in the evidence:\n{evidence}"
        );
    }
}
