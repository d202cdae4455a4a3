//! Sealing a ledger's audit trail at open: find the current segment's key in the keyring, or
//! start a new keyed segment (first key, a migrated schema-2 trail, or a key the keyring lost).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sqlx::Row;

use super::seal::{self, AuditKey, Current, KeyState};
use super::{append_sealed, parse_details, Audit, AuditAction, Result};
use crate::secrets::{SecretStore, SecretsError};

/// A segment start as the ledger records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SegmentStart {
    pub seq: i64,
    pub segment: i64,
    pub key_id: String,
}

impl Audit {
    /// Installs the audit chain's key from `vault` (the till's keyring) so that every entry
    /// written from now on carries its MAC, and says what it found. When the last segment's key
    /// is in the keyring it is used; when the trail has no segment yet, or the keyring lost the
    /// key, a new key is stored in the keyring and a new segment starts with an
    /// `audit_segment_started` entry (reason `first_key`, `migrated` or `key_lost`) sealed with
    /// it. A keyring that cannot be reached leaves the trail unsealed ([`KeyState::Unavailable`]).
    pub async fn seal(
        &self,
        vault: std::result::Result<SecretStore, SecretsError>,
        at: DateTime<Utc>,
    ) -> Result<KeyState> {
        let vault = match vault {
            Ok(v) => v,
            Err(e) => return Ok(self.unavailable(None, &e)),
        };
        // Two processes may seal at once (the app and a `guichetctl` command): a segment started
        // by the other one in between is re-read, never doubled.
        for _ in 0..3 {
            let segments = self.segment_starts().await?;
            if let Some(last) = segments.last() {
                match seal::load_key(&vault, &last.key_id).await {
                    Ok(Some(key)) => {
                        self.ensure_marker(&vault, &segments, key.id()).await;
                        let current = Current {
                            segment: last.segment,
                            key,
                        };
                        self.seal
                            .install(Some(current), Some(vault), KeyState::Present);
                        tracing::info!(
                            segment = last.segment,
                            "audit: sealed with the keyring's key"
                        );
                        return Ok(KeyState::Present);
                    }
                    Ok(None) => {}
                    Err(e) => return Ok(self.unavailable(Some(vault), &e)),
                }
            }
            let key = AuditKey::generate();
            if let Err(e) = seal::store_key(&vault, &key).await {
                return Ok(self.unavailable(Some(vault), &e));
            }
            let reason = match segments.last() {
                Some(_) => "key_lost",
                None if self.is_empty().await? => "first_key",
                None => "migrated",
            };
            let segment = segments.last().map_or(1, |s| s.segment + 1);
            let mut details = json!({"segment": segment, "seal_id": key.id(), "reason": reason});
            if let Some(last) = segments.last() {
                details["lost_segment"] = json!(last.segment);
                details["lost_seal_id"] = json!(last.key_id);
            }
            let current = Current { segment, key };
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            let now_last: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(segment) FROM audit_log WHERE action = 'audit_segment_started'",
            )
            .fetch_one(&mut *tx)
            .await?;
            if now_last != segments.last().map(|s| s.segment) {
                tx.rollback().await?;
                continue;
            }
            append_sealed(
                &mut tx,
                Some(&current),
                at,
                "system",
                &AuditAction::SegmentStarted,
                details,
            )
            .await?;
            tx.commit().await?;
            let mut all = segments.clone();
            all.push(SegmentStart {
                seq: 0,
                segment,
                key_id: current.key.id().to_owned(),
            });
            self.ensure_marker(&vault, &all, current.key.id()).await;
            let state = if reason == "key_lost" {
                tracing::warn!(
                    segment,
                    lost_segment = segment - 1,
                    "audit: the keyring lost the trail's key; a new keyed segment starts"
                );
                KeyState::Renewed
            } else {
                tracing::info!(segment, reason, "audit: a keyed segment starts");
                KeyState::Present
            };
            self.seal.install(Some(current), Some(vault), state);
            return Ok(state);
        }
        Err(super::AuditError::Database {
            detail: "another process keeps starting audit segments".into(),
        })
    }

    /// Records that the keyring could not serve the key: entries stay unsealed.
    fn unavailable(&self, vault: Option<SecretStore>, e: &SecretsError) -> KeyState {
        tracing::warn!(code = e.code(), error = %e, "audit: the keyring is unreachable; new entries are not sealed");
        self.seal.install(None, vault, KeyState::Unavailable);
        KeyState::Unavailable
    }

    /// Names `key_id` as this till's key in the keyring, unless the marker names a key the
    /// trail no longer holds (that evidence is kept for `verify`).
    async fn ensure_marker(&self, vault: &SecretStore, segments: &[SegmentStart], key_id: &str) {
        let marker = match seal::load_marker(vault, &self.till_id).await {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, "audit: cannot read the till's marker");
                return;
            }
        };
        match marker {
            Some(m) if m == key_id => {}
            Some(m) if !segments.iter().any(|s| s.key_id == m) => {
                tracing::error!(marker = %m, "audit: the keyring names a segment the trail no longer holds");
            }
            _ => {
                if let Err(e) = seal::store_marker(vault, &self.till_id, key_id).await {
                    tracing::warn!(error = %e, "audit: cannot store the till's marker");
                }
            }
        }
    }

    /// Every segment start, in order (unreadable ones are skipped here; `verify` reports them).
    pub(crate) async fn segment_starts(&self) -> Result<Vec<SegmentStart>> {
        let rows = sqlx::query(
            "SELECT seq, segment, details FROM audit_log \
             WHERE action = 'audit_segment_started' ORDER BY seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let details: String = row.try_get("details")?;
            let Ok(details) = parse_details(&details) else {
                continue;
            };
            let (Some(segment), Some(key_id)) = (
                row.try_get::<Option<i64>, _>("segment")?,
                details.get("seal_id").and_then(Value::as_str),
            ) else {
                continue;
            };
            out.push(SegmentStart {
                seq: row.try_get("seq")?,
                segment,
                key_id: key_id.to_owned(),
            });
        }
        Ok(out)
    }
}
