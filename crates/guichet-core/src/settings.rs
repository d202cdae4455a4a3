//! Every setting of the till, in one place: their keys in the ledger's settings table, their
//! defaults, how each is read, checked and changed. Never a secret (those live in the keyring);
//! every change goes to the audit trail with its old and new values.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::app_info::Mode;
use crate::audit::{Audit, AuditAction};
use crate::ledger::Ledger;
use crate::printer::{PrinterConfig, PrinterConnection};
use crate::receipt::ShopHeader;
use crate::setup::ProviderUrls;
use crate::text::{Language, Localized};
use crate::till::TillError;

pub mod hosts;

/// Settings keys kept in the ledger (never secrets).
pub(crate) mod keys {
    pub const IDLE_TIMEOUT: &str = "idle_timeout_secs";
    pub const KIOSK: &str = "kiosk";
    pub const MODE: &str = "mode";
    pub const PROVIDER_URLS: &str = "provider_urls";
    pub const DISABLED_SERVICES: &str = "disabled_services";
    pub const SHOP_NAME: &str = "shop_name";
    pub const OPERATOR_NAME: &str = "operator_name";
    pub const LANGUAGE: &str = "language";
    pub const SHOP_ADDRESS: &str = "shop_address";
    pub const RECEIPT_HEADER: &str = "receipt_header";
    pub const PRINTER: &str = "printer";
    pub const CONFIRMED_HOSTS: &str = "confirmed_hosts";
    /// Read by migration 0004's trigger too: keep the name.
    pub const SHIFT_REQUIRED: &str = "shift_required";
    pub const FLOAT_THRESHOLDS: &str = "float_thresholds";
}

/// Shown until the first-run wizard names the shop.
pub const DEFAULT_SHOP_NAME: &str = "Boutique de démonstration";
/// Written on operations made outside a PIN session (the CLI) until one is set.
pub const DEFAULT_OPERATOR_NAME: &str = "Caissier formation";

/// Idle lock when the manager never chose one: 5 minutes.
pub const DEFAULT_IDLE_TIMEOUT_SECS: u32 = 5 * 60;
/// Shortest idle lock accepted (0 = never is accepted too).
const MIN_IDLE_TIMEOUT_SECS: u32 = 30;
/// Longest idle lock accepted: 2 hours.
const MAX_IDLE_TIMEOUT_SECS: u32 = 2 * 60 * 60;
/// Longest shop name, in characters (the receipt's widest line).
const MAX_SHOP_NAME: usize = 48;
/// Longest address, in characters.
const MAX_ADDRESS: usize = 120;
/// Most receipt header lines, and their longest, in characters.
const MAX_HEADER_LINES: usize = 4;
const MAX_HEADER_LINE: usize = 48;

/// Every setting the manager sees in Réglages.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Settings {
    /// Shop name.
    pub shop_name: String,
    /// Shop address (may be empty).
    pub shop_address: String,
    /// Extra receipt header lines, one per line (may be empty).
    pub receipt_header: String,
    /// The receipt printer; `None`: the system print dialog.
    pub printer: Option<PrinterConfig>,
    /// Seconds without a call before the screen locks; 0 = never.
    pub idle_timeout_secs: u32,
    /// Kiosk mode: fullscreen, on top, closing needs a manager's PIN.
    pub kiosk: bool,
    /// The till's language.
    pub language: Language,
    /// Where the live providers are.
    pub provider_urls: ProviderUrls,
    /// Service codes the till does not offer.
    pub disabled_services: Vec<String>,
}

/// The settings to change; a missing field stays as it is.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct SettingsPatch {
    /// New shop name.
    #[ts(optional)]
    pub shop_name: Option<String>,
    /// New address.
    #[ts(optional)]
    pub shop_address: Option<String>,
    /// New receipt header lines.
    #[ts(optional)]
    pub receipt_header: Option<String>,
    /// New idle lock, in seconds (0 = never, else 30 to 7200).
    #[ts(optional)]
    pub idle_timeout_secs: Option<u32>,
    /// Kiosk mode on or off.
    #[ts(optional)]
    pub kiosk: Option<bool>,
    /// New live provider URLs.
    #[ts(optional)]
    pub provider_urls: Option<ProviderUrls>,
    /// Service codes not offered.
    #[ts(optional)]
    pub disabled_services: Option<Vec<String>>,
    /// Provider hosts outside the documented ones that the manager confirmed after a warning
    /// naming them (a new URL on any other undocumented host is refused).
    #[ts(optional)]
    #[serde(default)]
    pub confirmed_hosts: Option<Vec<String>>,
}

/// A refused setting: which field, and what to fix.
pub(crate) fn invalid(field: &str, fr: impl Into<String>, en: impl Into<String>) -> TillError {
    TillError::Invalid {
        field: field.to_owned(),
        message: Localized::new(fr, en),
    }
}

/// The shop's identity, checked.
pub(crate) struct ShopFields {
    name: String,
    address: String,
    header: String,
}

impl ShopFields {
    /// Trims and checks the three fields, refusing with what to fix.
    pub(crate) fn check(name: &str, address: &str, header: &str) -> Result<Self, TillError> {
        Ok(ShopFields {
            name: check_name(name)?,
            address: check_address(address)?,
            header: check_header(header)?,
        })
    }

    /// Stores them, each change in the trail.
    pub(crate) async fn save(
        &self,
        ledger: &Ledger,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<(), TillError> {
        set(ledger, actor, now, keys::SHOP_NAME, &self.name).await?;
        set(ledger, actor, now, keys::SHOP_ADDRESS, &self.address).await?;
        set(ledger, actor, now, keys::RECEIPT_HEADER, &self.header).await
    }
}

fn check_name(name: &str) -> Result<String, TillError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid(
            "shop_name",
            "Saisissez le nom de la boutique.",
            "Enter the shop's name.",
        ));
    }
    if name.chars().count() > MAX_SHOP_NAME || name.chars().any(char::is_control) {
        return Err(invalid(
            "shop_name",
            format!(
                "Le nom de la boutique tient sur une ligne de {MAX_SHOP_NAME} caractères au plus."
            ),
            format!("The shop's name fits on one line of at most {MAX_SHOP_NAME} characters."),
        ));
    }
    Ok(name.to_owned())
}

fn check_address(address: &str) -> Result<String, TillError> {
    let address = address.trim();
    if address.chars().count() > MAX_ADDRESS || address.contains(['\n', '\r']) {
        return Err(invalid(
            "shop_address",
            format!("L'adresse tient sur une ligne de {MAX_ADDRESS} caractères au plus."),
            format!("The address fits on one line of at most {MAX_ADDRESS} characters."),
        ));
    }
    Ok(address.to_owned())
}

fn check_header(header: &str) -> Result<String, TillError> {
    let lines: Vec<&str> = header
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() > MAX_HEADER_LINES || lines.iter().any(|l| l.chars().count() > MAX_HEADER_LINE) {
        return Err(invalid(
            "receipt_header",
            format!("L'en-tête du reçu : {MAX_HEADER_LINES} lignes de {MAX_HEADER_LINE} caractères au plus."),
            format!("The receipt header: at most {MAX_HEADER_LINES} lines of {MAX_HEADER_LINE} characters."),
        ));
    }
    Ok(lines.join("\n"))
}

pub(crate) fn check_idle(secs: u32) -> Result<u32, TillError> {
    if secs != 0 && !(MIN_IDLE_TIMEOUT_SECS..=MAX_IDLE_TIMEOUT_SECS).contains(&secs) {
        return Err(invalid(
            "idle_timeout_secs",
            "Verrouillage automatique : entre 30 secondes et 2 heures, ou jamais (0).",
            "Automatic lock: between 30 seconds and 2 hours, or never (0).",
        ));
    }
    Ok(secs)
}

/// An address the keys may be sent to: `https://`, or plain `http://` only on this machine
/// (a local stand-in) or on the host the provider itself documents without TLS (EASYTRANSFERT).
fn check_url(field: &str, url: &str, documented: &str) -> Result<String, TillError> {
    let url = url.trim();
    let host_of = |u: &str| {
        reqwest::Url::parse(u)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
    };
    let ok = match reqwest::Url::parse(url) {
        Ok(u) if u.host().is_some() => match u.scheme() {
            "https" => true,
            "http" => {
                let loopback = matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
                loopback || host_of(url) == host_of(documented)
            }
            _ => false,
        },
        _ => false,
    };
    if !ok {
        return Err(invalid(
            field,
            format!(
                "Adresse refusée : {url}. Elle commence par https:// (les clés y sont envoyées)."
            ),
            format!("Address refused: {url}. It starts with https:// (the keys are sent there)."),
        ));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

pub(crate) fn check_urls(urls: &ProviderUrls) -> Result<ProviderUrls, TillError> {
    let live = ProviderUrls::live();
    Ok(ProviderUrls {
        dexchange: check_url("dexchange", &urls.dexchange, &live.dexchange)?,
        easytransfert: check_url("easytransfert", &urls.easytransfert, &live.easytransfert)?,
        easytransfert_wallet: check_url(
            "easytransfert_wallet",
            &urls.easytransfert_wallet,
            &live.easytransfert_wallet,
        )?,
        unipesa: check_url("unipesa", &urls.unipesa, &live.unipesa)?,
    })
}

/// The services to switch off: every code known to `catalog`, sorted, once each.
pub(crate) fn check_disabled(
    catalog: &crate::catalog::Catalog,
    mut codes: Vec<String>,
) -> Result<Vec<String>, TillError> {
    if let Some(code) = codes.iter().find(|c| catalog.get(c).is_none()) {
        return Err(invalid(
            "disabled_services",
            format!("Service inconnu : {code}."),
            format!("Unknown service: {code}."),
        ));
    }
    codes.sort();
    codes.dedup();
    Ok(codes)
}

pub(crate) fn check_printer(printer: &PrinterConfig) -> Result<(), TillError> {
    match &printer.connection {
        PrinterConnection::Network { host, port } => {
            if host.trim().is_empty() || host.contains(char::is_whitespace) {
                return Err(invalid(
                    "printer_host",
                    "Saisissez l'adresse IP de l'imprimante (par exemple 192.168.1.50).",
                    "Enter the printer's IP address (for example 192.168.1.50).",
                ));
            }
            if *port == 0 {
                return Err(invalid(
                    "printer_port",
                    "Le port de l'imprimante va de 1 à 65535 (souvent 9100).",
                    "The printer's port goes from 1 to 65535 (often 9100).",
                ));
            }
        }
        PrinterConnection::Device { path } => {
            if !path.starts_with('/') && !path.to_ascii_uppercase().starts_with("COM") {
                return Err(invalid(
                    "printer_path",
                    "Saisissez le chemin du périphérique (par exemple /dev/usb/lp0).",
                    "Enter the device path (for example /dev/usb/lp0).",
                ));
            }
            // A regular file or a folder is never a printer (pointed at the ledger, every print
            // would overwrite it); an unplugged printer's path is accepted.
            match crate::printer::check_device(path) {
                Ok(()) | Err(crate::printer::PrinterError::DeviceNotFound { .. }) => {}
                Err(e) => {
                    let m = e.message();
                    return Err(invalid("printer_path", m.fr, m.en));
                }
            }
        }
        PrinterConnection::System => {}
    }
    Ok(())
}

/// Stores one setting, recording old and new values when they differ.
pub(crate) async fn set(
    ledger: &Ledger,
    actor: &str,
    now: DateTime<Utc>,
    key: &str,
    value: &str,
) -> Result<(), TillError> {
    change(ledger, actor, now, key, Some(value)).await
}

/// Stores (`Some`) or removes (`None`, back to the default) one setting, recording old and new
/// values when they differ.
pub(crate) async fn change(
    ledger: &Ledger,
    actor: &str,
    now: DateTime<Utc>,
    key: &str,
    value: Option<&str>,
) -> Result<(), TillError> {
    let old = ledger.setting(key).await?;
    if old.as_deref() == value {
        return Ok(());
    }
    match value {
        Some(v) => ledger.set_setting(key, v).await?,
        None => {
            ledger.delete_setting(key).await?;
        }
    }
    Audit::new(ledger)
        .append_at(
            now,
            actor,
            AuditAction::SettingChanged,
            json!({"setting": key, "old": old, "new": value}),
        )
        .await?;
    tracing::info!(setting = key, "setting changed");
    Ok(())
}

/// The live providers' URLs (the documented ones until the manager changes them).
pub async fn provider_urls(ledger: &Ledger) -> Result<ProviderUrls, TillError> {
    match ledger.setting(keys::PROVIDER_URLS).await? {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| TillError::Settings(format!("provider_urls: {e}"))),
        None => Ok(ProviderUrls::live()),
    }
}

/// The provider hosts a manager confirmed after the warning (documented hosts are not listed).
pub async fn confirmed_hosts(ledger: &Ledger) -> Result<Vec<String>, TillError> {
    match ledger.setting(keys::CONFIRMED_HOSTS).await? {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| TillError::Settings(format!("confirmed_hosts: {e}"))),
        None => Ok(Vec::new()),
    }
}

/// The idle lock in seconds (0 = never).
pub async fn idle_timeout_secs(ledger: &Ledger) -> Result<u32, TillError> {
    Ok(ledger
        .setting(keys::IDLE_TIMEOUT)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_IDLE_TIMEOUT_SECS))
}

/// Whether kiosk mode is on.
pub async fn kiosk(ledger: &Ledger) -> Result<bool, TillError> {
    Ok(ledger.setting(keys::KIOSK).await?.as_deref() == Some("true"))
}

/// Whether selling needs an open shift (the manager's choice; off until set).
pub async fn shift_required(ledger: &Ledger) -> Result<bool, TillError> {
    Ok(ledger.setting(keys::SHIFT_REQUIRED).await?.as_deref() == Some("true"))
}

/// The low-float threshold per provider slug, in minor units (none until the manager sets one).
pub async fn float_thresholds(
    ledger: &Ledger,
) -> Result<std::collections::BTreeMap<String, i64>, TillError> {
    match ledger.setting(keys::FLOAT_THRESHOLDS).await? {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| TillError::Settings(format!("float_thresholds: {e}"))),
        None => Ok(Default::default()),
    }
}

/// Checks low-float thresholds: known providers only, amounts not negative.
pub(crate) fn check_thresholds(
    thresholds: &std::collections::BTreeMap<String, i64>,
) -> Result<(), TillError> {
    for (provider, amount) in thresholds {
        if !crate::catalog::Provider::ALL
            .iter()
            .any(|p| p.slug() == provider)
        {
            return Err(invalid(
                "float_thresholds",
                format!("Fournisseur inconnu : {provider}."),
                format!("Unknown provider: {provider}."),
            ));
        }
        if *amount < 0 {
            return Err(invalid(
                "float_thresholds",
                "Un seuil de float ne peut pas être négatif.",
                "A float threshold cannot be negative.",
            ));
        }
    }
    Ok(())
}

/// Service codes the manager switched off.
pub async fn disabled_services(ledger: &Ledger) -> Result<Vec<String>, TillError> {
    match ledger.setting(keys::DISABLED_SERVICES).await? {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| TillError::Settings(format!("disabled_services: {e}"))),
        None => Ok(Vec::new()),
    }
}

/// The till's language (French until changed).
pub async fn language(ledger: &Ledger) -> Result<Language, TillError> {
    Ok(ledger
        .setting(keys::LANGUAGE)
        .await?
        .and_then(|code| Language::from_code(&code))
        .unwrap_or_default())
}

/// Remembers the till's language.
pub async fn set_language(ledger: &Ledger, language: Language) -> Result<(), TillError> {
    ledger.set_setting(keys::LANGUAGE, language.code()).await?;
    tracing::info!(language = language.code(), "language changed");
    Ok(())
}

/// The mode the till was left in (training until a manager switched to live).
pub async fn saved_mode(ledger: &Ledger) -> Result<Mode, TillError> {
    Ok(match ledger.setting(keys::MODE).await?.as_deref() {
        Some("live") => Mode::Live,
        _ => Mode::Training,
    })
}

/// Remembers the mode, so the till restarts in it.
pub async fn save_mode(ledger: &Ledger, mode: Mode) -> Result<(), TillError> {
    ledger.set_setting(keys::MODE, mode_name(mode)).await?;
    Ok(())
}

/// `training` or `live`, as stored and audited.
pub fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Training => "training",
        Mode::Live => "live",
    }
}

/// The name written on operations made outside a PIN session (the CLI).
pub async fn operator_name(ledger: &Ledger) -> Result<String, TillError> {
    Ok(ledger
        .setting(keys::OPERATOR_NAME)
        .await?
        .unwrap_or_else(|| DEFAULT_OPERATOR_NAME.to_owned()))
}

/// The shop's name (the default until the first-run wizard names it).
pub async fn shop_name(ledger: &Ledger) -> Result<String, TillError> {
    Ok(ledger
        .setting(keys::SHOP_NAME)
        .await?
        .unwrap_or_else(|| DEFAULT_SHOP_NAME.to_owned()))
}

/// The shop header printed on receipts.
pub async fn shop_header(ledger: &Ledger) -> Result<ShopHeader, TillError> {
    let address = ledger
        .setting(keys::SHOP_ADDRESS)
        .await?
        .filter(|a| !a.trim().is_empty());
    let lines = ledger
        .setting(keys::RECEIPT_HEADER)
        .await?
        .map(|s| s.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    Ok(ShopHeader {
        name: shop_name(ledger).await?,
        address,
        lines,
    })
}

/// The configured receipt printer, if any (`None`: the system print dialog).
pub async fn printer(ledger: &Ledger) -> Result<Option<PrinterConfig>, TillError> {
    let Some(json) = ledger.setting(keys::PRINTER).await? else {
        return Ok(None);
    };
    serde_json::from_str(&json)
        .map(Some)
        .map_err(|e| TillError::Settings(format!("printer: {e}")))
}

/// Every setting, as Réglages shows them.
pub async fn read(ledger: &Ledger) -> Result<Settings, TillError> {
    let header = shop_header(ledger).await?;
    Ok(Settings {
        shop_name: header.name,
        shop_address: header.address.unwrap_or_default(),
        receipt_header: header.lines.join("\n"),
        printer: printer(ledger).await?,
        idle_timeout_secs: idle_timeout_secs(ledger).await?,
        kiosk: kiosk(ledger).await?,
        language: language(ledger).await?,
        provider_urls: provider_urls(ledger).await?,
        disabled_services: disabled_services(ledger).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shop_fields_are_trimmed_and_bounded() {
        let shop = ShopFields::check(
            "  Boutique Awa ",
            " Rue 10, Dakar ",
            "NINEA 123\n\n Tél 33 800 00 00 ",
        )
        .unwrap();
        assert_eq!(shop.name, "Boutique Awa");
        assert_eq!(shop.address, "Rue 10, Dakar");
        assert_eq!(shop.header, "NINEA 123\nTél 33 800 00 00");
        let err = ShopFields::check("   ", "", "").err().unwrap();
        assert_eq!(err.code(), "invalid_setting");
        assert!(err.message().fr.contains("nom de la boutique"));
        assert!(ShopFields::check("A", "", "1\n2\n3\n4\n5").is_err());
    }

    #[test]
    fn a_device_printer_is_a_character_device_never_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("guichet.db");
        std::fs::write(&ledger, b"SQLite format 3\0").unwrap();
        let config = |path: &std::path::Path| {
            PrinterConfig::device(path.to_str().unwrap(), crate::receipt::PaperWidth::Mm80)
        };
        let err = check_printer(&config(&ledger)).unwrap_err();
        assert_eq!(err.code(), "invalid_setting");
        assert!(
            err.message().fr.contains("n'est pas une imprimante"),
            "{}",
            err.message().fr
        );
        assert!(check_printer(&config(dir.path())).is_err(), "a folder");
        assert!(
            check_printer(&config(&dir.path().join("lp9"))).is_ok(),
            "unplugged"
        );
        #[cfg(unix)]
        assert!(check_printer(&config(std::path::Path::new("/dev/null"))).is_ok());
        assert_eq!(std::fs::read(&ledger).unwrap(), b"SQLite format 3\0");
    }

    #[test]
    fn idle_lock_is_never_or_between_30s_and_2h() {
        assert_eq!(check_idle(0).unwrap(), 0);
        assert_eq!(check_idle(300).unwrap(), 300);
        assert!(check_idle(10).is_err());
        assert!(check_idle(3 * 3600).is_err());
    }

    #[test]
    fn provider_urls_must_be_http_addresses() {
        let mut urls = ProviderUrls::live();
        assert_eq!(check_urls(&urls).unwrap(), urls);
        urls.unipesa = "api.unipesa.tech".into();
        let err = check_urls(&urls).unwrap_err();
        assert!(
            err.message().fr.contains("https://"),
            "{}",
            err.message().fr
        );
    }
}
