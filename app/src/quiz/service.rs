//! The quiz operations, one function each, shared by the server functions
//! and the no-JavaScript form route.

use super::{
    db, grade,
    model::{AttemptSummary, Attempts, QuizResult},
};
use crate::{
    auth::model::User, common::slug::is_slug, error::AppError, progress::writer::QuizAttempt,
    state::AppState,
};

pub struct Graded {
    pub result: QuizResult,
    pub attempt_url: Option<String>,
}

/// Grades `fields` for the quiz at `action` and stores a signed-in
/// learner's attempt (once per submitted form).
pub async fn grade_submission(
    state: &AppState,
    user: Option<&User>,
    action: &str,
    fields: &[(String, String)],
) -> Result<Graded, AppError> {
    let not_found = || AppError::NotFound("There is no such quiz.".into());
    let parts: Vec<&str> = action.trim_matches('/').split('/').collect();
    let [_lessons @ "lessons", track, slug, "quiz"] = parts.as_slice() else {
        return Err(not_found());
    };
    if !is_slug(track) || !is_slug(slug) {
        return Err(not_found());
    }
    let store = state.content.get();
    let lesson = store
        .lesson(track, slug)
        .filter(|l| !l.meta.draft)
        .ok_or_else(not_found)?;
    let quiz = lesson.quiz.as_ref().ok_or_else(not_found)?;
    let attempt = fields
        .iter()
        .find(|(k, _)| k == "attempt")
        .map(|(_, v)| v.clone())
        .filter(|a| a.len() == 24 && a.chars().all(|c| c.is_ascii_hexdigit()))
        .ok_or_else(|| {
            AppError::BadRequest(
                "The quiz form is missing its attempt token. Reload the quiz and try again.".into(),
            )
        })?;
    let result = grade::grade(
        quiz,
        &state.quiz_key,
        &attempt,
        fields,
        state.settings.pass_mark,
    )
    .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let attempt_url = match user {
        Some(user) => {
            let completes = crate::labs::service::completion_allowed(state, user.id, &lesson.meta.id)
                .await?
                .is_ok();
            let id = state
                .progress
                .record_attempt(QuizAttempt {
                    user_id: user.id,
                    lesson_id: lesson.meta.id.clone(),
                    submission: attempt.clone(),
                    result: result.clone(),
                    completes,
                })
                .await
                .map_err(|e| AppError::internal("cannot store the quiz attempt", e))?;
            tracing::info!(user_id = user.id, lesson = %lesson.meta.id, percent = result.percent, "quiz attempt");
            Some(format!("{}/quiz/attempts/{id}", lesson.meta.href()))
        }
        None => None,
    };
    Ok(Graded {
        result,
        attempt_url,
    })
}

/// A submitted quiz form's fields (urlencoded), or a 400 that says so.
pub fn form_fields(body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
    serde_urlencoded::from_bytes(body).map_err(|_| {
        AppError::BadRequest(
            "The quiz form arrived malformed. Reload the quiz and try again.".into(),
        )
    })
}

/// `user`'s attempts on `lesson_id`, newest first, and attempt `id` in full
/// when it is theirs and of this lesson (anyone else's is "not found").
pub async fn attempts(
    state: &AppState,
    user: &User,
    lesson_id: &str,
    id: Option<&str>,
) -> Result<Attempts, AppError> {
    let list = db::attempts(&state.pool, user.id, lesson_id)
        .await?
        .into_iter()
        .map(|row| AttemptSummary {
            id: row.id,
            percent: row.percent.clamp(0, 100) as u32,
            passed: row.passed,
            when: crate::common::time::iso_time(row.created_at)
                .replace('T', " ")
                .replace('Z', ""),
        })
        .collect();
    let shown = match id.filter(|i| !i.is_empty()) {
        None => None,
        Some(id) => {
            let not_found = || AppError::NotFound("There is no such attempt.".into());
            let id: i64 = id.parse().map_err(|_| not_found())?;
            match db::attempt(&state.pool, user.id, id).await? {
                Some(stored) if stored.lesson_id == lesson_id => Some(stored.result),
                _ => return Err(not_found()),
            }
        }
    };
    Ok(Attempts { list, shown })
}
