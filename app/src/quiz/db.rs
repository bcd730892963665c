//! Every query of the quiz feature.

use std::collections::HashMap;

use sqlx::SqlitePool;

/// (lesson id, best percent, attempts) of one learner.
pub async fn best_scores_of(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<Vec<(String, u32, u32)>, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT lesson_id, max(percent), count(*) FROM quiz_attempts WHERE user_id = ?
         GROUP BY lesson_id ORDER BY lesson_id",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(l, b, n)| (l, b as u32, n as u32))
        .collect())
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
