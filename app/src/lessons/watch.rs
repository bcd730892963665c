//! Hot reload: a file watcher (notify, debounced) reloads the content when
//! anything under the content root changes, e.g. after `git pull`.

use std::time::Duration;

use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode};
use sqlx::SqlitePool;

use super::store::Content;

/// Quiet period before a reload: one `git pull` touching many files gives one reload.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// Starts watching; the watcher lives as long as the returned task.
pub fn spawn(content: Content, pool: SqlitePool) -> Option<tokio::task::JoinHandle<()>> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut debouncer = match new_debouncer(DEBOUNCE, move |res| {
        if let Ok(events) = res {
            let events: Vec<notify_debouncer_mini::DebouncedEvent> = events;
            if !events.is_empty() {
                let _ = tx.send(());
            }
        }
    }) {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(error = %e, "cannot start the content watcher; hot reload is off");
            return None;
        }
    };
    if let Err(e) = debouncer
        .watcher()
        .watch(content.root(), RecursiveMode::Recursive)
    {
        tracing::warn!(error = %e, root = %content.root().display(), "cannot watch content; hot reload is off");
        return None;
    }
    tracing::info!(root = %content.root().display(), "watching content for changes");
    Some(tokio::spawn(async move {
        let _keep_alive = debouncer;
        while rx.recv().await.is_some() {
            while rx.try_recv().is_ok() {}
            content.reload(&pool).await;
        }
    }))
}
