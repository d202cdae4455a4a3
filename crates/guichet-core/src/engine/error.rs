//! What the engine answers when it cannot give an operation back.

use thiserror::Error;
use uuid::Uuid;

use crate::catalog::{Provider, Refusal};
use crate::connector::ConnectorError;
use crate::ledger::LedgerError;
use crate::text::Localized;

/// Why an engine call did not give an operation (or an answer) back.
///
/// Once an operation is written, [`super::Engine::submit`] returns it whatever the provider said
/// (its status tells the outcome); these errors are for what happens before (refused input, no
/// connector) or outside the ledger (a bill inquiry, a balance), and for a ledger that cannot
/// write.
#[derive(Debug, Error)]
pub enum EngineError {
    /// The request does not pass the catalog's checks; nothing was written.
    #[error("request refused: {}", refusal_codes(.0))]
    Refused(Vec<Refusal>),
    /// The ledger could not read or write.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// A provider call that moves no money (bill inquiry, balance, OTP confirmation) failed.
    #[error(transparent)]
    Provider(#[from] ConnectorError),
    /// No operation has this id.
    #[error("operation {id} not found")]
    NotFound {
        /// The id asked for.
        id: Uuid,
    },
    /// The till has no connector for this provider (keys not entered, provider turned off);
    /// nothing was written.
    #[error("no connector configured for {0:?}")]
    ProviderNotConfigured(Provider),
    /// The operation does not wait for an OTP (never did, or no longer does).
    #[error("operation {id} is not waiting for an OTP")]
    NotAwaitingOtp {
        /// The operation.
        id: Uuid,
    },
    /// The provider refused the customer's OTP; the operation still waits for the right one.
    #[error("OTP refused by the provider: {provider_message}")]
    OtpRefused {
        /// The provider's words.
        provider_message: String,
    },
    /// The intent is written under its one key (and may have been sent), but what followed could
    /// not be recorded: the reconciler settles that same operation; it is never sent anew.
    #[error("operation {id} recorded, outcome not yet known: {source}")]
    Unsettled {
        /// The operation to follow.
        id: Uuid,
        /// What failed after the intent was written.
        source: Box<EngineError>,
    },
}

fn refusal_codes(refusals: &[Refusal]) -> String {
    let codes: Vec<String> = refusals
        .iter()
        .map(|r| {
            serde_json::to_value(r.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| format!("{:?}", r.code))
        })
        .collect();
    codes.join(", ")
}

impl EngineError {
    /// Stable code for the UI, the CLI's exit codes, logs and tests.
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::Refused(_) => "refused",
            EngineError::Ledger(e) => e.code(),
            EngineError::Provider(e) => e.code(),
            EngineError::NotFound { .. } => "operation_not_found",
            EngineError::ProviderNotConfigured(_) => "provider_not_configured",
            EngineError::NotAwaitingOtp { .. } => "not_awaiting_otp",
            EngineError::OtpRefused { .. } => "otp_refused",
            EngineError::Unsettled { .. } => "operation_unsettled",
        }
    }

    /// What the cashier reads, French first.
    pub fn message(&self) -> Localized {
        match self {
            EngineError::Refused(refusals) => {
                let fr: Vec<&str> = refusals.iter().map(|r| r.message.fr.as_str()).collect();
                let en: Vec<&str> = refusals.iter().map(|r| r.message.en.as_str()).collect();
                Localized::new(fr.join(" "), en.join(" "))
            }
            EngineError::Ledger(e) => e.message(),
            EngineError::Provider(e) => e.message(),
            EngineError::NotFound { .. } => Localized::new(
                "Opération introuvable dans le journal de la caisse.",
                "Operation not found in the till's ledger.",
            ),
            EngineError::ProviderNotConfigured(p) => Localized::new(
                format!(
                    "{} n'est pas configuré sur cette caisse : le responsable doit saisir ses clés dans Réglages. Rien n'a été envoyé.",
                    p.display_name()
                ),
                format!(
                    "{} is not set up on this till: a manager must enter its keys in Settings. Nothing was sent.",
                    p.display_name()
                ),
            ),
            EngineError::NotAwaitingOtp { .. } => Localized::new(
                "Cette opération n'attend pas de code OTP.",
                "This operation is not waiting for an OTP.",
            ),
            EngineError::OtpRefused { provider_message } => Localized::new(
                format!(
                    "Code OTP refusé par le fournisseur ({provider_message}). Demandez au client de vérifier le code ; l'opération attend toujours."
                ),
                format!(
                    "OTP refused by the provider ({provider_message}). Ask the customer to check the code; the operation is still waiting."
                ),
            ),
            EngineError::Unsettled { .. } => Localized::new(
                "Résultat pas encore connu — ne refaites pas l'opération. Elle est suivie automatiquement : son statut s'affiche ici et dans l'Historique.",
                "Outcome not known yet — do not redo the operation. It is followed automatically: its status shows here and in the History.",
            ),
        }
    }

    /// Wraps what failed once operation `id` was written (see [`EngineError::Unsettled`]).
    pub fn unsettled(id: Uuid, source: EngineError) -> EngineError {
        match source {
            already @ EngineError::Unsettled { .. } => already,
            source => EngineError::Unsettled {
                id,
                source: Box::new(source),
            },
        }
    }

    /// The operation the error is about, when one was written: the UI follows it instead of
    /// offering a new Send.
    pub fn operation_id(&self) -> Option<Uuid> {
        match self {
            EngineError::Unsettled { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// The catalog's refusals, when the request was refused.
    pub fn refusals(&self) -> &[Refusal] {
        match self {
            EngineError::Refused(r) => r,
            _ => &[],
        }
    }
}
