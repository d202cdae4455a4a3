//! Verifying the whole trail: the unkeyed chain (every entry), the MACs (every keyed segment
//! whose key the keyring holds), the segments' order, and the till's marker in the keyring.

use std::collections::HashMap;

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::seal::{self, AuditKey, KeyState};
use super::{
    broken, entry_hash, parse_details, Audit, AuditError, BreakKind, Result, GENESIS_HASH, PAGE,
    SEGMENT_STARTED,
};
use crate::secrets::SecretStore;

/// Entries that cannot be verified because their segment's key is not in this keyring (lost,
/// or the keyring was not reached). Not tampered, not verified either.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UnverifiableSpan {
    /// The keyed segment.
    #[ts(type = "number")]
    pub segment: i64,
    /// Its first entry (the `audit_segment_started` entry).
    #[ts(type = "number")]
    pub first_seq: i64,
    /// Its last entry.
    #[ts(type = "number")]
    pub last_seq: i64,
    /// The id of the key it needs (`audit.key.<id>` in the keyring).
    pub key_id: String,
}

/// What [`Audit::verify`] found when nothing was tampered with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ChainReport {
    /// Entries checked (the unkeyed chain holds for all of them).
    #[ts(type = "number")]
    pub entries: i64,
    /// Entries written before the trail had a key (schema 2): checked by the unkeyed chain only.
    #[ts(type = "number")]
    pub legacy: i64,
    /// Entries whose MAC was checked with their segment's key.
    #[ts(type = "number")]
    pub sealed: i64,
    /// Keyed segments in the trail.
    #[ts(type = "number")]
    pub segments: i64,
    /// Segments that cannot be verified without their key.
    pub unverifiable: Vec<UnverifiableSpan>,
    /// The key's state in this process.
    pub key: KeyState,
}

impl ChainReport {
    /// True when every keyed entry was verified with its key and new entries are sealed.
    pub fn complete(&self) -> bool {
        self.unverifiable.is_empty()
            && (matches!(self.key, KeyState::Present | KeyState::Renewed) || self.entries == 0)
    }
}

/// The segment being walked.
struct Walk {
    segment: i64,
    key_id: String,
    key: Option<AuditKey>,
    first_seq: i64,
    last_seq: i64,
}

impl Audit {
    /// Recomputes the whole chain and every MAC it has a key for. `Ok` with what was checked
    /// (segments without their key listed as unverifiable); [`AuditError::Broken`] with the
    /// first entry that shows tampering: edited, missing, relinked, forged (MAC), unsealed,
    /// out-of-order or foreign segment, or a trail shorter than the keyring knows.
    pub async fn verify(&self) -> Result<ChainReport> {
        let vault = self.seal.vault();
        let mut keys: HashMap<String, Option<AuditKey>> = HashMap::new();
        let mut report = ChainReport {
            entries: 0,
            legacy: 0,
            sealed: 0,
            segments: 0,
            unverifiable: Vec::new(),
            key: self.seal.state(),
        };
        let mut walk: Option<Walk> = None;
        let mut key_ids: Vec<String> = Vec::new();
        let mut expected_seq = 1;
        let mut prev_hash = GENESIS_HASH.to_owned();
        loop {
            let rows = sqlx::query(
                "SELECT seq, at, actor, action, details, prev_hash, hash, segment, mac \
                 FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?",
            )
            .bind(expected_seq)
            .bind(PAGE)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let seq: i64 = row.try_get("seq")?;
                if seq != expected_seq {
                    return Err(broken(expected_seq, BreakKind::Missing));
                }
                let at: String = row.try_get("at")?;
                let actor: String = row.try_get("actor")?;
                let action: String = row.try_get("action")?;
                let details: String = row.try_get("details")?;
                let stored_prev: String = row.try_get("prev_hash")?;
                let stored_hash: String = row.try_get("hash")?;
                let segment: Option<i64> = row.try_get("segment")?;
                let mac: Option<String> = row.try_get("mac")?;
                let Ok(details) = parse_details(&details) else {
                    return Err(broken(seq, BreakKind::Unreadable));
                };
                if entry_hash(&stored_prev, seq, &at, &actor, &action, &details) != stored_hash {
                    return Err(broken(seq, BreakKind::Edited));
                }
                if stored_prev != prev_hash {
                    return Err(broken(seq, BreakKind::Relinked));
                }
                if action == SEGMENT_STARTED {
                    let expected = walk.as_ref().map_or(1, |w| w.segment + 1);
                    let key_id = details.get("seal_id").and_then(|v| v.as_str());
                    let named = details.get("segment").and_then(|v| v.as_i64());
                    let (Some(key_id), true) = (
                        key_id,
                        segment == Some(expected) && named == Some(expected) && mac.is_some(),
                    ) else {
                        return Err(broken(seq, BreakKind::Segment));
                    };
                    let key = self.key(&vault, &mut keys, key_id).await?;
                    if let Some(prev) = walk.take() {
                        if prev.key.is_some() && key.is_none() && vault.is_some() {
                            return Err(broken(seq, BreakKind::ForeignSegment));
                        }
                        close(prev, &mut report);
                    }
                    report.segments += 1;
                    key_ids.push(key_id.to_owned());
                    walk = Some(Walk {
                        segment: expected,
                        key_id: key_id.to_owned(),
                        key,
                        first_seq: seq,
                        last_seq: seq,
                    });
                }
                match &mut walk {
                    None if segment.is_some() || mac.is_some() => {
                        return Err(broken(seq, BreakKind::Segment));
                    }
                    None => report.legacy += 1,
                    Some(w) => {
                        let Some(mac) = mac else {
                            return Err(broken(seq, BreakKind::Unsealed));
                        };
                        if segment != Some(w.segment) {
                            return Err(broken(seq, BreakKind::Segment));
                        }
                        if let Some(key) = &w.key {
                            if key.mac(w.segment, &stored_hash) != mac {
                                return Err(broken(seq, BreakKind::Forged));
                            }
                            report.sealed += 1;
                        }
                        w.last_seq = seq;
                    }
                }
                report.entries += 1;
                prev_hash = stored_hash;
                expected_seq += 1;
            }
        }
        if let Some(w) = walk {
            close(w, &mut report);
        }
        if let Some(vault) = &vault {
            let marker = seal::load_marker(vault, &self.till_id)
                .await
                .map_err(keyring_error)?;
            if let Some(m) = marker {
                if !key_ids.contains(&m) {
                    return Err(broken(report.entries + 1, BreakKind::Truncated));
                }
            }
        }
        Ok(report)
    }

    /// The key with this id, asked of the keyring once per verification.
    async fn key(
        &self,
        vault: &Option<SecretStore>,
        keys: &mut HashMap<String, Option<AuditKey>>,
        key_id: &str,
    ) -> Result<Option<AuditKey>> {
        let Some(vault) = vault else { return Ok(None) };
        if let Some(k) = keys.get(key_id) {
            return Ok(k.clone());
        }
        let k = seal::load_key(vault, key_id).await.map_err(keyring_error)?;
        keys.insert(key_id.to_owned(), k.clone());
        Ok(k)
    }
}

fn keyring_error(e: crate::secrets::SecretsError) -> AuditError {
    AuditError::Keyring {
        detail: e.to_string(),
    }
}

/// Ends a segment's walk: without its key, it is listed as unverifiable.
fn close(w: Walk, report: &mut ChainReport) {
    if w.key.is_none() {
        report.unverifiable.push(UnverifiableSpan {
            segment: w.segment,
            first_seq: w.first_seq,
            last_seq: w.last_seq,
            key_id: w.key_id,
        });
    }
}
