//! Recently read sessions (with their user), kept in memory for a minute.
//!
//! Every signed-in request needs its session and user; reading them costs a
//! SQLite round trip on sqlx's connection thread — on the signed-in lesson
//! page about a fifth of the CPU went to that thread hand-off. Like Django's
//! `cached_db` sessions, reads go through this cache and every write in this
//! process empties the affected entry first:
//! - the session store's save, create and delete forget that session id;
//! - ending a user's sessions, changing a role or a password clear it all
//!   (rare events; clearing everything cannot miss an entry).
//!
//! A change made by another process (`academy user set-role`) applies within
//! [`TTL`]. A read that races a write cannot put a stale entry back: every
//! forget bumps a generation, and an entry read before the bump is dropped.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use super::db::SessionUser;

/// How long an entry is trusted without the database.
pub const TTL: Duration = Duration::from_secs(60);
/// More entries than this and the cache starts over (bounded memory).
const MAX_ENTRIES: usize = 50_000;

#[derive(Default)]
struct Inner {
    entries: Mutex<HashMap<String, (Instant, Arc<SessionUser>)>>,
    generation: AtomicU64,
}

#[derive(Clone, Default)]
pub struct SessionCache(Arc<Inner>);

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionCache")
    }
}

impl SessionCache {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Arc<SessionUser>)>> {
        self.0.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The generation to pass to [`SessionCache::put`] after a database read.
    pub fn generation(&self) -> u64 {
        self.0.generation.load(Ordering::Acquire)
    }

    /// A live entry for `id`: read within [`TTL`] and not past its expiry.
    pub fn get(&self, id: &str, now_unix: i64) -> Option<Arc<SessionUser>> {
        let entries = self.entries();
        let (at, found) = entries.get(id)?;
        (at.elapsed() < TTL && found.expiry > now_unix).then(|| found.clone())
    }

    /// Keeps what was read from the database, unless anything was forgotten
    /// since `generation` was taken (the read may predate that write).
    pub fn put(&self, id: &str, found: Arc<SessionUser>, generation: u64) {
        let mut entries = self.entries();
        if self.generation() != generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(id.to_string(), (Instant::now(), found));
    }

    /// Drops one session (it was saved, replaced or deleted).
    pub fn forget(&self, id: &str) {
        let mut entries = self.entries();
        self.0.generation.fetch_add(1, Ordering::AcqRel);
        entries.remove(id);
    }

    /// Drops everything (a user's sessions ended, a role or password changed).
    pub fn clear(&self) {
        let mut entries = self.entries();
        self.0.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(expiry: i64) -> Arc<SessionUser> {
        Arc::new(SessionUser {
            user: None,
            data: Default::default(),
            expiry,
        })
    }

    #[test]
    fn serves_what_it_was_given_until_forgotten() {
        let cache = SessionCache::default();
        assert!(cache.get("a", 100).is_none());
        cache.put("a", found(200), cache.generation());
        assert!(cache.get("a", 100).is_some());
        assert!(cache.get("a", 200).is_none(), "past the session's expiry");
        cache.forget("a");
        assert!(cache.get("a", 100).is_none());
        cache.put("b", found(200), cache.generation());
        cache.clear();
        assert!(cache.get("b", 100).is_none());
    }

    #[test]
    fn a_read_that_raced_a_write_is_not_kept() {
        let cache = SessionCache::default();
        let before = cache.generation();
        // Another request logs out while this one reads the old row...
        cache.forget("a");
        // ...so what this one read must not come back.
        cache.put("a", found(200), before);
        assert!(cache.get("a", 100).is_none());
    }
}
