//! The audit trail against a real ledger file: the chain verifies, the database refuses edits,
//! and an edit or a deletion made behind the triggers' back is found by `verify`.

use guichet_core::audit::{Audit, AuditAction, AuditError, AuditQuery, BreakKind, GENESIS_HASH};
use guichet_core::ledger::Ledger;
use serde_json::json;
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::SqlitePool;

async fn setup() -> (tempfile::TempDir, Ledger, Audit) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("ledger.sqlite"))
        .await
        .unwrap();
    let audit = Audit::new(&ledger);
    (dir, ledger, audit)
}

/// Five entries of different kinds.
async fn fill(audit: &Audit) {
    audit
        .append("Awa", AuditAction::Login, json!({"operator_id": 1}))
        .await
        .unwrap();
    audit
        .append(
            "Awa",
            AuditAction::KeyChanged,
            json!({"provider": "dexchange", "field": "api_key"}),
        )
        .await
        .unwrap();
    audit
        .append(
            "Awa",
            AuditAction::SettingChanged,
            json!({"setting": "printer_width", "from": 58, "to": 80}),
        )
        .await
        .unwrap();
    audit
        .append(
            "Awa",
            AuditAction::ModeSwitched,
            json!({"from": "training", "to": "live"}),
        )
        .await
        .unwrap();
    audit
        .append(
            "Moussa",
            AuditAction::Reprint,
            json!({"operation_id": "0190-x"}),
        )
        .await
        .unwrap();
}

/// A raw connection to the same file, as someone editing it by hand would have.
async fn raw(ledger: &Ledger) -> SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}", ledger.path().display()))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_chain_links_every_entry_and_verifies() {
    let (_dir, _ledger, audit) = setup().await;
    assert_eq!(
        audit.verify().await.unwrap().entries,
        0,
        "an empty trail verifies"
    );
    fill(&audit).await;
    let entries = audit.list(&AuditQuery::default()).await.unwrap();
    assert_eq!(entries.len(), 5);
    assert_eq!(entries[0].prev_hash, GENESIS_HASH);
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e.seq, i as i64 + 1);
        assert_eq!(e.hash.len(), 64);
        if i > 0 {
            assert_eq!(e.prev_hash, entries[i - 1].hash);
        }
    }
    assert_eq!(entries[1].action, "key_changed");
    assert_eq!(entries[1].details["provider"], "dexchange");
    assert_eq!(audit.verify().await.unwrap().entries, 5);
    assert_eq!(audit.len().await.unwrap(), 5);
}

#[tokio::test]
async fn list_filters_and_export_holds_everything() {
    let (_dir, _ledger, audit) = setup().await;
    fill(&audit).await;
    let moussa = audit
        .list(&AuditQuery {
            actor: Some("Moussa".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(moussa.len(), 1);
    assert_eq!(moussa[0].action, "reprint");
    let page = audit
        .list(&AuditQuery {
            after_seq: Some(2),
            limit: Some(2),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4]);

    let export: serde_json::Value =
        serde_json::from_str(&audit.export_json().await.unwrap()).unwrap();
    assert_eq!(export["format"], "guichet-audit-2");
    let entries = export["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 5);
    assert_eq!(entries[4]["actor"], "Moussa");
    assert_eq!(entries[4]["hash"].as_str().unwrap().len(), 64);
}

#[tokio::test]
async fn the_database_refuses_update_and_delete() {
    let (_dir, ledger, audit) = setup().await;
    fill(&audit).await;
    let db = raw(&ledger).await;
    let err = sqlx::query("UPDATE audit_log SET actor = 'X' WHERE seq = 2")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    let err = sqlx::query("DELETE FROM audit_log WHERE seq = 5")
        .execute(&db)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    // An insert that does not follow the last entry is refused too.
    let err = sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash) \
         VALUES (6, '2025-01-01T00:00:00.000Z', 'X', 'login', '{}', ?, ?)",
    )
    .bind(GENESIS_HASH)
    .bind("f".repeat(64))
    .execute(&db)
    .await
    .unwrap_err();
    assert!(err.to_string().contains("does not follow"), "{err}");
    assert_eq!(audit.verify().await.unwrap().entries, 5);
}

#[tokio::test]
async fn an_edited_row_is_found_by_verify() {
    let (_dir, ledger, audit) = setup().await;
    fill(&audit).await;
    let db = raw(&ledger).await;
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(&db)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE audit_log SET details = json_set(details, '$.to', 'training') WHERE seq = 4",
    )
    .execute(&db)
    .await
    .unwrap();
    let err = audit.verify().await.unwrap_err();
    assert_eq!(
        err,
        AuditError::Broken {
            seq: 4,
            kind: BreakKind::Edited
        }
    );
    assert_eq!(err.code(), "audit_broken");
    assert!(err.message().fr.contains("n° 4"), "{}", err.message().fr);
}

#[tokio::test]
async fn an_edited_and_rehashed_row_breaks_the_next_link() {
    let (_dir, ledger, audit) = setup().await;
    fill(&audit).await;
    let entries = audit.list(&AuditQuery::default()).await.unwrap();
    let e = &entries[2];
    let mut details = e.details.clone();
    details.insert("to".into(), json!(58));
    let at = e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let forged =
        guichet_core::audit::entry_hash(&e.prev_hash, e.seq, &at, &e.actor, &e.action, &details);
    let db = raw(&ledger).await;
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET details = ?, hash = ? WHERE seq = 3")
        .bind(serde_json::Value::Object(details).to_string())
        .bind(&forged)
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(
        audit.verify().await.unwrap_err(),
        AuditError::Broken {
            seq: 4,
            kind: BreakKind::Relinked
        }
    );
}

#[tokio::test]
async fn a_deleted_row_is_found_by_verify() {
    let (_dir, ledger, audit) = setup().await;
    fill(&audit).await;
    let db = raw(&ledger).await;
    sqlx::query("DROP TRIGGER audit_log_no_delete")
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(&db)
        .await
        .unwrap();
    assert_eq!(
        audit.verify().await.unwrap_err(),
        AuditError::Broken {
            seq: 2,
            kind: BreakKind::Missing
        }
    );
}

#[tokio::test]
async fn a_deleted_and_renumbered_tail_is_found_by_verify() {
    let (_dir, ledger, audit) = setup().await;
    fill(&audit).await;
    let db = raw(&ledger).await;
    for t in ["audit_log_no_delete", "audit_log_no_update"] {
        sqlx::query(&format!("DROP TRIGGER {t}"))
            .execute(&db)
            .await
            .unwrap();
    }
    sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET seq = seq - 1 WHERE seq > 2")
        .execute(&db)
        .await
        .unwrap();
    assert!(matches!(
        audit.verify().await.unwrap_err(),
        AuditError::Broken { seq: 2, .. }
    ));
}

#[tokio::test]
async fn secrets_never_enter_the_trail() {
    let (_dir, _ledger, audit) = setup().await;
    for details in [
        json!({"provider": "dexchange", "api_key": "sk_live_abcdef123456"}),
        json!({"new_pin": "1234"}),
        json!({"changes": [{"setting": "x", "secret": "s"}]}),
        json!({"nested": {"otp": "123456"}}),
        json!({"Authorization": "Bearer abc"}),
    ] {
        let err = audit
            .append("Awa", AuditAction::KeyChanged, details.clone())
            .await
            .unwrap_err();
        assert!(
            matches!(err, AuditError::SecretLooking { .. }),
            "{details}: {err:?}"
        );
        // Neither the error nor its messages carry the value.
        let shown = format!("{err} {err:?} {:?}", err.message());
        assert!(!shown.contains("sk_live_abcdef123456") && !shown.contains("Bearer abc"));
    }
    assert!(matches!(
        audit
            .append("Awa", AuditAction::Login, json!(["not", "an object"]))
            .await,
        Err(AuditError::Invalid { .. })
    ));
    assert!(matches!(
        audit.append(" ", AuditAction::Login, json!({})).await,
        Err(AuditError::Invalid { .. })
    ));
    assert!(audit.is_empty().await.unwrap(), "nothing was written");
}
