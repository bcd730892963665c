//! Every query of the labs feature about learners' exercise progress (the
//! practice API's own tables are queried in `http::db`).

use std::collections::HashMap;

use crate::db::{Db, Tx};

use super::model::RunView;

/// One learner's state on one exercise.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct ExerciseState {
    pub tries: i64,
    pub hints_shown: i64,
    pub solved: bool,
}

/// The learner's state on an exercise (zeroes before the first visit).
pub async fn state(
    pool: &Db,
    user_id: i64,
    lesson_id: &str,
    exercise_id: &str,
) -> Result<ExerciseState, sqlx::Error> {
    Ok(on_db!(pool, |p| sqlx::query_as(
        "SELECT tries, hints_shown, solved_at IS NOT NULL AS solved FROM exercise_progress
         WHERE user_id = $1 AND lesson_id = $2 AND exercise_id = $3",
    )
    .bind(user_id)
    .bind(lesson_id)
    .bind(exercise_id)
    .fetch_optional(p)
    .await)?
    .unwrap_or_default())
}

/// Reveals one more hint, never more than `available`.
pub async fn reveal_hint(
    pool: &Db,
    user_id: i64,
    lesson_id: &str,
    exercise_id: &str,
    available: i64,
) -> Result<(), sqlx::Error> {
    on_db!(pool, |p| sqlx::query(
        "INSERT INTO exercise_progress (user_id, lesson_id, exercise_id, hints_shown)
         VALUES ($1, $2, $3, CASE WHEN $4 < 1 THEN $4 ELSE 1 END)
         ON CONFLICT (user_id, lesson_id, exercise_id)
         DO UPDATE SET hints_shown = CASE WHEN exercise_progress.hints_shown + 1 < $4
                                          THEN exercise_progress.hints_shown + 1 ELSE $4 END",
    )
    .bind(user_id)
    .bind(lesson_id)
    .bind(exercise_id)
    .bind(available)
    .execute(p)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(())
}

/// A graded run to store.
#[derive(Debug)]
pub struct ExerciseRun {
    pub user_id: i64,
    pub lesson_id: String,
    pub exercise_id: String,
    pub answer: String,
    pub run: RunView,
}

/// Records a graded run inside the caller's transaction (the progress
/// writer's batch): the try, a first solve, and the run itself, keeping
/// each learner's newest 20 runs per exercise.
pub async fn record_run(conn: &mut Tx, r: &ExerciseRun) -> Result<(), sqlx::Error> {
    let outcome = serde_json::to_string(&r.run).unwrap_or_default();
    on_tx!(conn, |c| sqlx::query(
        "INSERT INTO exercise_progress (user_id, lesson_id, exercise_id, tries, solved_at)
         VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN $6 END)
         ON CONFLICT (user_id, lesson_id, exercise_id) DO UPDATE SET
           tries = exercise_progress.tries + $4,
           solved_at = coalesce(exercise_progress.solved_at, CASE WHEN $5 THEN $6 END)",
    )
    .bind(r.user_id)
    .bind(&r.lesson_id)
    .bind(&r.exercise_id)
    .bind(i64::from(!r.run.sent_only))
    .bind(r.run.passed)
    .bind(crate::common::time::now())
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    on_tx!(conn, |c| sqlx::query(
        "INSERT INTO exercise_runs (user_id, lesson_id, exercise_id, answer, passed, outcome, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(r.user_id)
    .bind(&r.lesson_id)
    .bind(&r.exercise_id)
    .bind(&r.answer)
    .bind(r.run.passed)
    .bind(&outcome)
    .bind(crate::common::time::now())
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    on_tx!(conn, |c| sqlx::query(
        "DELETE FROM exercise_runs WHERE user_id = $1 AND lesson_id = $2 AND exercise_id = $3
         AND id < (SELECT min(id) FROM (SELECT id FROM exercise_runs
                   WHERE user_id = $1 AND lesson_id = $2 AND exercise_id = $3
                   ORDER BY id DESC LIMIT 20) AS newest)",
    )
    .bind(r.user_id)
    .bind(&r.lesson_id)
    .bind(&r.exercise_id)
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(())
}

/// The learner's newest run on an exercise: what they typed and the outcome.
pub async fn last_run(
    pool: &Db,
    user_id: i64,
    lesson_id: &str,
    exercise_id: &str,
) -> Result<Option<(String, RunView)>, sqlx::Error> {
    let row: Option<(String, String)> = on_db!(pool, |p| sqlx::query_as(
        "SELECT answer, outcome FROM exercise_runs
         WHERE user_id = $1 AND lesson_id = $2 AND exercise_id = $3 ORDER BY id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(lesson_id)
    .bind(exercise_id)
    .fetch_optional(p)
    .await)?;
    Ok(row.and_then(|(answer, outcome)| {
        serde_json::from_str(&outcome).ok().map(|run| (answer, run))
    }))
}

/// Solved exercise ids per lesson for one learner.
pub async fn solved_of(
    pool: &Db,
    user_id: i64,
) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
    let rows: Vec<(String, String)> = on_db!(pool, |p| sqlx::query_as(
        "SELECT lesson_id, exercise_id FROM exercise_progress
         WHERE user_id = $1 AND solved_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_all(p)
    .await)?;
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for (lesson, ex) in rows {
        map.entry(lesson).or_default().push(ex);
    }
    Ok(map)
}

/// Solved exercises per (learner, lesson) for a cohort's members.
pub async fn solved_in_cohort(
    pool: &Db,
    cohort_id: i64,
) -> Result<HashMap<(i64, String), Vec<String>>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = on_db!(pool, |p| sqlx::query_as(
        "SELECT p.user_id, p.lesson_id, p.exercise_id FROM exercise_progress p
         JOIN cohort_members m ON m.user_id = p.user_id
         WHERE m.cohort_id = $1 AND p.solved_at IS NOT NULL",
    )
    .bind(cohort_id)
    .fetch_all(p)
    .await)?;
    let mut map: HashMap<(i64, String), Vec<String>> = HashMap::new();
    for (user, lesson, ex) in rows {
        map.entry((user, lesson)).or_default().push(ex);
    }
    Ok(map)
}

