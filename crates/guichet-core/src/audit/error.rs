//! What can go wrong with the audit trail, for the logs (Display, English) and for the manager
//! ([`AuditError::message`], French and English).

use crate::ledger::LedgerError;
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
    /// The entry's MAC does not match its segment's key: it (or the chain before it) was
    /// rewritten, hashes recomputed, by someone without the key.
    Forged,
    /// The entry has no MAC although the trail is keyed: written by someone without the key (or
    /// by a till whose keyring was unreachable).
    Unsealed,
    /// The entry's segment number does not follow the trail's segments.
    Segment,
    /// A segment starts whose key is not in the keyring while the previous segment's key is:
    /// a till only starts a segment when it lost the previous key, so this one was forged.
    ForeignSegment,
    /// The keyring names a keyed segment this trail no longer holds: entries were removed from
    /// here on.
    Truncated,
}

impl BreakKind {
    /// A stable name (`edited`, `missing`, `relinked`, `unreadable`).
    pub fn as_str(self) -> &'static str {
        match self {
            BreakKind::Edited => "edited",
            BreakKind::Missing => "missing",
            BreakKind::Relinked => "relinked",
            BreakKind::Unreadable => "unreadable",
            BreakKind::Forged => "forged",
            BreakKind::Unsealed => "unsealed",
            BreakKind::Segment => "segment",
            BreakKind::ForeignSegment => "foreign_segment",
            BreakKind::Truncated => "truncated",
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
    /// The keyring failed while the chain's keys were read.
    #[error("audit trail keyring error: {detail}")]
    Keyring {
        /// What the keyring said (never a key).
        detail: String,
    },
    /// The database failed.
    #[error("audit trail database error: {detail}")]
    Database {
        /// What SQLite or sqlx said.
        detail: String,
    },
    /// The ledger file itself failed (damaged, disk full, unreachable): said as the ledger says it.
    #[error(transparent)]
    Ledger(LedgerError),
}

impl AuditError {
    /// A stable code for the UI, the CLI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            AuditError::Broken { .. } => "audit_broken",
            AuditError::SecretLooking { .. } => "audit_secret_looking",
            AuditError::Invalid { .. } => "audit_invalid",
            AuditError::Keyring { .. } => "audit_keyring",
            AuditError::Database { .. } => "audit_database",
            AuditError::Ledger(e) => e.code(),
        }
    }

    /// The message for the manager, in French and English.
    pub fn message(&self) -> Localized {
        match self {
            AuditError::Broken {
                seq,
                kind: BreakKind::Unsealed,
            } => Localized::new(
                format!(
                    "Le journal d'audit ne peut plus être vérifié à partir de l'entrée n° {seq} : \
                     elle a été écrite sans la clé du journal (trousseau inaccessible à ce \
                     moment-là) ou altérée. Exportez le journal et contactez le support."
                ),
                format!(
                    "The audit trail can no longer be verified from entry #{seq} on: it was \
                     written without the trail's key (keyring unreachable at the time) or \
                     tampered with. Export the trail and contact support."
                ),
            ),
            AuditError::Broken { seq, kind } => {
                let (fr, en) = match kind {
                    BreakKind::Edited => ("a été modifiée", "was edited"),
                    BreakKind::Missing => ("a été supprimée", "was deleted"),
                    BreakKind::Relinked => (
                        "ne suit plus la précédente",
                        "no longer follows the previous one",
                    ),
                    BreakKind::Unreadable => ("est illisible", "is unreadable"),
                    BreakKind::Forged => (
                        "ne porte pas le sceau de la clé du journal (réécrite)",
                        "does not carry the trail key's seal (rewritten)",
                    ),
                    BreakKind::Unsealed => (
                        "n'est pas scellée par la clé du journal",
                        "is not sealed with the trail's key",
                    ),
                    BreakKind::Segment => {
                        ("n'appartient pas au bon segment", "is in the wrong segment")
                    }
                    BreakKind::ForeignSegment => (
                        "ouvre un segment dont la clé est inconnue alors que la clé \
                         précédente est présente",
                        "starts a segment whose key is unknown while the previous key is present",
                    ),
                    BreakKind::Truncated => (
                        "et les suivantes ont été supprimées (le trousseau connaît un segment \
                         absent du journal)",
                        "and the following ones were removed (the keyring knows a segment the \
                         trail no longer holds)",
                    ),
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
            AuditError::Keyring { detail } => Localized::new(
                format!(
                    "Le trousseau n'a pas pu fournir la clé du journal d'audit : {detail}. \
                     Réessayez ; si cela persiste, contactez le support."
                ),
                format!(
                    "The keyring could not give the audit trail's key: {detail}. Try again; if \
                     it persists, contact support."
                ),
            ),
            AuditError::Database { detail } => Localized::new(
                format!(
                    "Erreur du journal d'audit : {detail}. \
                     Réessayez ; si cela persiste, contactez le support."
                ),
                format!("Audit trail error: {detail}. Try again; if it persists, contact support."),
            ),
            AuditError::Ledger(e) => e.message(),
        }
    }
}

impl From<sqlx::Error> for AuditError {
    fn from(e: sqlx::Error) -> Self {
        match LedgerError::of_file(&e) {
            Some(ledger) => AuditError::Ledger(ledger),
            None => AuditError::Database {
                detail: e.to_string(),
            },
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
            AuditError::Keyring { detail: "x".into() },
            AuditError::Database { detail: "x".into() },
            AuditError::Ledger(LedgerError::DiskFull { detail: "x".into() }),
        ];
        let mut codes = std::collections::HashSet::new();
        for e in all {
            assert!(codes.insert(e.code()), "duplicate code {}", e.code());
            assert!(e.code().starts_with("audit_") || e.code().starts_with("ledger_"));
            let m = e.message();
            assert!(!m.fr.is_empty() && !m.en.is_empty(), "{e}");
            assert_ne!(m.fr, m.en, "{e}");
        }
    }
}
