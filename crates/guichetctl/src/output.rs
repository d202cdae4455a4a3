//! Exit codes, errors as the terminal shows them (French, then English), and tables.

use guichet_core::catalog::Refusal;
use guichet_core::engine::EngineError;
use guichet_core::ledger::{Operation, OperationEvent, OperationStatus};
use guichet_core::money::{Currency, Money, Target};
use guichet_core::text::{Language, Localized};
use guichet_core::till::TillError;
use serde::Serialize;

/// Success: the operation went through (or the command did what it says).
pub const EXIT_OK: u8 = 0;
/// Something unexpected (ledger unreadable, data dir, keyring, I/O).
pub const EXIT_ERROR: u8 = 1;
/// Refused input: nothing was sent.
pub const EXIT_REFUSED: u8 = 2;
/// The provider refused or failed the operation.
pub const EXIT_PROVIDER: u8 = 3;
/// Not final yet: pending, unknown, or waiting for a manager's review.
pub const EXIT_PENDING: u8 = 4;
/// Another process owns the data dir: this one only reads.
pub const EXIT_IN_USE: u8 = 5;

/// A command that did not succeed: what to print and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// Exit code.
    pub exit: u8,
    /// The message.
    pub message: Localized,
    /// One line per refusal (French, then English), when the catalog refused the input.
    pub refusals: Vec<Localized>,
}

impl Failure {
    /// A failure with a message.
    pub fn new(exit: u8, fr: impl Into<String>, en: impl Into<String>) -> Self {
        Failure {
            exit,
            message: Localized::new(fr, en),
            refusals: Vec::new(),
        }
    }

    /// Refused input (exit 2).
    pub fn refused(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Failure::new(EXIT_REFUSED, fr, en)
    }

    /// Prints on stderr: the message, then one line per refusal.
    pub fn print(&self) {
        if self.refusals.is_empty() {
            eprintln!("Erreur : {}", self.message.fr);
            eprintln!("Error: {}", self.message.en);
        } else {
            eprintln!(
                "Demande refusée — rien n'a été envoyé / Request refused — nothing was sent:"
            );
            for r in &self.refusals {
                eprintln!("{} / {}", r.fr, r.en);
            }
        }
    }
}

fn refusal_lines(refusals: &[Refusal]) -> Vec<Localized> {
    refusals.iter().map(|r| r.message.clone()).collect()
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Self {
        let exit = match &e {
            EngineError::Refused(_)
            | EngineError::NotFound { .. }
            | EngineError::ProviderNotConfigured(_)
            | EngineError::NotAwaitingOtp { .. } => EXIT_REFUSED,
            EngineError::Provider(_) | EngineError::OtpRefused { .. } => EXIT_PROVIDER,
            EngineError::Ledger(_) => EXIT_ERROR,
            EngineError::Unsettled { .. } => EXIT_PENDING,
        };
        let mut message = e.message();
        if let Some(id) = e.operation_id() {
            // The one operation to follow (`guichetctl status ID`), never a second one.
            message = Localized::new(
                format!("{} Opération : {id}", message.fr),
                format!("{} Operation: {id}", message.en),
            );
        }
        Failure {
            exit,
            message,
            refusals: refusal_lines(e.refusals()),
        }
    }
}

impl From<TillError> for Failure {
    fn from(e: TillError) -> Self {
        match e {
            TillError::Engine(e) => e.into(),
            TillError::LedgerInUse => Failure {
                exit: EXIT_IN_USE,
                message: TillError::LedgerInUse.message(),
                refusals: Vec::new(),
            },
            other => Failure {
                exit: if refused_input(&other) {
                    EXIT_REFUSED
                } else {
                    EXIT_ERROR
                },
                message: other.message(),
                refusals: Vec::new(),
            },
        }
    }
}

/// A refusal of what was typed (a field, a name, a PIN, a role): nothing was done.
fn refused_input(e: &TillError) -> bool {
    use guichet_core::operators::OperatorError as O;
    match e {
        TillError::Invalid { .. } => true,
        // Shifts: already open, none open, a difference without approval, a bad count.
        TillError::Day(d) => !matches!(d, guichet_core::day::DayError::Report(_)),
        TillError::Operator(o) => !matches!(o, O::Hashing { .. } | O::Database { .. }),
        _ => false,
    }
}

/// The exit code an operation's status gives.
pub fn exit_for(status: OperationStatus) -> u8 {
    match status {
        OperationStatus::Success => EXIT_OK,
        OperationStatus::Failed | OperationStatus::Cancelled | OperationStatus::Expired => {
            EXIT_PROVIDER
        }
        _ => EXIT_PENDING,
    }
}

/// The status for a person, French then English.
pub fn status_words(status: OperationStatus) -> &'static str {
    match status {
        OperationStatus::Prepared => "préparée / prepared",
        OperationStatus::Sent => "envoyée / sent",
        OperationStatus::Pending => "en attente / pending",
        OperationStatus::Processing => "en cours / processing",
        OperationStatus::Success => "réussie / success",
        OperationStatus::Failed => "échouée / failed",
        OperationStatus::Cancelled => "annulée / cancelled",
        OperationStatus::Expired => "expirée / expired",
        OperationStatus::Unknown => {
            "résultat inconnu, vérification en cours / unknown, being checked"
        }
        OperationStatus::NeedsReview => "à vérifier par le responsable / needs review",
    }
}

/// An operation's events, one line each (`indent` spaces before), oldest first; with `answers`,
/// each provider answer on the line after its event.
pub fn print_timeline(events: &[OperationEvent], indent: usize, answers: bool) {
    let pad = " ".repeat(indent);
    for e in events {
        println!(
            "{pad}{} #{} {} → {} ({}){}",
            e.at.format("%Y-%m-%d %H:%M:%S"),
            e.seq,
            e.from_status.map_or("-".to_owned(), |s| s.to_string()),
            e.to_status,
            e.source.as_str(),
            e.note
                .as_deref()
                .map(|n| format!(" {n}"))
                .unwrap_or_default()
        );
        if let (true, Some(raw)) = (answers, &e.raw) {
            println!("{pad}  Réponse / Answer: {raw}");
        }
    }
}

/// An amount as the receipt writes it (`12 500 FCFA`).
pub fn amount(minor: i64, currency: &str) -> String {
    match Currency::from_code(currency) {
        Some(c) => Money::new(minor, c).format(Language::Fr, Target::Receipt),
        None => format!("{minor} {currency}"),
    }
}

/// One operation as exported (JSON object or CSV row) and listed by `history --json`.
#[derive(Debug, Serialize)]
pub struct ExportRow {
    /// Operation id.
    pub id: String,
    /// dexchange, easytransfert, unipesa.
    pub provider: String,
    /// Catalog service code.
    pub service: String,
    /// What it does.
    pub kind: String,
    /// Amount in minor units.
    pub amount: i64,
    /// Fee in minor units, when known.
    pub fee: Option<i64>,
    /// ISO currency.
    pub currency: String,
    /// Status.
    pub status: String,
    /// Our idempotency key (externalTransactionId / order_id).
    pub our_ref: String,
    /// The provider's id.
    pub provider_ref: Option<String>,
    /// Phone, meter or reference.
    pub customer_ref: String,
    /// Woyofal token.
    pub token: Option<String>,
    /// Training (sandbox) operation.
    pub training: bool,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<&Operation> for ExportRow {
    fn from(op: &Operation) -> Self {
        ExportRow {
            id: op.id.to_string(),
            provider: op.provider.clone(),
            service: op.service_code.clone(),
            kind: op.kind.clone(),
            amount: op.amount_minor,
            fee: op.fee_minor,
            currency: op.currency.clone(),
            status: op.status.to_string(),
            our_ref: op.idempotency_key.clone(),
            provider_ref: op.provider_ref.clone(),
            customer_ref: op.customer_ref.clone(),
            token: op.token.clone(),
            training: op.training,
            created_at: op.created_at.to_rfc3339(),
            updated_at: op.updated_at.to_rfc3339(),
        }
    }
}

/// A Woyofal token grouped by four digits (`1234 5678 …`).
pub fn grouped_token(token: &str) -> String {
    let digits: Vec<char> = token
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    digits
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Prints a JSON value on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::new(EXIT_ERROR, format!("JSON : {e}"), format!("JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_grouped_by_four() {
        assert_eq!(
            grouped_token("12345678901234567890"),
            "1234 5678 9012 3456 7890"
        );
        assert_eq!(grouped_token("1234-5678 9012"), "1234 5678 9012");
    }

    #[test]
    fn statuses_map_to_exit_codes() {
        assert_eq!(exit_for(OperationStatus::Success), 0);
        assert_eq!(exit_for(OperationStatus::Failed), 3);
        assert_eq!(exit_for(OperationStatus::Unknown), 4);
        assert_eq!(exit_for(OperationStatus::NeedsReview), 4);
    }
}
