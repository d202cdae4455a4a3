//! Where the app's webviews may go: only the app's own page, loaded once. A link, a script or a
//! typed address never takes a window away from the till; in kiosk mode a reload is refused too
//! (the keys that ask for one are also stopped by the UI).

use std::collections::BTreeSet;
use std::sync::Mutex;

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};

use crate::windows;

/// The labels of the webviews that loaded the app's page (a later navigation is a reload).
static LOADED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// The plugin whose navigation hook every webview of the app goes through.
pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("guichet-navigation")
        .on_navigation(|webview, url| allowed(webview.label(), url, windows::kiosk()))
        .build()
}

/// The app's own page: the embedded UI (`tauri://localhost`, `http(s)://tauri.localhost` on
/// Windows), or the Vite dev server in a build without the embedded UI.
fn is_app(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => {
            url.host_str() == Some("tauri.localhost")
                || (cfg!(not(feature = "custom-protocol"))
                    && url.host_str() == Some("localhost")
                    && url.port() == Some(1420))
        }
        _ => false,
    }
}

/// Whether the webview labelled `label` may navigate to `url`.
fn allowed(label: &str, url: &Url, kiosk: bool) -> bool {
    if !is_app(url) {
        tracing::warn!(window = label, url = %url, "navigation away from the app refused");
        return false;
    }
    let first = LOADED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(label.to_owned());
    if !first && kiosk {
        tracing::warn!(window = label, "reload refused in kiosk mode");
        return false;
    }
    true
}

/// Forgets a closed window, so its next opening loads the app again.
pub fn forget(label: &str) {
    LOADED
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(label);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_app_page_and_no_reload_in_kiosk() {
        let url = |s: &str| Url::parse(s).unwrap();
        let app = url("tauri://localhost/index.html#/customer");
        assert!(!allowed("t1", &url("https://evil.example/"), false));
        // The dev server is the app only in a build without the embedded UI.
        let dev = allowed("dev", &url("http://localhost:1420/"), false);
        assert_eq!(dev, cfg!(not(feature = "custom-protocol")));
        assert!(!allowed("t1", &url("file:///etc/passwd"), false));
        assert!(allowed("t1", &app, true), "the first load");
        assert!(allowed("t1", &app, false), "a reload outside kiosk");
        assert!(!allowed("t1", &app, true), "a reload in kiosk");
        forget("t1");
        assert!(allowed("t1", &app, true), "opened again");
    }
}
