//! The provider-key store on REAL keyring backends — never a mock.
//!
//! `GUICHET_TEST_KEYRING=keyutils|secret-service|auto` runs each test directly against that
//! store. Without it (plain `cargo test`, `make test`), each test runs itself again, once per
//! store, in a sandbox of its own:
//! - keyutils: `keyctl session - <this test binary> --exact <test>` (a fresh session keyring:
//!   the inherited one may refuse access);
//! - Secret Service: `dbus-run-session -- sh -c 'echo -n PW | gnome-keyring-daemon --unlock
//!   --components=secrets; exec <this test binary> --exact <test>'`, with XDG_DATA_HOME and
//!   XDG_RUNTIME_DIR in a temporary folder (a throwaway login keyring).
//!
//! A store that cannot be reached FAILS the test: nothing is skipped. `keyctl` comes from
//! Debian's `keyutils`, the daemon from `gnome-keyring` (`scripts/deps.sh test` installs both).

use std::io::Write;
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

use guichet_core::secrets::{masked, Backend, SecretStore, SecretsError, KNOWN_KEYS};
use secrecy::{ExposeSecret, SecretString};

const ENV: &str = "GUICHET_TEST_KEYRING";
/// Set by [`rerun`]: the store asked for is the only one there.
const SANDBOX_ENV: &str = "GUICHET_TEST_KEYRING_SANDBOX";
/// The throwaway login keyring's password (the daemon reads it on stdin).
const DAEMON_PASSWORD: &str = "guichet-test-keyring";

/// Runs `body` on the store named by `GUICHET_TEST_KEYRING`, or, when it is not set, runs the
/// test `name` again on each real store in its own sandbox and requires it to pass there.
fn on_real_backends(name: &str, body: fn(Backend)) {
    match std::env::var(ENV) {
        Ok(value) => {
            let backend = Backend::parse(&value).unwrap_or_else(|| {
                panic!("{ENV}={value:?}: expected keyutils, secret-service or auto")
            });
            body(backend);
        }
        Err(_) => {
            rerun(name, Backend::Keyutils);
            rerun(name, Backend::SecretService);
        }
    }
}

fn rerun(name: &str, backend: Backend) {
    let exe = std::env::current_exe().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let test_args = [name, "--exact", "--nocapture", "--test-threads=1"];
    let mut cmd = match backend {
        Backend::Keyutils => {
            let mut c = Command::new("keyctl");
            c.args(["session", "-"])
                .arg(&exe)
                .args(test_args)
                // No Secret Service here, so that `auto` must fall back to keyutils.
                .env(
                    "DBUS_SESSION_BUS_ADDRESS",
                    "unix:path=/nonexistent/guichet-test-bus",
                );
            c
        }
        Backend::SecretService => {
            let data = scratch.path().join("data");
            let runtime = scratch.path().join("runtime");
            std::fs::create_dir_all(&data).unwrap();
            std::fs::create_dir_all(&runtime).unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
            }
            let mut c = Command::new("dbus-run-session");
            c.args(["--", "sh", "-c"])
                .arg(
                    "printf %s \"$GUICHET_TEST_DAEMON_PASSWORD\" \
                     | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
                     && exec \"$@\"",
                )
                .arg("sh")
                .arg(&exe)
                .args(test_args)
                .env("GUICHET_TEST_DAEMON_PASSWORD", DAEMON_PASSWORD)
                .env("XDG_DATA_HOME", &data)
                .env("XDG_RUNTIME_DIR", &runtime)
                .env("XDG_CONFIG_HOME", scratch.path().join("config"))
                .env_remove("DBUS_SESSION_BUS_ADDRESS")
                .env_remove("GNOME_KEYRING_CONTROL");
            c
        }
        Backend::Auto => unreachable!("auto is not a sandbox"),
    };
    cmd.env(ENV, backend.as_str()).env(SANDBOX_ENV, "1");
    let out = cmd.output().unwrap_or_else(|e| {
        panic!(
            "cannot start the {backend} sandbox ({e}): install Debian's keyutils, dbus and \
             gnome-keyring (scripts/deps.sh test)"
        )
    });
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name} on the {backend} store failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    println!("{name} passed on the real {backend} store");
}

/// A keyring service name of its own, so that runs never see each other's entries.
fn test_service() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("guichet-test-{}-{nanos}", std::process::id())
}

fn open(backend: Backend) -> SecretStore {
    let store = SecretStore::open_with_service(backend, &test_service())
        .unwrap_or_else(|e| panic!("the {backend} keyring store is unreachable: {e}"));
    if backend != Backend::Auto {
        assert_eq!(store.backend(), backend);
    }
    store
}

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

fn present(store: &SecretStore) -> Vec<String> {
    store
        .status()
        .unwrap()
        .into_iter()
        .filter(|k| k.present)
        .map(|k| format!("{}.{}", k.provider, k.field))
        .collect()
}

fn round_trip(backend: Backend) {
    let store = open(backend);
    assert!(present(&store).is_empty(), "a fresh service holds nothing");
    assert_eq!(store.status().unwrap().len(), KNOWN_KEYS.len());

    // set, get
    store
        .set("dexchange", "api_key", secret("dx_live_first_0001"))
        .unwrap();
    let got = store.get("dexchange", "api_key").unwrap().unwrap();
    assert_eq!(got.expose_secret(), "dx_live_first_0001");

    // overwrite
    store
        .set("dexchange", "api_key", secret("dx_live_second_0002"))
        .unwrap();
    let got = store.get("dexchange", "api_key").unwrap().unwrap();
    assert_eq!(got.expose_secret(), "dx_live_second_0002");
    assert_eq!(masked(&got), "••••0002");

    // A pasted newline is dropped.
    store
        .set("unipesa", "secret", secret("  up_s3cr3t_value\n"))
        .unwrap();
    assert_eq!(
        store
            .get("unipesa", "secret")
            .unwrap()
            .unwrap()
            .expose_secret(),
        "up_s3cr3t_value"
    );

    // Another handle on the same store sees the same entries.
    let again = SecretStore::open_with_service(store.backend(), store.service()).unwrap();
    assert_eq!(
        again
            .get("dexchange", "api_key")
            .unwrap()
            .unwrap()
            .expose_secret(),
        "dx_live_second_0002"
    );

    // status: names only
    assert_eq!(present(&store), ["dexchange.api_key", "unipesa.secret"]);

    // delete, get → None
    assert!(store.delete("dexchange", "api_key").unwrap());
    assert!(store.get("dexchange", "api_key").unwrap().is_none());
    assert!(
        !store.delete("dexchange", "api_key").unwrap(),
        "already gone"
    );
    assert_eq!(present(&store), ["unipesa.secret"]);

    // refusals
    assert!(matches!(
        store.set("dexchange", "api_key", secret("   ")),
        Err(SecretsError::InvalidValue { .. })
    ));
    assert!(matches!(
        store.set("dexchange", "password", secret("x")),
        Err(SecretsError::UnknownKey { .. })
    ));
    assert!(matches!(
        store.get("orange", "api_key"),
        Err(SecretsError::UnknownKey { .. })
    ));

    assert!(store.delete("unipesa", "secret").unwrap());
    assert!(present(&store).is_empty());

    // In a sandbox only the store under test answers, so `auto` must resolve to it: the
    // Secret Service when one is there, keyutils when none is.
    if std::env::var_os(SANDBOX_ENV).is_some() {
        let auto = SecretStore::open_with_service(Backend::Auto, store.service()).unwrap();
        assert_eq!(auto.backend(), backend);
    }
}

/// Everything logged (tracing and the `log` records of the keyring crates), at every level.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = buf.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Capture(writer.clone()))
            .try_init()
            .expect("the log capture is the only subscriber");
        buf
    })
    .clone()
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn never_shown(backend: Backend) {
    const VALUE: &str = "zz_never_shown_9f3a71c2";
    let logs = captured_logs();
    let store = open(backend);
    store
        .set("easytransfert", "api_key", secret(VALUE))
        .unwrap();
    let got = store.get("easytransfert", "api_key").unwrap();
    let status = store.status().unwrap();
    let refused = store
        .set(
            "easytransfert",
            "api_key",
            secret(&format!("{VALUE}\u{7}bell")),
        )
        .unwrap_err();
    let unknown = store.set("orange", "api_key", secret(VALUE)).unwrap_err();
    assert!(store.delete("easytransfert", "api_key").unwrap());

    let shown = format!(
        "{store:?} {got:?} {status:?} {refused:?} {refused} {:?} {unknown:?} {unknown} {:?}",
        refused.message(),
        unknown.message()
    );
    assert!(got.is_some());
    assert!(
        !shown.contains(VALUE),
        "a Debug or Display shows the secret: {shown}"
    );
    assert!(!shown.contains("9f3a71c2"), "{shown}");

    let logs = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(
        logs.contains("secrets: key stored"),
        "the log capture works: {logs}"
    );
    assert!(
        logs.contains("set password for entry"),
        "the keyring crates' own `log` records are captured too: {logs}"
    );
    assert!(!logs.contains(VALUE), "the secret is in the logs:\n{logs}");
    assert!(
        !logs.contains("9f3a71c2"),
        "part of the secret is in the logs:\n{logs}"
    );
}

#[test]
fn keyring_round_trip() {
    on_real_backends("keyring_round_trip", round_trip);
}

#[test]
fn secrets_never_in_debug_or_logs() {
    on_real_backends("secrets_never_in_debug_or_logs", never_shown);
}

/// The manager's path from first run to live mode, with the keys entered in Réglages on a real
/// keyring store: masked display, "check connection", live refused without keys, a live sale
/// against a sandbox standing in for the providers, the mode kept across a restart — and no key
/// value in the ledger files or the audit trail.
fn manager_goes_live(backend: Backend) {
    use guichet_core::app_info::Mode;
    use guichet_core::catalog::{Kind, OperationRequest, Provider};
    use guichet_core::desk::{Desk, FirstRun};
    use guichet_core::engine::SubmitRequest;
    use guichet_core::ledger::OperationStatus;
    use guichet_core::money::{Currency, Money};
    use guichet_core::providers::ProviderTarget;
    use guichet_core::settings::SettingsPatch;
    use guichet_core::setup::ProviderUrls;

    const PIN: &str = "2580";
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        // Keys of this run only, so that finding one anywhere means it leaked.
        let creds = guichet_sandbox::Credentials {
            dexchange_key: format!("dex-live-{nanos}-7Qk2"),
            easytransfert_key: format!("et-live-{nanos}-Zp9w"),
            unipesa_public_id: format!("pub{nanos}"),
            unipesa_merchant_id: format!("m{nanos}"),
            unipesa_secret: format!("uni-secret-{nanos}-Hh4x"),
        };
        let secrets = [
            creds.dexchange_key.clone(),
            creds.easytransfert_key.clone(),
            creds.unipesa_secret.clone(),
        ];
        let sb = guichet_sandbox::Sandbox::builder()
            .credentials(creds.clone())
            .start("127.0.0.1:0")
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let service = test_service();
        // What the app does: the saved mode, with keys from this keyring.
        let open = || async {
            Desk::open_app(
                dir.path(),
                ProviderTarget::Sandbox(sb.url()),
                backend,
                &service,
            )
            .await
            .unwrap()
        };

        let desk = open().await;
        desk.first_run(FirstRun {
            shop_name: "Boutique Awa".into(),
            shop_address: String::new(),
            receipt_header: String::new(),
            manager_name: "Awa".into(),
            pin: PIN.to_owned().into(),
        })
        .await
        .unwrap();
        assert!(desk
            .provider_keys()
            .await
            .unwrap()
            .iter()
            .all(|k| !k.present));
        let refused = desk.set_mode(Mode::Live, PIN).await.unwrap_err();
        assert_eq!(refused.code(), "live_without_keys");
        assert!(refused.message().fr.contains("Clés fournisseurs"));

        // A manager session left open is not enough to touch keys or addresses.
        let secret = |s: &str| SecretString::from(s.to_owned());
        let err = desk
            .set_provider_key("dexchange", "api_key", secret("planted-key-123456"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "pin_required");
        assert!(
            desk.provider_keys()
                .await
                .unwrap()
                .iter()
                .all(|k| !k.present),
            "nothing reached the keyring"
        );
        desk.confirm_pin(PIN).await.unwrap();

        // The providers' addresses point at the stand-in (never a real host in tests).
        desk.save_settings(SettingsPatch {
            provider_urls: Some(ProviderUrls::sandbox(&sb.url())),
            ..Default::default()
        })
        .await
        .unwrap();
        desk.set_provider_key("dexchange", "api_key", secret("wrong-key-123456"))
            .await
            .unwrap();
        let err = desk
            .check_connection(Provider::Dexchange)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "provider_unauthorized");
        desk.set_provider_key("dexchange", "api_key", secret(&creds.dexchange_key))
            .await
            .unwrap();
        desk.set_provider_key("easytransfert", "api_key", secret(&creds.easytransfert_key))
            .await
            .unwrap();
        desk.set_provider_key("unipesa", "public_id", secret(&creds.unipesa_public_id))
            .await
            .unwrap();
        desk.set_provider_key("unipesa", "merchant_id", secret(&creds.unipesa_merchant_id))
            .await
            .unwrap();
        let keys = desk
            .set_provider_key("unipesa", "secret", secret(&creds.unipesa_secret))
            .await
            .unwrap();
        assert!(keys.iter().all(|k| k.present));
        let dex = keys.iter().find(|k| k.provider == "dexchange").unwrap();
        assert_eq!(dex.masked.as_deref(), Some("••••7Qk2"));

        let check = desk.check_connection(Provider::Dexchange).await.unwrap();
        assert!(check.balance.is_some(), "{check:?}");
        let check = desk
            .check_connection(Provider::Easytransfert)
            .await
            .unwrap();
        assert!(check.balance.is_some(), "{check:?}");
        let check = desk.check_connection(Provider::Unipesa).await.unwrap();
        assert_eq!(check.balance, None, "the gateway has no balance call");

        // A new, undocumented host: refused until the manager confirms the warning naming it;
        // then (and only then) "check connection" sends the key there.
        let foreign = std::net::TcpListener::bind("127.0.0.2:0").unwrap();
        foreign.set_nonblocking(true).unwrap();
        let mut urls = ProviderUrls::sandbox(&sb.url());
        urls.dexchange = format!(
            "https://127.0.0.2:{}/api/v1",
            foreign.local_addr().unwrap().port()
        );
        let patch = |confirmed: Option<Vec<String>>| SettingsPatch {
            provider_urls: Some(urls.clone()),
            confirmed_hosts: confirmed,
            ..Default::default()
        };
        let err = desk.save_settings(patch(None)).await.unwrap_err();
        assert_eq!(err.code(), "provider_host_unconfirmed");
        assert_eq!(err.host(), Some("127.0.0.2"));
        let check = desk.check_connection(Provider::Dexchange).await.unwrap();
        assert!(check.balance.is_some(), "still the stand-in: {check:?}");
        assert!(
            foreign.accept().is_err(),
            "nothing was sent to the new host"
        );
        desk.save_settings(patch(Some(vec!["127.0.0.2".into()])))
            .await
            .unwrap();
        foreign.set_nonblocking(false).unwrap();
        let reached = std::thread::spawn(move || foreign.accept().is_ok());
        // Not TLS on the other side: the check fails, but it did go there.
        desk.check_connection(Provider::Dexchange)
            .await
            .unwrap_err();
        assert!(reached.join().unwrap(), "the confirmed host was called");
        desk.save_settings(SettingsPatch {
            provider_urls: Some(ProviderUrls::sandbox(&sb.url())),
            ..Default::default()
        })
        .await
        .unwrap();

        let info = desk.set_mode(Mode::Live, PIN).await.unwrap();
        assert_eq!(info.mode, Mode::Live);
        let op = desk
            .submit(SubmitRequest::new(OperationRequest {
                service_code: "ORANGE_SN_AIRTIME".into(),
                kind: Kind::Airtime,
                amount: Money::new(1000, Currency::Xof),
                phone: Some("77 123 45 67".into()),
                otp: None,
                extras: Default::default(),
            }))
            .await
            .unwrap();
        assert!(!op.training, "a live operation");
        let op = desk
            .wait_settled(op.id, std::time::Duration::from_secs(20))
            .await
            .unwrap();
        assert_eq!(op.status, OperationStatus::Success, "{op:?}");
        let trail: Vec<String> = desk
            .audit_log(&Default::default())
            .await
            .unwrap()
            .into_iter()
            .map(|e| format!("{} {}", e.action, serde_json::Value::Object(e.details)))
            .collect();
        assert!(
            trail.iter().any(|e| e.starts_with("key_changed")),
            "{trail:?}"
        );
        assert!(
            trail.iter().any(|e| e.starts_with("mode_switched")),
            "{trail:?}"
        );
        assert!(desk.audit_verify().await.unwrap().ok);
        desk.audit_export().await.unwrap();
        desk.close().await;

        // Restarted (after a crash, say): live again from the start, keys from the keyring.
        let desk = open().await;
        assert_eq!(desk.mode(), Some(Mode::Live));
        assert!(desk.app_info().await.unwrap().notice.is_none());
        // Keys gone (a keyutils store after a reboot): the till stays in training and says why.
        desk.login("Awa", PIN).await.unwrap();
        desk.confirm_pin(PIN).await.unwrap();
        for (p, f) in KNOWN_KEYS {
            desk.delete_provider_key(p, f).await.unwrap();
        }
        desk.close().await;
        let desk = open().await;
        assert_eq!(desk.mode(), Some(Mode::Training));
        let notice = desk.app_info().await.unwrap().notice.unwrap();
        assert!(notice.fr.contains("FORMATION"), "{}", notice.fr);
        desk.close().await;
        sb.shutdown().await;

        // No key value in the ledger, its WAL, its backups or the exported trail.
        for entry in walk(dir.path()) {
            // SQLite removes the WAL and shm files when the last connection closes, which may be
            // a moment after `close()`: what is gone was checkpointed into the ledger, read here.
            let bytes = match std::fs::read(&entry) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                read => read.unwrap(),
            };
            let text = String::from_utf8_lossy(&bytes);
            for s in &secrets {
                assert!(
                    !text.contains(s.as_str()),
                    "a key is in {}",
                    entry.display()
                );
            }
        }
    });
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn manager_enters_keys_and_goes_live() {
    on_real_backends("manager_enters_keys_and_goes_live", manager_goes_live);
}
