//! A bare Tauri 2 window: the floor against which `make bench` measures Guichet's start-up and
//! memory. It logs the same "page loaded" line as Guichet when its page has loaded.

use tauri::webview::PageLoadEvent;

fn main() {
    tauri::Builder::default()
        .on_page_load(|webview, payload| {
            if payload.event() == PageLoadEvent::Finished {
                eprintln!("page loaded: window {}", webview.label());
            }
        })
        .run(tauri::generate_context!())
        .expect("the bare window runs");
}
