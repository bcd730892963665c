//! Every query of the quiz feature.

use std::collections::HashMap;

use sqlx::SqlitePool;

/// A learner's best percent and number of attempts on one lesson.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BestScore {
    pub lesson_id: String,
    pub best: i64,
    pub attempts: i64,
}

/// One learner's best score per lesson.
pub async fn best_scores_of(pool: &SqlitePool, user_id: i64) -> Result<Vec<BestScore>, sqlx::Error> {
    sqlx::query_as(
        "SELECT lesson_id, max(percent) AS best, count(*) AS attempts FROM quiz_attempts
         WHERE user_id = ? GROUP BY lesson_id ORDER BY lesson_id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await
}

/// Best percent per (learner, lesson) for a cohort's members.
pub async fn best_scores_in_cohort(
    pool: &SqlitePool,
    cohort_id: i64,
) -> Result<HashMap<(i64, String), u32>, sqlx::Error> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT a.user_id, a.lesson_id, max(a.percent) FROM quiz_attempts a
         JOIN cohort_members m ON m.user_id = a.user_id
         WHERE m.cohort_id = ? GROUP BY a.user_id, a.lesson_id",
    )
    .bind(cohort_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(u, l, p)| ((u, l), p as u32))
        .collect())
}

/// The key of the choice tokens (created by migration 0004).
pub async fn quiz_key(pool: &SqlitePool) -> Result<Vec<u8>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM app_secrets WHERE name = 'quiz'")
        .fetch_one(pool)
        .await
}

/// One stored attempt in full: its lesson and graded result.
#[derive(Debug, Clone)]
pub struct StoredAttempt {
    pub lesson_id: String,
    pub result: super::model::QuizResult,
}

/// Attempt `id`, if it is `user_id`'s (anyone else's reads as none).
pub async fn attempt(
    pool: &SqlitePool,
    user_id: i64,
    id: i64,
) -> Result<Option<StoredAttempt>, sqlx::Error> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT lesson_id, answers FROM quiz_attempts WHERE id = ? AND user_id = ?",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    // A row whose JSON no longer reads (an older format) counts as gone.
    Ok(row.and_then(|(lesson_id, json)| {
        let result = serde_json::from_str(&json).ok()?;
        Some(StoredAttempt { lesson_id, result })
    }))
}

/// One stored attempt's summary row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub id: i64,
    pub percent: i64,
    pub passed: bool,
    pub created_at: i64,
}

/// A learner's attempts on one lesson, newest first.
pub async fn attempts(
    pool: &SqlitePool,
    user_id: i64,
    lesson_id: &str,
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, percent, passed, created_at FROM quiz_attempts WHERE user_id = ? AND lesson_id = ?
         ORDER BY created_at DESC, id DESC",
    )
    .bind(user_id)
    .bind(lesson_id)
    .fetch_all(pool)
    .await
}
