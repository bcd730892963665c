//! Every query of the practice API. Functions taking a connection run
//! inside the request's `BEGIN IMMEDIATE` transaction (see
//! [`super::handle`]); those taking the pool are whole operations.

use sqlx::FromRow;

use crate::db::{Db, Tx};

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
    conn: &mut Tx,
    token: &str,
    now: i64,
) -> Result<Option<Window>, sqlx::Error> {
    // Every SET expression reads the row as it was, so both CASEs see the
    // old window.
    on_tx!(conn, |c| sqlx::query_as(
        "UPDATE lab_tokens SET
            window_count = CASE WHEN $1 - window_start >= $2 THEN 1 ELSE window_count + 1 END,
            window_start = CASE WHEN $1 - window_start >= $2 THEN $1 ELSE window_start END,
            last_used_at = $1
         WHERE token = $3 AND last_used_at > $1 - $4
         RETURNING window_start, window_count",
    )
    .bind(now)
    .bind(limits::WINDOW_SECS)
    .bind(token)
    .bind(limits::EXPIRY_SECS)
    .fetch_optional(&mut *c)
    .await)
}

/// The existing (and fresh) token of the learner's lab, or a new one.
/// Two first visits at once: on SQLite the write lock queues them; on
/// PostgreSQL the second insert meets the unique key, and trying again
/// finds the first one's token.
pub async fn token_for(
    pool: &Db,
    user_id: Option<i64>,
    lesson_id: &str,
    exercise_id: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let mut tries = 0;
    loop {
        match token_once(pool, user_id, lesson_id, exercise_id, now).await {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() && tries < 3 => tries += 1,
            other => return other,
        }
    }
}

async fn token_once(
    pool: &Db,
    user_id: Option<i64>,
    lesson_id: &str,
    exercise_id: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let mut tx = pool.begin().await?;
    if let Some(user_id) = user_id {
        let found: Option<(String, i64)> = on_tx!(tx, |c| sqlx::query_as(
            "SELECT token, last_used_at FROM lab_tokens
             WHERE user_id = $1 AND lesson_id = $2 AND exercise_id = $3",
        )
        .bind(user_id)
        .bind(lesson_id)
        .bind(exercise_id)
        .fetch_optional(&mut *c)
        .await)?;
        match found {
            Some((token, used)) if used > now - limits::EXPIRY_SECS => {
                on_tx!(tx, |c| sqlx::query("UPDATE lab_tokens SET last_used_at = $1 WHERE token = $2")
                    .bind(now)
                    .bind(&token)
                    .execute(&mut *c)
                    .await
                    .map(|d| d.rows_affected()))?;
                tx.commit().await?;
                return Ok(token);
            }
            // Expired but not purged yet: its data goes with it.
            Some((token, _)) => {
                on_tx!(tx, |c| sqlx::query("DELETE FROM lab_tokens WHERE token = $1")
                    .bind(&token)
                    .execute(&mut *c)
                    .await
                    .map(|d| d.rows_affected()))?;
            }
            None => {}
        }
    }
    let token = crate::common::random::hex::<16>();
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO lab_tokens (token, user_id, lesson_id, exercise_id, created_at, last_used_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&token)
    .bind(user_id)
    .bind(lesson_id)
    .bind(exercise_id)
    .bind(now)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    tx.commit().await?;
    Ok(token)
}

pub async fn discard(pool: &Db, token: &str) -> Result<(), sqlx::Error> {
    on_db!(pool, |p| sqlx::query("DELETE FROM lab_tokens WHERE token = $1")
        .bind(token)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
    Ok(())
}

pub async fn reset(pool: &Db, token: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for sql in [
        "DELETE FROM lab_items WHERE token = $1",
        "DELETE FROM lab_idempotency WHERE token = $1",
        "DELETE FROM lab_requests WHERE token = $1",
        "UPDATE lab_tokens SET next_item_id = 1 WHERE token = $1",
    ] {
        on_tx!(tx, |c| sqlx::query(sql).bind(token).execute(&mut *c).await.map(|d| d.rows_affected()))?;
    }
    tx.commit().await
}

pub async fn purge_expired(pool: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let before = now - limits::EXPIRY_SECS;
    let labs = on_db!(pool, |p| sqlx::query("DELETE FROM lab_tokens WHERE last_used_at <= $1")
        .bind(before)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
    on_db!(pool, |p| sqlx::query("DELETE FROM lab_idempotency WHERE created_at <= $1")
        .bind(before)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
    Ok(labs)
}

// ----------------------------------------------------------------- items

/// The column list of an [`Item`], written once.
macro_rules! select_item {
    ($rest:literal) => {
        concat!(
            "SELECT id, name, quantity, etag FROM lab_items WHERE token = $1 ",
            $rest
        )
    };
}

pub async fn item(
    conn: &mut Tx,
    token: &str,
    id: i64,
) -> Result<Option<Item>, sqlx::Error> {
    on_tx!(conn, |c| sqlx::query_as(select_item!("AND id = $2"))
        .bind(token)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

/// Up to `limit` items with ids above `after`, by id.
pub async fn items_after(
    conn: &mut Tx,
    token: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<Item>, sqlx::Error> {
    on_tx!(conn, |c| sqlx::query_as(select_item!("AND id > $2 ORDER BY id LIMIT $3"))
        .bind(token)
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *c)
        .await)
}

pub async fn count_items(conn: &mut Tx, token: &str) -> Result<i64, sqlx::Error> {
    on_tx!(conn, |c| sqlx::query_scalar("SELECT count(*) FROM lab_items WHERE token = $1")
        .bind(token)
        .fetch_one(&mut *c)
        .await)
}

/// Stores a new item under the lab's next id and returns it.
pub async fn insert_item(
    conn: &mut Tx,
    token: &str,
    name: &str,
    quantity: i64,
    etag: &str,
) -> Result<Item, sqlx::Error> {
    let id: i64 = on_tx!(conn, |c| sqlx::query_scalar(
        "UPDATE lab_tokens SET next_item_id = next_item_id + 1 WHERE token = $1
         RETURNING next_item_id - 1",
    )
    .bind(token)
    .fetch_one(&mut *c)
    .await)?;
    on_tx!(conn, |c| sqlx::query("INSERT INTO lab_items (token, id, name, quantity, etag) VALUES ($1, $2, $3, $4, $5)")
        .bind(token)
        .bind(id)
        .bind(name)
        .bind(quantity)
        .bind(etag)
        .execute(&mut *c)
        .await
        .map(|d| d.rows_affected()))?;
    Ok(Item {
        id,
        name: name.to_string(),
        quantity,
        etag: etag.to_string(),
    })
}

/// Replaces the item's fields if its ETag is still `old_etag`.
pub async fn update_item(
    conn: &mut Tx,
    token: &str,
    old_etag: &str,
    new: &Item,
) -> Result<bool, sqlx::Error> {
    let done = on_tx!(conn, |c| sqlx::query(
        "UPDATE lab_items SET name = $1, quantity = $2, etag = $3
         WHERE token = $4 AND id = $5 AND etag = $6",
    )
    .bind(&new.name)
    .bind(new.quantity)
    .bind(&new.etag)
    .bind(token)
    .bind(new.id)
    .bind(old_etag)
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(done == 1)
}

/// Deletes the item if its ETag is still `etag`.
pub async fn delete_item(
    conn: &mut Tx,
    token: &str,
    id: i64,
    etag: &str,
) -> Result<bool, sqlx::Error> {
    let done = on_tx!(conn, |c| sqlx::query("DELETE FROM lab_items WHERE token = $1 AND id = $2 AND etag = $3")
        .bind(token)
        .bind(id)
        .bind(etag)
        .execute(&mut *c)
        .await
        .map(|d| d.rows_affected()))?;
    Ok(done == 1)
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
    conn: &mut Tx,
    token: &str,
    key: &str,
    now: i64,
) -> Result<Option<Remembered>, sqlx::Error> {
    on_tx!(conn, |c| sqlx::query_as(
        "SELECT fingerprint, status, headers, body FROM lab_idempotency
         WHERE token = $1 AND key = $2 AND created_at > $3",
    )
    .bind(token)
    .bind(key)
    .bind(now - limits::EXPIRY_SECS)
    .fetch_optional(&mut *c)
    .await)
}

/// Remembers the answer for `key` (replacing an expired one), keeping the
/// newest [`limits::KEYS_KEPT`] keys of the lab.
pub async fn remember(
    conn: &mut Tx,
    token: &str,
    key: &str,
    answer: &Remembered,
    now: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(conn, |c| sqlx::query(
        "INSERT INTO lab_idempotency (token, key, fingerprint, status, headers, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
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
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    on_tx!(conn, |c| sqlx::query(
        "DELETE FROM lab_idempotency WHERE token = $1 AND id <= (
            SELECT id FROM lab_idempotency WHERE token = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
    )
    .bind(token)
    .bind(limits::KEYS_KEPT)
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
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
    conn: &mut Tx,
    token: &str,
    entry: &HistoryEntry,
) -> Result<(), sqlx::Error> {
    let request_headers = serde_json::to_string(&entry.request_headers).unwrap_or_default();
    let response_headers = serde_json::to_string(&entry.response_headers).unwrap_or_default();
    on_tx!(conn, |c| sqlx::query(
        "INSERT INTO lab_requests
            (token, at, method, path, query, request_headers, status, response_headers)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(token)
    .bind(entry.at)
    .bind(&entry.method)
    .bind(&entry.path)
    .bind(&entry.query)
    .bind(request_headers)
    .bind(i64::from(entry.status))
    .bind(response_headers)
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    on_tx!(conn, |c| sqlx::query(
        "DELETE FROM lab_requests WHERE token = $1 AND id <= (
            SELECT id FROM lab_requests WHERE token = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
    )
    .bind(token)
    .bind(limits::HISTORY_KEPT)
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(())
}

pub async fn history(pool: &Db, token: &str) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    let rows: Vec<RequestRow> = on_db!(pool, |p| sqlx::query_as(
        "SELECT at, method, path, query, request_headers, status, response_headers
         FROM lab_requests WHERE token = $1 ORDER BY id",
    )
    .bind(token)
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().map(HistoryEntry::from).collect())
}
