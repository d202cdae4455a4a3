//! Training ↔ live: the manager confirms with their PIN; live needs keys in the keyring; the
//! choice is stored, so the till restarts in the mode it was left in.

use serde_json::json;

use super::{blocking, Access, Desk, Permission};
use crate::app_info::{AppInfo, Mode};
use crate::audit::{Audit, AuditAction};
use crate::ledger::Ledger;
use crate::providers::ProviderTarget;
use crate::settings::{self, mode_name};
use crate::setup::ProviderCredentials;
use crate::text::Localized;
use crate::till::TillError;

impl Desk {
    /// Switches training ↔ live after checking the manager's PIN again. Live is refused without
    /// keys for at least one provider, and any switch while an operation is unfinished.
    pub async fn set_mode(&self, mode: Mode, pin: &str) -> Result<AppInfo, TillError> {
        let session = self
            .require(Permission::Manager)
            .await?
            .ok_or(TillError::NotSignedIn)?;
        let from = self.mode().ok_or(TillError::ProvidersStopped)?;
        // The PIN again: the screen may have been left open by a manager who walked away.
        self.confirm_manager(session.name(), pin).await?;
        if mode == from {
            // Live again while live: the keys entered since are taken (see reload_live_keys).
            if mode == Mode::Live {
                self.reload_live_keys().await?;
            }
            return self.info().await;
        }
        let target = match mode {
            Mode::Live => {
                let creds = self.live_credentials().await?;
                if creds.is_empty() {
                    return Err(TillError::LiveWithoutKeys);
                }
                ProviderTarget::LiveAt(settings::provider_urls(self.till.ledger()).await?, creds)
            }
            Mode::Training => self.training_target(),
        };
        self.switch_providers(target, true).await?;
        settings::save_mode(self.till.ledger(), mode).await?;
        self.access.set_notice(None);
        Audit::new(self.till.ledger())
            .append_at(
                self.now(),
                session.name(),
                AuditAction::ModeSwitched,
                json!({"from": mode_name(from), "to": mode_name(mode)}),
            )
            .await?;
        tracing::warn!(
            from = mode_name(from),
            to = mode_name(mode),
            "mode switched"
        );
        self.info().await
    }
}

/// The providers to start with: live when the till was left live and the keyring has keys;
/// otherwise `training`, with a notice for the home screen saying why live did not resume.
pub(crate) async fn saved_target(
    ledger: &Ledger,
    access: &Access,
    training: ProviderTarget,
) -> Result<ProviderTarget, TillError> {
    if settings::saved_mode(ledger).await? != Mode::Live {
        return Ok(training);
    }
    let store = match access.secrets().await {
        Ok(store) => store,
        Err(e) => {
            tracing::error!(error = %e, "saved mode is live but the keyring is unavailable: training");
            let why = e.message();
            access.set_notice(Some(Localized::new(
                format!("Le mode réel est choisi mais le trousseau de clés est inaccessible : la caisse reste en FORMATION. {}", why.fr),
                format!("Live mode is chosen but the keyring is unavailable: the till stays in TRAINING. {}", why.en),
            )));
            return Ok(training);
        }
    };
    let creds = blocking(move || ProviderCredentials::from_store(&store)).await?;
    if creds.is_empty() {
        tracing::warn!("saved mode is live but no provider key is in the keyring: training");
        access.set_notice(Some(Localized::new(
            "Le mode réel est choisi mais aucune clé fournisseur n'est dans le trousseau : la caisse reste en FORMATION. Le responsable doit saisir les clés dans Réglages.",
            "Live mode is chosen but no provider key is in the keyring: the till stays in TRAINING. A manager must enter the keys in Settings.",
        )));
        return Ok(training);
    }
    Ok(ProviderTarget::LiveAt(
        settings::provider_urls(ledger).await?,
        creds,
    ))
}

impl Desk {
    /// In live mode, restarts the providers with the keys now in the keyring, so a changed key
    /// is used by the next sale and not only by "check connection".
    pub(crate) async fn reload_live_keys(&self) -> Result<(), TillError> {
        if self.mode() != Some(Mode::Live) {
            return Ok(());
        }
        let creds = self.live_credentials().await?;
        let urls = settings::provider_urls(self.till.ledger()).await?;
        match self
            .switch_providers(ProviderTarget::LiveAt(urls, creds), true)
            .await
        {
            Ok(_) => Ok(()),
            Err(TillError::OperationsPending { count }) => {
                tracing::warn!(count, "new keys wait for the operations in progress");
                self.access.set_notice(Some(Localized::new(
                    "Les nouvelles clés seront utilisées dès que les opérations en cours seront terminées : repassez en mode réel dans Réglages › Mode.",
                    "The new keys will be used once the operations in progress are finished: switch to live again in Settings › Mode.",
                )));
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}
