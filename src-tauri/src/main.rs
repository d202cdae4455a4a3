//! Guichet's desktop shell: windows, app state and thin commands over `guichet-core`.

// No console window behind the till on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
mod commands;
mod error;
mod feeds;
mod logging;
mod navigation;
#[cfg(test)]
mod roles;
mod state;
mod window_access;
mod windows;

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
        .plugin(navigation::plugin())
        .setup(|app| {
            app.manage(state::AppState::new(app.handle()));
            app.manage(feeds::Feeds::default());
            // The till opens beside the window's first load, not before it; kiosk mode follows.
            // Until then the windows act as in kiosk mode (no close, no reload); a till that
            // cannot open is no kiosk (its error screen can be closed).
            let app = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let kiosk = match app.state::<state::AppState>().desk().await {
                    Ok(desk) => !desk.close_allowed().await.unwrap_or(true),
                    Err(_) => false,
                };
                windows::apply_kiosk(&app, kiosk);
            });
            Ok(())
        })
        .on_window_event(windows::guard_close)
        .on_page_load(windows::page_loaded)
        .invoke_handler(only_allowed(tauri::generate_handler![
            commands::app_info,
            commands::set_language,
            commands::first_run,
            commands::login_names,
            commands::login,
            commands::logout,
            commands::keep_alive,
            commands::change_own_pin,
            commands::kiosk_exit,
            commands::services,
            commands::bill_inquiry,
            commands::submit,
            commands::confirm_otp,
            commands::operation,
            commands::history,
            commands::in_progress,
            commands::follow_operations,
            commands::follow_customer_view,
            commands::receipt,
            commands::print_receipt,
            commands::qr_svg,
            commands::open_customer_display,
            commands::settings,
            commands::save_settings,
            commands::save_printer,
            commands::all_services,
            commands::account_services,
            commands::refresh_account_services,
            commands::provider_keys,
            commands::set_provider_key,
            commands::delete_provider_key,
            commands::check_connection,
            commands::provider_status,
            commands::operators,
            commands::create_operator,
            commands::reset_pin,
            commands::unlock_operator,
            commands::set_mode,
            commands::audit_log,
            commands::audit_verify,
            commands::audit_export,
            commands::review_list,
            commands::review_count,
            commands::settle_review,
            commands::confirm_pin,
            commands::current_shift,
            commands::open_shift,
            commands::cash_movement,
            commands::close_shift,
            commands::x_report,
            commands::z_report,
            commands::day_report,
            commands::report_text,
            commands::print_report,
            commands::save_report_pdf,
            commands::float_status,
            commands::read_floats,
            commands::day_settings,
            commands::save_day_settings,
        ]))
        .run(tauri::generate_context!())
        .expect("Guichet could not start its window");
}

/// Runs `handler` for the commands the calling window may call (`window_access`), and answers
/// every other call with a refusal before it reaches a command.
fn only_allowed<R: tauri::Runtime>(
    handler: impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static,
) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    move |invoke| {
        let label = invoke.message.webview_ref().label().to_owned();
        if let Some(refusal) = window_access::refusal(&label, invoke.message.command()) {
            invoke.resolver.reject(refusal);
            return true;
        }
        handler(invoke)
    }
}
