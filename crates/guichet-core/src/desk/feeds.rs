//! Live feeds of operation changes, one per window: the till's window follows whole operations,
//! the customer display only a [`CustomerView`] of each (what the screen facing the customer
//! shows). The shell sends each feed over its own window's channel, so nothing the cashier sees
//! reaches the customer's window.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::broadcast::{self, error::RecvError};
use ts_rs::TS;
use uuid::Uuid;

use super::{Desk, Permission};
use crate::engine::{detail_keys, OperationUpdate};
use crate::ledger::{Operation, OperationStatus};
use crate::till::TillError;

/// What the customer display shows of one operation, and nothing more: no provider reference,
/// key, operator, service code or other details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CustomerView {
    /// The operation (the display keeps the newest state of each).
    #[ts(type = "string")]
    pub id: Uuid,
    /// Kind of operation (catalog name), for the screen's title.
    pub kind: String,
    /// Current status.
    pub status: OperationStatus,
    /// Amount in minor units.
    #[ts(type = "number")]
    pub amount_minor: i64,
    /// Fee in minor units, once known.
    #[ts(type = "number | null")]
    pub fee_minor: Option<i64>,
    /// ISO 4217 currency.
    pub currency: String,
    /// The number the customer gave (phone as written, meter, bill); empty for a payment link.
    pub customer_ref: String,
    /// The Woyofal token or voucher the customer copies, once known.
    pub token: Option<String>,
    /// True in training mode (the display says so).
    pub training: bool,
    /// When the operation last changed (newest state wins).
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
    /// The URL the customer scans (payment link, Wave), while it is open.
    pub customer_url: Option<String>,
    /// A payment link's item.
    pub item_name: Option<String>,
    /// True when a failed operation's money went back (the display says "refunded").
    pub refunded: bool,
}

impl CustomerView {
    /// The customer's view of `op`.
    pub fn of(op: &Operation) -> Self {
        let text = |key: &str| {
            op.details
                .get(key)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        Self {
            id: op.id,
            kind: op.kind.clone(),
            status: op.status,
            amount_minor: op.amount_minor,
            fee_minor: op.fee_minor,
            currency: op.currency.clone(),
            customer_ref: if op.kind == "payment_link" {
                String::new()
            } else {
                // The phone as people write it ("77 123 45 67"), not its E.164 form.
                text(detail_keys::PHONE_DISPLAY).unwrap_or_else(|| op.customer_ref.clone())
            },
            token: op.token.clone(),
            training: op.training,
            updated_at: op.updated_at,
            customer_url: text(detail_keys::CUSTOMER_URL),
            item_name: text(detail_keys::ITEM_NAME),
            refunded: op.details.contains_key(detail_keys::REFUND),
        }
    }
}

/// Every change of every operation, whole: the till's window.
pub struct OperationFeed(broadcast::Receiver<OperationUpdate>);

impl OperationFeed {
    /// The next change; `None` once the desk is gone. A lagging reader skips what it missed
    /// (the screens re-read an operation they follow).
    pub async fn next(&mut self) -> Option<Operation> {
        next_update(&mut self.0)
            .await
            .map(|update| update.operation)
    }
}

/// The customer display's feed: the operation under way when it opened, then each change.
pub struct CustomerFeed {
    /// The operation under way when the feed began, if any.
    pub current: Option<CustomerView>,
    updates: broadcast::Receiver<OperationUpdate>,
}

impl CustomerFeed {
    /// The next change, cut to what the customer sees; `None` once the desk is gone.
    pub async fn next(&mut self) -> Option<CustomerView> {
        next_update(&mut self.updates)
            .await
            .map(|update| CustomerView::of(&update.operation))
    }
}

async fn next_update(
    updates: &mut broadcast::Receiver<OperationUpdate>,
) -> Option<OperationUpdate> {
    loop {
        match updates.recv().await {
            Ok(update) => return Some(update),
            Err(RecvError::Lagged(skipped)) => tracing::warn!(skipped, "operation feed lagged"),
            Err(RecvError::Closed) => return None,
        }
    }
}

impl Desk {
    /// Every change of every operation, for the till's own window: signed in or not (a lock
    /// screen must not miss an outcome under way).
    pub async fn operation_feed(&self) -> Result<OperationFeed, TillError> {
        self.require(Permission::Anyone).await?;
        Ok(OperationFeed(self.subscribe()))
    }

    /// The customer display's feed: the newest operation under way (not yet settled, of the
    /// last day) and every later change, each as a [`CustomerView`].
    pub async fn customer_feed(&self) -> Result<CustomerFeed, TillError> {
        self.require(Permission::Watching).await?;
        // Subscribed before reading, so a change between the two is not lost.
        let updates = self.subscribe();
        let current = self.in_progress().await?.first().map(CustomerView::of);
        Ok(CustomerFeed { current, updates })
    }
}
