//! Read-through caches for data that only this process writes.
//!
//! Every signed-in request needs its session, its user and (on lesson and
//! progress pages) the learner's completed lessons; reading them costs a
//! SQLite round trip on sqlx's connection thread each — on the signed-in
//! lesson page about a fifth of the CPU went to those hand-offs. Like
//! Django's `cached_db` sessions, reads go through a [`ReadCache`] and every
//! write in this process empties the affected entry right after it commits:
//! - sessions (`auth::session`): the session store's save, create and delete
//!   forget that id; ending a user's sessions, changing a role or a password
//!   clear everything (rare events; clearing cannot miss an entry);
//! - completed lessons (`progress::writer`): the writer task, the only writer
//!   of completions, forgets each learner of a batch before acknowledging it.
//!
//! A change made by another process (`academy user set-role`) applies within
//! [`TTL`]. A read that races a write cannot put a stale entry back: every
//! forget bumps a generation, and a value read before the bump is dropped.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, MutexGuard,
    },
    time::{Duration, Instant},
};

/// How long an entry is trusted without the database.
pub const TTL: Duration = Duration::from_secs(60);
/// More entries than this and the cache starts over (bounded memory).
const MAX_ENTRIES: usize = 50_000;

/// The entries, and when each key (or everything) was last forgotten, in
/// ticks of `Inner::generation`.
struct Entries<K, V> {
    values: HashMap<K, (Instant, Arc<V>)>,
    forgotten: HashMap<K, u64>,
    cleared: u64,
}

struct Inner<K, V> {
    entries: Mutex<Entries<K, V>>,
    /// Ticks on every forget; a read notes it before reading the database.
    generation: AtomicU64,
    /// Where forgetting is also announced to the other instances
    /// (PostgreSQL; see [`ReadCache::share`]).
    shared: std::sync::OnceLock<(crate::db::notify::Bus, &'static str)>,
}

pub struct ReadCache<K, V>(Arc<Inner<K, V>>);

impl<K, V> Clone for ReadCache<K, V> {
    fn clone(&self) -> Self {
        ReadCache(self.0.clone())
    }
}

impl<K, V> Default for ReadCache<K, V> {
    fn default() -> Self {
        ReadCache(Arc::new(Inner {
            entries: Mutex::new(Entries {
                values: HashMap::new(),
                forgotten: HashMap::new(),
                cleared: 0,
            }),
            generation: AtomicU64::new(0),
            shared: std::sync::OnceLock::new(),
        }))
    }
}

impl<K, V> std::fmt::Debug for ReadCache<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReadCache")
    }
}

impl<K: Hash + Eq + Clone, V> ReadCache<K, V> {
    fn entries(&self) -> MutexGuard<'_, Entries<K, V>> {
        self.0.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The generation to pass to [`ReadCache::put`] after a database read.
    pub fn generation(&self) -> u64 {
        self.0.generation.load(Ordering::Acquire)
    }

    /// The entry for `key` if it was read within [`TTL`].
    pub fn get(&self, key: &K) -> Option<Arc<V>> {
        let entries = self.entries();
        let (at, value) = entries.values.get(key)?;
        (at.elapsed() < TTL).then(|| value.clone())
    }

    /// Keeps what was read from the database, unless this key (or
    /// everything) was forgotten since `generation` was taken: the read may
    /// predate that write. Per key, so that a stream of other learners'
    /// writes (or other instances' announcements) never stops caching.
    pub fn put(&self, key: K, value: Arc<V>, generation: u64) {
        let mut entries = self.entries();
        let forgotten = entries.forgotten.get(&key).copied().unwrap_or(0);
        if entries.cleared > generation || forgotten > generation {
            return;
        }
        if entries.values.len() >= MAX_ENTRIES {
            entries.values.clear();
        }
        entries.values.insert(key, (Instant::now(), value));
    }

    /// Drops one entry: call after its row changed (and committed). Other
    /// instances drop it too, within a second (see [`ReadCache::share`]).
    pub fn forget(&self, key: &K)
    where
        K: std::fmt::Display,
    {
        self.forget_here(key);
        if let Some((bus, topic)) = self.0.shared.get() {
            bus.publish(topic, &key.to_string());
        }
    }

    /// Drops everything, here and on the other instances.
    pub fn clear(&self) {
        self.clear_here();
        if let Some((bus, topic)) = self.0.shared.get() {
            bus.publish(topic, crate::db::notify::ALL);
        }
    }

    fn forget_here(&self, key: &K) {
        let mut entries = self.entries();
        let tick = self.0.generation.fetch_add(1, Ordering::AcqRel) + 1;
        entries.values.remove(key);
        if entries.forgotten.len() >= MAX_ENTRIES {
            // Bounded: forgetting which keys were forgotten is safe if it
            // counts as forgetting everything.
            entries.forgotten.clear();
            entries.cleared = tick;
        } else {
            entries.forgotten.insert(key.clone(), tick);
        }
    }

    fn clear_here(&self) {
        let mut entries = self.entries();
        let tick = self.0.generation.fetch_add(1, Ordering::AcqRel) + 1;
        entries.values.clear();
        entries.forgotten.clear();
        entries.cleared = tick;
    }
}

impl<K, V> ReadCache<K, V>
where
    K: Hash + Eq + Clone + std::str::FromStr + Send + 'static,
    V: Send + Sync + 'static,
{
    /// With several instances (PostgreSQL), every `forget` and `clear` here
    /// is announced on `bus` as `topic`, and announcements from the other
    /// instances are applied here: a sign-out or role change on instance A
    /// empties B's entry within a second instead of the minute of [`TTL`].
    pub fn share(&self, bus: &crate::db::notify::Bus, topic: &'static str) {
        if !bus.is_shared() || self.0.shared.set((bus.clone(), topic)).is_err() {
            return;
        }
        let weak = Arc::downgrade(&self.0);
        bus.on(topic, move |arg| {
            let Some(inner) = weak.upgrade() else { return };
            let cache = ReadCache(inner);
            if arg == crate::db::notify::ALL {
                cache.clear_here();
            } else if let Ok(key) = arg.parse::<K>() {
                cache.forget_here(&key);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_what_it_was_given_until_forgotten() {
        let cache = ReadCache::<&str, u32>::default();
        assert!(cache.get(&"a").is_none());
        cache.put("a", Arc::new(1), cache.generation());
        assert_eq!(cache.get(&"a").as_deref(), Some(&1));
        cache.forget(&"a");
        assert!(cache.get(&"a").is_none());
        cache.put("b", Arc::new(2), cache.generation());
        cache.clear();
        assert!(cache.get(&"b").is_none());
    }

    #[test]
    fn a_read_that_raced_a_write_is_not_kept() {
        let cache = ReadCache::<&str, u32>::default();
        let before = cache.generation();
        // Another request writes while this one reads the old row...
        cache.forget(&"a");
        // ...so what this one read must not come back.
        cache.put("a", Arc::new(1), before);
        assert!(cache.get(&"a").is_none());
        // Another key read at the same time is kept: forgetting "a" says
        // nothing about "b".
        cache.put("b", Arc::new(2), before);
        assert_eq!(cache.get(&"b").as_deref(), Some(&2));
        // Clearing everything rejects every read that started before.
        let before = cache.generation();
        cache.clear();
        cache.put("c", Arc::new(3), before);
        assert!(cache.get(&"c").is_none());
    }
}
