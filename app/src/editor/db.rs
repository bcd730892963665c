//! Every query of the editor: revisions.

use crate::db::Db;

use super::model::RevisionInfo;

pub async fn add_revision(
    pool: &Db,
    track: &str,
    slug: &str,
    author_id: i64,
    hash: &str,
    body: &str,
) -> Result<i64, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_scalar(
        "INSERT INTO lesson_revisions (track, slug, author_id, hash, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(track)
    .bind(slug)
    .bind(author_id)
    .bind(hash)
    .bind(body)
    .bind(crate::common::time::now())
    .fetch_one(p)
    .await)
}

/// Newest first.
pub async fn revisions(
    pool: &Db,
    track: &str,
    slug: &str,
) -> Result<Vec<RevisionInfo>, sqlx::Error> {
    // A deleted author is named so; times are formatted here, not in SQL
    // (the two engines format dates differently).
    let rows: Vec<(i64, String, i64, String)> = on_db!(pool, |p| sqlx::query_as(
        "SELECT r.id, coalesce(u.display_name, '(deleted account)') AS author,
                r.created_at, r.hash
         FROM lesson_revisions r LEFT JOIN users u ON u.id = r.author_id
         WHERE r.track = $1 AND r.slug = $2 ORDER BY r.id DESC",
    )
    .bind(track)
    .bind(slug)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, author, at, hash)| RevisionInfo {
            id,
            author,
            created_at: crate::common::time::iso_time(at),
            hash,
        })
        .collect())
}

/// A revision's text and the text of the one before it (for the diff).
pub async fn revision_with_previous(
    pool: &Db,
    track: &str,
    slug: &str,
    id: i64,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    let body: Option<String> = on_db!(pool, |p| sqlx::query_scalar(
        "SELECT body FROM lesson_revisions WHERE id = $1 AND track = $2 AND slug = $3",
    )
    .bind(id)
    .bind(track)
    .bind(slug)
    .fetch_optional(p)
    .await)?;
    let Some(body) = body else { return Ok(None) };
    let previous: Option<String> = on_db!(pool, |p| {
        sqlx::query_scalar(
        "SELECT body FROM lesson_revisions WHERE track = $1 AND slug = $2 AND id < $3 ORDER BY id DESC LIMIT 1",
    )
    .bind(track)
    .bind(slug)
    .bind(id)
    .fetch_optional(p)
    .await
    })?;
    Ok(Some((body, previous)))
}
