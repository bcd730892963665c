//! Files under the content root, safely: slugs only, the canonical path
//! must stay inside the root, no symlinks followed out, atomic writes
//! (temp file in the same folder, fsync, rename, fsync the folder), and a
//! lock per file so a conflict check and the write it allows are one step.

use std::{
    collections::HashMap,
    io::Write,
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, PoisonError,
    },
};

use sha2::{Digest, Sha256};

use crate::common::slug::is_slug;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PathError {
    #[error("Names may use lowercase letters, digits and hyphens only (at most 64 characters).")]
    BadName,
    #[error("That path is outside the content folder.")]
    Outside,
    #[error("There is no such track.")]
    NoTrack,
}

/// A refused path is the caller's mistake (400), a missing track a 404.
impl From<PathError> for crate::error::AppError {
    fn from(e: PathError) -> Self {
        match e {
            PathError::NoTrack => crate::error::AppError::NotFound(e.to_string()),
            _ => crate::error::AppError::BadRequest(e.to_string()),
        }
    }
}

/// The hash an edit form carries to detect conflicting saves.
pub fn content_hash(text: &str) -> String {
    bytes_hash(text.as_bytes())
}

/// 32 hex digits of the SHA-256 of `bytes`: of the bytes themselves, never
/// of a lossy UTF-8 copy (which maps every invalid sequence to U+FFFD, so
/// two different images would share a name and one would replace the other).
pub fn bytes_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One async lock per file path, so that checking a file (its hash, whether
/// it exists) and writing it happen as one step for concurrent requests:
/// without it, several saves opened from the same version all passed the
/// conflict check and overwrote each other. Entries are dropped once nobody
/// holds or waits for them.
#[derive(Debug, Default)]
pub struct PathLocks(Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>);

impl PathLocks {
    /// Waits until no other request holds `path`, then holds it until the
    /// guard drops. Paths are compared as given: pass the checked path from
    /// [`lesson_path`] or [`track_dir`], which are canonical.
    pub async fn lock(&self, path: &Path) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            // The map is only touched here, without awaiting: a panic
            // cannot leave it half-updated, so a poisoned one is usable.
            let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            map.retain(|_, l| Arc::strong_count(l) > 1);
            map.entry(path.to_path_buf()).or_default().clone()
        };
        lock.lock_owned().await
    }
}

/// The folder of `track` inside `root`, checked.
pub fn track_dir(root: &Path, track: &str) -> Result<PathBuf, PathError> {
    if !is_slug(track) {
        return Err(PathError::BadName);
    }
    let root = root.canonicalize().map_err(|_| PathError::Outside)?;
    let dir = root.join(track);
    let meta = std::fs::symlink_metadata(&dir).map_err(|_| PathError::NoTrack)?;
    if meta.file_type().is_symlink() || !meta.is_dir() {
        return Err(PathError::Outside);
    }
    let canonical = dir.canonicalize().map_err(|_| PathError::NoTrack)?;
    if !canonical.starts_with(&root) {
        return Err(PathError::Outside);
    }
    Ok(canonical)
}

/// The markdown file of `track/slug` inside `root` (it may not exist yet).
pub fn lesson_path(root: &Path, track: &str, slug: &str) -> Result<PathBuf, PathError> {
    if !is_slug(slug) {
        return Err(PathError::BadName);
    }
    let dir = track_dir(root, track)?;
    let path = dir.join(format!("{slug}.md"));
    if let Ok(meta) = std::fs::symlink_metadata(&path) {
        if meta.file_type().is_symlink() || !meta.is_file() {
            return Err(PathError::Outside);
        }
    }
    Ok(path)
}

/// A lesson's file that passed the checks of [`lesson_path`] (it may not
/// exist yet), with the names it was asked for by. The editor's operations
/// take this rather than names, so none of them can be handed a path that
/// was not checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonFile {
    track: String,
    slug: String,
    path: PathBuf,
}

impl LessonFile {
    /// The file of `track/slug` inside `root`, checked.
    pub fn find(root: &Path, track: &str, slug: &str) -> Result<LessonFile, PathError> {
        Ok(LessonFile {
            path: lesson_path(root, track, slug)?,
            track: track.to_string(),
            slug: slug.to_string(),
        })
    }

    pub fn track(&self) -> &str {
        &self.track
    }

    pub fn slug(&self) -> &str {
        &self.slug
    }

    /// Canonical: the key of the file's lock in [`PathLocks`].
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Numbers the temp files of this process, so concurrent writes of one
/// file never share a temp file (with the pid alone, one writer's rename
/// could take another's half-written file, or find it already gone).
static TEMP_SEQ: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically: readers see the old file or the
/// new one, never half of it, and the rename is durable. Concurrent calls
/// are safe (each has its own temp file; the last rename wins), but a
/// check-then-write needs [`PathLocks`].
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent folder"))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let seq = TEMP_SEQ.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{seq}.tmp", std::process::id()));
    let result = (|| {
        // `create_new`: never write through a file someone else made.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_and_bad_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("t")).unwrap();
        assert!(lesson_path(dir.path(), "t", "ok-name").is_ok());
        for (track, slug) in [
            ("..", "x"),
            ("t", ".."),
            ("t", "../../etc/passwd"),
            ("t", "%2e%2e"),
            ("t", "/etc/passwd"),
            ("t", "a\\b"),
            ("t", "a\0b"),
            ("t", "UPPER"),
            ("t/..", "x"),
        ] {
            assert_eq!(
                lesson_path(dir.path(), track, slug),
                Err(PathError::BadName),
                "{track}/{slug}"
            );
        }
        assert_eq!(
            lesson_path(dir.path(), "missing", "x"),
            Err(PathError::NoTrack)
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("evil")).unwrap();
        assert_eq!(
            lesson_path(dir.path(), "evil", "x"),
            Err(PathError::Outside)
        );
        std::fs::create_dir(dir.path().join("t")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", dir.path().join("t/link.md")).unwrap();
        assert_eq!(
            lesson_path(dir.path(), "t", "link"),
            Err(PathError::Outside)
        );
    }

    #[test]
    fn atomic_write_replaces_content_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert_ne!(content_hash("a"), content_hash("b"));
        assert_eq!(content_hash("a").len(), 32);
    }

    #[test]
    fn bytes_hash_tells_invalid_utf8_apart() {
        let (a, b) = (
            b"\x89PNG\r\n\x1a\n\xff".as_slice(),
            b"\x89PNG\r\n\x1a\n\xfe".as_slice(),
        );
        // Both read as the same lossy text...
        assert_eq!(String::from_utf8_lossy(a), String::from_utf8_lossy(b));
        // ...but are different files.
        assert_ne!(bytes_hash(a), bytes_hash(b));
        assert_eq!(bytes_hash(b"text"), content_hash("text"));
    }

    #[test]
    fn concurrent_atomic_writes_of_one_file_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        let texts: Vec<String> = (0..16).map(|i| format!("text {i} ").repeat(1000)).collect();
        std::thread::scope(|s| {
            for t in &texts {
                let p = &p;
                s.spawn(move || atomic_write(p, t.as_bytes()).unwrap());
            }
        });
        let last = std::fs::read_to_string(&p).unwrap();
        assert!(texts.contains(&last), "one whole text wins");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp files left"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn path_locks_serialise_one_path_only() {
        let locks = Arc::new(PathLocks::default());
        let a = locks.lock(Path::new("/x/a.md")).await;
        // Another path is free.
        let b = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            locks.lock(Path::new("/x/b.md")),
        )
        .await
        .expect("another path is not blocked");
        // The same path waits for the holder.
        let waiter = {
            let locks = locks.clone();
            tokio::spawn(async move { drop(locks.lock(Path::new("/x/a.md")).await) })
        };
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!waiter.is_finished(), "the same path waits");
        drop(a);
        waiter.await.unwrap();
        drop(b);
        // Idle entries are forgotten.
        let c = locks.lock(Path::new("/x/c.md")).await;
        assert_eq!(locks.0.lock().unwrap().len(), 1);
        drop(c);
    }
}
