//! Every query of the progress feature. Writes that read first run in
//! `BEGIN IMMEDIATE` transactions so concurrent requests queue on the write
//! lock up front instead of failing with SQLITE_BUSY halfway.

use std::collections::{HashMap, HashSet};

use crate::db::Db;

use super::model::{Cohort, CohortSummary};
use crate::auth::model::User;

/// The query of a [`Cohort`], its column list written once (a macro, so
/// `concat!` keeps each statement a `&'static str` as sqlx asks).
macro_rules! select_cohort {
    ($where:literal) => {
        concat!(
            "SELECT id, name, invite_code, owner_id FROM cohorts WHERE ",
            $where
        )
    };
}

/// The cohort an invite code opens (codes are upper-case; typing is not).
pub async fn cohort_by_code(pool: &Db, code: &str) -> Result<Option<Cohort>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(select_cohort!("invite_code = $1"))
        .bind(code.trim().to_uppercase())
        .fetch_optional(p)
        .await)
}

pub async fn cohort_by_id(pool: &Db, id: i64) -> Result<Option<Cohort>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(select_cohort!("id = $1"))
        .bind(id)
        .fetch_optional(p)
        .await)
}

/// Idempotent: joining twice keeps one membership.
pub async fn join_cohort(
    pool: &Db,
    cohort_id: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    on_db!(pool, |p| sqlx::query(
        "INSERT INTO cohort_members (cohort_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(cohort_id)
    .bind(user_id)
    .execute(p)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(())
}

/// Creates a cohort with a fresh invite code (drawn again on a collision).
pub async fn create_cohort(
    pool: &Db,
    name: &str,
    owner_id: i64,
) -> Result<Cohort, sqlx::Error> {
    loop {
        let code = super::model::invite_code(crate::common::random::u32);
        let result: Result<i64, _> = on_db!(pool, |p| sqlx::query_scalar(
            "INSERT INTO cohorts (name, invite_code, owner_id, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id"
        )
        .bind(name)
        .bind(&code)
        .bind(owner_id)
        .bind(crate::common::time::now())
        .fetch_one(p)
        .await);
        match result {
            Ok(id) => {
                return Ok(Cohort {
                    id,
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

/// The cohorts an instructor owns, or every cohort for an admin, with
/// their member counts.
pub async fn cohorts_for(
    pool: &Db,
    user: &User,
) -> Result<Vec<CohortSummary>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT c.id, c.name, c.invite_code, c.owner_id,
                (SELECT count(*) FROM cohort_members m WHERE m.cohort_id = c.id) AS members
         FROM cohorts c
         WHERE c.owner_id = $1 OR $2
         ORDER BY c.created_at DESC, c.id DESC",
    )
    .bind(user.id)
    .bind(user.role.is_admin())
    .fetch_all(p)
    .await)
}

pub async fn cohort_names_of(pool: &Db, user_id: i64) -> Result<Vec<String>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_scalar(
        "SELECT c.name FROM cohorts c JOIN cohort_members m ON m.cohort_id = c.id
         WHERE m.user_id = $1 ORDER BY c.name",
    )
    .bind(user_id)
    .fetch_all(p)
    .await)
}

/// A learner of a cohort.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Member {
    pub id: i64,
    pub display_name: String,
    pub email: String,
}

/// A cohort's learners, by name.
pub async fn members(pool: &Db, cohort_id: i64) -> Result<Vec<Member>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT u.id, u.display_name, u.email FROM users u
         JOIN cohort_members m ON m.user_id = u.id
         WHERE m.cohort_id = $1 ORDER BY u.display_name, u.id",
    )
    .bind(cohort_id)
    .fetch_all(p)
    .await)
}

pub async fn completed_ids(
    pool: &Db,
    user_id: i64,
) -> Result<HashSet<String>, sqlx::Error> {
    let ids: Vec<String> = on_db!(pool, |p| sqlx::query_scalar(
        "SELECT lesson_id FROM lesson_progress WHERE user_id = $1 AND completed_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_all(p)
    .await)?;
    Ok(ids.into_iter().collect())
}

/// Lesson ids by most recent visit.
pub async fn recent_lessons(pool: &Db, user_id: i64) -> Result<Vec<String>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_scalar(
        "SELECT lesson_id FROM lesson_progress WHERE user_id = $1 AND last_visited_at IS NOT NULL
         ORDER BY last_visited_at DESC LIMIT 50",
    )
    .bind(user_id)
    .fetch_all(p)
    .await)
}

/// Active days (`YYYY-MM-DD`) on or after `since`.
pub async fn active_days(
    pool: &Db,
    user_id: i64,
    since: &str,
) -> Result<HashSet<String>, sqlx::Error> {
    let days: Vec<String> =
        on_db!(pool, |p| sqlx::query_scalar("SELECT day FROM activity_days WHERE user_id = $1 AND day >= $2")
            .bind(user_id)
            .bind(since)
            .fetch_all(p)
            .await)?;
    Ok(days.into_iter().collect())
}

/// One learner's progress on one lesson (unix seconds).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct LessonProgress {
    pub user_id: i64,
    pub lesson_id: String,
    pub first_visited_at: Option<i64>,
    pub last_visited_at: Option<i64>,
    pub completed_at: Option<i64>,
}

/// Progress of a cohort's learners, by (user id, lesson id).
pub type ProgressMap = HashMap<(i64, String), LessonProgress>;

/// Every progress row of a cohort's learners.
pub async fn cohort_progress(
    pool: &Db,
    cohort_id: i64,
) -> Result<ProgressMap, sqlx::Error> {
    let rows: Vec<LessonProgress> = on_db!(pool, |p| sqlx::query_as(
        "SELECT p.user_id, p.lesson_id, p.first_visited_at, p.last_visited_at, p.completed_at
         FROM lesson_progress p JOIN cohort_members m ON m.user_id = p.user_id
         WHERE m.cohort_id = $1",
    )
    .bind(cohort_id)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|p| ((p.user_id, p.lesson_id.clone()), p))
        .collect())
}
