//! The services each provider's account offers, at the desk: the manager reads and refreshes
//! the lists (Réglages › Services); cashiers are never offered a service a list left out
//! (`crate::account_services` says when a list counts).

use std::collections::BTreeSet;

use super::{Desk, Permission};
use crate::account_services::{AccountLists, AccountServices};
use crate::engine::Connectors;
use crate::till::TillError;

impl Desk {
    /// The lists as last read (manager): which catalog services each account does not offer,
    /// and when each list was read. Empty in training, or when no provider is started.
    pub async fn account_services(&self) -> Result<AccountServices, TillError> {
        self.require(Permission::Manager).await?;
        Ok(self.lists().report(self.till.catalog()))
    }

    /// Reads every provider's list again now (manager's "refresh"), then returns them. A
    /// provider that does not answer is reported so, and hides nothing.
    pub async fn refresh_account_services(&self) -> Result<AccountServices, TillError> {
        self.require(Permission::Manager).await?;
        let (lists, connectors) = self.lists_and_connectors();
        lists.read(&connectors).await;
        Ok(lists.report(self.till.catalog()))
    }

    /// The codes of the catalog services an account does not offer (never offered to cashiers).
    pub(super) fn lacking(&self) -> BTreeSet<String> {
        self.lists().hidden(self.till.catalog())
    }

    /// The lists of the providers in force (none started: nothing read, nothing hidden).
    fn lists(&self) -> AccountLists {
        self.lists_and_connectors().0
    }

    fn lists_and_connectors(&self) -> (AccountLists, Connectors) {
        self.providers
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|p| (p.account_lists().clone(), p.connectors().clone()))
            .unwrap_or_default()
    }
}
