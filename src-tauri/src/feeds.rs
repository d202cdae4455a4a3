//! Each window's live feed of operation changes, sent over the `tauri::ipc::Channel` that window
//! passed to its command: the till's window gets whole operations, the customer display a
//! `CustomerView` of each. A channel reaches only the webview that made it (a global event would
//! reach a listener in any window), and `window_access.rs` decides which window may ask for
//! which feed. One task per window: a reloaded page's new channel replaces the old task.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use guichet_core::desk::{CustomerFeed, CustomerView, OperationFeed};
use guichet_core::ledger::Operation;
use serde::Serialize;
use tauri::async_runtime::JoinHandle;
use tauri::ipc::Channel;

/// A feed the shell can forward: the core's feeds.
pub trait Feed: Send + 'static {
    /// What each message carries.
    type Item: Serialize + Clone + Send;
    /// The next change; `None` when the desk is gone.
    fn next(&mut self) -> impl Future<Output = Option<Self::Item>> + Send;
}

impl Feed for OperationFeed {
    type Item = Operation;
    fn next(&mut self) -> impl Future<Output = Option<Operation>> + Send {
        OperationFeed::next(self)
    }
}

impl Feed for CustomerFeed {
    type Item = CustomerView;
    fn next(&mut self) -> impl Future<Output = Option<CustomerView>> + Send {
        CustomerFeed::next(self)
    }
}

/// The forwarding task of each window, by label, with the ticket of the request that started it
/// (app state).
#[derive(Default)]
pub struct Feeds {
    next: AtomicU64,
    tasks: Mutex<HashMap<String, (u64, JoinHandle<()>)>>,
}

impl Feeds {
    /// A number for a feed request, taken as its command starts: of two requests from one window
    /// (a page reloaded while its first request waited), the later one wins.
    pub fn ticket(&self) -> u64 {
        self.next.fetch_add(1, Ordering::SeqCst)
    }

    /// Forwards `feed` to `channel` until the window is gone, replacing that window's feed unless
    /// a later request already did.
    pub fn start<F: Feed>(&self, label: &str, ticket: u64, mut feed: F, channel: Channel<F::Item>) {
        let mut tasks = self.tasks();
        if tasks.get(label).is_some_and(|(newer, _)| *newer > ticket) {
            tracing::info!(window = label, "an older feed request ignored");
            return;
        }
        let window = label.to_owned();
        let task = tauri::async_runtime::spawn(async move {
            while let Some(item) = feed.next().await {
                if let Err(err) = channel.send(item) {
                    tracing::info!(window, error = %err, "window feed ended");
                    break;
                }
            }
        });
        if let Some((_, previous)) = tasks.insert(label.to_owned(), (ticket, task)) {
            previous.abort();
        }
    }

    /// Stops the feed of a closed window.
    pub fn end(&self, label: &str) {
        if let Some((_, task)) = self.tasks().remove(label) {
            task.abort();
        }
    }

    fn tasks(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u64, JoinHandle<()>)>> {
        self.tasks.lock().unwrap_or_else(|p| p.into_inner())
    }
}
