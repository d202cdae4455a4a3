//! The providers' services lists in live mode, through the desk, against the sandbox over real
//! HTTP: a service the DEXCHANGE account lacks is hidden from cashiers, refused at submit and
//! listed for the manager; a provider that does not answer hides nothing and never holds up the
//! start.

use std::time::Duration;

use guichet_core::account_services::{AccountServices, ListState, ProviderServices};
use guichet_core::catalog::{Kind, OperationRequest, Provider};
use guichet_core::desk::{Desk, FirstRun};
use guichet_core::engine::SubmitRequest;
use guichet_core::ledger::HistoryQuery;
use guichet_core::money::{Currency, Money};
use guichet_core::operators::Role;
use guichet_core::providers::{ProviderTarget, StartOptions};
use guichet_core::setup::{ProviderCredentials, ProviderUrls};
use guichet_core::till::Till;
use guichet_sandbox::{Sandbox, Timings};
use secrecy::SecretString;
use tokio::net::TcpListener;

const WAIT: Duration = Duration::from_secs(20);
const MANAGER_PIN: &str = "2468";
const CASHIER_PIN: &str = "1357";

/// A till with its manager Awa (signed in) and its cashier Moussa; no provider started.
async fn till(dir: &tempfile::TempDir) -> Desk {
    let desk = Desk::new(Till::open(dir.path()).await.unwrap());
    desk.first_run(FirstRun {
        shop_name: "Boutique Awa".into(),
        shop_address: String::new(),
        receipt_header: String::new(),
        manager_name: "Awa".into(),
        pin: SecretString::from(MANAGER_PIN.to_owned()),
    })
    .await
    .unwrap();
    // Adding an operator is a sensitive change: the manager types the PIN again.
    desk.confirm_pin(MANAGER_PIN).await.unwrap();
    desk.create_operator("Moussa", CASHIER_PIN, Role::Cashier)
        .await
        .unwrap();
    desk
}

/// Live providers at `urls` with the sandbox's keys, as the manager's settings would point them.
async fn start_live(desk: &Desk, urls: ProviderUrls, timeout: Duration) {
    let options = StartOptions {
        timeout,
        probe_every: None,
        ..StartOptions::default()
    };
    let target = ProviderTarget::LiveAt(urls, ProviderCredentials::sandbox_defaults());
    desk.start(target, options).await.unwrap();
}

fn of(report: &AccountServices, provider: Provider) -> &ProviderServices {
    report
        .providers
        .iter()
        .find(|p| p.provider == provider)
        .unwrap_or_else(|| panic!("{provider:?} not in {report:?}"))
}

/// Polls the manager's list until DEXCHANGE's reading has ended (it runs in the background).
async fn until_read(desk: &Desk) -> AccountServices {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let report = desk.account_services().await.unwrap();
        if of(&report, Provider::Dexchange).state != ListState::Reading {
            return report;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "DEXCHANGE's services list still being read after {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn request(code: &str, kind: Kind, phone: &str) -> SubmitRequest {
    SubmitRequest::new(OperationRequest {
        service_code: code.into(),
        kind,
        amount: Money::new(5000, Currency::Xof),
        phone: Some(phone.into()),
        otp: None,
        extras: Default::default(),
    })
}

/// Every code the cashier is offered.
async fn offered(desk: &Desk) -> Vec<String> {
    desk.services()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.code)
        .collect()
}

#[tokio::test]
async fn in_live_mode_a_service_the_account_lacks_is_hidden_from_cashiers_and_listed_for_the_manager(
) {
    let sb = Sandbox::builder()
        .seed(7)
        .timings(Timings::fast())
        .dexchange_lacks(["WAVE_SN_CASHOUT", "SENELEC_SN_BILL"])
        .start("127.0.0.1:0")
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let desk = till(&dir).await;
    start_live(
        &desk,
        ProviderUrls::from(sb.base_urls()),
        Duration::from_secs(5),
    )
    .await;

    // The manager's list, read at start: the two services the account lacks, by name.
    let report = until_read(&desk).await;
    assert!(report.live);
    let dex = of(&report, Provider::Dexchange);
    assert_eq!(dex.state, ListState::Listed, "{dex:?}");
    assert!(dex.read_at.is_some());
    let mut missing: Vec<&str> = dex.missing.iter().map(|m| m.code.as_str()).collect();
    missing.sort_unstable();
    assert_eq!(missing, ["SENELEC_SN_BILL", "WAVE_SN_CASHOUT"]);
    let wave = dex
        .missing
        .iter()
        .find(|m| m.code == "WAVE_SN_CASHOUT")
        .unwrap();
    assert_eq!(wave.name.fr, "Wave Sénégal : retrait");
    assert!(
        dex.message.fr.contains("2 service(s)"),
        "{}",
        dex.message.fr
    );
    // EASYTRANSFERT and the gateway publish no list: the catalog applies.
    for p in [Provider::Easytransfert, Provider::Unipesa] {
        let entry = of(&report, p);
        assert_eq!(entry.state, ListState::NotDocumented, "{entry:?}");
        assert!(entry.missing.is_empty());
        assert!(entry.read_at.is_none());
    }

    // The manager asks again: the same list, read again.
    let again = desk.refresh_account_services().await.unwrap();
    let dex_again = of(&again, Provider::Dexchange);
    assert_eq!(dex_again.missing, dex.missing);
    assert!(dex_again.read_at >= dex.read_at);

    // The cashier is offered neither, and everything else of DEXCHANGE (the payment link, which
    // no list can name, too).
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    let codes = offered(&desk).await;
    assert!(!codes.iter().any(|c| c == "WAVE_SN_CASHOUT"), "{codes:?}");
    assert!(!codes.iter().any(|c| c == "SENELEC_SN_BILL"), "{codes:?}");
    for kept in [
        "OM_SN_CASHOUT",
        "SENEAU_SN_BILL",
        "ORANGE_SN_AIRTIME",
        "DEXCHANGE_PAYMENT_LINK",
        "EASYTRANSFERT_20",
    ] {
        assert!(codes.iter().any(|c| c == kept), "{kept} missing: {codes:?}");
    }
    // The lists are the manager's.
    let err = desk.account_services().await.unwrap_err();
    assert_eq!(err.code(), "operator_forbidden");

    // A submit for it is refused before anything is recorded or sent.
    let err = desk
        .submit(request("WAVE_SN_CASHOUT", Kind::Collection, "77 123 45 67"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "service_not_on_account");
    assert!(
        err.message().fr.contains("DEXCHANGE"),
        "{}",
        err.message().fr
    );
    let err = desk
        .bill_inquiry("SENELEC_SN_BILL", "123456789")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "service_not_on_account");
    assert!(desk
        .history(&HistoryQuery::default())
        .await
        .unwrap()
        .is_empty());
    assert!(sb.state().transactions().is_empty());

    // A service the account has goes through to the (live) provider.
    let op = desk
        .submit(request("ORANGE_SN_AIRTIME", Kind::Airtime, "77 123 45 67"))
        .await
        .unwrap();
    assert_eq!(op.service_code, "ORANGE_SN_AIRTIME");
    assert_eq!(sb.state().transactions().len(), 1);
    desk.close().await;
}

#[tokio::test]
async fn an_unreachable_provider_hides_nothing_and_does_not_hold_up_the_start() {
    // A "provider" that accepts connections and never answers, until told to hang up.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    let (hang_up, hung_up) = tokio::sync::oneshot::channel::<()>();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        tokio::select! {
            _ = async {
                loop {
                    if let Ok((socket, _)) = listener.accept().await {
                        held.push(socket);
                    }
                }
            } => {}
            _ = hung_up => {}
        }
        // Dropping the listener and the held sockets: every waiting call gets no answer.
    });

    let dir = tempfile::tempdir().unwrap();
    let desk = till(&dir).await;
    let everything = offered(&desk).await;
    // The provider timeout is long: the start returns while the list is still being read.
    start_live(&desk, ProviderUrls::sandbox(&root), Duration::from_secs(60)).await;
    let report = desk.account_services().await.unwrap();
    let dex = of(&report, Provider::Dexchange);
    assert_eq!(dex.state, ListState::Reading, "{dex:?}");
    assert!(dex.missing.is_empty());
    assert_eq!(offered(&desk).await, everything);

    hang_up.send(()).unwrap();
    silent.await.unwrap();
    let report = until_read(&desk).await;
    let dex = of(&report, Provider::Dexchange);
    assert_eq!(dex.state, ListState::Unreachable, "{dex:?}");
    assert!(dex.missing.is_empty());
    assert!(dex.read_at.is_some());
    assert!(dex.message.fr.contains("injoignable"), "{}", dex.message.fr);
    assert!(dex.message.fr.contains("aucun service n'est masqué"));
    // Nothing is hidden on that basis: the cashier sees the whole catalog.
    desk.login("Moussa", CASHIER_PIN).await.unwrap();
    assert_eq!(offered(&desk).await, everything);

    // "Refresh" with nobody listening any more: still unreachable, still nothing hidden.
    desk.login("Awa", MANAGER_PIN).await.unwrap();
    let again = desk.refresh_account_services().await.unwrap();
    let dex = of(&again, Provider::Dexchange);
    assert_eq!(dex.state, ListState::Unreachable, "{dex:?}");
    assert!(dex.missing.is_empty());
    desk.close().await;
}
