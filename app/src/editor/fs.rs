//! Files under the content root, safely: slugs only, the canonical path
//! must stay inside the root, no symlinks followed out, atomic writes
//! (temp file in the same folder, fsync, rename, fsync the folder).

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use sha2::{Digest, Sha256};

use crate::lessons::model::is_slug;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PathError {
    #[error("Names may use lowercase letters, digits and hyphens only (at most 64 characters).")]
    BadName,
    #[error("That path is outside the content folder.")]
    Outside,
    #[error("There is no such track.")]
    NoTrack,
}

/// The hash an edit form carries to detect conflicting saves.
pub fn content_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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

/// Writes `bytes` to `path` atomically: readers see the old file or the
/// new one, never half of it, and the rename is durable.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent folder"))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
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
}
