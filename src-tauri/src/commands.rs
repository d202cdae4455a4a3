//! Tauri commands: each one a delegation to the core `Till`.

use guichet_core::app_info::AppInfo;
use guichet_core::catalog::Service;
use guichet_core::text::Language;
use tauri::State;

use crate::error::CommandError;
use crate::state::AppState;

/// Shop, operator, mode and language for the home screen.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    Ok(state.till()?.app_info().await?)
}

/// Remembers the cashier's language and returns the updated info.
#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    language: Language,
) -> Result<AppInfo, CommandError> {
    Ok(state.till()?.set_language(language).await?)
}

/// The services this till offers, for the operation screens' pickers.
#[tauri::command]
pub fn services(state: State<'_, AppState>) -> Result<Vec<Service>, CommandError> {
    Ok(state.till()?.services())
}
