//! The audit trail in Réglages: read it, check its chain, export it to a file.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use super::{Desk, Permission};
use crate::audit::{Audit, AuditEntry, AuditError, AuditQuery};
use crate::text::Localized;
use crate::till::TillError;

/// Folder of the data dir the exports go to.
const EXPORT_DIR: &str = "exports";

/// What checking the chain found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AuditCheck {
    /// True when every entry checks out.
    pub ok: bool,
    /// Entries checked.
    #[ts(type = "number")]
    pub entries: i64,
    /// The first entry that does not check out.
    #[ts(type = "number | null")]
    pub broken_at: Option<i64>,
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

    /// Recomputes the whole chain (manager).
    pub async fn audit_verify(&self) -> Result<AuditCheck, TillError> {
        self.require(Permission::Manager).await?;
        let audit = Audit::new(self.till.ledger());
        match audit.verify().await {
            Ok(n) => Ok(AuditCheck {
                ok: true,
                entries: n,
                broken_at: None,
                message: Localized::new(
                    format!("Journal intact : {n} entrées vérifiées."),
                    format!("Trail intact: {n} entries checked."),
                ),
            }),
            Err(e @ AuditError::Broken { seq, .. }) => {
                tracing::error!(seq, "audit trail broken");
                Ok(AuditCheck {
                    ok: false,
                    entries: audit.len().await?,
                    broken_at: Some(seq),
                    message: e.message(),
                })
            }
            Err(e) => Err(e.into()),
        }
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
