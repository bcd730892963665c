//! Every query of the editor: revisions.

use sqlx::SqlitePool;

use super::model::RevisionInfo;

pub async fn add_revision(
    pool: &SqlitePool,
    track: &str,
    slug: &str,
    author_id: i64,
    hash: &str,
    body: &str,
) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO lesson_revisions (track, slug, author_id, hash, body) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(track)
    .bind(slug)
    .bind(author_id)
    .bind(hash)
    .bind(body)
    .execute(pool)
    .await?
    .last_insert_rowid())
}

/// Newest first.
pub async fn revisions(
    pool: &SqlitePool,
    track: &str,
    slug: &str,
) -> Result<Vec<RevisionInfo>, sqlx::Error> {
    // Formatted like `common::time::iso_time`; a deleted author is named so.
    sqlx::query_as(
        "SELECT r.id, coalesce(u.display_name, '(deleted account)') AS author,
                strftime('%Y-%m-%dT%H:%M:%SZ', r.created_at, 'unixepoch') AS created_at, r.hash
         FROM lesson_revisions r LEFT JOIN users u ON u.id = r.author_id
         WHERE r.track = ? AND r.slug = ? ORDER BY r.id DESC",
    )
    .bind(track)
    .bind(slug)
    .fetch_all(pool)
    .await
}

/// A revision's text and the text of the one before it (for the diff).
pub async fn revision_with_previous(
    pool: &SqlitePool,
    track: &str,
    slug: &str,
    id: i64,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    let body: Option<String> = sqlx::query_scalar(
        "SELECT body FROM lesson_revisions WHERE id = ? AND track = ? AND slug = ?",
    )
    .bind(id)
    .bind(track)
    .bind(slug)
    .fetch_optional(pool)
    .await?;
    let Some(body) = body else { return Ok(None) };
    let previous: Option<String> = sqlx::query_scalar(
        "SELECT body FROM lesson_revisions WHERE track = ? AND slug = ? AND id < ? ORDER BY id DESC LIMIT 1",
    )
    .bind(track)
    .bind(slug)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(Some((body, previous)))
}
