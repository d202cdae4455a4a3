//! One worker at a time per operation: the submitting cashier, the reconciler, a manual
//! `resolve` or an OTP confirmation never act on the same intent at once (two resends of one
//! DEXCHANGE key would turn the second into a 409 and a false `needs_review`).
//!
//! Keyed by the idempotency key, which exists before the operation row does, so a freshly
//! written `prepared` operation is already held when the reconciler first sees it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// The per-key locks.
#[derive(Debug, Default)]
pub(crate) struct KeyLocks {
    map: Arc<Mutex<HashMap<String, Arc<AsyncMutex<()>>>>>,
}

/// Holds one key; released (and its entry forgotten when nobody waits) on drop.
#[derive(Debug)]
pub(crate) struct KeyGuard {
    key: String,
    entry: Arc<AsyncMutex<()>>,
    guard: Option<OwnedMutexGuard<()>>,
    map: Arc<Mutex<HashMap<String, Arc<AsyncMutex<()>>>>>,
}

impl KeyLocks {
    fn entry(&self, key: &str) -> Arc<AsyncMutex<()>> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key.to_owned()).or_default().clone()
    }

    fn guard(&self, key: &str, entry: Arc<AsyncMutex<()>>, g: OwnedMutexGuard<()>) -> KeyGuard {
        KeyGuard {
            key: key.to_owned(),
            entry,
            guard: Some(g),
            map: self.map.clone(),
        }
    }

    /// Waits for the key.
    pub(crate) async fn lock(&self, key: &str) -> KeyGuard {
        let entry = self.entry(key);
        let g = entry.clone().lock_owned().await;
        self.guard(key, entry, g)
    }

    /// Takes the key if nobody holds it.
    pub(crate) fn try_lock(&self, key: &str) -> Option<KeyGuard> {
        let entry = self.entry(key);
        match entry.clone().try_lock_owned() {
            Ok(g) => Some(self.guard(key, entry, g)),
            Err(_) => {
                self.forget_if_unused(key, &entry);
                None
            }
        }
    }

    /// Whether someone holds the key right now.
    #[cfg(test)]
    pub(crate) fn is_held(&self, key: &str) -> bool {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key).is_some_and(|m| m.try_lock().is_err())
    }

    fn forget_if_unused(&self, key: &str, entry: &Arc<AsyncMutex<()>>) {
        forget_if_unused(&self.map, key, entry);
    }
}

fn forget_if_unused(
    map: &Mutex<HashMap<String, Arc<AsyncMutex<()>>>>,
    key: &str,
    entry: &Arc<AsyncMutex<()>>,
) {
    let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
    // The map's reference and the caller's: nobody else holds or waits for it.
    if Arc::strong_count(entry) == 2 && map.get(key).is_some_and(|e| Arc::ptr_eq(e, entry)) {
        map.remove(key);
    }
}

impl Drop for KeyGuard {
    fn drop(&mut self) {
        // Release first, then forget the entry if nobody cloned it meanwhile; both decisions
        // are taken under the map's lock, where every clone is made.
        let map = self.map.clone();
        let mut m = map.lock().unwrap_or_else(|p| p.into_inner());
        self.guard.take();
        if Arc::strong_count(&self.entry) == 2
            && m.get(&self.key)
                .is_some_and(|e| Arc::ptr_eq(e, &self.entry))
        {
            m.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_holder_per_key_and_entries_are_forgotten() {
        let locks = KeyLocks::default();
        let a = locks.lock("K1").await;
        assert!(locks.is_held("K1"));
        assert!(locks.try_lock("K1").is_none());
        let b = locks.try_lock("K2").expect("another key is free");
        drop(a);
        assert!(!locks.is_held("K1"));
        let again = locks.try_lock("K1").expect("released");
        drop(again);
        drop(b);
        assert!(locks.map.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_waiter_gets_the_key_after_the_holder() {
        let locks = Arc::new(KeyLocks::default());
        let first = locks.lock("K").await;
        let l2 = locks.clone();
        let waiter = tokio::spawn(async move {
            let _g = l2.lock("K").await;
            1
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        drop(first);
        assert_eq!(waiter.await.unwrap(), 1);
        assert!(locks.map.lock().unwrap().is_empty());
    }
}
