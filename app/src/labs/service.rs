//! The labs operations, one function each, shared by the server functions
//! (`api`) and the no-JavaScript form route (`handlers`).

use std::{collections::HashMap, sync::Arc};

use super::{
    db,
    model::{Exercise, ExerciseKind, ExerciseView, LabView, RunView, Solved},
    sql::SandboxError,
};
use crate::{
    auth::model::User,
    common::slug::is_slug,
    error::AppError,
    lessons::model::{ContentStore, Lesson},
    state::AppState,
};

/// Largest answer (SQL text or raw HTTP request) a form may carry.
pub const MAX_ANSWER: usize = 64 * 1024;

/// What a form post asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// SQL: run and grade the answer.
    Run,
    /// HTTP: send the raw request in the answer box to the learner's lab.
    Send,
    /// HTTP: grade the learner's request history.
    Check,
    /// Reveal the next hint.
    Hint,
    /// HTTP: clear the lab's data and history, to start over.
    Reset,
}

impl Action {
    pub fn parse(s: &str) -> Result<Action, AppError> {
        Ok(match s {
            "run" => Action::Run,
            "send" => Action::Send,
            "check" => Action::Check,
            "hint" => Action::Hint,
            "reset" => Action::Reset,
            _ => {
                return Err(AppError::BadRequest(
                    "The form asked for something this page does not do. Reload it and try again."
                        .into(),
                ))
            }
        })
    }
}

/// The published lesson `track/slug` and the index of exercise `id` in it.
fn find(
    store: &ContentStore,
    track: &str,
    slug: &str,
    id: &str,
) -> Result<(Arc<Lesson>, usize), AppError> {
    let not_found = || AppError::NotFound("There is no such exercise.".into());
    if !is_slug(track) || !is_slug(slug) || !is_slug(id) {
        return Err(not_found());
    }
    let lesson = store
        // The reader's language: a translation keeps the quiz's and the
        // exercises' structure (checked at load), so grading is the same.
        .lesson_in(track, slug, crate::i18n::Lang::current())
        .map(|(l, _)| l)
        .filter(|l| !l.meta.draft)
        .ok_or_else(not_found)?;
    let index = lesson
        .exercises
        .iter()
        .position(|e| e.id == id)
        .ok_or_else(not_found)?;
    Ok((lesson.clone(), index))
}

/// The exercise page for `user` (or a visitor: prompt only).
pub async fn open(
    state: &AppState,
    user: Option<&User>,
    public_origin: &str,
    track: &str,
    slug: &str,
    id: &str,
) -> Result<ExerciseView, AppError> {
    let store = state.content.get();
    let (lesson, index) = find(&store, track, slug, id)?;
    let ex = &lesson.exercises[index];
    let next = lesson
        .exercises
        .get(index + 1)
        .map(|n| (format!("{}/exercises/{}", lesson.meta.href(), n.id), n.title.clone()));
    let mut view = ExerciseView {
        lesson_title: lesson.meta.title.clone(),
        lesson_href: lesson.meta.href(),
        id: ex.id.clone(),
        kind: ex.kind,
        title: ex.title.clone(),
        prompt: ex.prompt.clone(),
        answer: ex.starter.clone(),
        signed_in: user.is_some(),
        tries: 0,
        solved: false,
        hints: vec![],
        hints_left: ex.hints.len(),
        solution: None,
        solution_note: ex.show_solution.describe(),
        last_run: None,
        lab: None,
        next,
    };
    let Some(user) = user else {
        return Ok(view);
    };
    let lesson_id = &lesson.meta.id;
    let st = db::state(&state.pool, user.id, lesson_id, &ex.id).await?;
    let shown = (st.hints_shown.max(0) as usize).min(ex.hints.len());
    view.tries = st.tries.max(0) as u32;
    view.solved = st.solved;
    view.hints = ex.hints[..shown].to_vec();
    view.hints_left = ex.hints.len() - shown;
    if ex.show_solution.allows(view.tries, view.solved) {
        view.solution = Some(ex.solution.clone());
    }
    if let Some((answer, run)) = db::last_run(&state.pool, user.id, lesson_id, &ex.id).await? {
        if ex.kind == ExerciseKind::Sql {
            view.answer = answer;
        }
        view.last_run = Some(run);
    }
    if ex.kind == ExerciseKind::Http {
        view.lab = Some(lab_view(state, user, lesson_id, ex, public_origin).await?);
        if view.answer.is_empty() {
            view.answer = "GET /items HTTP/1.1\n".into();
        }
    }
    Ok(view)
}

async fn lab_view(
    state: &AppState,
    user: &User,
    lesson_id: &str,
    ex: &Exercise,
    public_origin: &str,
) -> Result<LabView, AppError> {
    let token = super::http::token_for(&state.pool, user.id, lesson_id, &ex.id).await?;
    let history = super::http::history(&state.pool, &token)
        .await?
        .iter()
        .map(|h| h.summary())
        .collect();
    Ok(LabView {
        base: format!("{}/lab/{token}", public_origin.trim_end_matches('/')),
        token,
        history,
    })
}

/// Runs, sends or checks for `user`, records the outcome, and returns it.
/// `Hint` and `Reset` change the learner's state and return no run.
pub async fn act(
    state: &AppState,
    user: &User,
    track: &str,
    slug: &str,
    id: &str,
    action: Action,
    answer: &str,
) -> Result<Option<RunView>, AppError> {
    let store = state.content.get();
    let (lesson, index) = find(&store, track, slug, id)?;
    let ex = &lesson.exercises[index];
    let lesson_id = &lesson.meta.id;
    if answer.len() > MAX_ANSWER {
        return Err(AppError::BadRequest(crate::t!(
            "err-answer-too-long",
            kb = MAX_ANSWER / 1024
        )));
    }
    let run = match (ex.kind, action) {
        (_, Action::Hint) => {
            db::reveal_hint(
                &state.pool,
                user.id,
                lesson_id,
                &ex.id,
                ex.hints.len() as i64,
            )
            .await?;
            tracing::info!(user_id = user.id, lesson = %lesson_id, exercise = %ex.id, "hint revealed");
            return Ok(None);
        }
        (ExerciseKind::Http, Action::Reset) => {
            let token = super::http::token_for(&state.pool, user.id, lesson_id, &ex.id).await?;
            super::http::reset(&state.pool, &token).await?;
            return Ok(None);
        }
        (ExerciseKind::Sql, Action::Run) => {
            if answer.trim().is_empty() {
                return Err(AppError::BadRequest(
                    "The answer box is empty: write a query, then run it.".into(),
                ));
            }
            let spec = ex.sql.as_ref().ok_or_else(|| AppError::internal("sql exercise without spec", &ex.id))?;
            let dataset = spec.dataset.as_ref().and_then(|d| store.datasets.get(d));
            let _claim = state.labs.claim(user.id).map_err(sandbox_error)?;
            state
                .labs
                .check(ex, spec, dataset, answer)
                .await
                .map_err(sandbox_error)?
        }
        (ExerciseKind::Http, Action::Send) => {
            let token = super::http::token_for(&state.pool, user.id, lesson_id, &ex.id).await?;
            let request = super::http::raw::parse_raw(answer, &token).map_err(|e| {
                AppError::BadRequest(crate::t!("err-request-unreadable", reason = e))
            })?;
            let response = super::http::handle(&state.pool, &token, request).await;
            let run = RunView {
                passed: false,
                verdict: crate::t!("labs-verdict-sent"),
                response: Some(super::http::raw::format_response(&response)),
                sent_only: true,
                ..Default::default()
            };
            record(state, user, lesson_id, &ex.id, answer, &run).await?;
            return Ok(Some(run));
        }
        (ExerciseKind::Http, Action::Check) => {
            let token = super::http::token_for(&state.pool, user.id, lesson_id, &ex.id).await?;
            let history = super::http::history(&state.pool, &token).await?;
            let verdict = super::http::check_steps(&ex.steps, &history);
            RunView {
                passed: verdict.passed,
                verdict: verdict.message,
                ..Default::default()
            }
        }
        _ => {
            return Err(AppError::BadRequest(
                "That button does not belong to this exercise. Reload the page.".into(),
            ))
        }
    };
    record(state, user, lesson_id, &ex.id, answer, &run).await?;
    tracing::info!(user_id = user.id, lesson = %lesson_id, exercise = %ex.id, passed = run.passed, "exercise run");
    Ok(Some(run))
}

/// Stores a run durably through the progress writer's batches.
async fn record(
    state: &AppState,
    user: &User,
    lesson_id: &str,
    exercise_id: &str,
    answer: &str,
    run: &RunView,
) -> Result<(), AppError> {
    let record = db::ExerciseRun {
        user_id: user.id,
        lesson_id: lesson_id.to_string(),
        exercise_id: exercise_id.to_string(),
        answer: answer.to_string(),
        run: run.clone(),
    };
    Ok(state.progress.record_exercise(record).await?)
}

fn sandbox_error(e: SandboxError) -> AppError {
    match e {
        SandboxError::Busy => AppError::TooManyRequests(e.to_string()),
        other => AppError::internal("the SQL sandbox failed", other),
    }
}

/// Solved and total exercises per lesson id, for `user`'s progress views.
pub async fn solved_by_lesson(
    state: &AppState,
    user: &User,
) -> Result<HashMap<String, Solved>, AppError> {
    let store = state.content.get();
    let learner = state.progress.learner(user.id).await?;
    Ok(totals(&store, |lesson_id| learner.solved.get(lesson_id)))
}

/// Per lesson with exercises: how many of them `solved_ids(lesson)` holds
/// (ids of exercises no longer in the lesson are not counted).
pub fn totals<'a>(
    store: &ContentStore,
    solved_ids: impl Fn(&str) -> Option<&'a Vec<String>>,
) -> HashMap<String, Solved> {
    store
        .lessons
        .values()
        .filter(|l| !l.exercises.is_empty())
        .map(|l| {
            let done = solved_ids(&l.meta.id).map_or(0, |ids| {
                l.exercises.iter().filter(|e| ids.contains(&e.id)).count()
            });
            (
                l.meta.id.clone(),
                Solved {
                    solved: done as u32,
                    total: l.exercises.len() as u32,
                },
            )
        })
        .collect()
}

/// Runs every exercise's reference solution against its own check:
/// SQL in `sandbox`, HTTP against a scratch lab in `pool`. Returns
/// `(file, line, message)` for each that does not pass.
pub async fn self_check_all(
    store: &ContentStore,
    sandbox: &super::sql::Sandbox,
    pool: &crate::db::Db,
) -> Vec<(String, usize, String)> {
    let mut found = Vec::new();
    let mut lessons: Vec<&Arc<Lesson>> = store.lessons.values().collect();
    lessons.sort_by(|a, b| a.source.cmp(&b.source));
    for lesson in lessons {
        for ex in &lesson.exercises {
            if let Err(message) = self_check(store, sandbox, pool, ex).await {
                found.push((
                    lesson.source.clone(),
                    ex.line,
                    format!("exercise `{}`: {message}", ex.id),
                ));
            }
        }
    }
    found
}

/// One exercise's reference solution against its own check.
pub async fn self_check(
    store: &ContentStore,
    sandbox: &super::sql::Sandbox,
    pool: &crate::db::Db,
    ex: &Exercise,
) -> Result<(), String> {
    match (&ex.sql, ex.kind) {
        (Some(spec), ExerciseKind::Sql) => {
            let dataset = spec.dataset.as_ref().and_then(|d| store.datasets.get(d));
            sandbox
                .self_check(ex, spec, dataset)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
        _ => {
            let token = super::http::scratch_token(pool, "check-content", &ex.id).await.map_err(|e| e.to_string())?;
            let result = async {
                super::http::run_solution(pool, &token, &ex.solution).await?;
                let history = super::http::history(pool, &token)
                    .await
                    .map_err(|e| e.to_string())?;
                let verdict = super::http::check_steps(&ex.steps, &history);
                if verdict.passed {
                    Ok(())
                } else {
                    Err(crate::t!(
                        "labs-reference-not-passing",
                        verdict = verdict.message
                    ))
                }
            }
            .await;
            let _ = super::http::discard(pool, &token).await;
            result
        }
    }
}

/// `user_id`'s solved exercises of `lesson`.
pub async fn lesson_solved(
    state: &AppState,
    user_id: i64,
    lesson: &Lesson,
) -> Result<Solved, AppError> {
    // From the learner's cached records: the progress writer stores runs
    // and forgets the learner before anyone hears "solved".
    let learner = state.progress.learner(user_id).await?;
    Ok(solved_in(&learner, lesson))
}

/// How many of `lesson`'s exercises `learner` has solved (ids no longer in
/// the lesson are not counted).
pub fn solved_in(learner: &crate::progress::writer::Learner, lesson: &Lesson) -> Solved {
    let ids = learner
        .solved
        .get(&lesson.meta.id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    Solved {
        solved: lesson.exercises.iter().filter(|e| ids.contains(&e.id)).count() as u32,
        total: lesson.exercises.len() as u32,
    }
}

/// The completion rule: a lesson with `requires_exercises` completes only
/// once every exercise is solved. `Err` is the sentence saying what is left.
pub async fn completion_allowed(
    state: &AppState,
    user_id: i64,
    lesson_id: &str,
) -> Result<Result<(), String>, AppError> {
    let store = state.content.get();
    let Some(lesson) = store
        .lessons
        .values()
        .find(|l| l.meta.id == lesson_id && l.requires_exercises)
    else {
        return Ok(Ok(()));
    };
    let s = lesson_solved(state, user_id, lesson).await?;
    Ok(if s.solved >= s.total {
        Ok(())
    } else {
        Err(crate::t!(
            "labs-complete-needs-exercises",
            solved = s.solved,
            total = s.total
        ))
    })
}
