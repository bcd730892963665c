//! Queries of account management: reset links, the audit log, sessions
//! listed and ended one by one, disabling, deleting, a learner's export.
//! Written once for both engines (see `crate::db`).

use crate::{common::time::now, db::Db};

// ------------------------------------------------------------ reset links

/// Stores a reset link (its token's hash only), valid until `expires_at`.
pub async fn add_reset(
    pool: &Db,
    token_hash: &str,
    user_id: i64,
    expires_at: i64,
    requested_by: Option<i64>,
) -> Result<(), sqlx::Error> {
    on_db!(pool, |p| sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at, requested_by)
         VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now())
    .bind(expires_at)
    .bind(requested_by)
    .execute(p)
    .await
    .map(|_| ()))
}

/// Stores a self-service link unless `limit` were made for `user_id`
/// since `since`; returns whether it was stored. Count and insert are one
/// transaction holding the account's row (SQLite: the write lock taken by
/// `BEGIN IMMEDIATE`; PostgreSQL: `FOR UPDATE`), so requests at the same
/// moment, on any instance, cannot all slip under the limit.
pub async fn add_reset_limited(
    pool: &Db,
    token_hash: &str,
    user_id: i64,
    expires_at: i64,
    since: i64,
    limit: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let lock = pool.sql("SELECT $1", "SELECT id FROM users WHERE id = $1 FOR UPDATE");
    on_tx!(&mut tx, |c| sqlx::query(lock)
        .bind(user_id)
        .execute(&mut *c)
        .await
        .map(|d| d.rows_affected()))?;
    let made: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT count(*) FROM password_resets
         WHERE user_id = $1 AND created_at >= $2 AND requested_by IS NULL"
    )
    .bind(user_id)
    .bind(since)
    .fetch_one(&mut *c)
    .await)?;
    if made >= limit {
        return Ok(false);
    }
    on_tx!(&mut tx, |c| sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4)"
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now())
    .bind(expires_at)
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    tx.commit().await?;
    Ok(true)
}

/// Marks the link used and returns its account, if it is unused and
/// unexpired: one statement, so a link raced twice is used once.
pub async fn use_reset(pool: &Db, token_hash: &str) -> Result<Option<i64>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_scalar(
        "UPDATE password_resets SET used_at = $2
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING user_id"
    )
    .bind(token_hash)
    .bind(now())
    .fetch_optional(p)
    .await)
}

/// Whether the link is still usable (for the form page).
pub async fn reset_valid(pool: &Db, token_hash: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = on_db!(pool, |p| sqlx::query_scalar(
        "SELECT user_id FROM password_resets
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"
    )
    .bind(token_hash)
    .bind(now())
    .fetch_optional(p)
    .await)?;
    Ok(found.is_some())
}

// -------------------------------------------------------------- audit log

/// One line of the audit log.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub ip: String,
    pub detail: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn audit(
    pool: &Db,
    actor_id: Option<i64>,
    actor: &str,
    action: &str,
    target_id: Option<i64>,
    target: &str,
    ip: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    on_db!(pool, |p| sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, action, target_id, target, ip, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(now())
    .bind(actor_id)
    .bind(actor)
    .bind(action)
    .bind(target_id)
    .bind(target)
    .bind(ip)
    .bind(detail)
    .execute(p)
    .await
    .map(|_| ()))
}

/// The newest `limit` entries, newest first.
pub async fn audit_log(pool: &Db, limit: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT at, actor, action, target, ip, detail FROM audit_log ORDER BY id DESC LIMIT $1"
    )
    .bind(limit)
    .fetch_all(p)
    .await)
}

/// Entries about `user_id` (as actor or target), oldest first: the export.
pub async fn audit_of(pool: &Db, user_id: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT at, actor, action, target, ip, detail FROM audit_log
         WHERE actor_id = $1 OR target_id = $1 ORDER BY id"
    )
    .bind(user_id)
    .fetch_all(p)
    .await)
}

// --------------------------------------------------------------- sessions

/// One live session of a user, for "your sessions".
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub id: String,
    pub ip: String,
    pub user_agent: String,
    pub last_seen: i64,
    pub expiry_date: i64,
}

pub async fn sessions_of(pool: &Db, user_id: i64) -> Result<Vec<SessionRow>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT id, ip, user_agent, last_seen, expiry_date FROM sessions
         WHERE user_id = $1 AND expiry_date > $2 ORDER BY last_seen DESC, id"
    )
    .bind(user_id)
    .bind(now())
    .fetch_all(p)
    .await)
}

/// Ends one session of `user_id` (never anyone else's).
pub async fn end_session(pool: &Db, user_id: i64, id: &str) -> Result<bool, sqlx::Error> {
    let n = on_db!(pool, |p| sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id = $2")
        .bind(user_id)
        .bind(id)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
    Ok(n == 1)
}

// ------------------------------------------------- disable, delete, users

/// An account as admins manage it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Managed {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub disabled_at: Option<i64>,
    pub deleted_at: Option<i64>,
}

pub async fn managed(pool: &Db, id: i64) -> Result<Option<Managed>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT id, email, display_name, role, disabled_at, deleted_at FROM users WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(p)
    .await)
}

/// Ids of disabled accounts (the admin list marks them).
pub async fn disabled_ids(pool: &Db) -> Result<Vec<i64>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_scalar(
        "SELECT id FROM users WHERE disabled_at IS NOT NULL AND deleted_at IS NULL"
    )
    .fetch_all(p)
    .await)
}

/// Disables (`Some(now)`) or enables (`None`) an account, and with it ends
/// all of its sessions, in one transaction.
pub async fn set_disabled(pool: &Db, id: i64, disabled: bool) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let at = disabled.then(now);
    let n = on_tx!(&mut tx, |c| sqlx::query(
        "UPDATE users SET disabled_at = $2 WHERE id = $1 AND deleted_at IS NULL"
    )
    .bind(id)
    .bind(at)
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    if disabled {
        on_tx!(&mut tx, |c| sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *c)
            .await
            .map(|d| d.rows_affected()))?;
    }
    tx.commit().await?;
    Ok(n == 1)
}

/// Removes an account's personal data, keeping an anonymous tombstone so
/// cohort counts stay true (see `manage::delete_account` for what stays).
pub async fn anonymise(pool: &Db, id: i64) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let email: Option<String> = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "SELECT email FROM users WHERE id = $1 AND deleted_at IS NULL"
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await)?;
    let Some(email) = email else {
        return Ok(false);
    };
    let tombstone = format!("deleted-{id}@deleted.invalid");
    on_tx!(&mut tx, |c| sqlx::query(
        "UPDATE users SET email = $2, display_name = 'deleted learner', password_hash = '!',
           role = 'learner', totp_secret = NULL, totp_pending = NULL, totp_last_step = 0,
           disabled_at = $3, deleted_at = $3
         WHERE id = $1"
    )
    .bind(id)
    .bind(&tombstone)
    .bind(now())
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    for sql in [
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM password_resets WHERE user_id = $1",
        "DELETE FROM quiz_attempts WHERE user_id = $1",
        "DELETE FROM exercise_runs WHERE user_id = $1",
        "DELETE FROM lab_tokens WHERE user_id = $1",
    ] {
        on_tx!(&mut tx, |c| sqlx::query(sql)
            .bind(id)
            .execute(&mut *c)
            .await
            .map(|d| d.rows_affected()))?;
    }
    on_tx!(&mut tx, |c| sqlx::query("DELETE FROM login_failures WHERE email = $1")
        .bind(&email)
        .execute(&mut *c)
        .await
        .map(|d| d.rows_affected()))?;
    tx.commit().await?;
    Ok(true)
}

// ----------------------------------------------------------------- export

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct ProgressRow {
    pub lesson_id: String,
    pub first_visited_at: Option<i64>,
    pub last_visited_at: Option<i64>,
    pub completed_at: Option<i64>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AttemptRow {
    pub lesson_id: String,
    pub percent: i64,
    pub passed: bool,
    pub created_at: i64,
    pub answers: String,
}

#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct ExerciseRow {
    pub lesson_id: String,
    pub exercise_id: String,
    pub tries: i64,
    pub hints_shown: i64,
    pub solved_at: Option<i64>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RunRow {
    pub lesson_id: String,
    pub exercise_id: String,
    pub answer: String,
    pub passed: bool,
    pub created_at: i64,
}

pub async fn created_at(pool: &Db, id: i64) -> Result<i64, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_scalar("SELECT created_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(p)
        .await)
}

pub async fn two_factor_on(pool: &Db, id: i64) -> Result<bool, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_scalar(
        "SELECT totp_secret IS NOT NULL FROM users WHERE id = $1"
    )
    .bind(id)
    .fetch_one(p)
    .await)
}

pub async fn progress_of(pool: &Db, id: i64) -> Result<Vec<ProgressRow>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT lesson_id, first_visited_at, last_visited_at, completed_at
         FROM lesson_progress WHERE user_id = $1 ORDER BY lesson_id"
    )
    .bind(id)
    .fetch_all(p)
    .await)
}

pub async fn days_of(pool: &Db, id: i64) -> Result<Vec<String>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_scalar(
        "SELECT day FROM activity_days WHERE user_id = $1 ORDER BY day"
    )
    .bind(id)
    .fetch_all(p)
    .await)
}

pub async fn attempts_of(pool: &Db, id: i64) -> Result<Vec<AttemptRow>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT lesson_id, percent, passed, created_at, answers
         FROM quiz_attempts WHERE user_id = $1 ORDER BY id"
    )
    .bind(id)
    .fetch_all(p)
    .await)
}

pub async fn exercises_of(pool: &Db, id: i64) -> Result<Vec<ExerciseRow>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT lesson_id, exercise_id, tries, hints_shown, solved_at
         FROM exercise_progress WHERE user_id = $1 ORDER BY lesson_id, exercise_id"
    )
    .bind(id)
    .fetch_all(p)
    .await)
}

pub async fn runs_of(pool: &Db, id: i64) -> Result<Vec<RunRow>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT lesson_id, exercise_id, answer, passed, created_at
         FROM exercise_runs WHERE user_id = $1 ORDER BY id"
    )
    .bind(id)
    .fetch_all(p)
    .await)
}
