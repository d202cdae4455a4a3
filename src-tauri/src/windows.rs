//! The windows besides the cashier's: the customer display on a second monitor.

use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

use crate::error::CommandError;

/// Label of the customer display window (capabilities/default.json names it too).
pub const CUSTOMER: &str = "customer";

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
    .build()?;
    Ok(())
}
