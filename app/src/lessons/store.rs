//! The live content: an `Arc<ContentStore>` swapped whole on reload, so a
//! request always sees one consistent version and reads never wait on a load.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
};

use sqlx::SqlitePool;

use super::{load, model::ContentStore, search};

#[derive(Clone, Debug)]
pub struct Content {
    root: PathBuf,
    current: Arc<RwLock<Arc<ContentStore>>>,
}

impl Content {
    /// Loads `root` (blocking: call at start-up or in `spawn_blocking`).
    pub fn load(root: &Path) -> Content {
        let store = load::load(root, None);
        log_problems(&store);
        Content {
            root: root.to_path_buf(),
            current: Arc::new(RwLock::new(Arc::new(store))),
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
        let next = tokio::task::spawn_blocking(move || load::load(&root, Some(&previous)))
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "content reload panicked; keeping the current version");
                (*self.get()).clone()
            });
        log_problems(&next);
        if let Err(e) = search::rebuild(pool, &next).await {
            tracing::error!(error = %e, "search index rebuild failed");
        }
        let lessons = next.lesson_count();
        let version = next.version;
        let store = self.set(next);
        tracing::info!(version, lessons, "content reloaded");
        store
    }

    /// Builds the search index for the current version (start-up).
    pub async fn index(&self, pool: &SqlitePool) -> Result<(), sqlx::Error> {
        search::rebuild(pool, &self.get()).await
    }
}

fn log_problems(store: &ContentStore) {
    for p in &store.problems {
        tracing::warn!(problem = %p, "content problem");
    }
}
