//! The review queue: operations the reconciler could not settle (`needs_review`) wait for a
//! manager, who reads the evidence (timeline, the providers' answers, amounts, the reason),
//! checks the provider's back office, and settles each one as a success or a failure with a
//! note and their PIN again. Each settlement is written by the engine (an event from the
//! manager) and recorded in the audit trail.

use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;
use uuid::Uuid;

use super::{Desk, Permission};
use crate::audit::{Audit, AuditAction};
use crate::engine::{detail_keys, EngineError};
use crate::ledger::{LedgerError, Operation, OperationEvent, OperationStatus};
use crate::settings::invalid;
use crate::text::Localized;
use crate::till::TillError;

/// Longest note a manager may write on a settlement, in characters.
pub const REVIEW_NOTE_MAX_CHARS: usize = 500;

/// One operation waiting for a manager, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ReviewItem {
    /// The operation as it stands (amount, fee, references, details).
    pub operation: Operation,
    /// Its events, oldest first; the providers' answers are in their `raw`.
    pub events: Vec<OperationEvent>,
    /// Why it waits (`details.review_reason`, a stable code), when recorded.
    pub reason_code: Option<String>,
    /// Why it waits, in words the manager reads.
    pub reason: Localized,
}

/// What the manager read in the provider's back office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// The money moved: the operation succeeded.
    Success,
    /// Nothing moved: the operation failed.
    Failed,
}

impl ReviewOutcome {
    /// The final status it gives the operation.
    pub fn status(self) -> OperationStatus {
        match self {
            ReviewOutcome::Success => OperationStatus::Success,
            ReviewOutcome::Failed => OperationStatus::Failed,
        }
    }

    /// `success` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewOutcome::Success => "success",
            ReviewOutcome::Failed => "failed",
        }
    }

    /// Parses `success` / `failed`.
    pub fn parse(name: &str) -> Option<ReviewOutcome> {
        match name.trim() {
            "success" => Some(ReviewOutcome::Success),
            "failed" => Some(ReviewOutcome::Failed),
            _ => None,
        }
    }
}

/// The manager's words for a review reason code (the engine's `review_reason`).
pub fn reason_text(code: Option<&str>) -> Localized {
    let (fr, en) = match code {
        Some("no_lookup_no_resend") => (
            "Le fournisseur n'a pas répondu et ne permet ni de retrouver l'opération sans son identifiant, ni de la renvoyer sans risque de payer deux fois.",
            "The provider did not answer, and offers no way to look the operation up without its id, nor to resend it without risking a double payment.",
        ),
        Some("duplicate_without_lookup") => (
            "Le fournisseur a déjà cette opération (409) mais n'a pas donné son identifiant : vérifiez-la dans son espace.",
            "The provider already has this operation (409) but gave no id: check it in its back office.",
        ),
        Some("not_found_by_key") => (
            "Le fournisseur ne connaît pas cette opération, et la renvoyer n'est pas sûr.",
            "The provider has no record of this operation, and resending it is not safe.",
        ),
        Some("resolve_window_passed") | Some("unresolved_within_window") => (
            "Toujours sans résultat longtemps après la demande du client : elle n'est plus renvoyée.",
            "Still without a result long after the customer's request: it is no longer resent.",
        ),
        Some("unresolved") => (
            "Le fournisseur n'a pas donné de réponse exploitable après plusieurs essais.",
            "The provider gave no usable answer after several attempts.",
        ),
        Some("otp_not_kept") => (
            "Seul un renvoi pouvait la régler, et le code OTP du client n'est pas conservé après un redémarrage.",
            "Only a resend could settle it, and the customer's OTP is not kept across a restart.",
        ),
        Some("resend_refused") | Some("resend_impossible") => (
            "Le renvoi a été refusé ou impossible : cela ne prouve pas que le premier envoi a échoué.",
            "The resend was refused or impossible: that does not prove the first send failed.",
        ),
        Some("no_provider_ref") => (
            "Acceptée par le fournisseur sans identifiant de transaction : impossible de la suivre.",
            "Accepted by the provider without a transaction id: it cannot be followed up.",
        ),
        Some("pending_too_long") => (
            "En attente chez le fournisseur depuis trop longtemps.",
            "Pending at the provider for too long.",
        ),
        Some("conflicting_values") => (
            "Le fournisseur a donné des valeurs contradictoires (identifiant ou code).",
            "The provider gave contradictory values (id or token).",
        ),
        Some("no_stored_intent") | Some("unknown_provider") => (
            "La demande enregistrée est incomplète : impossible d'interroger le fournisseur.",
            "The recorded request is incomplete: the provider cannot be asked.",
        ),
        _ => (
            "Le résultat n'a pas pu être établi automatiquement.",
            "The outcome could not be established automatically.",
        ),
    };
    Localized::new(fr, en)
}

impl Desk {
    /// Every operation waiting for a manager's review, oldest first, with its evidence.
    pub async fn review_list(&self) -> Result<Vec<ReviewItem>, TillError> {
        self.require(Permission::Manager).await?;
        let ledger = self.till.ledger();
        let mut items = Vec::new();
        for operation in self.waiting_review().await? {
            let events = ledger.events(operation.id).await?;
            let reason_code = operation
                .details
                .get(detail_keys::REVIEW_REASON)
                .and_then(|v| v.as_str())
                .map(str::to_owned);
            items.push(ReviewItem {
                reason: reason_text(reason_code.as_deref()),
                reason_code,
                operation,
                events,
            });
        }
        Ok(items)
    }

    /// How many operations wait for a manager's review (the header's badge; any operator).
    pub async fn review_count(&self) -> Result<u32, TillError> {
        // The header reads it after every update: not the person's activity.
        self.require(Permission::Watching).await?;
        let count = self.waiting_review().await?.len();
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// The signed-in manager settles operation `id` (success or failure, as read in the
    /// provider's back office), with a note saying why and their PIN again.
    pub async fn settle_review(
        &self,
        id: Uuid,
        outcome: ReviewOutcome,
        note: &str,
        pin: &str,
    ) -> Result<Operation, TillError> {
        self.settle(None, id, outcome, note, pin).await
    }

    /// The console's settlement (`guichetctl review settle`): the manager is named, and their
    /// PIN checked, since the console's session is nobody's. Refused outside the console.
    pub async fn settle_review_as(
        &self,
        manager: &str,
        id: Uuid,
        outcome: ReviewOutcome,
        note: &str,
        pin: &str,
    ) -> Result<Operation, TillError> {
        self.settle(Some(manager), id, outcome, note, pin).await
    }

    async fn settle(
        &self,
        named: Option<&str>,
        id: Uuid,
        outcome: ReviewOutcome,
        note: &str,
        pin: &str,
    ) -> Result<Operation, TillError> {
        let session = self
            .require(Permission::Manager)
            .await?
            .ok_or(TillError::NotSignedIn)?;
        if named.is_some() && !self.access.state().console {
            return Err(crate::operators::OperatorError::Forbidden.into());
        }
        let note = check_note(note)?;
        // Only the ledger's owner writes a settlement (its engine holds the operation's lock).
        let _open = self.sending().await;
        let engine = self.engine()?;
        self.owns()?;
        // Settled meanwhile (the reconciler got a final answer): say so before asking the PIN.
        let waiting = self.stored_operation(id).await?;
        if waiting.status != OperationStatus::NeedsReview {
            return Err(EngineError::Ledger(LedgerError::IllegalTransition {
                id,
                from: waiting.status,
                to: outcome.status(),
            })
            .into());
        }
        // The PIN again: the screen may have been left open by a manager who walked away.
        let manager = self
            .confirm_manager(named.unwrap_or(session.name()), pin)
            .await?;
        let op = engine
            .settle_review(id, outcome.status(), manager.name(), note)
            .await?;
        Audit::new(self.till.ledger())
            .append_at(
                self.now(),
                manager.name(),
                AuditAction::ReviewSettled,
                json!({
                    "operation_id": id.to_string(),
                    "outcome": outcome.as_str(),
                    "note": note,
                    "amount_minor": op.amount_minor,
                    "currency": op.currency,
                    "provider": op.provider,
                }),
            )
            .await?;
        tracing::warn!(operation = %id, outcome = outcome.as_str(), "review settled by a manager");
        Ok(op)
    }

    /// The operations in `needs_review`, oldest first.
    async fn waiting_review(&self) -> Result<Vec<Operation>, TillError> {
        Ok(self
            .till
            .ledger()
            .list_non_final()
            .await?
            .into_iter()
            .filter(|op| op.status == OperationStatus::NeedsReview)
            .collect())
    }
}

/// The settlement's note: required, trimmed, at most [`REVIEW_NOTE_MAX_CHARS`].
fn check_note(note: &str) -> Result<&str, TillError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(invalid(
            "note",
            "La note est obligatoire : écrivez ce que vous avez vu chez le fournisseur (référence, date, montant).",
            "The note is required: write what you saw at the provider (reference, date, amount).",
        ));
    }
    if note.chars().count() > REVIEW_NOTE_MAX_CHARS {
        return Err(invalid(
            "note",
            format!("La note est trop longue : {REVIEW_NOTE_MAX_CHARS} caractères au plus."),
            format!("The note is too long: {REVIEW_NOTE_MAX_CHARS} characters at most."),
        ));
    }
    Ok(note)
}
