//! What can go wrong with the keyring, for the logs (Display, English) and for the manager
//! ([`SecretsError::message`], French and English). No variant ever holds a secret.

use crate::text::Localized;

/// A keyring failure. Holds names and the store's own words, never a secret value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretsError {
    /// No keyring store can be reached (no Secret Service on the session bus, keyutils refused…),
    /// or the store refused access (locked collection, permission).
    #[error("the system keyring is unavailable ({backend}): {detail}")]
    Unavailable {
        /// The store tried (`secret-service`, `keyutils`, or both for `auto`).
        backend: String,
        /// What the store said.
        detail: String,
    },
    /// The provider/field pair is not one Guichet stores ([`super::KNOWN_KEYS`]).
    #[error("unknown provider key {provider}.{field}")]
    UnknownKey {
        /// Provider asked for.
        provider: String,
        /// Field asked for.
        field: String,
    },
    /// The value cannot be stored (empty, too long, control characters). Nothing was written.
    #[error("the value for {provider}.{field} is not acceptable: {reason}")]
    InvalidValue {
        /// Provider.
        provider: String,
        /// Field.
        field: String,
        /// Why (never the value).
        reason: String,
    },
    /// What the keyring holds for this key cannot be read back as text.
    #[error("the keyring entry for {provider}.{field} is unreadable")]
    Unreadable {
        /// Provider.
        provider: String,
        /// Field.
        field: String,
    },
    /// Several keyring items match this key (left by another program); nothing was changed.
    #[error("{count} keyring entries match {provider}.{field}")]
    Ambiguous {
        /// Provider.
        provider: String,
        /// Field.
        field: String,
        /// How many match.
        count: usize,
    },
    /// The store failed in another way.
    #[error("the system keyring failed: {detail}")]
    Failed {
        /// What the store said.
        detail: String,
    },
}

impl SecretsError {
    /// A stable code for the UI, the CLI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            SecretsError::Unavailable { .. } => "secrets_unavailable",
            SecretsError::UnknownKey { .. } => "secrets_unknown_key",
            SecretsError::InvalidValue { .. } => "secrets_invalid_value",
            SecretsError::Unreadable { .. } => "secrets_unreadable",
            SecretsError::Ambiguous { .. } => "secrets_ambiguous",
            SecretsError::Failed { .. } => "secrets_failed",
        }
    }

    /// The message for the manager, in French and English.
    pub fn message(&self) -> Localized {
        match self {
            SecretsError::Unavailable { backend, detail } => Localized::new(
                format!(
                    "Le trousseau du système est inaccessible ({backend} : {detail}). \
                     Les clés des fournisseurs ne peuvent être ni lues ni enregistrées ; \
                     le mode formation reste disponible. Ouvrez une session de bureau \
                     (trousseau déverrouillé) ou contactez le support."
                ),
                format!(
                    "The system keyring is unavailable ({backend}: {detail}). \
                     Provider keys can be neither read nor saved; training mode still works. \
                     Log in to a desktop session (keyring unlocked) or contact support."
                ),
            ),
            SecretsError::UnknownKey { provider, field } => Localized::new(
                format!("Clé inconnue : {provider}.{field}. Rien n'a été modifié."),
                format!("Unknown key: {provider}.{field}. Nothing was changed."),
            ),
            SecretsError::InvalidValue {
                provider,
                field,
                reason,
            } => Localized::new(
                format!(
                    "La valeur saisie pour {provider}.{field} n'est pas acceptable ({reason}). \
                     Rien n'a été enregistré ; collez la clé fournie par le fournisseur."
                ),
                format!(
                    "The value entered for {provider}.{field} is not acceptable ({reason}). \
                     Nothing was saved; paste the key the provider gave you."
                ),
            ),
            SecretsError::Unreadable { provider, field } => Localized::new(
                format!(
                    "La clé {provider}.{field} enregistrée dans le trousseau est illisible. \
                     Saisissez-la de nouveau."
                ),
                format!(
                    "The key {provider}.{field} stored in the keyring is unreadable. \
                     Enter it again."
                ),
            ),
            SecretsError::Ambiguous {
                provider,
                field,
                count,
            } => Localized::new(
                format!(
                    "Le trousseau contient {count} entrées pour {provider}.{field} ; \
                     rien n'a été modifié. Supprimez les doublons dans le gestionnaire de \
                     trousseau ou contactez le support."
                ),
                format!(
                    "The keyring holds {count} entries for {provider}.{field}; nothing was \
                     changed. Remove the duplicates in the keyring manager or contact support."
                ),
            ),
            SecretsError::Failed { detail } => Localized::new(
                format!(
                    "Erreur du trousseau du système : {detail}. \
                     Réessayez ; si cela persiste, contactez le support."
                ),
                format!(
                    "System keyring error: {detail}. Try again; if it persists, contact support."
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_speaks_both_languages() {
        let p = || "dexchange".to_string();
        let f = || "api_key".to_string();
        let all = [
            SecretsError::Unavailable {
                backend: "keyutils".into(),
                detail: "x".into(),
            },
            SecretsError::UnknownKey {
                provider: p(),
                field: f(),
            },
            SecretsError::InvalidValue {
                provider: p(),
                field: f(),
                reason: "empty".into(),
            },
            SecretsError::Unreadable {
                provider: p(),
                field: f(),
            },
            SecretsError::Ambiguous {
                provider: p(),
                field: f(),
                count: 2,
            },
            SecretsError::Failed { detail: "x".into() },
        ];
        let mut codes = std::collections::HashSet::new();
        for e in all {
            assert!(codes.insert(e.code()), "duplicate code {}", e.code());
            assert!(e.code().starts_with("secrets_"));
            let m = e.message();
            assert!(!m.fr.is_empty() && !m.en.is_empty(), "{e}");
            assert_ne!(m.fr, m.en, "{e}");
        }
        let unavailable = SecretsError::Unavailable {
            backend: "auto".into(),
            detail: "x".into(),
        };
        assert!(unavailable
            .message()
            .fr
            .starts_with("Le trousseau du système est inaccessible"));
    }
}
