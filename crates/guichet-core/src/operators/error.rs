//! What can go wrong with operators and PIN login, for the logs (Display, English) and for the
//! cashier ([`OperatorError::message`], French and English). No variant ever holds a PIN.

use chrono::{DateTime, Utc};

use crate::audit::AuditError;
use crate::ledger::LedgerError;
use crate::text::Localized;

/// An operator or login failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OperatorError {
    /// The PIN is not 4 to 8 digits. Nothing was written.
    #[error("a PIN is 4 to 8 digits")]
    InvalidPin,
    /// The name is not acceptable (empty, too long, only digits…). Nothing was written.
    #[error("invalid operator name: {reason}")]
    InvalidName {
        /// What is wrong.
        reason: String,
    },
    /// The first-run manager already exists: further operators are created by a manager.
    #[error("a manager already exists")]
    ManagerExists,
    /// Another operator already has this name (whatever the case).
    #[error("an operator named {name:?} already exists")]
    NameTaken {
        /// The name asked for.
        name: String,
    },
    /// No operator has this name or id.
    #[error("unknown operator")]
    Unknown,
    /// Wrong PIN; the account locks after `remaining` more.
    #[error("wrong PIN, {remaining} attempt(s) left before the account locks")]
    WrongPin {
        /// Wrong PINs left before the lock.
        remaining: u32,
    },
    /// Too many wrong PINs: login is refused until `until`.
    #[error("account locked until {until}")]
    Locked {
        /// When the next attempt is allowed.
        until: DateTime<Utc>,
    },
    /// Only a manager may do this.
    #[error("only a manager may do this")]
    Forbidden,
    /// Hashing the PIN failed.
    #[error("PIN hashing failed: {detail}")]
    Hashing {
        /// What the hasher said.
        detail: String,
    },
    /// The database (or the audit trail in it) failed.
    #[error("operators database error: {detail}")]
    Database {
        /// What SQLite, sqlx or the audit trail said.
        detail: String,
    },
    /// The ledger file itself failed (damaged, disk full, unreachable): said as the ledger says it.
    #[error(transparent)]
    Ledger(LedgerError),
}

impl OperatorError {
    /// A stable code for the UI, the CLI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            OperatorError::InvalidPin => "operator_invalid_pin",
            OperatorError::InvalidName { .. } => "operator_invalid_name",
            OperatorError::ManagerExists => "operator_manager_exists",
            OperatorError::NameTaken { .. } => "operator_name_taken",
            OperatorError::Unknown => "operator_unknown",
            OperatorError::WrongPin { .. } => "operator_wrong_pin",
            OperatorError::Locked { .. } => "operator_locked",
            OperatorError::Forbidden => "operator_forbidden",
            OperatorError::Hashing { .. } => "operator_hashing",
            OperatorError::Database { .. } => "operator_database",
            OperatorError::Ledger(e) => e.code(),
        }
    }

    /// The message for the person at the till, in French and English.
    pub fn message(&self) -> Localized {
        match self {
            OperatorError::InvalidPin => Localized::new(
                "Le code PIN doit comporter de 4 à 8 chiffres (0 à 9), sans lettres ni espaces.",
                "The PIN must be 4 to 8 digits (0 to 9), with no letters or spaces.",
            ),
            OperatorError::InvalidName { reason } => Localized::new(
                format!(
                    "Nom d'opérateur refusé : {reason}. Utilisez de 1 à 64 caractères, \
                     pas uniquement des chiffres."
                ),
                format!(
                    "Operator name refused: {reason}. Use 1 to 64 characters, not only digits."
                ),
            ),
            OperatorError::ManagerExists => Localized::new(
                "Un responsable existe déjà : connectez-vous avec son code PIN pour créer \
                 d'autres opérateurs.",
                "A manager already exists: sign in with their PIN to create other operators.",
            ),
            OperatorError::NameTaken { name } => Localized::new(
                format!("Un opérateur nommé « {name} » existe déjà. Choisissez un autre nom."),
                format!("An operator named \"{name}\" already exists. Choose another name."),
            ),
            OperatorError::Unknown => Localized::new(
                "Opérateur inconnu. Vérifiez le nom.",
                "Unknown operator. Check the name.",
            ),
            OperatorError::WrongPin { remaining } => Localized::new(
                format!(
                    "Code PIN incorrect. Encore {remaining} essai(s) avant le verrouillage du \
                     compte."
                ),
                format!("Wrong PIN. {remaining} attempt(s) left before the account locks."),
            ),
            OperatorError::Locked { until } => {
                let at = until.format("%H:%M:%S");
                Localized::new(
                    format!(
                        "Compte verrouillé après trop de codes PIN incorrects. Réessayez après \
                         {at} (heure UTC/GMT) ou demandez au responsable de le déverrouiller."
                    ),
                    format!(
                        "Account locked after too many wrong PINs. Try again after {at} \
                         (UTC/GMT) or ask the manager to unlock it."
                    ),
                )
            }
            OperatorError::Forbidden => Localized::new(
                "Action réservée au responsable.",
                "Only a manager may do this.",
            ),
            OperatorError::Hashing { detail } => Localized::new(
                format!("Le code PIN n'a pas pu être traité ({detail}). Réessayez."),
                format!("The PIN could not be processed ({detail}). Try again."),
            ),
            OperatorError::Database { detail } => Localized::new(
                format!(
                    "Erreur de la base des opérateurs : {detail}. \
                     Réessayez ; si cela persiste, contactez le support."
                ),
                format!("Operators database error: {detail}. Try again; if it persists, contact support."),
            ),
            OperatorError::Ledger(e) => e.message(),
        }
    }
}

impl From<sqlx::Error> for OperatorError {
    fn from(e: sqlx::Error) -> Self {
        match LedgerError::of_file(&e) {
            Some(ledger) => OperatorError::Ledger(ledger),
            None => OperatorError::Database {
                detail: e.to_string(),
            },
        }
    }
}

impl From<AuditError> for OperatorError {
    fn from(e: AuditError) -> Self {
        match e {
            AuditError::Ledger(ledger) => OperatorError::Ledger(ledger),
            other => OperatorError::Database {
                detail: other.to_string(),
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
            OperatorError::InvalidPin,
            OperatorError::InvalidName { reason: "x".into() },
            OperatorError::ManagerExists,
            OperatorError::NameTaken { name: "Awa".into() },
            OperatorError::Unknown,
            OperatorError::WrongPin { remaining: 3 },
            OperatorError::Locked {
                until: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            },
            OperatorError::Forbidden,
            OperatorError::Hashing { detail: "x".into() },
            OperatorError::Database { detail: "x".into() },
        ];
        let mut codes = std::collections::HashSet::new();
        for e in all {
            assert!(codes.insert(e.code()), "duplicate code {}", e.code());
            assert!(e.code().starts_with("operator_"));
            let m = e.message();
            assert!(!m.fr.is_empty() && !m.en.is_empty(), "{e}");
            assert_ne!(m.fr, m.en, "{e}");
        }
    }

    #[test]
    fn a_full_disk_met_by_the_audit_trail_is_said_as_the_ledger_says_it() {
        let full = OperatorError::from(AuditError::Ledger(LedgerError::DiskFull {
            detail: "database or disk is full".into(),
        }));
        assert_eq!(full.code(), "ledger_disk_full");
        assert!(
            full.message().fr.starts_with("Le disque est plein"),
            "{}",
            full.message().fr
        );
        let other = OperatorError::from(AuditError::Invalid { detail: "x".into() });
        assert_eq!(other.code(), "operator_database");
    }
}
