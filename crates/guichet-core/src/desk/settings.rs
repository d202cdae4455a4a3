//! Réglages at the desk: the manager reads and changes the settings (`crate::settings` holds
//! what each one is and how it is checked).

use super::{Desk, Permission};
use crate::printer::PrinterConfig;
use crate::settings::{self, hosts, keys, Settings, SettingsPatch, ShopFields};
use crate::till::TillError;

impl Desk {
    /// Every setting (manager).
    pub async fn settings(&self) -> Result<Settings, TillError> {
        self.require(Permission::Manager).await?;
        settings::read(self.till.ledger()).await
    }

    /// Changes the given settings (manager). Everything is checked before anything is stored.
    /// New provider addresses and kiosk off need the PIN again; an address on a host the
    /// provider does not document needs that host in `confirmed_hosts` too.
    pub async fn save_settings(&self, patch: SettingsPatch) -> Result<Settings, TillError> {
        let session = self.require(Permission::Manager).await?;
        let actor = session
            .as_ref()
            .map(|s| s.name().to_owned())
            .unwrap_or_default();
        let ledger = self.till.ledger();
        let current = settings::read(ledger).await?;
        let shop = ShopFields::check(
            patch.shop_name.as_deref().unwrap_or(&current.shop_name),
            patch
                .shop_address
                .as_deref()
                .unwrap_or(&current.shop_address),
            patch
                .receipt_header
                .as_deref()
                .unwrap_or(&current.receipt_header),
        )?;
        let idle = patch
            .idle_timeout_secs
            .map(settings::check_idle)
            .transpose()?;
        let urls = patch
            .provider_urls
            .as_ref()
            .map(settings::check_urls)
            .transpose()?;
        let disabled = patch
            .disabled_services
            .map(|codes| settings::check_disabled(self.till.catalog(), codes))
            .transpose()?;

        let urls_changed = urls.as_ref().is_some_and(|u| *u != current.provider_urls);
        let kiosk_off = patch.kiosk == Some(false) && current.kiosk;
        if urls_changed || kiosk_off {
            self.require_fresh_pin(&session)?;
        }
        let mut confirmed = settings::confirmed_hosts(ledger).await?;
        let known = confirmed.len();
        if let Some(new) = urls.as_ref().filter(|_| urls_changed) {
            let given = patch.confirmed_hosts.clone().unwrap_or_default();
            for (field, host) in hosts::unconfirmed(new, &confirmed) {
                if !given.iter().any(|g| g.trim().eq_ignore_ascii_case(&host)) {
                    tracing::warn!(field, %host, "provider address refused: host not confirmed");
                    return Err(TillError::HostUnconfirmed { field, host });
                }
                if !confirmed.contains(&host) {
                    confirmed.push(host);
                }
            }
        }

        let now = self.now();
        if confirmed.len() > known {
            tracing::warn!(hosts = ?confirmed, "manager confirmed undocumented provider hosts");
            let json = serde_json::to_string(&confirmed).expect("hosts serialize");
            settings::set(ledger, &actor, now, keys::CONFIRMED_HOSTS, &json).await?;
        }
        shop.save(ledger, &actor, now).await?;
        if let Some(idle) = idle {
            settings::set(ledger, &actor, now, keys::IDLE_TIMEOUT, &idle.to_string()).await?;
        }
        if let Some(kiosk) = patch.kiosk {
            settings::set(ledger, &actor, now, keys::KIOSK, &kiosk.to_string()).await?;
        }
        if let Some(urls) = urls {
            let json = serde_json::to_string(&urls).expect("URLs serialize");
            settings::set(ledger, &actor, now, keys::PROVIDER_URLS, &json).await?;
        }
        if let Some(codes) = disabled {
            let json = serde_json::to_string(&codes).expect("codes serialize");
            settings::set(ledger, &actor, now, keys::DISABLED_SERVICES, &json).await?;
        }
        settings::read(ledger).await
    }

    /// Sets the receipt printer, or `None` for the system print dialog (manager).
    pub async fn save_printer(
        &self,
        printer: Option<PrinterConfig>,
    ) -> Result<Settings, TillError> {
        let actor = self.actor(Permission::Manager).await?;
        if let Some(p) = &printer {
            settings::check_printer(p)?;
        }
        let json = printer
            .as_ref()
            .map(|p| serde_json::to_string(p).expect("printer serializes"));
        let ledger = self.till.ledger();
        settings::change(ledger, &actor, self.now(), keys::PRINTER, json.as_deref()).await?;
        settings::read(ledger).await
    }
}
