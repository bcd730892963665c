//! An editor save reaches every instance.
//!
//! Each instance serves its own content folder. On one machine the editor's
//! atomic write and reload is the whole story. With several instances
//! (PostgreSQL) the database is where a save is published: the written file
//! is stored in `published_files` and announced on the bus; every other
//! instance writes it atomically into its own folder and reloads, within a
//! second. An instance that was down, or lost its event connection, catches
//! up from the table: it remembers the last row it applied in
//! `<content>/.academy-published`, and on start (and after a reconnect)
//! applies every newer row. A new instance with no marker takes its folder
//! as current (it was just deployed or pulled) and starts from the newest
//! row. Curricula kept in git still work: `git pull` on each host changes
//! files, and the watcher reloads them as before.

use std::path::{Component, Path};

use crate::{
    auth::model::User,
    common::time::now,
    db::Db,
    editor::fs::atomic_write,
    error::AppError,
    state::{AppState, WeakAppState},
};

/// The bus topic of a published file (the argument is the row id).
const TOPIC: &str = "file";
/// The marker file of the last applied row, in the content folder.
const MARKER: &str = ".academy-published";

/// Records that `user` wrote `rel` (relative to the content folder) with
/// `bytes`, and tells the other instances. Call after the local write and
/// reload. On SQLite (one instance) there is nobody to tell.
pub async fn published(
    state: &AppState,
    user: &User,
    rel: &str,
    bytes: &[u8],
) -> Result<(), AppError> {
    if !state.bus.is_shared() {
        return Ok(());
    }
    let id: i64 = on_db!(&state.pool, |p| sqlx::query_scalar(
        "INSERT INTO published_files (path, body, author_id, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id"
    )
    .bind(rel)
    .bind(bytes)
    .bind(user.id)
    .bind(now())
    .fetch_one(p)
    .await)?;
    // This instance has the file already: move its marker past it, unless
    // other rows are still to be applied (catching up will get there).
    let mut last = state.publications().last.lock().await;
    if *last == id - 1 {
        *last = id;
        write_marker(state.content.root(), id);
    }
    drop(last);
    state.bus.publish(TOPIC, &id.to_string());
    Ok(())
}

/// What this instance has applied; one per state.
#[derive(Debug, Default)]
pub struct Follower {
    last: tokio::sync::Mutex<i64>,
}

/// Starts following the other instances' saves (PostgreSQL only): catches
/// up with what was published while this instance was away, then applies
/// each announced file.
pub async fn follow(state: &AppState) {
    if !state.bus.is_shared() {
        return;
    }
    let root = state.content.root().to_path_buf();
    let marker = std::fs::read_to_string(root.join(MARKER))
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    match marker {
        Some(id) => {
            *state.publications().last.lock().await = id;
            catch_up(state).await;
        }
        None => match newest(&state.pool).await {
            Ok(id) => {
                *state.publications().last.lock().await = id;
                write_marker(&root, id);
            }
            Err(e) => tracing::error!(error = %e, "cannot read published files"),
        },
    }
    let weak: WeakAppState = state.downgrade();
    state.bus.on(TOPIC, move |_| {
        if let Some(state) = weak.upgrade() {
            tokio::spawn(async move { catch_up(&state).await });
        }
    });
}

async fn newest(db: &Db) -> Result<i64, sqlx::Error> {
    on_db!(db, |p| sqlx::query_scalar(
        "SELECT coalesce(max(id), 0) FROM published_files"
    )
    .fetch_one(p)
    .await)
}

/// Applies every published row newer than the last applied one, in order,
/// then reloads the content once.
async fn catch_up(state: &AppState) {
    let mut last = state.publications().last.lock().await;
    let rows: Vec<(i64, String, Vec<u8>)> = match on_db!(&state.pool, |p| sqlx::query_as(
        "SELECT id, path, body FROM published_files WHERE id > $1 ORDER BY id"
    )
    .bind(*last)
    .fetch_all(p)
    .await)
    {
        Ok(rows) => rows,
        Err(e) => {
            tracing::error!(error = %e, "cannot read published files");
            return;
        }
    };
    if rows.is_empty() {
        return;
    }
    let root = state.content.root().to_path_buf();
    for (id, rel, body) in rows {
        match write_under(&root, &rel, &body) {
            Ok(()) => {
                tracing::info!(id, file = %rel, "applied a file published by another instance")
            }
            Err(e) => tracing::error!(id, file = %rel, error = %e, "cannot apply a published file"),
        }
        *last = id;
    }
    write_marker(&root, *last);
    drop(last);
    state.content.reload(&state.search).await;
}

/// Writes `bytes` to `root/rel`, creating its folder; refuses any path
/// that is not plain names inside `root` (a row is data, not trusted).
fn write_under(root: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = Path::new(rel);
    let plain = path.components().all(|c| match c {
        Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
        _ => false,
    });
    if !plain || rel.is_empty() {
        return Err(std::io::Error::other(
            "not a plain path inside the content folder",
        ));
    }
    let target = root.join(path);
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    atomic_write(&target, bytes)
}

fn write_marker(root: &Path, id: i64) {
    if let Err(e) = atomic_write(&root.join(MARKER), format!("{id}\n").as_bytes()) {
        tracing::warn!(error = %e, "cannot record the last applied published file");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_inside_the_folder_are_written() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [
            "../x.md",
            "/etc/passwd",
            "a/../../x",
            ".academy-published",
            "a/.git/config",
            "",
        ] {
            assert!(write_under(dir.path(), bad, b"x").is_err(), "{bad}");
        }
        write_under(dir.path(), "new-track/track.toml", b"title = \"T\"\n").unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("new-track/track.toml")).unwrap(),
            b"title = \"T\"\n"
        );
    }
}
