//! Wiring an engine to its providers: the embedded sandbox (training), a sandbox already running
//! somewhere (`guichetctl --sandbox URL`), or the live providers.

use std::sync::Arc;
use std::time::Duration;

#[cfg(feature = "sandbox")]
use guichet_sandbox::{BaseUrls, RunningSandbox, Sandbox};

use crate::connector::dexchange::{DexchangeConnector, DexchangeCredentials};
use crate::connector::easytransfert::{EasytransfertConnector, EasytransfertCredentials};
use crate::connector::reachability::Reachability;
use crate::connector::unipesa::{UnipesaConnector, UnipesaCredentials};
use crate::connector::{Connector, Endpoint};
use crate::engine::{connectors, Connectors};
use crate::secrets::{SecretStore, SecretsError};
use secrecy::ExposeSecret;

/// The seed of the embedded training sandbox: fixed, so the training material's references
/// (bills, meters) stay valid from one start to the next.
pub const TRAINING_SEED: u64 = 42;

/// How long a provider call may take before it counts as unanswered (ambiguous once sent).
pub const PROVIDER_TIMEOUT: Duration = Duration::from_secs(30);

/// Where each provider's API lives.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ProviderUrls {
    /// DEXCHANGE base (`…/api/v1`).
    pub dexchange: String,
    /// EASYTRANSFERT base (`…/api_v1/transaction`).
    pub easytransfert: String,
    /// EASYTRANSFERT wallet endpoint (full URL).
    pub easytransfert_wallet: String,
    /// Gateway base (`…` before `/{public_id}/{method}`).
    pub unipesa: String,
}

impl ProviderUrls {
    /// The production URLs of providers.md.
    pub fn live() -> Self {
        Self {
            dexchange: "https://api-m.dexchange.sn/api/v1".into(),
            // Plain http: the vendor documents no other environment (providers.md).
            easytransfert: "http://proxy-airtime.easytransfert.app/api_v1/transaction".into(),
            // [gap] The wallet endpoint's host is not stated; the airtime host is assumed.
            easytransfert_wallet:
                "http://proxy-airtime.easytransfert.app/api_v1/admin/partner/wallet/single".into(),
            unipesa: "https://api.unipesa.tech".into(),
        }
    }

    /// Every provider under a sandbox root such as `http://127.0.0.1:PORT`.
    #[cfg(feature = "sandbox")]
    pub fn sandbox(root: &str) -> Self {
        Self::from(BaseUrls::for_root(root))
    }
}

#[cfg(feature = "sandbox")]
impl From<BaseUrls> for ProviderUrls {
    fn from(b: BaseUrls) -> Self {
        Self {
            dexchange: b.dexchange,
            easytransfert: b.easytransfert,
            easytransfert_wallet: b.easytransfert_wallet,
            unipesa: b.unipesa,
        }
    }
}

/// The credentials of each provider the till has keys for.
#[derive(Debug, Default)]
pub struct ProviderCredentials {
    /// DEXCHANGE API key.
    pub dexchange: Option<DexchangeCredentials>,
    /// EASYTRANSFERT api_key.
    pub easytransfert: Option<EasytransfertCredentials>,
    /// Gateway public id, merchant id and secret.
    pub unipesa: Option<UnipesaCredentials>,
}

impl ProviderCredentials {
    /// The live keys stored in the keyring; a provider with a missing field gets none.
    pub fn from_store(store: &SecretStore) -> Result<Self, SecretsError> {
        let get = |p: &str, f: &str| store.get(p, f);
        let dexchange = get("dexchange", "api_key")?
            .map(|k| DexchangeCredentials::new(k.expose_secret().to_owned()));
        let easytransfert = get("easytransfert", "api_key")?
            .map(|k| EasytransfertCredentials::new(k.expose_secret().to_owned()));
        let unipesa = match (
            get("unipesa", "public_id")?,
            get("unipesa", "merchant_id")?,
            get("unipesa", "secret")?,
        ) {
            (Some(p), Some(m), Some(s)) => Some(UnipesaCredentials::new(
                p.expose_secret().to_owned(),
                m.expose_secret().to_owned(),
                s.expose_secret().to_owned(),
            )),
            _ => None,
        };
        Ok(Self {
            dexchange,
            easytransfert,
            unipesa,
        })
    }

    /// True when no provider has keys.
    pub fn is_empty(&self) -> bool {
        self.dexchange.is_none() && self.easytransfert.is_none() && self.unipesa.is_none()
    }

    /// The sandbox's default credentials (printed by `guichet-sandbox` at start; not secrets).
    #[cfg(feature = "sandbox")]
    pub fn sandbox_defaults() -> Self {
        let c = guichet_sandbox::Credentials::default();
        Self {
            dexchange: Some(DexchangeCredentials::new(c.dexchange_key)),
            easytransfert: Some(EasytransfertCredentials::new(c.easytransfert_key)),
            unipesa: Some(UnipesaCredentials::new(
                c.unipesa_public_id,
                c.unipesa_merchant_id,
                c.unipesa_secret,
            )),
        }
    }
}

/// One connector per provider that has credentials.
pub fn build_connectors(
    urls: &ProviderUrls,
    credentials: ProviderCredentials,
    timeout: Duration,
) -> Connectors {
    build_connectors_reporting(urls, credentials, timeout, &Reachability::new())
}

/// One connector per provider that has credentials, each reporting its calls' outcomes to
/// `reach` (the header's reachability).
pub fn build_connectors_reporting(
    urls: &ProviderUrls,
    credentials: ProviderCredentials,
    timeout: Duration,
    reach: &Reachability,
) -> Connectors {
    let endpoint = |base_url: &str| Endpoint {
        base_url: base_url.to_owned(),
        timeout,
    };
    let mut list: Vec<Arc<dyn Connector>> = Vec::new();
    if let Some(c) = credentials.dexchange {
        list.push(Arc::new(
            DexchangeConnector::new(endpoint(&urls.dexchange), c).reporting_to(reach.clone()),
        ));
    }
    if let Some(c) = credentials.easytransfert {
        list.push(Arc::new(
            EasytransfertConnector::new(endpoint(&urls.easytransfert), c)
                .with_wallet_url(urls.easytransfert_wallet.clone())
                .reporting_to(reach.clone()),
        ));
    }
    if let Some(c) = credentials.unipesa {
        list.push(Arc::new(
            UnipesaConnector::new(endpoint(&urls.unipesa), c).reporting_to(reach.clone()),
        ));
    }
    connectors(list)
}

/// Starts the training sandbox on an ephemeral loopback port.
#[cfg(feature = "sandbox")]
pub async fn start_training_sandbox() -> std::io::Result<RunningSandbox> {
    let sandbox = Sandbox::builder()
        .seed(TRAINING_SEED)
        .start("127.0.0.1:0")
        .await?;
    tracing::info!(url = %sandbox.url(), "training sandbox started");
    Ok(sandbox)
}

#[cfg(all(test, feature = "sandbox"))]
mod tests {
    use super::*;
    use crate::catalog::Provider;

    #[test]
    fn sandbox_urls_follow_the_sandbox_layout() {
        let urls = ProviderUrls::sandbox("http://127.0.0.1:4000/");
        assert_eq!(urls.dexchange, "http://127.0.0.1:4000/dexchange/api/v1");
        assert_eq!(urls.unipesa, "http://127.0.0.1:4000/unipesa");
        assert!(urls.easytransfert_wallet.ends_with("/wallet/single"));
    }

    #[test]
    fn only_providers_with_credentials_get_a_connector() {
        let urls = ProviderUrls::live();
        let all = build_connectors(
            &urls,
            ProviderCredentials::sandbox_defaults(),
            PROVIDER_TIMEOUT,
        );
        assert_eq!(all.len(), 3);
        let none = build_connectors(&urls, ProviderCredentials::default(), PROVIDER_TIMEOUT);
        assert!(none.is_empty());
        assert!(all.contains_key(&Provider::Unipesa));
    }

    #[tokio::test]
    async fn training_sandbox_answers_on_loopback() {
        let sandbox = start_training_sandbox().await.unwrap();
        assert!(sandbox.addr().ip().is_loopback());
        sandbox.shutdown().await;
    }
}
