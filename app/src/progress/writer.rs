//! One writer task for progress writes, committing in batches (group commit).
//!
//! With `synchronous=FULL` every commit waits for an fsync (~0.6 ms here),
//! so one commit per request tops out near 1,600 writes/s. Requests instead
//! hand their write to this task; it takes everything queued (up to
//! `MAX_BATCH`), applies it in one `BEGIN IMMEDIATE` transaction, commits
//! once, and only then acknowledges each request: a "done" answer still
//! means "on disk".
//!
//! Visits ("where to resume") are acknowledged to no one, and a signed-in
//! reader makes one per page view: queuing a write for each cost about as
//! much as rendering the page. They are kept in memory instead — the latest
//! time per (user, lesson) — and written with the next batch, or within a
//! second: a crash loses at most that second of "last visited" times.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use crate::db::{Db, Tx};
use tokio::sync::{mpsc, oneshot};

/// Why a write was not acknowledged. Callers turn it into `AppError`
/// (an internal error: the learner is told nothing was saved).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("the progress writer has stopped")]
    Stopped,
    /// The batch's transaction failed; nothing in it was written.
    #[error("the progress batch failed: {0}")]
    Batch(String),
}

impl From<WriteError> for crate::error::AppError {
    fn from(e: WriteError) -> Self {
        crate::error::AppError::internal("cannot save progress", e)
    }
}

const MAX_BATCH: usize = 512;
const QUEUE: usize = 4_096;

enum Op {
    Complete {
        user_id: i64,
        lesson_id: String,
        done: bool,
        ack: oneshot::Sender<Result<(), WriteError>>,
    },
    /// A graded quiz attempt; a pass also completes the lesson, in the same
    /// transaction. Acknowledged with the attempt's id.
    Attempt {
        attempt: QuizAttempt,
        ack: oneshot::Sender<Result<i64, WriteError>>,
    },
    /// A graded exercise run (see `crate::labs::db::record_run`).
    Exercise {
        run: crate::labs::db::ExerciseRun,
        ack: oneshot::Sender<Result<(), WriteError>>,
    },
}

/// A graded attempt to store (see [`ProgressWriter::record_attempt`]).
#[derive(Debug)]
pub struct QuizAttempt {
    pub user_id: i64,
    pub lesson_id: String,
    /// The attempt token of the form: a second submit stores nothing.
    pub submission: String,
    pub result: crate::quiz::model::QuizResult,
    /// Whether a pass completes the lesson (not while exercises the lesson
    /// requires are unsolved).
    pub completes: bool,
}

/// Pending visits: (user, lesson) → unix time of the latest view.
type Visits = Arc<Mutex<HashMap<(i64, String), i64>>>;

/// What a signed-in page shows of a learner's own records: every lesson
/// page asks for the lesson's completion, the learner's attempt count (the
/// quiz form's stable draw) and the exercises solved. This task writes all
/// three, so it can cache them together: read in one go, forgotten as a
/// batch naming the learner commits (see `crate::cache`). Measured: these
/// three reads, one SQLite round trip each, held the signed-in lesson page
/// at 2.1–2.6k req/s; cached, a warm page needs none.
#[derive(Debug, Default)]
pub struct Learner {
    /// Completed lesson ids.
    pub completed: Arc<std::collections::HashSet<String>>,
    /// Stored quiz attempts per lesson id.
    pub attempts: HashMap<String, i64>,
    /// Solved exercise ids per lesson id.
    pub solved: HashMap<String, Vec<String>>,
}

/// Each learner's records, read recently (see `crate::cache`).
type Completed = crate::cache::ReadCache<i64, Learner>;

#[derive(Clone, Debug)]
pub struct ProgressWriter {
    tx: mpsc::Sender<Op>,
    visits: Visits,
    pool: Db,
    completed: Completed,
}

impl ProgressWriter {
    /// Starts the writer task on `pool`.
    pub fn start(pool: Db) -> ProgressWriter {
        let (tx, rx) = mpsc::channel(QUEUE);
        let visits = Visits::default();
        let completed = Completed::default();
        tokio::spawn(run(pool.clone(), rx, visits.clone(), completed.clone()));
        ProgressWriter {
            tx,
            visits,
            pool,
            completed,
        }
    }

    /// Marks a lesson done or not; returns once the change is durable.
    pub async fn set_complete(
        &self,
        user_id: i64,
        lesson_id: &str,
        done: bool,
    ) -> Result<(), WriteError> {
        self.ask(|ack| Op::Complete {
            user_id,
            lesson_id: lesson_id.to_string(),
            done,
            ack,
        })
        .await
    }

    /// Stores a graded attempt once it is durable and returns its id; a
    /// second submit of the same form returns the first attempt's id.
    pub async fn record_attempt(&self, attempt: QuizAttempt) -> Result<i64, WriteError> {
        self.ask(|ack| Op::Attempt { attempt, ack }).await
    }

    /// Stores a graded exercise run (the try, a first solve, the run) once
    /// it is durable. Through the batch like quiz attempts: measured, one
    /// transaction per run held SQL exercises near 200 runs/s.
    pub async fn record_exercise(&self, run: crate::labs::db::ExerciseRun) -> Result<(), WriteError> {
        self.ask(|ack| Op::Exercise { run, ack }).await
    }

    /// Queues the op built around `ack` and waits until its batch is durable.
    async fn ask<T>(
        &self,
        op: impl FnOnce(oneshot::Sender<Result<T, WriteError>>) -> Op,
    ) -> Result<T, WriteError> {
        let (ack, wait) = oneshot::channel();
        self.tx
            .send(op(ack))
            .await
            .map_err(|_| WriteError::Stopped)?;
        wait.await.map_err(|_| WriteError::Stopped)?
    }

    /// The lessons `user_id` has completed (see [`ProgressWriter::learner`]).
    pub async fn completed(
        &self,
        user_id: i64,
    ) -> Result<Arc<std::collections::HashSet<String>>, sqlx::Error> {
        Ok(self.learner(user_id).await?.completed.clone())
    }

    /// `user_id`'s completions, attempt counts and solved exercises. This
    /// task is the only writer of all three, and it forgets a learner's
    /// entry as each batch commits, before acknowledging anyone: the cached
    /// state is never behind an acknowledged write.
    pub async fn learner(&self, user_id: i64) -> Result<Arc<Learner>, sqlx::Error> {
        if let Some(state) = self.completed.get(&user_id) {
            return Ok(state);
        }
        let generation = self.completed.generation();
        let state = Arc::new(Learner {
            completed: Arc::new(super::db::completed_ids(&self.pool, user_id).await?),
            attempts: crate::quiz::db::attempt_counts(&self.pool, user_id).await?,
            solved: crate::labs::db::solved_of(&self.pool, user_id).await?,
        });
        self.completed.put(user_id, state.clone(), generation);
        Ok(state)
    }

    /// Forgets the cached completions of `user_id` (their progress was
    /// changed outside the writer: an account deleted).
    pub fn forget(&self, user_id: i64) {
        self.completed.forget(&user_id);
    }

    /// With several instances, completions committed here also empty the
    /// other instances' cached sets (see [`crate::cache::ReadCache::share`]).
    pub fn share(&self, bus: &crate::db::notify::Bus) {
        self.completed.share(bus, "completed");
    }

    /// Records a visit in the next batch (at most a second away); never waits.
    pub fn visit(&self, user_id: i64, lesson_id: &str) {
        let now = crate::common::time::now();
        let mut visits = self.visits.lock().unwrap_or_else(|p| p.into_inner());
        if visits.len() >= QUEUE && !visits.contains_key(&(user_id, lesson_id.to_string())) {
            tracing::warn!("too many pending visits; a lesson visit was not recorded");
            return;
        }
        visits.insert((user_id, lesson_id.to_string()), now);
    }
}

async fn run(pool: Db, mut rx: mpsc::Receiver<Op>, visits: Visits, completed: Completed) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let open = tokio::select! {
            n = rx.recv_many(&mut batch, MAX_BATCH) => n > 0,
            _ = tick.tick() => true,
        };
        let seen = std::mem::take(&mut *visits.lock().unwrap_or_else(|p| p.into_inner()));
        if !batch.is_empty() || !seen.is_empty() {
            let mut result = apply(&pool, &batch, &seen).await;
            // Several instances' writers take row locks in the same order
            // (see `apply`), so a deadlock should not happen; should one,
            // or a serialization failure, the batch is simply tried again.
            for _ in 0..3 {
                match &result {
                    Err(sqlx::Error::Database(e))
                        if matches!(e.code().as_deref(), Some("40P01" | "40001")) =>
                    {
                        tracing::warn!(error = %e, "progress batch retried");
                        result = apply(&pool, &batch, &seen).await;
                    }
                    _ => break,
                }
            }
            if let Err(e) = &result {
                tracing::error!(error = %e, ops = batch.len(), visits = seen.len(), "progress batch failed; nothing in it was written");
            }
            // Before any acknowledgement: whoever hears "done" reads fresh.
            let learners: std::collections::BTreeSet<i64> = batch
                .iter()
                .map(|op| match op {
                    Op::Complete { user_id, .. } => *user_id,
                    Op::Attempt { attempt, .. } => attempt.user_id,
                    Op::Exercise { run, .. } => run.user_id,
                })
                .collect();
            for user_id in learners {
                completed.forget(&user_id);
            }
            for (i, op) in batch.drain(..).enumerate() {
                let outcome = result
                    .as_ref()
                    .map(|ids| ids[i])
                    .map_err(|e| WriteError::Batch(e.to_string()));
                match op {
                    Op::Complete { ack, .. } => {
                        let _ = ack.send(outcome.map(|_| ()));
                    }
                    Op::Attempt { ack, .. } => {
                        let _ = ack.send(outcome);
                    }
                    Op::Exercise { ack, .. } => {
                        let _ = ack.send(outcome.map(|_| ()));
                    }
                }
            }
        }
        if !open {
            break;
        }
    }
}

/// Applies a batch in one transaction; returns, per op, the attempt id
/// (0 for completions).
async fn apply(
    pool: &Db,
    batch: &[Op],
    visits: &HashMap<(i64, String), i64>,
) -> Result<Vec<i64>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Learners active in this batch: their day is recorded once each at
    // the end, not once per op (half the statements of a typical batch,
    // which counts on PostgreSQL, where each is a round trip).
    let mut active = std::collections::BTreeSet::new();
    // Rows are locked in one order, (learner, lesson, table), by every
    // instance's writer: two batches touching the same rows queue instead
    // of deadlocking (PostgreSQL would abort one after a second). The order
    // of ops on one row is kept (a stable sort), so the last choice wins.
    let mut seen: Vec<_> = visits.iter().collect();
    seen.sort();
    for ((user_id, lesson_id), at) in seen {
        visit(&mut tx, *user_id, lesson_id, *at).await?;
        active.insert(*user_id);
    }
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_by_key(|&i| match &batch[i] {
        Op::Complete {
            user_id, lesson_id, ..
        } => (*user_id, lesson_id.as_str(), 0),
        Op::Attempt { attempt, .. } => (attempt.user_id, attempt.lesson_id.as_str(), 0),
        Op::Exercise { run, .. } => (run.user_id, run.lesson_id.as_str(), 1),
    });
    let mut ids = vec![0; batch.len()];
    for i in order {
        let op = &batch[i];
        let id = match op {
            Op::Complete {
                user_id,
                lesson_id,
                done,
                ..
            } => complete(&mut tx, *user_id, lesson_id, *done)
                .await
                .map(|_| 0),
            Op::Attempt { attempt, .. } => store_attempt(&mut tx, attempt).await,
            Op::Exercise { run, .. } => crate::labs::db::record_run(&mut tx, run).await.map(|_| 0),
        };
        ids[i] = id?;
        match op {
            Op::Complete { user_id, .. } => active.insert(*user_id),
            Op::Attempt { attempt, .. } => active.insert(attempt.user_id),
            Op::Exercise { .. } => false,
        };
    }
    for user_id in active {
        active_today(&mut tx, user_id).await?;
    }
    tx.commit().await?;
    Ok(ids)
}

/// Stores the attempt unless its form was stored already (a double submit,
/// possibly to another instance): one statement, `ON CONFLICT DO NOTHING`,
/// so a concurrent duplicate waits for the first and then finds it instead
/// of failing the whole batch on the unique key.
async fn store_attempt(conn: &mut Tx, a: &QuizAttempt) -> Result<i64, sqlx::Error> {
    let r = &a.result;
    let json = serde_json::to_string(r).unwrap_or_else(|_| "{}".into());
    let inserted: Option<i64> = on_tx!(conn, |c| sqlx::query_scalar(
        "INSERT INTO quiz_attempts
           (user_id, lesson_id, submission, answers, points, max_points, percent, passed, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (user_id, submission) DO NOTHING RETURNING id",
    )
    .bind(a.user_id)
    .bind(&a.lesson_id)
    .bind(&a.submission)
    .bind(&json)
    .bind(r.points)
    .bind(r.max_points)
    .bind(r.percent as i64)
    .bind(r.passed)
    .bind(crate::common::time::now())
    .fetch_optional(&mut *c)
    .await)?;
    let Some(id) = inserted else {
        return on_tx!(conn, |c| sqlx::query_scalar(
            "SELECT id FROM quiz_attempts WHERE user_id = $1 AND submission = $2"
        )
        .bind(a.user_id)
        .bind(&a.submission)
        .fetch_one(&mut *c)
        .await);
    };
    if r.passed && a.completes {
        complete(conn, a.user_id, &a.lesson_id, true).await?;
    }
    Ok(id)
}

async fn active_today(conn: &mut Tx, user_id: i64) -> Result<(), sqlx::Error> {
    on_tx!(conn, |c| sqlx::query(
        "INSERT INTO activity_days (user_id, day) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(user_id)
    .bind(crate::common::time::date_of_day(crate::common::time::today()))
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(())
}

async fn complete(
    conn: &mut Tx,
    user_id: i64,
    lesson_id: &str,
    done: bool,
) -> Result<(), sqlx::Error> {
    let sql = if done {
        "INSERT INTO lesson_progress (user_id, lesson_id, first_visited_at, last_visited_at, completed_at)
         VALUES ($1, $2, $3, $3, $3)
         ON CONFLICT (user_id, lesson_id) DO UPDATE SET
           completed_at = coalesce(lesson_progress.completed_at, $3),
           last_visited_at = $3"
    } else {
        // $3 unused but typed, so both statements take the same arguments.
        "UPDATE lesson_progress SET completed_at = NULL
         WHERE user_id = $1 AND lesson_id = $2 AND $3 = $3"
    };
    on_tx!(conn, |c| sqlx::query(sql)
        .bind(user_id)
        .bind(lesson_id)
        .bind(crate::common::time::now())
        .execute(&mut *c)
        .await
        .map(|d| d.rows_affected()))?;
    Ok(())
}

async fn visit(
    conn: &mut Tx,
    user_id: i64,
    lesson_id: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    on_tx!(conn, |c| sqlx::query(
        "INSERT INTO lesson_progress (user_id, lesson_id, first_visited_at, last_visited_at)
         VALUES ($1, $2, $3, $3)
         ON CONFLICT (user_id, lesson_id) DO UPDATE SET
           last_visited_at = CASE
             WHEN coalesce(lesson_progress.last_visited_at, 0) > excluded.last_visited_at
             THEN lesson_progress.last_visited_at ELSE excluded.last_visited_at END",
    )
    .bind(user_id)
    .bind(lesson_id)
    .bind(at)
    .execute(&mut *c)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A migrated database in a temp dir with user 1, and a writer on it.
    async fn writer_with_one_user() -> (tempfile::TempDir, Db, ProgressWriter) {
        let (db, dir) = crate::db::test_pool(1).await;
        let w = ProgressWriter::start(db.clone());
        (dir, db, w)
    }

    #[tokio::test]
    async fn batched_writes_are_all_durable_and_idempotent() {
        let (_dir, pool, w) = writer_with_one_user().await;
        let mut tasks = vec![];
        for i in 0..200 {
            let w = w.clone();
            tasks.push(tokio::spawn(async move {
                w.set_complete(1, &format!("l{}", i % 20), true).await
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        w.visit(1, "l-visited");
        w.set_complete(1, "l0", false).await.unwrap();
        let count = async |sql: &'static str| {
            on_db!(&pool, |p| sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(p)
                .await)
                .unwrap()
        };
        assert_eq!(
            count("SELECT count(*) FROM lesson_progress WHERE completed_at IS NOT NULL").await,
            19
        );
        assert_eq!(
            count("SELECT count(*) FROM lesson_progress WHERE lesson_id = 'l-visited'").await,
            1
        );
    }

    #[tokio::test]
    async fn attempts_are_stored_once_and_a_pass_completes_the_lesson() {
        let (_dir, pool, w) = writer_with_one_user().await;
        let result = |percent, passed| crate::quiz::model::QuizResult {
            percent,
            passed,
            pass_mark: 70,
            points: percent as f64,
            max_points: 100.0,
            questions: vec![],
            keys_shown: true,
            reveal_hint: None,
            draw: vec![],
        };
        let attempt = |token: &str, percent, passed| QuizAttempt {
            user_id: 1,
            lesson_id: "l1".into(),
            submission: token.into(),
            result: result(percent, passed),
            completes: true,
        };
        let failed = w.record_attempt(attempt("t1", 40, false)).await.unwrap();
        let again = w.record_attempt(attempt("t1", 40, false)).await.unwrap();
        assert_eq!(failed, again, "a double submit stores one attempt");
        let done = || async {
            on_db!(&pool, |p| sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM lesson_progress WHERE lesson_id = 'l1' AND completed_at IS NOT NULL",
            )
            .fetch_one(p)
            .await)
            .unwrap()
        };
        assert_eq!(done().await, 0, "a fail does not complete the lesson");
        let passed = w.record_attempt(attempt("t2", 90, true)).await.unwrap();
        assert_ne!(passed, failed);
        assert_eq!(done().await, 1, "a pass completes the lesson");
        let stored: i64 = on_db!(&pool, |p| sqlx::query_scalar("SELECT count(*) FROM quiz_attempts")
            .fetch_one(p)
            .await)
            .unwrap();
        assert_eq!(stored, 2);
    }
}
