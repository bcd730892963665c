//! Hot reload: a file watcher (notify) reloads the content when anything
//! under the content root changes, e.g. after `git pull`.
//!
//! Only changes count: access events are ignored, or the reload's own
//! reading of the files would trigger the next reload, forever.

use std::time::Duration;

use notify_debouncer_mini::notify::{self, EventKind, RecursiveMode, Watcher};
use sqlx::SqlitePool;

use super::store::Content;

/// Quiet period before a reload: one `git pull` touching many files gives one reload.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// Whether a file-system event changes content (not merely reads it).
pub fn is_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
    )
}

/// Starts watching; the watcher lives as long as the returned task.
pub fn spawn(content: Content, pool: SqlitePool) -> Option<tokio::task::JoinHandle<()>> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut watcher =
        match notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res {
                if is_change(&event.kind) {
                    let _ = tx.send(());
                }
            }
        }) {
            Ok(w) => w,
            Err(e) => {
                tracing::warn!(error = %e, "cannot start the content watcher; hot reload is off");
                return None;
            }
        };
    if let Err(e) = watcher.watch(content.root(), RecursiveMode::Recursive) {
        tracing::warn!(error = %e, root = %content.root().display(), "cannot watch content; hot reload is off");
        return None;
    }
    tracing::info!(root = %content.root().display(), "watching content for changes");
    Some(tokio::spawn(async move {
        let _keep_alive = watcher;
        while rx.recv().await.is_some() {
            // Let a burst of changes settle, then reload once.
            tokio::time::sleep(DEBOUNCE).await;
            while rx.try_recv().is_ok() {}
            content.reload(&pool).await;
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, ModifyKind};

    #[test]
    fn reads_are_not_changes() {
        assert!(!is_change(&EventKind::Access(AccessKind::Any)));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
    }
}
