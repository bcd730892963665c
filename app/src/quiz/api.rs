//! Server functions of the quiz feature.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::QuizResult;

/// What the quiz island shows after submitting: the result rendered on the
/// server, and the attempt's address when it was stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizOutcome {
    pub html: String,
    pub url: Option<String>,
}

/// Grades a quiz form. `action` is the form's address
/// (`/lessons/{track}/{lesson}/quiz`), `body` its urlencoded fields. Open to
/// visitors (graded, not stored); a signed-in learner's attempt is stored.
#[server(endpoint = "quiz/submit")]
pub async fn submit_quiz(action: String, body: String) -> Result<QuizOutcome, ServerFnError> {
    use crate::error::AppError;
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    let user = crate::auth::session::current_user();
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(&body).map_err(|_| {
        AppError::BadRequest("The quiz form arrived malformed.".into()).into_server_fn()
    })?;
    let graded = super::handlers::grade_submission(&state, user.as_ref(), &action, &fields)
        .await
        .map_err(AppError::into_server_fn)?;
    let note = user
        .is_none()
        .then(|| "Sign in to keep your scores.".to_string());
    let html = view! { <super::pages::QuizResultView result=graded.result.clone() note=note.unwrap_or_default() /> }.to_html();
    Ok(QuizOutcome {
        html,
        url: graded.attempt_url,
    })
}

/// The caller's attempts on a lesson, and one attempt in full when `id` is set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attempts {
    /// (id, percent, passed, when)
    pub list: Vec<(i64, u32, bool, String)>,
    pub shown: Option<QuizResult>,
}

#[server(endpoint = "quiz/attempts")]
pub async fn quiz_attempts(lesson_id: String, id: String) -> Result<Attempts, ServerFnError> {
    use crate::{auth::session::require_user, error::AppError};
    let user = require_user().map_err(AppError::into_server_fn)?;
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    let list = super::db::attempts(&state.pool, user.id, &lesson_id)
        .await
        .map_err(|e| AppError::from(e).into_server_fn())?
        .into_iter()
        .map(|(id, p, ok, at)| {
            (
                id,
                p,
                ok,
                crate::progress::service::iso_time(at)
                    .replace('T', " ")
                    .replace('Z', ""),
            )
        })
        .collect();
    let shown = if id.is_empty() {
        None
    } else {
        let not_found = || AppError::NotFound("There is no such attempt.".into()).into_server_fn();
        let id: i64 = id.parse().map_err(|_| not_found())?;
        // Only the learner's own attempts: anyone else's id is "not found".
        match super::db::attempt(&state.pool, user.id, id).await {
            Ok(Some((l, result, _))) if l == lesson_id => Some(result),
            Ok(_) => return Err(not_found()),
            Err(e) => return Err(AppError::from(e).into_server_fn()),
        }
    };
    Ok(Attempts { list, shown })
}
