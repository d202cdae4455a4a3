//! The audit trail in Réglages: read it, check its chain, export it to a file.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use super::{Desk, Permission};
use crate::audit::{
    Audit, AuditEntry, AuditError, AuditQuery, ChainReport, KeyState, UnverifiableSpan,
};
use crate::text::Localized;
use crate::till::TillError;

/// Folder of the data dir the exports go to.
const EXPORT_DIR: &str = "exports";

/// The integrity check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditStatus {
    /// Every entry checks out, the keyed ones with their key.
    Intact,
    /// Nothing shows tampering, but some entries cannot be verified without their key (lost by
    /// the keyring, or the keyring unreachable), or new entries are not sealed.
    Unverifiable,
    /// An entry shows tampering (`broken_at`).
    Broken,
}

/// What checking the chain found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AuditCheck {
    /// True when every entry checks out (status `intact`).
    pub ok: bool,
    /// The verdict.
    pub status: AuditStatus,
    /// Entries checked.
    #[ts(type = "number")]
    pub entries: i64,
    /// The first entry that does not check out.
    #[ts(type = "number | null")]
    pub broken_at: Option<i64>,
    /// The audit key's state in the keyring.
    pub key: KeyState,
    /// Entries from before the trail had a key (checked by the unkeyed chain only).
    #[ts(type = "number")]
    pub legacy: i64,
    /// Keyed segments that cannot be verified without their key.
    pub unverifiable: Vec<UnverifiableSpan>,
    /// What the manager reads.
    pub message: Localized,
}

/// Where the export was written.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AuditExport {
    /// The JSON file's full path.
    pub path: String,
    /// Entries written.
    #[ts(type = "number")]
    pub entries: i64,
}

impl Desk {
    /// Entries matching `query`, oldest first (manager).
    pub async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, TillError> {
        self.require(Permission::Manager).await?;
        Ok(Audit::new(self.till.ledger()).list(query).await?)
    }

    /// Recomputes the whole chain and its MACs (manager).
    pub async fn audit_verify(&self) -> Result<AuditCheck, TillError> {
        self.require(Permission::Manager).await?;
        let audit = Audit::new(self.till.ledger());
        match audit.verify().await {
            Ok(report) => Ok(check_of(report)),
            Err(e @ AuditError::Broken { seq, .. }) => {
                tracing::error!(seq, "audit trail broken");
                Ok(AuditCheck {
                    ok: false,
                    status: AuditStatus::Broken,
                    entries: audit.len().await?,
                    broken_at: Some(seq),
                    key: self.till.ledger().audit_seal().state(),
                    legacy: 0,
                    unverifiable: Vec::new(),
                    message: e.message(),
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Installs the audit chain's key from this desk's keyring (starting a new keyed segment
    /// when the keyring has none for this trail). A keyring that cannot be reached is logged
    /// and shown by the integrity check; it never stops the till.
    pub async fn seal_audit(&self) -> Result<KeyState, TillError> {
        let vault = self.access.secrets().await.map_err(|e| match e {
            TillError::Secrets(s) => s,
            other => crate::secrets::SecretsError::Failed {
                detail: other.to_string(),
            },
        });
        Ok(Audit::new(self.till.ledger())
            .seal(vault, self.now())
            .await?)
    }

    /// The whole trail as JSON, for an auditor (manager).
    pub async fn audit_json(&self) -> Result<String, TillError> {
        self.require(Permission::Manager).await?;
        Ok(Audit::new(self.till.ledger()).export_json().await?)
    }

    /// Writes the whole trail as JSON to `<data dir>/exports/audit-<time>.json` (manager).
    pub async fn audit_export(&self) -> Result<AuditExport, TillError> {
        self.require(Permission::Manager).await?;
        let audit = Audit::new(self.till.ledger());
        let json = audit.export_json().await?;
        let entries = audit.len().await?;
        let dir = self.till.data_dir().join(EXPORT_DIR);
        let path: PathBuf = dir.join(format!("audit-{}.json", self.now().format("%Y%m%d-%H%M%S")));
        let write = async {
            tokio::fs::create_dir_all(&dir).await?;
            tokio::fs::write(&path, json).await
        };
        write
            .await
            .map_err(|e| TillError::DataDir(format!("{}: {e}", path.display())))?;
        tracing::info!(path = %path.display(), entries, "audit trail exported");
        Ok(AuditExport {
            path: path.display().to_string(),
            entries,
        })
    }
}

/// The manager's reading of a chain that shows no tampering.
fn check_of(report: ChainReport) -> AuditCheck {
    let n = report.entries;
    let legacy = report.legacy;
    let (fr_old, en_old) = if legacy > 0 {
        (
            format!(" ({legacy} antérieures à la clé, vérifiées par la chaîne simple)"),
            format!(" ({legacy} from before the key, checked by the plain chain)"),
        )
    } else {
        (String::new(), String::new())
    };
    let spans_fr: Vec<String> = report
        .unverifiable
        .iter()
        .map(|s| {
            format!(
                "entrées {} à {} (segment {})",
                s.first_seq, s.last_seq, s.segment
            )
        })
        .collect();
    let spans_en: Vec<String> = report
        .unverifiable
        .iter()
        .map(|s| {
            format!(
                "entries {} to {} (segment {})",
                s.first_seq, s.last_seq, s.segment
            )
        })
        .collect();
    let message = match report.key {
        _ if report.complete() => Localized::new(
            format!("Journal intact : {n} entrées vérifiées{fr_old}."),
            format!("Trail intact: {n} entries checked{en_old}."),
        ),
        KeyState::Renewed | KeyState::Present => Localized::new(
            format!(
                "Clé du journal perdue par le trousseau : {} invérifiables sans leur clé \
                 (ni altérées, ni vérifiées). Un nouveau segment scellé a commencé ; \
                 {n} entrées en tout.",
                spans_fr.join(", ")
            ),
            format!(
                "The keyring lost the trail's key: {} cannot be verified without their key \
                 (neither tampered with nor verified). A new sealed segment has started; \
                 {n} entries in all.",
                spans_en.join(", ")
            ),
        ),
        KeyState::Unavailable => Localized::new(
            format!(
                "Trousseau inaccessible : la clé du journal n'a pas pu être lue. Les nouvelles \
                 entrées ne sont pas scellées ; {n} entrées vérifiées par la chaîne simple \
                 seulement. Ouvrez une session de bureau (trousseau déverrouillé) puis \
                 redémarrez Guichet."
            ),
            format!(
                "Keyring unreachable: the trail's key could not be read. New entries are not \
                 sealed; {n} entries checked by the plain chain only. Log in to a desktop \
                 session (keyring unlocked) and restart Guichet."
            ),
        ),
        KeyState::NotSealed => Localized::new(
            format!(
                "Journal non scellé : le trousseau n'a pas été consulté ; {n} entrées vérifiées \
                 par la chaîne simple seulement."
            ),
            format!(
                "Trail not sealed: the keyring was not asked; {n} entries checked by the plain \
                 chain only."
            ),
        ),
    };
    let ok = report.complete();
    AuditCheck {
        ok,
        status: if ok {
            AuditStatus::Intact
        } else {
            AuditStatus::Unverifiable
        },
        entries: n,
        broken_at: None,
        key: report.key,
        legacy,
        unverifiable: report.unverifiable,
        message,
    }
}
