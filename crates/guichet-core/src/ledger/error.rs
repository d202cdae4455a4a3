//! What can go wrong with the ledger, for the logs (Display, English) and for the cashier
//! ([`LedgerError::message`], French and English).

use std::path::{Path, PathBuf};

use uuid::Uuid;

use super::status::OperationStatus;
use crate::text::Localized;

/// A ledger failure. Nothing is ever reset or deleted to get past one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// The file or its folder cannot be created or opened (permissions, missing disk…).
    #[error("cannot open the ledger file {path}: {detail}")]
    Unavailable {
        /// The ledger file.
        path: PathBuf,
        /// What the system said.
        detail: String,
    },
    /// The file is not an SQLite database, fails its integrity check, or is not a Guichet ledger.
    /// The file is left exactly as it was.
    #[error("the ledger file {path} is damaged: {detail}")]
    Corrupt {
        /// The ledger file.
        path: PathBuf,
        /// What was found.
        detail: String,
    },
    /// The file was written by a newer Guichet; nothing was changed.
    #[error("the ledger was written by a newer Guichet (schema {found}, this version knows up to {supported})")]
    NewerSchema {
        /// Highest schema version found in the file.
        found: i64,
        /// Highest schema version this build knows.
        supported: i64,
    },
    /// A schema upgrade failed (or a previous one was left half done).
    #[error("the ledger schema upgrade failed: {detail}")]
    Migration {
        /// What failed.
        detail: String,
    },
    /// The copy made before a schema upgrade failed; the upgrade was not attempted.
    #[error("could not back up the ledger to {path} before upgrading it: {detail}")]
    Backup {
        /// The backup file that could not be written.
        path: PathBuf,
        /// What failed.
        detail: String,
    },
    /// The disk is full: nothing was written.
    #[error("the disk is full, the ledger could not write: {detail}")]
    DiskFull {
        /// What SQLite said.
        detail: String,
    },
    /// No operation has this id.
    #[error("operation {id} not found in the ledger")]
    NotFound {
        /// The id asked for.
        id: Uuid,
    },
    /// Another operation already uses this idempotency key; nothing was written.
    #[error("idempotency key {key} is already used by another operation")]
    DuplicateKey {
        /// The key.
        key: String,
    },
    /// The status change is not in the table of allowed moves; nothing was written.
    #[error("operation {id}: moving from {from} to {to} is not allowed")]
    IllegalTransition {
        /// The operation.
        id: Uuid,
        /// Its current status.
        from: OperationStatus,
        /// The refused status.
        to: OperationStatus,
    },
    /// A write-once field (provider reference, token) already holds another value; nothing was
    /// written.
    #[error("operation {id}: {field} is already {existing:?}, refusing {new:?}")]
    AlreadySet {
        /// The operation.
        id: Uuid,
        /// `provider_ref` or `token`.
        field: &'static str,
        /// The value it has.
        existing: String,
        /// The refused value.
        new: String,
    },
    /// The data given is not acceptable (negative amount, malformed key…); nothing was written.
    #[error("invalid ledger data: {detail}")]
    Invalid {
        /// What is wrong.
        detail: String,
    },
    /// Any other database failure.
    #[error("ledger database error: {detail}")]
    Database {
        /// What SQLite or sqlx said.
        detail: String,
    },
}

impl LedgerError {
    /// A stable code for the UI, the CLI and tests (`ledger_corrupt`, `ledger_newer_schema`…).
    pub fn code(&self) -> &'static str {
        match self {
            LedgerError::Unavailable { .. } => "ledger_unavailable",
            LedgerError::Corrupt { .. } => "ledger_corrupt",
            LedgerError::NewerSchema { .. } => "ledger_newer_schema",
            LedgerError::Migration { .. } => "ledger_migration",
            LedgerError::Backup { .. } => "ledger_backup",
            LedgerError::DiskFull { .. } => "ledger_disk_full",
            LedgerError::NotFound { .. } => "ledger_not_found",
            LedgerError::DuplicateKey { .. } => "ledger_duplicate_key",
            LedgerError::IllegalTransition { .. } => "ledger_illegal_transition",
            LedgerError::AlreadySet { .. } => "ledger_already_set",
            LedgerError::Invalid { .. } => "ledger_invalid",
            LedgerError::Database { .. } => "ledger_database",
        }
    }

    /// The message for the cashier, in French and English.
    pub fn message(&self) -> Localized {
        match self {
            LedgerError::Unavailable { path, detail } => Localized::new(
                format!(
                    "Impossible d'ouvrir le registre des opérations{} : {detail}. \
                     Vérifiez le disque puis relancez Guichet ; ne supprimez pas le fichier.",
                    shown(path, " (", ")")
                ),
                format!(
                    "Cannot open the operations ledger{}: {detail}. \
                     Check the disk and restart Guichet; do not delete the file.",
                    shown(path, " (", ")")
                ),
            ),
            LedgerError::Corrupt { path, detail } => Localized::new(
                format!(
                    "Le fichier du registre est endommagé{} ({detail}). \
                     Contactez le support, ne supprimez pas le fichier.",
                    shown(path, " : ", "")
                ),
                format!(
                    "The ledger file is damaged{} ({detail}). \
                     Contact support, do not delete the file.",
                    shown(path, ": ", "")
                ),
            ),
            LedgerError::NewerSchema { found, supported } => Localized::new(
                format!(
                    "Ce registre a été écrit par une version plus récente de Guichet \
                     (schéma {found}, cette version connaît jusqu'au schéma {supported}). \
                     Installez la dernière version de Guichet ; ne supprimez pas le fichier."
                ),
                format!(
                    "This ledger was written by a newer version of Guichet \
                     (schema {found}, this version knows up to schema {supported}). \
                     Install the latest Guichet; do not delete the file."
                ),
            ),
            LedgerError::Migration { detail } => Localized::new(
                format!(
                    "La mise à jour du registre a échoué : {detail}. \
                     Contactez le support, ne supprimez pas le fichier."
                ),
                format!(
                    "Upgrading the ledger failed: {detail}. \
                     Contact support, do not delete the file."
                ),
            ),
            LedgerError::Backup { path, detail } => Localized::new(
                format!(
                    "Impossible de sauvegarder le registre avant sa mise à jour ({}) : {detail}. \
                     Rien n'a été modifié. Libérez de l'espace disque puis relancez Guichet.",
                    path.display()
                ),
                format!(
                    "Could not back up the ledger before upgrading it ({}): {detail}. \
                     Nothing was changed. Free some disk space and restart Guichet.",
                    path.display()
                ),
            ),
            LedgerError::DiskFull { .. } => Localized::new(
                "Le disque est plein : rien n'a été enregistré. \
                 Libérez de l'espace puis réessayez.",
                "The disk is full: nothing was saved. Free some space and try again.",
            ),
            LedgerError::NotFound { id } => Localized::new(
                format!("Opération introuvable dans le registre ({id})."),
                format!("Operation not found in the ledger ({id})."),
            ),
            LedgerError::DuplicateKey { key } => Localized::new(
                format!("Cette opération est déjà enregistrée (clé {key})."),
                format!("This operation is already recorded (key {key})."),
            ),
            LedgerError::IllegalTransition { id, from, to } => Localized::new(
                format!(
                    "Changement d'état refusé pour l'opération {id} : « {} » vers « {} ». \
                     Rien n'a été enregistré.",
                    from.label().fr,
                    to.label().fr
                ),
                format!(
                    "Status change refused for operation {id}: \"{}\" to \"{}\". \
                     Nothing was saved.",
                    from.label().en,
                    to.label().en
                ),
            ),
            LedgerError::AlreadySet {
                id,
                field,
                existing,
                new,
            } => {
                let (fr_field, en_field) = match *field {
                    "token" => ("le code (token)", "the token"),
                    _ => ("la référence du fournisseur", "the provider reference"),
                };
                Localized::new(
                    format!(
                        "L'opération {id} a déjà {fr_field} {existing} ; la valeur {new} est \
                         refusée. Rien n'a été enregistré. Signalez-le à un responsable."
                    ),
                    format!(
                        "Operation {id} already has {en_field} {existing}; {new} is refused. \
                         Nothing was saved. Tell a manager."
                    ),
                )
            }
            LedgerError::Invalid { detail } => Localized::new(
                format!("Données d'opération invalides : {detail}. Rien n'a été enregistré."),
                format!("Invalid operation data: {detail}. Nothing was saved."),
            ),
            LedgerError::Database { detail } => Localized::new(
                format!(
                    "Erreur du registre des opérations : {detail}. \
                     Réessayez ; si cela persiste, contactez le support."
                ),
                format!(
                    "Operations ledger error: {detail}. \
                     Try again; if it persists, contact support."
                ),
            ),
        }
    }

    /// Classifies a sqlx error met while using the ledger at `path`.
    pub(crate) fn from_sqlx(path: &Path, err: sqlx::Error) -> Self {
        Self::classify(path, &err).unwrap_or_else(|| LedgerError::Database {
            detail: err.to_string(),
        })
    }

    /// The ledger's own error for what SQLite said about the file itself (damaged, disk full,
    /// unreachable) at `path`. `None` for any other error.
    pub(crate) fn classify(path: &Path, err: &sqlx::Error) -> Option<Self> {
        let unavailable = || LedgerError::Unavailable {
            path: path.to_owned(),
            detail: err.to_string(),
        };
        match sqlite_primary_code(err) {
            // SQLITE_CORRUPT, SQLITE_NOTADB
            Some(11) | Some(26) => Some(LedgerError::Corrupt {
                path: path.to_owned(),
                detail: err.to_string(),
            }),
            // SQLITE_FULL
            Some(13) => Some(LedgerError::DiskFull {
                detail: err.to_string(),
            }),
            // SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN
            Some(3) | Some(8) | Some(10) | Some(14) => Some(unavailable()),
            _ => matches!(err, sqlx::Error::Io(_)).then(unavailable),
        }
    }

    /// [`LedgerError::classify`] for the other stores on the ledger file (the audit trail, the
    /// operators), which do not know its path (not shown then): what SQLite says about the file
    /// itself is said as the ledger says it, not as a database error to try again.
    pub(crate) fn of_file(err: &sqlx::Error) -> Option<Self> {
        Self::classify(Path::new(""), err)
    }
}

/// `path` between `before` and `after`; nothing when it is not known (empty).
fn shown(path: &Path, before: &str, after: &str) -> String {
    if path.as_os_str().is_empty() {
        String::new()
    } else {
        format!("{before}{}{after}", path.display())
    }
}

/// The primary SQLite result code (extended code & 0xff) of a database error.
pub(crate) fn sqlite_primary_code(err: &sqlx::Error) -> Option<i64> {
    match err {
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|c| c.parse::<i64>().ok())
            .map(|c| c & 0xff),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_speaks_both_languages() {
        let id = Uuid::nil();
        let all = [
            LedgerError::Unavailable {
                path: "/x/ledger.sqlite".into(),
                detail: "permission denied".into(),
            },
            LedgerError::Corrupt {
                path: "/x/ledger.sqlite".into(),
                detail: "not a database".into(),
            },
            LedgerError::NewerSchema {
                found: 7,
                supported: 1,
            },
            LedgerError::Migration { detail: "x".into() },
            LedgerError::Backup {
                path: "/x/b".into(),
                detail: "x".into(),
            },
            LedgerError::DiskFull { detail: "x".into() },
            LedgerError::NotFound { id },
            LedgerError::DuplicateKey { key: "K1".into() },
            LedgerError::IllegalTransition {
                id,
                from: OperationStatus::Success,
                to: OperationStatus::Failed,
            },
            LedgerError::AlreadySet {
                id,
                field: "token",
                existing: "1".into(),
                new: "2".into(),
            },
            LedgerError::Invalid { detail: "x".into() },
            LedgerError::Database { detail: "x".into() },
        ];
        let mut codes = std::collections::HashSet::new();
        for e in all {
            assert!(codes.insert(e.code()), "duplicate code {}", e.code());
            assert!(e.code().starts_with("ledger_"));
            let m = e.message();
            assert!(!m.fr.is_empty() && !m.en.is_empty(), "{e}");
            assert_ne!(m.fr, m.en, "{e}");
        }
        let corrupt = LedgerError::Corrupt {
            path: "/x/ledger.sqlite".into(),
            detail: "d".into(),
        };
        assert!(corrupt
            .message()
            .fr
            .starts_with("Le fichier du registre est endommagé"));
        assert!(corrupt.message().fr.contains("ne supprimez pas le fichier"));
    }
}
