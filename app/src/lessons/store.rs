//! The live content: an `Arc<ContentStore>` swapped whole on reload, so a
//! request always sees one consistent version and reads never wait on a load.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, RwLock},
};

use sqlx::SqlitePool;

use super::{
    load,
    model::{ContentStore, SearchResults},
    search,
};

/// Search results of one content version, by normalised query.
type SearchCache = (u64, HashMap<(String, u32, crate::i18n::Lang), SearchResults>);
/// Most queries remembered per content version.
const SEARCH_CACHE_MAX: usize = 1_000;

/// Called on the loading thread when a content load has finished: the
/// binary sets it to give back to the OS what loading freed (its allocator
/// keeps freed pages of idle threads, such as the parallel renderer's,
/// until they allocate again; see `academy`'s `main`). Unset: nothing.
pub static AFTER_LOAD: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

fn loaded(store: ContentStore) -> ContentStore {
    if let Some(hook) = AFTER_LOAD.get() {
        hook();
    }
    store
}

#[derive(Clone, Debug)]
pub struct Content {
    root: PathBuf,
    current: Arc<RwLock<Arc<ContentStore>>>,
    searches: Arc<Mutex<SearchCache>>,
    vocabulary: search::Vocabulary,
}

impl Content {
    /// Loads `root` (blocking: call at start-up or in `spawn_blocking`).
    pub fn load(root: &Path) -> Content {
        let store = loaded(load::load(root, None));
        log_problems(&store);
        Content {
            root: root.to_path_buf(),
            current: Arc::new(RwLock::new(Arc::new(store))),
            searches: Arc::default(),
            vocabulary: Arc::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The current version; cheap (one `Arc` clone).
    pub fn get(&self) -> Arc<ContentStore> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn set(&self, store: ContentStore) -> Arc<ContentStore> {
        let store = Arc::new(store);
        match self.current.write() {
            Ok(mut guard) => *guard = store.clone(),
            Err(poisoned) => *poisoned.into_inner() = store.clone(),
        }
        store
    }

    /// Reloads from disk, rebuilds the search index, then swaps the store in.
    pub async fn reload(&self, pool: &SqlitePool) -> Arc<ContentStore> {
        let previous = self.get();
        let root = self.root.clone();
        let next = tokio::task::spawn_blocking(move || loaded(load::load(&root, Some(&previous))))
            .await;
        let mut next = match next {
            Ok(next) => next,
            Err(e) => {
                // The current version stays, and so does its search index.
                tracing::error!(error = %e, "content reload panicked; keeping the current version");
                return self.get();
            }
        };
        log_problems(&next);
        match search::rebuild(pool, &next, &self.vocabulary).await {
            Ok(()) => without_search_text(&mut next),
            Err(e) => tracing::error!(error = %e, "search index rebuild failed"),
        }
        let lessons = next.lesson_count();
        let version = next.version;
        let store = self.set(next);
        tracing::info!(version, lessons, "content reloaded");
        store
    }

    /// Searches the index, remembering results until the content changes
    /// (the same few queries are asked again and again; FTS5 snippets cost
    /// a millisecond or more each time).
    pub async fn search(
        &self,
        pool: &SqlitePool,
        input: &str,
        page: u32,
        lang: crate::i18n::Lang,
    ) -> Result<SearchResults, sqlx::Error> {
        let Some(query) = search::fts_query(input) else {
            return Ok(SearchResults::default());
        };
        let key = (query, page, lang);
        let version = self.get().version;
        if let Ok(cache) = self.searches.lock() {
            if cache.0 == version {
                if let Some(hits) = cache.1.get(&key) {
                    return Ok(hits.clone());
                }
            }
        }
        let hits = search::search(pool, &self.vocabulary, input, page, lang).await?;
        if let Ok(mut cache) = self.searches.lock() {
            if cache.0 != version || cache.1.len() >= SEARCH_CACHE_MAX {
                *cache = (version, HashMap::new());
            }
            cache.1.insert(key, hits.clone());
        }
        Ok(hits)
    }

    /// Builds the search index for the current version (start-up), then
    /// drops the lessons' search text from memory (see [`without_search_text`]).
    pub async fn index(&self, pool: &SqlitePool) -> Result<(), sqlx::Error> {
        search::rebuild(pool, &self.get(), &self.vocabulary).await?;
        let mut current = match self.current.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(store) = Arc::get_mut(&mut current) {
            without_search_text(store);
        }
        Ok(())
    }
}

/// Empties each lesson's plain text once it is in the search index: the
/// index (SQLite) is the only reader of it, and with 10,000 lessons it was
/// the largest part of the process's memory after the HTML. Lessons shared
/// with anyone else (none at start-up or right after a reload) are left as
/// they are rather than copied.
fn without_search_text(store: &mut ContentStore) {
    for lesson in store
        .lessons
        .values_mut()
        .chain(store.translations.values_mut())
    {
        if let Some(lesson) = Arc::get_mut(lesson) {
            lesson.text = String::new();
        }
    }
}

fn log_problems(store: &ContentStore) {
    for p in &store.problems {
        tracing::warn!(problem = %p, "content problem");
    }
}
