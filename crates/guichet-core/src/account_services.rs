//! What each provider's merchant account offers, read from the provider's own services list.
//!
//! DEXCHANGE documents `GET /api-services/services` and says that "services may vary depending on
//! your account" (seed 000). EASYTRANSFERT and the gateway document no such list [gap]: for them
//! the catalog is the list. In live mode the lists are read when the providers start (in the
//! background: a start never waits for a provider) and again when the manager asks; the latest
//! reading of each provider is kept in memory with its time (a restart reads again).
//!
//! A catalog service that a provider's latest list does not name is hidden from cashiers and
//! refused at the desk. A provider that could not be read (unreachable, keys refused, an
//! unreadable answer) or is still being read hides nothing: the till never takes a service away
//! on a guess. The DEXCHANGE payment link has no serviceCode (the API has none [gap]), so no list
//! can name it and it is never hidden on that basis.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::catalog::{Catalog, Kind, Provider, Service};
use crate::connector::ConnectorError;
use crate::engine::Connectors;
use crate::phone::Country;
use crate::text::Localized;

/// Where the reading of one provider's services list stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ListState {
    /// Being read (at start, before the first answer).
    Reading,
    /// Read: the catalog services it does not name are hidden.
    Listed,
    /// The provider did not answer (or was unavailable): nothing is hidden.
    Unreachable,
    /// The provider answered, but not with a list (keys refused, unreadable answer): nothing is
    /// hidden.
    Failed,
    /// The provider documents no services list: the catalog is the list.
    NotDocumented,
}

/// A catalog service the account does not offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MissingService {
    /// Our code (`WAVE_SN_CASHOUT`).
    pub code: String,
    /// The name the cashier would have seen.
    pub name: Localized,
    /// The customer's country.
    pub country: Country,
}

/// One provider's services list as the manager sees it in Réglages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProviderServices {
    /// The provider.
    pub provider: Provider,
    /// Where its reading stands.
    pub state: ListState,
    /// When the latest reading ended; `None` while the first one runs, or when there is no list.
    #[ts(type = "string | null")]
    pub read_at: Option<DateTime<Utc>>,
    /// The catalog services its list does not name (hidden from cashiers); empty unless
    /// `state` is `listed`.
    pub missing: Vec<MissingService>,
    /// What the manager reads about it.
    pub message: Localized,
}

/// Every configured provider's services list (Réglages › Services).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AccountServices {
    /// Whether the lists are read at all: only in live mode (the training sandbox offers every
    /// service of the catalog).
    pub live: bool,
    /// One entry per provider with keys, in [`Provider::ALL`] order.
    pub providers: Vec<ProviderServices>,
}

/// The latest outcome of reading one provider's list.
#[derive(Debug, Clone)]
enum Outcome {
    Reading,
    Listed(BTreeSet<String>),
    Unreachable,
    Failed(Localized),
    NotDocumented,
}

#[derive(Debug, Clone)]
struct Reading {
    outcome: Outcome,
    at: Option<DateTime<Utc>>,
}

/// The services lists of one set of providers, shared by their start task and the desk.
#[derive(Debug, Clone, Default)]
pub struct AccountLists {
    live: bool,
    readings: Arc<Mutex<BTreeMap<Provider, Reading>>>,
}

impl AccountLists {
    /// No list (training): nothing is read, nothing hidden.
    pub fn training() -> AccountLists {
        AccountLists::default()
    }

    /// Live: every configured provider's list is to be read (`Reading` until it is).
    pub fn live(configured: &[Provider]) -> AccountLists {
        let readings = configured
            .iter()
            .map(|&p| {
                let reading = Reading {
                    outcome: Outcome::Reading,
                    at: None,
                };
                (p, reading)
            })
            .collect();
        AccountLists {
            live: true,
            readings: Arc::new(Mutex::new(readings)),
        }
    }

    /// Whether the lists are read (live mode).
    pub fn is_live(&self) -> bool {
        self.live
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<Provider, Reading>> {
        self.readings.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads every configured provider's list now, all at once, and keeps each outcome with
    /// its time. Does nothing in training. Never fails: a provider that does not answer is
    /// recorded as such.
    pub async fn read(&self, connectors: &Connectors) {
        if !self.live {
            return;
        }
        let providers: Vec<Provider> = self.lock().keys().copied().collect();
        let mut reads = tokio::task::JoinSet::new();
        for provider in providers {
            let Some(connector) = connectors.get(&provider).cloned() else {
                continue;
            };
            reads.spawn(async move { (provider, connector.account_services().await) });
        }
        while let Some(done) = reads.join_next().await {
            let Ok((provider, result)) = done else {
                continue;
            };
            let outcome = outcome_of(provider, result);
            // No list, no time of reading to show.
            let at = (!matches!(outcome, Outcome::NotDocumented)).then(Utc::now);
            self.lock().insert(provider, Reading { outcome, at });
        }
    }

    /// The codes of the catalog services that a provider's latest list does not name.
    pub fn hidden(&self, catalog: &Catalog) -> BTreeSet<String> {
        self.missing(catalog)
            .into_values()
            .flatten()
            .map(|s| s.code.clone())
            .collect()
    }

    /// Per listed provider, the catalog services its list does not name.
    fn missing<'c>(&self, catalog: &'c Catalog) -> BTreeMap<Provider, Vec<&'c Service>> {
        let readings = self.lock();
        readings
            .iter()
            .filter_map(|(provider, reading)| match &reading.outcome {
                Outcome::Listed(codes) => Some((
                    *provider,
                    catalog
                        .by_provider(*provider)
                        .filter(|s| on_the_list(s) && !codes.contains(&s.native_id))
                        .collect(),
                )),
                _ => None,
            })
            .collect()
    }

    /// What Réglages shows: each provider's state, time and missing services.
    pub fn report(&self, catalog: &Catalog) -> AccountServices {
        let mut missing = self.missing(catalog);
        let readings = self.lock().clone();
        let providers = readings
            .into_iter()
            .map(|(provider, reading)| {
                let missing: Vec<MissingService> = missing
                    .remove(&provider)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| MissingService {
                        code: s.code.clone(),
                        name: s.name.clone(),
                        country: s.country,
                    })
                    .collect();
                let (state, message) = describe(provider, &reading.outcome, missing.len());
                ProviderServices {
                    provider,
                    state,
                    read_at: reading.at,
                    missing,
                    message,
                }
            })
            .collect();
        AccountServices {
            live: self.live,
            providers,
        }
    }
}

/// Whether a provider's services list can name this service: the DEXCHANGE payment link has no
/// serviceCode [gap], so no list names it.
fn on_the_list(service: &Service) -> bool {
    !(service.provider == Provider::Dexchange
        && service.offers.iter().all(|o| o.kind == Kind::PaymentLink))
}

/// A connector's answer → what is kept.
fn outcome_of(provider: Provider, result: Result<Option<Vec<String>>, ConnectorError>) -> Outcome {
    match result {
        Ok(Some(codes)) => {
            tracing::info!(
                provider = provider.slug(),
                services = codes.len(),
                "services list read"
            );
            Outcome::Listed(codes.into_iter().collect())
        }
        Ok(None) => Outcome::NotDocumented,
        Err(
            e @ (ConnectorError::NotSent { .. }
            | ConnectorError::Ambiguous { .. }
            | ConnectorError::Unavailable { .. }),
        ) => {
            tracing::warn!(provider = provider.slug(), error = %e, "services list: no answer");
            Outcome::Unreachable
        }
        Err(e) => {
            tracing::warn!(provider = provider.slug(), error = %e, "services list refused");
            Outcome::Failed(e.message())
        }
    }
}

/// The state and the manager's sentence for one reading.
fn describe(provider: Provider, outcome: &Outcome, missing: usize) -> (ListState, Localized) {
    let name = provider.display_name();
    match outcome {
        Outcome::Reading => (
            ListState::Reading,
            Localized::new(
                format!("{name} : lecture de la liste des services en cours."),
                format!("{name}: reading the services list."),
            ),
        ),
        Outcome::Listed(_) if missing == 0 => (
            ListState::Listed,
            Localized::new(
                format!("{name} : le compte propose tous les services du catalogue."),
                format!("{name}: the account offers every service of the catalog."),
            ),
        ),
        Outcome::Listed(_) => (
            ListState::Listed,
            Localized::new(
                format!("{name} : {missing} service(s) du catalogue ne sont pas ouverts sur le compte ; ils ne sont pas proposés aux caissiers."),
                format!("{name}: {missing} catalog service(s) are not open on the account; cashiers are not offered them."),
            ),
        ),
        Outcome::Unreachable => (
            ListState::Unreachable,
            Localized::new(
                format!("{name} injoignable : liste des services non lue, aucun service n'est masqué."),
                format!("{name} unreachable: services list not read, no service is hidden."),
            ),
        ),
        Outcome::Failed(why) => (
            ListState::Failed,
            Localized::new(
                format!("{name} : liste des services illisible, aucun service n'est masqué. {}", why.fr),
                format!("{name}: services list unreadable, no service is hidden. {}", why.en),
            ),
        ),
        Outcome::NotDocumented => (
            ListState::NotDocumented,
            Localized::new(
                format!("{name} ne publie pas de liste des services : le catalogue fait foi."),
                format!("{name} publishes no services list: the catalog applies."),
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists_with(provider: Provider, outcome: Outcome) -> AccountLists {
        let lists = AccountLists::live(&[provider]);
        lists.lock().insert(
            provider,
            Reading {
                outcome,
                at: Some(Utc::now()),
            },
        );
        lists
    }

    #[test]
    fn a_listed_provider_hides_what_it_does_not_name_but_never_the_payment_link() {
        let catalog = Catalog::embedded();
        let named: BTreeSet<String> = catalog
            .by_provider(Provider::Dexchange)
            .map(|s| s.native_id.clone())
            .filter(|c| c != "WAVE_SN_CASHOUT" && c != "DEXCHANGE_PAYMENT_LINK")
            .collect();
        let lists = lists_with(Provider::Dexchange, Outcome::Listed(named));
        let hidden = lists.hidden(&catalog);
        assert_eq!(
            hidden.into_iter().collect::<Vec<_>>(),
            vec!["WAVE_SN_CASHOUT".to_owned()]
        );
        let report = lists.report(&catalog);
        assert!(report.live);
        assert_eq!(report.providers[0].state, ListState::Listed);
        assert_eq!(report.providers[0].missing[0].code, "WAVE_SN_CASHOUT");
    }

    #[test]
    fn an_unreachable_or_unread_provider_hides_nothing() {
        let catalog = Catalog::embedded();
        for outcome in [
            Outcome::Reading,
            Outcome::Unreachable,
            Outcome::Failed(Localized::new("x", "x")),
        ] {
            let lists = lists_with(Provider::Dexchange, outcome);
            assert!(lists.hidden(&catalog).is_empty());
            assert!(lists.report(&catalog).providers[0].missing.is_empty());
        }
        assert!(AccountLists::training().hidden(&catalog).is_empty());
        assert!(AccountLists::training()
            .report(&catalog)
            .providers
            .is_empty());
    }
}
