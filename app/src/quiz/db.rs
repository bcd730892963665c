//! Every query of the quiz feature.

use std::collections::HashMap;

use crate::db::Db;

/// A learner's best percent and number of attempts on one lesson.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BestScore {
    pub lesson_id: String,
    pub best: i64,
    pub attempts: i64,
}

/// One learner's best score per lesson.
pub async fn best_scores_of(
    pool: &Db,
    user_id: i64,
) -> Result<Vec<BestScore>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT lesson_id, max(percent) AS best, count(*) AS attempts FROM quiz_attempts
         WHERE user_id = $1 GROUP BY lesson_id ORDER BY lesson_id",
    )
    .bind(user_id)
    .fetch_all(p)
    .await)
}

/// Best percent per (learner, lesson) for a cohort's members.
pub async fn best_scores_in_cohort(
    pool: &Db,
    cohort_id: i64,
) -> Result<HashMap<(i64, String), u32>, sqlx::Error> {
    let rows: Vec<(i64, String, i64)> = on_db!(pool, |p| sqlx::query_as(
        "SELECT a.user_id, a.lesson_id, max(a.percent) FROM quiz_attempts a
         JOIN cohort_members m ON m.user_id = a.user_id
         WHERE m.cohort_id = $1 GROUP BY a.user_id, a.lesson_id",
    )
    .bind(cohort_id)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(u, l, p)| ((u, l), p as u32))
        .collect())
}

/// The key of the choice tokens (created by migration 0004).
pub async fn quiz_key(pool: &Db) -> Result<Vec<u8>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_scalar("SELECT value FROM app_secrets WHERE name = 'quiz'")
        .fetch_one(p)
        .await)
}

/// One stored attempt in full: its lesson and graded result.
#[derive(Debug, Clone)]
pub struct StoredAttempt {
    pub lesson_id: String,
    pub result: super::model::QuizResult,
}

/// Attempt `id`, if it is `user_id`'s (anyone else's reads as none).
pub async fn attempt(
    pool: &Db,
    user_id: i64,
    id: i64,
) -> Result<Option<StoredAttempt>, sqlx::Error> {
    let row: Option<(String, String)> =
        on_db!(pool, |p| sqlx::query_as("SELECT lesson_id, answers FROM quiz_attempts WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(p)
            .await)?;
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
    pool: &Db,
    user_id: i64,
    lesson_id: &str,
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT id, percent, passed, created_at FROM quiz_attempts WHERE user_id = $1 AND lesson_id = $2
         ORDER BY created_at DESC, id DESC",
    )
    .bind(user_id)
    .bind(lesson_id)
    .fetch_all(p)
    .await)
}

/// How many attempts `user_id` has stored on `lesson_id`, not counting the
/// form `submission` (a double submit of a stored form is not a new try).
pub async fn attempts_before(
    pool: &Db,
    user_id: i64,
    lesson_id: &str,
    submission: &str,
) -> Result<i64, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM quiz_attempts WHERE user_id = $1 AND lesson_id = $2 AND submission <> $3",
    )
    .bind(user_id)
    .bind(lesson_id)
    .bind(submission)
    .fetch_one(p)
    .await)
}

/// How many attempts `user_id` has stored, per lesson id.
pub async fn attempt_counts(
    pool: &Db,
    user_id: i64,
) -> Result<std::collections::HashMap<String, i64>, sqlx::Error> {
    let rows: Vec<(String, i64)> = on_db!(pool, |p| sqlx::query_as(
        "SELECT lesson_id, count(*) FROM quiz_attempts WHERE user_id = $1 GROUP BY lesson_id",
    )
    .bind(user_id)
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().collect())
}

/// Whether `user_id` has passed the quiz of `lesson_id` in any attempt.
pub async fn has_passed(
    pool: &Db,
    user_id: i64,
    lesson_id: &str,
) -> Result<bool, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM quiz_attempts WHERE user_id = $1 AND lesson_id = $2 AND passed)",
    )
    .bind(user_id)
    .bind(lesson_id)
    .fetch_one(p)
    .await)
}

/// A stored attempt of a cohort member, with the learner's name.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CohortAttempt {
    pub id: i64,
    pub display_name: String,
    pub lesson_id: String,
    /// The graded result as JSON.
    pub answers: String,
}

/// Every stored attempt of a cohort's members, oldest first.
pub async fn cohort_attempts(
    pool: &Db,
    cohort_id: i64,
) -> Result<Vec<CohortAttempt>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT a.id, u.display_name, a.lesson_id, a.answers FROM quiz_attempts a
         JOIN cohort_members m ON m.user_id = a.user_id
         JOIN users u ON u.id = a.user_id
         WHERE m.cohort_id = $1 ORDER BY a.created_at, a.id",
    )
    .bind(cohort_id)
    .fetch_all(p)
    .await)
}

/// An instructor's mark on one essay answer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EssayMark {
    pub attempt_id: i64,
    pub question: i64,
    pub mark: i64,
    pub comment: String,
}

/// The marks on the essays of a cohort's attempts.
pub async fn cohort_marks(
    pool: &Db,
    cohort_id: i64,
) -> Result<Vec<EssayMark>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT k.attempt_id, k.question, k.mark, k.comment FROM quiz_essay_marks k
         JOIN quiz_attempts a ON a.id = k.attempt_id
         JOIN cohort_members m ON m.user_id = a.user_id
         WHERE m.cohort_id = $1",
    )
    .bind(cohort_id)
    .fetch_all(p)
    .await)
}

/// The marks on the essays of one attempt.
pub async fn attempt_marks(
    pool: &Db,
    attempt_id: i64,
) -> Result<Vec<EssayMark>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT attempt_id, question, mark, comment FROM quiz_essay_marks WHERE attempt_id = $1",
    )
    .bind(attempt_id)
    .fetch_all(p)
    .await)
}

/// The lesson and answers of attempt `id` if its learner is in `cohort_id`.
pub async fn cohort_attempt(
    pool: &Db,
    cohort_id: i64,
    id: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    on_db!(pool, |p| sqlx::query_as(
        "SELECT a.lesson_id, a.answers FROM quiz_attempts a
         JOIN cohort_members m ON m.user_id = a.user_id
         WHERE m.cohort_id = $1 AND a.id = $2",
    )
    .bind(cohort_id)
    .bind(id)
    .fetch_optional(p)
    .await)
}

/// Sets (or replaces) the mark on essay `question` of attempt `attempt_id`.
pub async fn set_mark(
    pool: &Db,
    attempt_id: i64,
    question: i64,
    mark: i64,
    comment: &str,
    grader_id: i64,
) -> Result<(), sqlx::Error> {
    on_db!(pool, |p| sqlx::query(
        "INSERT INTO quiz_essay_marks (attempt_id, question, mark, comment, grader_id, marked_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (attempt_id, question) DO UPDATE SET mark = excluded.mark,
           comment = excluded.comment, grader_id = excluded.grader_id, marked_at = excluded.marked_at",
    )
    .bind(attempt_id)
    .bind(question)
    .bind(mark)
    .bind(comment)
    .bind(grader_id)
    .bind(crate::common::time::now())
    .execute(p)
    .await
    .map(|_| ()))
}
