//! The windows: the cashier's (kiosk mode, guarded close) and the customer display.

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder, Window, WindowEvent};

use crate::error::CommandError;

/// Label of the cashier's window (tauri.conf.json).
pub const MAIN: &str = "main";
/// Label of the customer display window (capabilities/customer.json names it too).
pub const CUSTOMER: &str = "customer";
/// Sent to the cashier's window when a close is refused in kiosk mode: the UI asks for a
/// manager's PIN and calls `kiosk_exit`.
pub const CLOSE_REQUESTED: &str = "close-requested";

/// Kiosk mode as the window applies it (the ledger setting is the truth; this mirrors it).
static KIOSK: AtomicBool = AtomicBool::new(false);
/// Set once the till's kiosk setting is known (the till opens after the window appears): until
/// then the windows act as in kiosk mode, so a restart is no way around it.
static KNOWN: AtomicBool = AtomicBool::new(false);
/// Set once a manager's PIN allowed the exit.
static QUITTING: AtomicBool = AtomicBool::new(false);

/// Whether kiosk mode is on, as the windows apply it (on while the till is still opening).
pub fn kiosk() -> bool {
    KIOSK.load(Ordering::SeqCst) || !KNOWN.load(Ordering::SeqCst)
}

/// Fullscreen, undecorated and on top in kiosk mode; an ordinary window otherwise. The customer
/// display, when open, is undecorated and cannot be closed in kiosk mode.
pub fn apply_kiosk(app: &AppHandle, on: bool) {
    KIOSK.store(on, Ordering::SeqCst);
    KNOWN.store(true, Ordering::SeqCst);
    if let Some(customer) = app.get_webview_window(CUSTOMER) {
        for err in [customer.set_decorations(!on), customer.set_closable(!on)]
            .into_iter()
            .filter_map(Result::err)
        {
            tracing::warn!(error = %err, kiosk = on, "customer window: kiosk property refused");
        }
    }
    let Some(window) = app.get_webview_window(MAIN) else {
        return;
    };
    let results = [
        window.set_decorations(!on),
        window.set_always_on_top(on),
        window.set_fullscreen(on),
    ];
    for err in results.into_iter().filter_map(Result::err) {
        // Some platforms refuse one of these (no window manager): the close guard still holds.
        tracing::warn!(error = %err, kiosk = on, "window: kiosk property refused");
    }
    tracing::info!(kiosk = on, "window: kiosk mode applied");
}

/// Intercepts a close of the cashier's window in kiosk mode until a manager allowed it; the
/// customer display is never closed by the customer in kiosk mode; a closed window is
/// forgotten by the navigation guard and its feed stops.
pub fn guard_close(window: &Window, event: &WindowEvent) {
    if let WindowEvent::Destroyed = event {
        crate::navigation::forget(window.label());
        if let Some(feeds) = window.try_state::<crate::feeds::Feeds>() {
            feeds.end(window.label());
        }
        return;
    }
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    if !KNOWN.load(Ordering::SeqCst) {
        // The till is still opening: whether it is a kiosk is not known yet.
        api.prevent_close();
        tracing::info!(
            window = window.label(),
            "window: close refused while the till opens"
        );
        return;
    }
    if !KIOSK.load(Ordering::SeqCst) || QUITTING.load(Ordering::SeqCst) {
        return;
    }
    if window.label() == CUSTOMER {
        api.prevent_close();
        tracing::info!("window: customer display close refused in kiosk mode");
        return;
    }
    if window.label() != MAIN {
        return;
    }
    api.prevent_close();
    tracing::info!("window: close refused in kiosk mode, asking for a manager's PIN");
    if let Err(err) = window.emit_to(MAIN, CLOSE_REQUESTED, ()) {
        tracing::warn!(error = %err, "window: could not ask for the PIN");
    }
}

/// Quits the app after a manager allowed it.
pub fn quit(app: &AppHandle) {
    QUITTING.store(true, Ordering::SeqCst);
    app.exit(0);
}

/// Opens the customer display, or brings it forward when it is already open.
pub fn open_customer_display(app: &AppHandle) -> Result<(), CommandError> {
    if let Some(window) = app.get_webview_window(CUSTOMER) {
        window.show()?;
        window.set_focus()?;
        return Ok(());
    }
    WebviewWindowBuilder::new(
        app,
        CUSTOMER,
        WebviewUrl::App("index.html#/customer".into()),
    )
    .title("Guichet — écran client")
    .inner_size(1024.0, 768.0)
    .decorations(!kiosk())
    .closable(!kiosk())
    .build()?;
    Ok(())
}

/// Logs once when the first `app_info` is answered: the page has what its first screen (sign-in
/// or first run) needs. With "page loaded", what `make bench` times start-up to.
pub fn first_screen_answered() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| tracing::info!("first screen answered"));
}

/// As the cashier's page starts, turns off GPU compositing in it; logs when a window's page has
/// loaded (support logs; `make bench` times start-up to it).
pub fn page_loaded(webview: &tauri::Webview, payload: &tauri::webview::PageLoadPayload<'_>) {
    match payload.event() {
        tauri::webview::PageLoadEvent::Started if webview.label() == MAIN => {
            paint_without_gpu(webview);
        }
        tauri::webview::PageLoadEvent::Started => {}
        tauri::webview::PageLoadEvent::Finished => {
            tracing::info!(window = webview.label(), "page loaded");
        }
    }
}

/// WebKitGTK paints the cashier's page on the CPU, without its GPU compositor: the screens are
/// flat forms, and on a counter PC without a GPU driver (Mesa's software GL) the compositor costs
/// ~90 MiB and a shader compile at every start (docs/benchmarks.md). Not the customer display:
/// painted so, WebKit never answers a snapshot of that second window (WebDriver's screenshot).
fn paint_without_gpu(webview: &tauri::Webview) {
    #[cfg(target_os = "linux")]
    let set = webview.with_webview(|platform| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = platform.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let set: tauri::Result<()> = Ok(());
    if let Err(err) = set {
        tracing::warn!(window = webview.label(), error = %err, "window: GPU compositing left on");
    }
}
