//! Which hosts the provider keys may go to without a warning: the host each provider documents
//! (`ProviderUrls::live`), this machine (a local stand-in such as the sandbox), and the hosts a
//! manager confirmed after a warning naming them (kept in the settings, audited).

use crate::catalog::Provider;
use crate::setup::ProviderUrls;

/// This machine's names: a local stand-in, never another party.
const LOOPBACK: [&str; 4] = ["127.0.0.1", "localhost", "[::1]", "::1"];

/// The provider whose keys go to the address field `field`.
pub fn provider_of(field: &str) -> Provider {
    match field {
        "dexchange" => Provider::Dexchange,
        "easytransfert" | "easytransfert_wallet" => Provider::Easytransfert,
        _ => Provider::Unipesa,
    }
}

/// Each address field with its URL.
fn fields(urls: &ProviderUrls) -> [(&'static str, &str); 4] {
    [
        ("dexchange", urls.dexchange.as_str()),
        ("easytransfert", urls.easytransfert.as_str()),
        ("easytransfert_wallet", urls.easytransfert_wallet.as_str()),
        ("unipesa", urls.unipesa.as_str()),
    ]
}

/// The host of `url`, lower-case, when it parses.
pub fn host_of(url: &str) -> Option<String> {
    reqwest::Url::parse(url.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
}

/// The fields of `urls` whose host is neither documented by their provider, nor this machine,
/// nor in `confirmed`, each with that host (the warning names it).
pub fn unconfirmed(urls: &ProviderUrls, confirmed: &[String]) -> Vec<(String, String)> {
    let live = ProviderUrls::live();
    let documented = fields(&live);
    fields(urls)
        .into_iter()
        .zip(documented)
        .filter_map(|((field, url), (_, doc))| {
            let host = host_of(url)?;
            let trusted = LOOPBACK.contains(&host.as_str())
                || host_of(doc).as_deref() == Some(host.as_str())
                || confirmed.iter().any(|c| c.eq_ignore_ascii_case(&host));
            (!trusted).then(|| (field.to_owned(), host))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_and_local_hosts_need_no_confirmation_others_do() {
        assert!(unconfirmed(&ProviderUrls::live(), &[]).is_empty());
        let mut urls = ProviderUrls::sandbox("http://127.0.0.1:4000");
        assert!(unconfirmed(&urls, &[]).is_empty());
        urls.dexchange = "https://API.evil.example/api/v1".into();
        urls.unipesa = "https://api.dexchange.sn".into();
        assert_eq!(
            unconfirmed(&urls, &[]),
            vec![
                ("dexchange".to_owned(), "api.evil.example".to_owned()),
                // Another provider's documented host is still not the gateway's.
                ("unipesa".to_owned(), "api.dexchange.sn".to_owned()),
            ]
        );
        let confirmed = vec!["api.evil.example".to_owned()];
        assert_eq!(unconfirmed(&urls, &confirmed).len(), 1);
        assert_eq!(provider_of("easytransfert_wallet"), Provider::Easytransfert);
    }
}
