//! Every query of the practice API. Functions taking a connection run
//! inside the request's `BEGIN IMMEDIATE` transaction (see
//! [`super::handle`]); those taking the pool are whole operations.

use sqlx::{FromRow, SqliteConnection, SqlitePool};

use super::{item::Item, limits, HistoryEntry};

/// The rate-limit window of a lab after counting this request.
#[derive(Debug, FromRow)]
pub struct Window {
    pub window_start: i64,
    pub window_count: i64,
}

/// Marks the lab used and counts the request in its rate-limit window;
/// `None` when the token is unknown or expired.
pub async fn touch(
    conn: &mut SqliteConnection,
    token: &str,
    now: i64,
) -> Result<Option<Window>, sqlx::Error> {
    // Every SET expression reads the row as it was, so both CASEs see the
    // old window.
    sqlx::query_as(
        "UPDATE lab_tokens SET
            window_count = CASE WHEN ?1 - window_start >= ?2 THEN 1 ELSE window_count + 1 END,
            window_start = CASE WHEN ?1 - window_start >= ?2 THEN ?1 ELSE window_start END,
            last_used_at = ?1
         WHERE token = ?3 AND last_used_at > ?1 - ?4
         RETURNING window_start, window_count",
    )
    .bind(now)
    .bind(limits::WINDOW_SECS)
    .bind(token)
    .bind(limits::EXPIRY_SECS)
    .fetch_optional(conn)
    .await
}

/// The existing (and fresh) token of the learner's lab, or a new one.
pub async fn token_for(
    pool: &SqlitePool,
    user_id: Option<i64>,
    lesson_id: &str,
    exercise_id: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    if let Some(user_id) = user_id {
        let found: Option<(String, i64)> = sqlx::query_as(
            "SELECT token, last_used_at FROM lab_tokens
             WHERE user_id = ? AND lesson_id = ? AND exercise_id = ?",
        )
        .bind(user_id)
        .bind(lesson_id)
        .bind(exercise_id)
        .fetch_optional(&mut *tx)
        .await?;
        match found {
            Some((token, used)) if used > now - limits::EXPIRY_SECS => {
                sqlx::query("UPDATE lab_tokens SET last_used_at = ? WHERE token = ?")
                    .bind(now)
                    .bind(&token)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                return Ok(token);
            }
            // Expired but not purged yet: its data goes with it.
            Some((token, _)) => {
                sqlx::query("DELETE FROM lab_tokens WHERE token = ?")
                    .bind(&token)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {}
        }
    }
    let token = crate::common::random::hex::<16>();
    sqlx::query(
        "INSERT INTO lab_tokens (token, user_id, lesson_id, exercise_id, created_at, last_used_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&token)
    .bind(user_id)
    .bind(lesson_id)
    .bind(exercise_id)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn discard(pool: &SqlitePool, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM lab_tokens WHERE token = ?")
        .bind(token)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn reset(pool: &SqlitePool, token: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    for sql in [
        "DELETE FROM lab_items WHERE token = ?",
        "DELETE FROM lab_idempotency WHERE token = ?",
        "DELETE FROM lab_requests WHERE token = ?",
        "UPDATE lab_tokens SET next_item_id = 1 WHERE token = ?",
    ] {
        sqlx::query(sql).bind(token).execute(&mut *tx).await?;
    }
    tx.commit().await
}

pub async fn purge_expired(pool: &SqlitePool, now: i64) -> Result<u64, sqlx::Error> {
    let before = now - limits::EXPIRY_SECS;
    let labs = sqlx::query("DELETE FROM lab_tokens WHERE last_used_at <= ?")
        .bind(before)
        .execute(pool)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM lab_idempotency WHERE created_at <= ?")
        .bind(before)
        .execute(pool)
        .await?;
    Ok(labs)
}

// ----------------------------------------------------------------- items

/// The column list of an [`Item`], written once.
macro_rules! select_item {
    ($rest:literal) => {
        concat!(
            "SELECT id, name, quantity, etag FROM lab_items WHERE token = ? ",
            $rest
        )
    };
}

pub async fn item(
    conn: &mut SqliteConnection,
    token: &str,
    id: i64,
) -> Result<Option<Item>, sqlx::Error> {
    sqlx::query_as(select_item!("AND id = ?"))
        .bind(token)
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Up to `limit` items with ids above `after`, by id.
pub async fn items_after(
    conn: &mut SqliteConnection,
    token: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<Item>, sqlx::Error> {
    sqlx::query_as(select_item!("AND id > ? ORDER BY id LIMIT ?"))
        .bind(token)
        .bind(after)
        .bind(limit)
        .fetch_all(conn)
        .await
}

pub async fn count_items(conn: &mut SqliteConnection, token: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM lab_items WHERE token = ?")
        .bind(token)
        .fetch_one(conn)
        .await
}

/// Stores a new item under the lab's next id and returns it.
pub async fn insert_item(
    conn: &mut SqliteConnection,
    token: &str,
    name: &str,
    quantity: i64,
    etag: &str,
) -> Result<Item, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "UPDATE lab_tokens SET next_item_id = next_item_id + 1 WHERE token = ?
         RETURNING next_item_id - 1",
    )
    .bind(token)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO lab_items (token, id, name, quantity, etag) VALUES (?, ?, ?, ?, ?)")
        .bind(token)
        .bind(id)
        .bind(name)
        .bind(quantity)
        .bind(etag)
        .execute(&mut *conn)
        .await?;
    Ok(Item {
        id,
        name: name.to_string(),
        quantity,
        etag: etag.to_string(),
    })
}

/// Replaces the item's fields if its ETag is still `old_etag`.
pub async fn update_item(
    conn: &mut SqliteConnection,
    token: &str,
    old_etag: &str,
    new: &Item,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE lab_items SET name = ?, quantity = ?, etag = ?
         WHERE token = ? AND id = ? AND etag = ?",
    )
    .bind(&new.name)
    .bind(new.quantity)
    .bind(&new.etag)
    .bind(token)
    .bind(new.id)
    .bind(old_etag)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes the item if its ETag is still `etag`.
pub async fn delete_item(
    conn: &mut SqliteConnection,
    token: &str,
    id: i64,
    etag: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM lab_items WHERE token = ? AND id = ? AND etag = ?")
        .bind(token)
        .bind(id)
        .bind(etag)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

// ------------------------------------------------------ idempotency keys

/// A stored first answer to a POST with an `Idempotency-Key`.
#[derive(Debug, FromRow)]
pub struct Remembered {
    pub fingerprint: String,
    pub status: i64,
    /// JSON `[[name, value], ...]`.
    pub headers: String,
    pub body: Vec<u8>,
}

/// The answer remembered for `key`, if it is younger than the expiry.
pub async fn remembered(
    conn: &mut SqliteConnection,
    token: &str,
    key: &str,
    now: i64,
) -> Result<Option<Remembered>, sqlx::Error> {
    sqlx::query_as(
        "SELECT fingerprint, status, headers, body FROM lab_idempotency
         WHERE token = ? AND key = ? AND created_at > ?",
    )
    .bind(token)
    .bind(key)
    .bind(now - limits::EXPIRY_SECS)
    .fetch_optional(conn)
    .await
}

/// Remembers the answer for `key` (replacing an expired one), keeping the
/// newest [`limits::KEYS_KEPT`] keys of the lab.
pub async fn remember(
    conn: &mut SqliteConnection,
    token: &str,
    key: &str,
    answer: &Remembered,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO lab_idempotency (token, key, fingerprint, status, headers, body, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (token, key) DO UPDATE SET fingerprint = excluded.fingerprint,
            status = excluded.status, headers = excluded.headers, body = excluded.body,
            created_at = excluded.created_at",
    )
    .bind(token)
    .bind(key)
    .bind(&answer.fingerprint)
    .bind(answer.status)
    .bind(&answer.headers)
    .bind(&answer.body)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM lab_idempotency WHERE token = ?1 AND id <= (
            SELECT id FROM lab_idempotency WHERE token = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
    )
    .bind(token)
    .bind(limits::KEYS_KEPT)
    .execute(conn)
    .await?;
    Ok(())
}

// ---------------------------------------------------------------- history

#[derive(Debug, FromRow)]
struct RequestRow {
    at: i64,
    method: String,
    path: String,
    query: Option<String>,
    request_headers: String,
    status: i64,
    response_headers: String,
}

impl From<RequestRow> for HistoryEntry {
    fn from(r: RequestRow) -> HistoryEntry {
        HistoryEntry {
            at: r.at,
            method: r.method,
            path: r.path,
            query: r.query,
            request_headers: serde_json::from_str(&r.request_headers).unwrap_or_default(),
            status: u16::try_from(r.status).unwrap_or(0),
            response_headers: serde_json::from_str(&r.response_headers).unwrap_or_default(),
        }
    }
}

/// Appends `entry` to the lab's history, keeping the newest
/// [`limits::HISTORY_KEPT`].
pub async fn record(
    conn: &mut SqliteConnection,
    token: &str,
    entry: &HistoryEntry,
) -> Result<(), sqlx::Error> {
    let request_headers = serde_json::to_string(&entry.request_headers).unwrap_or_default();
    let response_headers = serde_json::to_string(&entry.response_headers).unwrap_or_default();
    sqlx::query(
        "INSERT INTO lab_requests
            (token, at, method, path, query, request_headers, status, response_headers)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(token)
    .bind(entry.at)
    .bind(&entry.method)
    .bind(&entry.path)
    .bind(&entry.query)
    .bind(request_headers)
    .bind(i64::from(entry.status))
    .bind(response_headers)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM lab_requests WHERE token = ?1 AND id <= (
            SELECT id FROM lab_requests WHERE token = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
    )
    .bind(token)
    .bind(limits::HISTORY_KEPT)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn history(pool: &SqlitePool, token: &str) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    let rows: Vec<RequestRow> = sqlx::query_as(
        "SELECT at, method, path, query, request_headers, status, response_headers
         FROM lab_requests WHERE token = ? ORDER BY id",
    )
    .bind(token)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(HistoryEntry::from).collect())
}
