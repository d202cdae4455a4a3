//! Guichet's desktop shell: windows, app state and thin commands over `guichet-core`.

// No console window behind the till on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
mod commands;
mod error;
mod logging;
mod state;

use tauri::Manager;

fn main() {
    logging::init();
    tauri::Builder::default()
        // Registered first so a second launch only focuses the running till.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .setup(|app| {
            let state = state::AppState::open(app.handle());
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::set_language,
            commands::services,
        ])
        .run(tauri::generate_context!())
        .expect("Guichet could not start its window");
}
