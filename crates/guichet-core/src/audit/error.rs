//! What can go wrong with the audit trail, for the logs (Display, English) and for the manager
//! ([`AuditError::message`], French and English).

use crate::text::Localized;

/// How a broken chain shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The entry's fields no longer give its stored hash: it was edited.
    Edited,
    /// The entry with this number is missing: it was deleted.
    Missing,
    /// The entry does not point at the previous entry's hash: something before it was edited
    /// and re-hashed, or entries were spliced.
    Relinked,
    /// The entry cannot be read back (bad JSON, bad timestamp).
    Unreadable,
}

impl BreakKind {
    /// A stable name (`edited`, `missing`, `relinked`, `unreadable`).
    pub fn as_str(self) -> &'static str {
        match self {
            BreakKind::Edited => "edited",
            BreakKind::Missing => "missing",
            BreakKind::Relinked => "relinked",
            BreakKind::Unreadable => "unreadable",
        }
    }
}

/// An audit trail failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    /// The chain does not verify at entry `seq`: the trail was tampered with.
    #[error("the audit trail is broken at entry {seq} ({})", kind.as_str())]
    Broken {
        /// The first entry that does not check out.
        seq: i64,
        /// How it shows.
        kind: BreakKind,
    },
    /// The details hold a key that looks like a secret (`api_key`, `pin`, `password`…):
    /// secrets never enter the audit trail. Nothing was written.
    #[error("audit details key {key:?} looks like a secret; refused")]
    SecretLooking {
        /// The refused key (never its value).
        key: String,
    },
    /// The entry is not acceptable (empty actor, details too large…). Nothing was written.
    #[error("invalid audit entry: {detail}")]
    Invalid {
        /// What is wrong.
        detail: String,
    },
    /// The database failed.
    #[error("audit trail database error: {detail}")]
    Database {
        /// What SQLite or sqlx said.
        detail: String,
    },
}

impl AuditError {
    /// A stable code for the UI, the CLI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            AuditError::Broken { .. } => "audit_broken",
            AuditError::SecretLooking { .. } => "audit_secret_looking",
            AuditError::Invalid { .. } => "audit_invalid",
            AuditError::Database { .. } => "audit_database",
        }
    }

    /// The message for the manager, in French and English.
    pub fn message(&self) -> Localized {
        match self {
            AuditError::Broken { seq, kind } => {
                let (fr, en) = match kind {
                    BreakKind::Edited => ("a été modifiée", "was edited"),
                    BreakKind::Missing => ("a été supprimée", "was deleted"),
                    BreakKind::Relinked => (
                        "ne suit plus la précédente",
                        "no longer follows the previous one",
                    ),
                    BreakKind::Unreadable => ("est illisible", "is unreadable"),
                };
                Localized::new(
                    format!(
                        "Le journal d'audit a été altéré : l'entrée n° {seq} {fr}. \
                         Exportez le journal et contactez le support."
                    ),
                    format!(
                        "The audit trail has been tampered with: entry #{seq} {en}. \
                         Export the trail and contact support."
                    ),
                )
            }
            AuditError::SecretLooking { key } => Localized::new(
                format!(
                    "Refusé : le champ « {key} » ressemble à un secret, et aucun secret n'entre \
                     dans le journal d'audit."
                ),
                format!(
                    "Refused: the field \"{key}\" looks like a secret, and no secret enters the \
                     audit trail."
                ),
            ),
            AuditError::Invalid { detail } => Localized::new(
                format!("Entrée du journal d'audit invalide : {detail}."),
                format!("Invalid audit trail entry: {detail}."),
            ),
            AuditError::Database { detail } => Localized::new(
                format!(
                    "Erreur du journal d'audit : {detail}. \
                     Réessayez ; si cela persiste, contactez le support."
                ),
                format!("Audit trail error: {detail}. Try again; if it persists, contact support."),
            ),
        }
    }
}

impl From<sqlx::Error> for AuditError {
    fn from(e: sqlx::Error) -> Self {
        AuditError::Database {
            detail: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_speaks_both_languages() {
        let all = [
            AuditError::Broken {
                seq: 3,
                kind: BreakKind::Edited,
            },
            AuditError::SecretLooking {
                key: "api_key".into(),
            },
            AuditError::Invalid { detail: "x".into() },
            AuditError::Database { detail: "x".into() },
        ];
        let mut codes = std::collections::HashSet::new();
        for e in all {
            assert!(codes.insert(e.code()), "duplicate code {}", e.code());
            assert!(e.code().starts_with("audit_"));
            let m = e.message();
            assert!(!m.fr.is_empty() && !m.en.is_empty(), "{e}");
            assert_ne!(m.fr, m.en, "{e}");
        }
    }
}
