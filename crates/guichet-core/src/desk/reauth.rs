//! The manager's PIN again before a sensitive change (provider keys and addresses, operators,
//! kiosk off): a manager session left open must not be enough. The proof is the desk's, kept
//! for a few minutes and dropped whenever the session ends or changes hands.

use chrono::Duration;

use super::{Desk, Permission};
use crate::operators::Session;
use crate::till::TillError;

/// How long a PIN typed again stays a fresh proof, in seconds: long enough for the three
/// gateway keys in a row, short enough that a walked-away manager's screen is not enough.
pub const PIN_PROOF_SECS: i64 = 120;

impl Desk {
    /// The signed-in manager types their PIN again; sensitive changes are then accepted for
    /// [`PIN_PROOF_SECS`]. A wrong PIN counts towards the lockout like a wrong login.
    pub async fn confirm_pin(&self, pin: &str) -> Result<(), TillError> {
        let session = self
            .require(Permission::Manager)
            .await?
            .ok_or(TillError::NotSignedIn)?;
        self.confirm_manager(session.name(), pin).await?;
        let now = self.now();
        let mut state = self.access.state();
        // Only for the session that typed it (a switch in between would have cleared it).
        if state.session.as_ref() == Some(&session) {
            state.pin_proof = Some(now);
        }
        tracing::info!(
            operator_id = session.operator_id(),
            "desk: PIN confirmed again"
        );
        Ok(())
    }

    /// `Ok` when the signed-in manager typed their PIN again within [`PIN_PROOF_SECS`] (the
    /// console, run by whoever holds the machine's account, has no PIN to type).
    pub(crate) fn require_fresh_pin(&self, session: &Option<Session>) -> Result<(), TillError> {
        let state = self.access.state();
        if state.console {
            return Ok(());
        }
        let fresh = state.pin_proof.is_some_and(|at| {
            let age = self.now() - at;
            age >= Duration::zero() && age <= Duration::seconds(PIN_PROOF_SECS)
        });
        if session.is_some() && state.session == *session && fresh {
            Ok(())
        } else {
            tracing::warn!("desk: sensitive change without a fresh PIN, refused");
            Err(TillError::PinRequired)
        }
    }
}
