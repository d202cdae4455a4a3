//! Provider keys in Réglages: entered once, kept in the OS keyring, shown masked, checked
//! against the provider's balance call. The trail records which key changed, never its value.

use std::time::Duration;

use secrecy::SecretString;
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

use super::{blocking, Desk, Permission};
use crate::audit::{Audit, AuditAction};
use crate::catalog::Provider;
use crate::connector::Balance;
use crate::secrets::{self, KNOWN_KEYS};
use crate::settings::hosts;
use crate::setup::{self, ProviderCredentials};
use crate::till::TillError;

/// A "check connection" gives up after this long.
const CHECK_TIMEOUT: Duration = Duration::from_secs(15);

/// One provider key as Réglages shows it: whether it is stored, and its last characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProviderKey {
    /// `dexchange`, `easytransfert`, `unipesa`.
    pub provider: String,
    /// `api_key`, `public_id`, `merchant_id`, `secret`.
    pub field: String,
    /// True when the keyring holds it.
    pub present: bool,
    /// `••••` and the last four characters (when long enough); never the value.
    pub masked: Option<String>,
}

/// What "check connection" found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConnectionCheck {
    /// The provider checked.
    pub provider: Provider,
    /// The merchant's balance, when the provider has a balance call (not the gateway).
    pub balance: Option<Balance>,
}

impl Desk {
    /// Every provider key's status, masked (manager).
    pub async fn provider_keys(&self) -> Result<Vec<ProviderKey>, TillError> {
        self.require(Permission::Manager).await?;
        self.read_keys().await
    }

    async fn read_keys(&self) -> Result<Vec<ProviderKey>, TillError> {
        let store = self.access.secrets().await?;
        blocking(move || {
            KNOWN_KEYS
                .iter()
                .map(|&(provider, field)| {
                    let value = store.get(provider, field)?;
                    Ok(ProviderKey {
                        provider: provider.into(),
                        field: field.into(),
                        present: value.is_some(),
                        masked: value.as_ref().map(secrets::masked),
                    })
                })
                .collect()
        })
        .await
    }

    /// Stores (or replaces) one provider key in the keyring (manager, PIN again).
    pub async fn set_provider_key(
        &self,
        provider: &str,
        field: &str,
        value: SecretString,
    ) -> Result<Vec<ProviderKey>, TillError> {
        let session = self.require(Permission::Manager).await?;
        self.require_fresh_pin(&session)?;
        let store = self.access.secrets().await?;
        let (p, f) = (provider.to_owned(), field.to_owned());
        let backend = store.backend();
        blocking(move || store.set(&p, &f, value)).await?;
        self.record(&session, AuditAction::KeyChanged, provider, field, backend)
            .await?;
        self.reload_live_keys().await?;
        self.read_keys().await
    }

    /// Removes one provider key from the keyring (manager, PIN again).
    pub async fn delete_provider_key(
        &self,
        provider: &str,
        field: &str,
    ) -> Result<Vec<ProviderKey>, TillError> {
        let session = self.require(Permission::Manager).await?;
        self.require_fresh_pin(&session)?;
        let store = self.access.secrets().await?;
        let (p, f) = (provider.to_owned(), field.to_owned());
        let backend = store.backend();
        if blocking(move || store.delete(&p, &f)).await? {
            self.record(&session, AuditAction::KeyDeleted, provider, field, backend)
                .await?;
            self.reload_live_keys().await?;
        }
        self.read_keys().await
    }

    async fn record(
        &self,
        session: &Option<crate::operators::Session>,
        action: AuditAction,
        provider: &str,
        field: &str,
        backend: secrets::Backend,
    ) -> Result<(), TillError> {
        let actor = session.as_ref().map_or("", |s| s.name());
        Audit::new(self.till.ledger())
            .append_at(
                self.now(),
                actor,
                action,
                json!({"provider": provider, "field": field,
                       "backend": backend.as_str()}),
            )
            .await?;
        Ok(())
    }

    /// The live keys stored in the keyring.
    pub(crate) async fn live_credentials(&self) -> Result<ProviderCredentials, TillError> {
        let store = self.access.secrets().await?;
        blocking(move || ProviderCredentials::from_store(&store)).await
    }

    /// Calls `provider` with the stored keys at the configured URL: its balance where it has one,
    /// a signed status call otherwise (manager). Moves no money. Refused, before any key is read,
    /// when the provider's address is on a host neither documented nor confirmed by a manager.
    pub async fn check_connection(&self, provider: Provider) -> Result<ConnectionCheck, TillError> {
        self.require(Permission::Manager).await?;
        let ledger = self.till.ledger();
        let urls = crate::settings::provider_urls(ledger).await?;
        let confirmed = crate::settings::confirmed_hosts(ledger).await?;
        if let Some((field, host)) = hosts::unconfirmed(&urls, &confirmed)
            .into_iter()
            .find(|(field, _)| hosts::provider_of(field) == provider)
        {
            tracing::warn!(provider = provider.slug(), %host, "check refused: host not confirmed");
            return Err(TillError::HostUnconfirmed { field, host });
        }
        let creds = self.live_credentials().await?;
        let connectors = setup::build_connectors(&urls, creds, CHECK_TIMEOUT);
        let connector = connectors
            .get(&provider)
            .ok_or(TillError::KeysMissing { provider })?;
        let result = connector.check_connection().await;
        let balance = result.map_err(|e| TillError::Engine(e.into()))?;
        tracing::info!(provider = provider.slug(), "connection checked");
        Ok(ConnectionCheck { provider, balance })
    }
}
