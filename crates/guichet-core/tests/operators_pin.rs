//! Operators against a real ledger file: argon2id hashes, wrong-PIN counting, lockout with a
//! growing delay on an injected clock, role checks, and no PIN in the file.

use chrono::{DateTime, Duration, Utc};
use guichet_core::audit::Audit;
use guichet_core::ledger::Ledger;
use guichet_core::operators::{OperatorError, Operators, Role, Session, MAX_FAILED_ATTEMPTS};
use sqlx::sqlite::SqlitePoolOptions;

const MANAGER_PIN: &str = "73914682";
const CASHIER_PIN: &str = "58203";

async fn setup() -> (tempfile::TempDir, Ledger, Operators) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("ledger.sqlite"))
        .await
        .unwrap();
    let ops = Operators::new(&ledger);
    (dir, ledger, ops)
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-03-01T08:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

async fn manager(ops: &Operators) -> Session {
    ops.create_manager("Awa Ndiaye", MANAGER_PIN).await.unwrap();
    ops.login("Awa Ndiaye", MANAGER_PIN, t0()).await.unwrap()
}

/// A raw connection to the file, behind the API's back.
async fn raw(ledger: &Ledger) -> sqlx::SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}", ledger.path().display()))
        .await
        .unwrap()
}

#[tokio::test]
async fn pins_are_stored_as_argon2id_hashes() {
    let (_dir, ledger, ops) = setup().await;
    let boss = manager(&ops).await;
    ops.create_cashier(&boss, "Moussa", CASHIER_PIN)
        .await
        .unwrap();
    let db = raw(&ledger).await;
    let hashes: Vec<String> = sqlx::query_scalar("SELECT pin_hash FROM operators ORDER BY id")
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(hashes.len(), 2);
    for h in &hashes {
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
    }
    assert_ne!(hashes[0], hashes[1]);
    // The database itself refuses anything else in that column.
    let err = sqlx::query("UPDATE operators SET pin_hash = '1234' WHERE id = 1")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");
}

#[tokio::test]
async fn login_by_name_or_id_gives_a_session_with_the_role() {
    let (_dir, _ledger, ops) = setup().await;
    let boss = manager(&ops).await;
    assert_eq!(boss.role(), Role::Manager);
    assert_eq!(boss.name(), "Awa Ndiaye");
    let cashier = ops
        .create_cashier(&boss, "Moussa", CASHIER_PIN)
        .await
        .unwrap();
    let by_name = ops.login("moussa", CASHIER_PIN, t0()).await.unwrap();
    let by_id = ops
        .login(&cashier.id.to_string(), CASHIER_PIN, t0())
        .await
        .unwrap();
    assert_eq!(by_name, by_id);
    assert_eq!(by_name.role(), Role::Cashier);
    assert_eq!(by_name.operator_id(), cashier.id);
    assert_eq!(
        ops.login("Personne", CASHIER_PIN, t0()).await,
        Err(OperatorError::Unknown)
    );
    assert_eq!(
        ops.login("Moussa", "12", t0()).await,
        Err(OperatorError::InvalidPin)
    );
    let names: Vec<String> = ops
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(names, ["Awa Ndiaye", "Moussa"]);
}

#[tokio::test]
async fn first_run_creates_one_manager_only() {
    let (_dir, _ledger, ops) = setup().await;
    assert!(!ops.has_manager().await.unwrap());
    manager(&ops).await;
    assert!(ops.has_manager().await.unwrap());
    assert_eq!(
        ops.create_manager("Fatou", "1111").await,
        Err(OperatorError::ManagerExists)
    );
}

#[tokio::test]
async fn bad_pins_and_names_are_refused_with_a_clear_message() {
    let (_dir, _ledger, ops) = setup().await;
    for pin in ["123", "123456789", "12a4", "", "12 34"] {
        let err = ops.create_manager("Awa", pin).await.unwrap_err();
        assert_eq!(err, OperatorError::InvalidPin, "{pin:?}");
        assert!(err.message().fr.contains("4 à 8 chiffres"));
        assert!(err.message().en.contains("4 to 8 digits"));
    }
    assert!(matches!(
        ops.create_manager("2024", "1234").await,
        Err(OperatorError::InvalidName { .. })
    ));
    let boss = manager(&ops).await;
    assert_eq!(
        ops.create_cashier(&boss, "awa ndiaye", "1234").await,
        Err(OperatorError::NameTaken {
            name: "awa ndiaye".into()
        })
    );
}

#[tokio::test]
async fn a_cashier_cannot_manage() {
    let (_dir, _ledger, ops) = setup().await;
    let boss = manager(&ops).await;
    let moussa = ops
        .create_cashier(&boss, "Moussa", CASHIER_PIN)
        .await
        .unwrap();
    let cashier = ops.login("Moussa", CASHIER_PIN, t0()).await.unwrap();
    assert_eq!(cashier.require_manager(), Err(OperatorError::Forbidden));
    assert_eq!(
        ops.create_cashier(&cashier, "Ibou", "4321").await,
        Err(OperatorError::Forbidden)
    );
    assert_eq!(
        ops.create_operator(&cashier, "Ibou", "4321", Role::Manager)
            .await,
        Err(OperatorError::Forbidden)
    );
    assert_eq!(
        ops.reset_pin(&cashier, moussa.id, "0000", t0()).await,
        Err(OperatorError::Forbidden)
    );
    assert_eq!(
        ops.unlock(&cashier, moussa.id, t0()).await,
        Err(OperatorError::Forbidden)
    );
    assert_eq!(ops.list().await.unwrap().len(), 2, "nothing was created");
    // A manager may.
    ops.create_operator(&boss, "Fatou", "2222", Role::Manager)
        .await
        .unwrap();
}

#[tokio::test]
async fn wrong_pins_count_down_then_lock_with_a_growing_delay() {
    let (_dir, _ledger, ops) = setup().await;
    let boss = manager(&ops).await;
    ops.create_cashier(&boss, "Moussa", CASHIER_PIN)
        .await
        .unwrap();
    let mut now = t0();

    // 4 wrong PINs: counted down.
    for remaining in (1..MAX_FAILED_ATTEMPTS).rev() {
        assert_eq!(
            ops.login("Moussa", "0000", now).await,
            Err(OperatorError::WrongPin { remaining })
        );
        now += Duration::seconds(1);
    }
    // The 5th locks for 30 s.
    let until = now + Duration::seconds(30);
    assert_eq!(
        ops.login("Moussa", "0000", now).await,
        Err(OperatorError::Locked { until })
    );
    // While locked even the right PIN is refused (and not checked).
    assert_eq!(
        ops.login("Moussa", CASHIER_PIN, until - Duration::milliseconds(1))
            .await,
        Err(OperatorError::Locked { until })
    );
    // Once the lock ends, the next wrong PIN locks again for twice as long, then twice again.
    let mut now = until;
    for secs in [60, 120, 240, 480, 900, 900] {
        let until = now + Duration::seconds(secs);
        assert_eq!(
            ops.login("Moussa", "0000", now).await,
            Err(OperatorError::Locked { until }),
            "{secs} s"
        );
        now = until;
    }
    let listed = ops.list().await.unwrap();
    assert_eq!(listed[1].failed_attempts, 11);
    // The right PIN after the lock ends signs in and ends the run.
    let s = ops.login("Moussa", CASHIER_PIN, now).await.unwrap();
    assert_eq!(s.name(), "Moussa");
    assert_eq!(ops.list().await.unwrap()[1].failed_attempts, 0);
    assert_eq!(
        ops.login("Moussa", "0000", now).await,
        Err(OperatorError::WrongPin { remaining: 4 }),
        "a fresh run of 5"
    );
}

#[tokio::test]
async fn a_successful_login_resets_the_counter() {
    let (_dir, _ledger, ops) = setup().await;
    let boss = manager(&ops).await;
    ops.create_cashier(&boss, "Moussa", CASHIER_PIN)
        .await
        .unwrap();
    for _ in 0..4 {
        ops.login("Moussa", "0000", t0()).await.unwrap_err();
    }
    ops.login("Moussa", CASHIER_PIN, t0()).await.unwrap();
    for remaining in (1..MAX_FAILED_ATTEMPTS).rev() {
        assert_eq!(
            ops.login("Moussa", "0000", t0()).await,
            Err(OperatorError::WrongPin { remaining })
        );
    }
}

#[tokio::test]
async fn a_manager_unlocks_and_resets() {
    let (_dir, _ledger, ops) = setup().await;
    let boss = manager(&ops).await;
    let moussa = ops
        .create_cashier(&boss, "Moussa", CASHIER_PIN)
        .await
        .unwrap();
    for _ in 0..5 {
        ops.login("Moussa", "0000", t0()).await.unwrap_err();
    }
    assert!(matches!(
        ops.login("Moussa", CASHIER_PIN, t0()).await,
        Err(OperatorError::Locked { .. })
    ));
    ops.unlock(&boss, moussa.id, t0()).await.unwrap();
    ops.login("Moussa", CASHIER_PIN, t0()).await.unwrap();

    ops.reset_pin(&boss, moussa.id, "9753", t0()).await.unwrap();
    assert_eq!(
        ops.login("Moussa", CASHIER_PIN, t0()).await,
        Err(OperatorError::WrongPin { remaining: 4 })
    );
    let s = ops.login("Moussa", "9753", t0()).await.unwrap();

    // Changing one's own PIN needs the current one.
    assert_eq!(
        ops.change_pin(&s, "1111", "8642", t0()).await,
        Err(OperatorError::WrongPin { remaining: 4 })
    );
    ops.change_pin(&s, "9753", "8642", t0()).await.unwrap();
    ops.login("Moussa", "8642", t0()).await.unwrap();
}

#[tokio::test]
async fn logins_failures_and_locks_go_to_the_audit_trail() {
    let (_dir, ledger, ops) = setup().await;
    let boss = manager(&ops).await;
    ops.create_cashier(&boss, "Moussa", CASHIER_PIN)
        .await
        .unwrap();
    for _ in 0..5 {
        ops.login("Moussa", "0000", t0()).await.unwrap_err();
    }
    ops.login("Moussa", CASHIER_PIN, t0()).await.unwrap_err();
    // A PIN typed in the name box is not recorded.
    ops.login("48151623", "1234", t0()).await.unwrap_err();

    let audit = Audit::new(&ledger);
    let entries = audit.list(&Default::default()).await.unwrap();
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("Awa Ndiaye", "operator_created"),
            ("Awa Ndiaye", "login"),
            ("Awa Ndiaye", "operator_created"),
            ("Moussa", "login_failed"),
            ("Moussa", "login_failed"),
            ("Moussa", "login_failed"),
            ("Moussa", "login_failed"),
            ("Moussa", "login_failed"),
            ("Moussa", "locked"),
            ("Moussa", "login_failed"),
            ("unknown", "login_failed"),
        ]
    );
    assert_eq!(entries[8].details["seconds"], 30);
    assert_eq!(entries[9].details["reason"], "locked");
    assert_eq!(audit.verify().await.unwrap().entries, 11);
    let export = audit.export_json().await.unwrap();
    assert!(!export.contains("48151623"));
}

#[tokio::test]
async fn no_pin_is_stored_in_clear() {
    let (dir, ledger, ops) = setup().await;
    let boss = manager(&ops).await;
    let moussa = ops
        .create_cashier(&boss, "Moussa", CASHIER_PIN)
        .await
        .unwrap();
    ops.login("Moussa", CASHIER_PIN, t0()).await.unwrap();
    ops.login("Moussa", "99887766", t0()).await.unwrap_err();
    ops.reset_pin(&boss, moussa.id, "20250301", t0())
        .await
        .unwrap();
    ledger.close().await;

    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        files += 1;
        for pin in [MANAGER_PIN, CASHIER_PIN, "99887766", "20250301"] {
            assert!(
                !bytes.windows(pin.len()).any(|w| w == pin.as_bytes()),
                "PIN {pin} found in clear in {}",
                path.display()
            );
        }
    }
    assert!(files >= 1);
}

#[tokio::test]
async fn fifty_wrong_pins_at_once_lock_the_account_once_and_count_no_further() {
    let (_dir, ledger, ops) = setup().await;
    let boss = manager(&ops).await;
    ops.create_operator(&boss, "Moussa", CASHIER_PIN, Role::Cashier)
        .await
        .unwrap();
    let attempts = (0..50).map(|_| {
        let ops = Operators::new(&ledger);
        tokio::spawn(async move { ops.login("Moussa", "0000", t0()).await })
    });
    let mut wrong = 0;
    let mut locked = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Err(OperatorError::WrongPin { .. }) => wrong += 1,
            Err(OperatorError::Locked { .. }) => locked += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        wrong,
        MAX_FAILED_ATTEMPTS as usize - 1,
        "counted up to the lock"
    );
    assert_eq!(locked, 50 - wrong);
    let trail = Audit::new(&ledger).list(&Default::default()).await.unwrap();
    let locks = trail.iter().filter(|e| e.action == "locked").count();
    assert_eq!(locks, 1, "exactly one lock");
    let counted = trail
        .iter()
        .filter(|e| e.action == "login_failed" && e.details["reason"] == "wrong_pin")
        .count();
    assert_eq!(
        counted, MAX_FAILED_ATTEMPTS as usize,
        "no check counted after the lock"
    );
    // The right PIN is refused while locked.
    assert!(matches!(
        ops.login("Moussa", CASHIER_PIN, t0()).await,
        Err(OperatorError::Locked { .. })
    ));
}
