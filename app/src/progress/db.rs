//! Every query of the progress feature. Writes that read first run in
//! `BEGIN IMMEDIATE` transactions so concurrent requests queue on the write
//! lock up front instead of failing with SQLITE_BUSY halfway.

use std::collections::{HashMap, HashSet};

use sqlx::SqlitePool;

use super::model::Cohort;
use crate::auth::model::{Role, User};

/// Today as a day number (days since 1970-01-01, UTC).
pub fn today() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64 / 86_400)
        .unwrap_or(0)
}

pub async fn cohort_by_code(pool: &SqlitePool, code: &str) -> Result<Option<Cohort>, sqlx::Error> {
    let row: Option<(i64, String, String, i64)> =
        sqlx::query_as("SELECT id, name, invite_code, owner_id FROM cohorts WHERE invite_code = ?")
            .bind(code.trim().to_uppercase())
            .fetch_optional(pool)
            .await?;
    Ok(row.map(cohort))
}

fn cohort((id, name, invite_code, owner_id): (i64, String, String, i64)) -> Cohort {
    Cohort {
        id,
        name,
        invite_code,
        owner_id,
    }
}

pub async fn cohort_by_id(pool: &SqlitePool, id: i64) -> Result<Option<Cohort>, sqlx::Error> {
    let row: Option<(i64, String, String, i64)> =
        sqlx::query_as("SELECT id, name, invite_code, owner_id FROM cohorts WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(cohort))
}

/// Idempotent: joining twice keeps one membership.
pub async fn join_cohort(
    pool: &SqlitePool,
    cohort_id: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cohort_members (cohort_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(cohort_id)
    .bind(user_id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Creates a cohort with a fresh invite code (drawn again on a collision).
pub async fn create_cohort(
    pool: &SqlitePool,
    name: &str,
    owner_id: i64,
) -> Result<Cohort, sqlx::Error> {
    loop {
        let code = super::model::invite_code(random_u32);
        let result =
            sqlx::query("INSERT INTO cohorts (name, invite_code, owner_id) VALUES (?, ?, ?)")
                .bind(name)
                .bind(&code)
                .bind(owner_id)
                .execute(pool)
                .await;
        match result {
            Ok(done) => {
                return Ok(Cohort {
                    id: done.last_insert_rowid(),
                    name: name.to_string(),
                    invite_code: code,
                    owner_id,
                })
            }
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Random bits from the OS (via the hasher's RNG) for invite codes.
fn random_u32() -> u32 {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    OsRng.next_u32()
}

/// The cohorts an instructor owns, or every cohort for an admin, with
/// their member counts.
pub async fn cohorts_for(
    pool: &SqlitePool,
    user: &User,
) -> Result<Vec<(Cohort, i64)>, sqlx::Error> {
    let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT c.id, c.name, c.invite_code, c.owner_id,
                (SELECT count(*) FROM cohort_members m WHERE m.cohort_id = c.id)
         FROM cohorts c
         WHERE c.owner_id = ?1 OR ?2
         ORDER BY c.created_at DESC, c.id DESC",
    )
    .bind(user.id)
    .bind(user.role == Role::Admin)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, code, owner, n)| (cohort((id, name, code, owner)), n))
        .collect())
}

pub async fn cohort_names_of(pool: &SqlitePool, user_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT c.name FROM cohorts c JOIN cohort_members m ON m.cohort_id = c.id
         WHERE m.user_id = ? ORDER BY c.name",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// (user id, display name, email) of a cohort's learners.
pub async fn members(
    pool: &SqlitePool,
    cohort_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.display_name, u.email FROM users u
         JOIN cohort_members m ON m.user_id = u.id
         WHERE m.cohort_id = ? ORDER BY u.display_name, u.id",
    )
    .bind(cohort_id)
    .fetch_all(pool)
    .await
}

pub async fn completed_ids(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<HashSet<String>, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT lesson_id FROM lesson_progress WHERE user_id = ? AND completed_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(ids.into_iter().collect())
}

/// Lesson ids by most recent visit.
pub async fn recent_lessons(pool: &SqlitePool, user_id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT lesson_id FROM lesson_progress WHERE user_id = ? AND last_visited_at IS NOT NULL
         ORDER BY last_visited_at DESC LIMIT 50",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// Active days (`YYYY-MM-DD`) on or after `since`.
pub async fn active_days(
    pool: &SqlitePool,
    user_id: i64,
    since: &str,
) -> Result<HashSet<String>, sqlx::Error> {
    let days: Vec<String> =
        sqlx::query_scalar("SELECT day FROM activity_days WHERE user_id = ? AND day >= ?")
            .bind(user_id)
            .bind(since)
            .fetch_all(pool)
            .await?;
    Ok(days.into_iter().collect())
}

/// Per member and lesson: (visited at, completed at), for the matrix and CSV.
pub type ProgressMap = HashMap<(i64, String), (Option<i64>, Option<i64>, Option<i64>)>;

/// (first visit, last visit, completion) per (member, lesson) of a cohort.
pub async fn cohort_progress(
    pool: &SqlitePool,
    cohort_id: i64,
) -> Result<ProgressMap, sqlx::Error> {
    type Row = (i64, String, Option<i64>, Option<i64>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.user_id, p.lesson_id, p.first_visited_at, p.last_visited_at, p.completed_at
         FROM lesson_progress p JOIN cohort_members m ON m.user_id = p.user_id
         WHERE m.cohort_id = ?",
    )
    .bind(cohort_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(u, l, first, last, done)| ((u, l), (first, last, done)))
        .collect())
}
