//! Which commands each window may call. The cashier's window may call every command (the
//! `Desk` checks the signed-in operator's role); the customer display only reads what it shows
//! (the shop and mode, its feed of the operation under way cut to what the customer sees, its
//! QR code); any other window nothing. The
//! check runs before the command, on the label of the webview that sent it, so a script in the
//! customer display cannot reach the session of the operator signed in at the till.

use guichet_core::text::Localized;

use crate::error::CommandError;
use crate::windows::{CUSTOMER, MAIN};

/// What the customer display calls: `app_info` (shop name, mode, language),
/// `follow_customer_view` (the operation under way and its changes, as `CustomerView`s) and
/// `qr_svg` (the QR it shows).
pub const CUSTOMER_COMMANDS: [&str; 3] = ["app_info", "follow_customer_view", "qr_svg"];

/// `None` when the window labelled `label` may call `command`; the refusal otherwise.
pub fn refusal(label: &str, command: &str) -> Option<CommandError> {
    let allowed = match label {
        MAIN => true,
        CUSTOMER => CUSTOMER_COMMANDS.contains(&command),
        _ => false,
    };
    if allowed {
        return None;
    }
    tracing::warn!(window = label, command, "command refused for this window");
    Some(CommandError::new(
        "window_forbidden",
        Localized::new(
            "Cette fenêtre ne peut pas faire cette action : utilisez la fenêtre de la caisse.",
            "This window cannot do that: use the till's window.",
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_customer_display_reads_what_it_shows_and_nothing_else() {
        assert!(refusal(MAIN, "set_provider_key").is_none());
        for command in CUSTOMER_COMMANDS {
            assert!(refusal(CUSTOMER, command).is_none(), "{command}");
        }
        for command in [
            "history",
            "operation",
            "in_progress",
            "follow_operations",
            "settings",
            "confirm_pin",
            "logout",
        ] {
            let err = refusal(CUSTOMER, command).expect(command);
            assert_eq!(err.code, "window_forbidden");
        }
        assert!(refusal("other", "app_info").is_some());
    }
}
