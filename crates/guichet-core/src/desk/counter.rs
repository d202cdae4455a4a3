//! The counter: what a signed-in operator (cashier or manager) does all day.

use serde_json::json;
use uuid::Uuid;

use super::{Desk, OperationDetail, Permission, PrintOutcome};
use crate::audit::{Audit, AuditAction};
use crate::catalog::Service;
use crate::connector::Bill;
use crate::engine::SubmitRequest;
use crate::ledger::{HistoryQuery, Operation, OperationStatus};
use crate::receipt::{CopyKind, PaperWidth, Receipt};
use crate::settings;
use crate::till::TillError;

impl Desk {
    /// The services offered: enabled in the catalog, not switched off by the manager, and (live)
    /// not left out of the provider's services list.
    pub async fn services(&self) -> Result<Vec<Service>, TillError> {
        self.require(Permission::Operator).await?;
        let off = settings::disabled_services(self.till.ledger()).await?;
        let lacking = self.lacking();
        Ok(self
            .till
            .catalog()
            .services()
            .iter()
            .filter(|s| s.enabled && !off.contains(&s.code) && !lacking.contains(&s.code))
            .cloned()
            .collect())
    }

    /// Every service of the catalog, offered or not (manager, for Réglages).
    pub async fn all_services(&self) -> Result<Vec<Service>, TillError> {
        self.require(Permission::Manager).await?;
        Ok(self.till.catalog().services().to_vec())
    }

    /// Refuses a service the manager switched off, or one the provider's account does not
    /// offer (its services list left it out), before anything is recorded.
    async fn check_offered(&self, code: &str) -> Result<(), TillError> {
        let service = self.till.catalog().get(code);
        let name = || service.map_or_else(|| code.to_owned(), |s| s.name.fr.clone());
        if settings::disabled_services(self.till.ledger())
            .await?
            .iter()
            .any(|c| c == code)
        {
            return Err(TillError::ServiceDisabled { name: name() });
        }
        if self.lacking().contains(code) {
            let provider = service.map_or("", |s| s.provider.display_name());
            tracing::info!(
                service = code,
                "desk: refused, not on the account's services list"
            );
            return Err(TillError::ServiceNotOnAccount {
                name: name(),
                provider: provider.to_owned(),
            });
        }
        Ok(())
    }

    /// A customer's unpaid bills, or a Woyofal meter's details.
    pub async fn bill_inquiry(
        &self,
        service_code: &str,
        reference: &str,
    ) -> Result<Vec<Bill>, TillError> {
        self.require(Permission::Operator).await?;
        self.check_offered(service_code).await?;
        let _open = self.sending().await;
        Ok(self.engine()?.bill_inquiry(service_code, reference).await?)
    }

    /// Records and sends one operation under the signed-in operator's name.
    pub async fn submit(&self, request: SubmitRequest) -> Result<Operation, TillError> {
        let operator = self.actor(Permission::Operator).await?;
        self.check_offered(&request.request.service_code).await?;
        self.check_shift().await?;
        // The engine in force for the whole send: a providers switch waits for it.
        let _open = self.sending().await;
        let engine = self.engine()?;
        self.owns()?;
        Ok(engine.submit(request, &operator).await?)
    }

    /// Sends the OTP the customer read out.
    pub async fn confirm_otp(&self, id: Uuid, otp: &str) -> Result<Operation, TillError> {
        let operator = self.actor(Permission::Operator).await?;
        let _open = self.sending().await;
        let engine = self.engine()?;
        self.owns()?;
        Ok(engine.confirm_otp(id, otp, &operator).await?)
    }

    /// One operation with its timeline.
    pub async fn operation(&self, id: Uuid) -> Result<OperationDetail, TillError> {
        // The outcome screen polls it: not the person's activity.
        self.require(Permission::Watching).await?;
        let ledger = self.till.ledger();
        Ok(OperationDetail {
            operation: self.stored_operation(id).await?,
            events: ledger.events(id).await?,
        })
    }

    /// Waits until operation `id` is settled (final, or waiting for a manager) or `timeout`
    /// passes, and returns it as it then is (the reconciler moves it meanwhile).
    pub async fn wait_settled(
        &self,
        id: Uuid,
        timeout: std::time::Duration,
    ) -> Result<Operation, TillError> {
        self.require(Permission::Operator).await?;
        Ok(self.engine()?.wait_settled(id, timeout).await?)
    }

    /// Operations of the last day whose outcome is not settled yet (sent, pending, unknown…),
    /// newest first: the home screen lists them, so a reload or a restart leads back to the same
    /// operations and never to a new Send. (`needs_review` is the manager's queue, not here.)
    pub async fn in_progress(&self) -> Result<Vec<Operation>, TillError> {
        self.require(Permission::Watching).await?;
        let since = self.now() - chrono::Duration::hours(24);
        let mut ops: Vec<Operation> = self
            .till
            .ledger()
            .list_non_final()
            .await?
            .into_iter()
            .filter(|op| op.status != OperationStatus::NeedsReview && op.created_at >= since)
            .collect();
        ops.sort_by_key(|op| std::cmp::Reverse(op.created_at));
        Ok(ops)
    }

    /// History search, newest first.
    pub async fn history(&self, query: &HistoryQuery) -> Result<Vec<Operation>, TillError> {
        self.require(Permission::Operator).await?;
        Ok(self.till.ledger().search(query).await?)
    }

    /// A receipt as the next print would be.
    pub async fn receipt(
        &self,
        id: Uuid,
        width: PaperWidth,
        copy: CopyKind,
    ) -> Result<Receipt, TillError> {
        self.require(Permission::Operator).await?;
        self.render_receipt(id, width, copy).await
    }

    /// Prints a receipt; a reprint (DUPLICATA) goes to the audit trail with who asked.
    pub async fn print_receipt(&self, id: Uuid, copy: CopyKind) -> Result<PrintOutcome, TillError> {
        let session = self.require(Permission::Operator).await?;
        let outcome = self.print(id, copy).await?;
        if outcome.duplicate > 0 {
            let actor = session.as_ref().map_or("", |s| s.name());
            Audit::new(self.till.ledger())
                .append_at(
                    self.now(),
                    actor,
                    AuditAction::Reprint,
                    json!({"operation_id": id.to_string(), "duplicate": outcome.duplicate}),
                )
                .await?;
        }
        Ok(outcome)
    }

    /// A QR code as SVG markup (payment links, Wave cash-out URLs).
    pub async fn qr_svg(&self, text: &str) -> Result<String, TillError> {
        // Drawn for a screen (the customer display too): not a person's activity at the till.
        self.require(Permission::Watching).await?;
        Ok(crate::qr::svg(text)?)
    }

    /// `Ok` when a signed-in operator may open the customer display.
    pub async fn customer_display(&self) -> Result<(), TillError> {
        self.require(Permission::Operator).await?;
        Ok(())
    }
}
