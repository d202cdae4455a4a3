//! Whether each provider answers, for the header and the operation screens: from the engine's
//! latest calls and the idle probe (`providers::PROBE_INTERVAL`), never from the machine's own
//! network state (a till can be online while every provider is down).

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use super::{Desk, Permission};
use crate::catalog::Provider;
use crate::providers::Providers;
use crate::text::Localized;
use crate::till::TillError;

/// One configured provider's reachability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProviderStatus {
    /// The provider.
    pub provider: Provider,
    /// Whether its latest call got an answer; `None` before any call or probe.
    pub reachable: Option<bool>,
    /// When that call was made.
    #[ts(type = "string | null")]
    pub checked_at: Option<DateTime<Utc>>,
    /// « DEXCHANGE injoignable », « DEXCHANGE joignable », or that it is being checked.
    pub message: Localized,
}

impl ProviderStatus {
    fn of(provider: Provider, providers: &Providers) -> ProviderStatus {
        let seen = providers.reachability().get(provider);
        let name = provider.display_name();
        let message = match seen.map(|s| s.reachable) {
            Some(true) => Localized::new(format!("{name} joignable"), format!("{name} reachable")),
            Some(false) => {
                Localized::new(format!("{name} injoignable"), format!("{name} unreachable"))
            }
            None => Localized::new(
                format!("{name} : vérification en cours"),
                format!("{name}: checking"),
            ),
        };
        ProviderStatus {
            provider,
            reachable: seen.map(|s| s.reachable),
            checked_at: seen.map(|s| s.at),
            message,
        }
    }
}

impl Desk {
    /// Each configured provider's reachability (operator); none when no provider is started.
    /// The UI polls it: it does not count as activity for the idle lock.
    pub async fn provider_status(&self) -> Result<Vec<ProviderStatus>, TillError> {
        self.require(Permission::Watching).await?;
        let providers = self.providers.read().unwrap_or_else(|p| p.into_inner());
        Ok(providers
            .as_ref()
            .map(|p| {
                p.configured()
                    .iter()
                    .map(|&provider| ProviderStatus::of(provider, p))
                    .collect()
            })
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use chrono::Duration as Span;

    use super::*;
    use crate::desk::{Clock, FirstRun};
    use crate::providers::{ProviderTarget, StartOptions};
    use crate::till::Till;

    #[tokio::test]
    async fn polling_the_status_is_not_activity_for_the_idle_lock() {
        let dir = tempfile::tempdir().unwrap();
        let t0 = Utc::now();
        let now = Arc::new(Mutex::new(t0));
        let read = now.clone();
        let clock: Clock = Arc::new(move || *read.lock().unwrap());
        let desk = Desk::new(Till::open(dir.path()).await.unwrap()).with_clock(clock);
        let options = StartOptions {
            reconcile: false,
            probe_every: None,
            ..StartOptions::default()
        };
        desk.start(ProviderTarget::Training, options).await.unwrap();
        desk.first_run(FirstRun {
            shop_name: "Boutique Awa".into(),
            shop_address: String::new(),
            receipt_header: String::new(),
            manager_name: "Awa".into(),
            pin: "2468".to_owned().into(),
        })
        .await
        .unwrap();
        let at = |t| {
            *now.lock().unwrap() = t;
            &desk
        };
        // Training lists the three providers, none called yet.
        let list = at(t0).provider_status().await.unwrap();
        assert_eq!(list.len(), 3);
        assert!(list.iter().all(|s| s.reachable.is_none()));
        // Polled at 4 min, the default 5-minute lock still ends the session at 5 min 1 s.
        at(t0 + Span::minutes(4)).provider_status().await.unwrap();
        let err = at(t0 + Span::seconds(301)).keep_alive().await.unwrap_err();
        assert_eq!(err.code(), "session_locked");
        let err = at(t0 + Span::seconds(302))
            .provider_status()
            .await
            .unwrap_err();
        assert_eq!(err.code(), "not_signed_in");
        desk.close().await;
    }
}
