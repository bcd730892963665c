//! Server functions of the quiz feature, each a few lines over `service`.

use leptos::prelude::*;

use super::model::{Attempts, QuizOutcome};
use crate::error::AppError;

/// Grades a quiz form. `action` is the form's address
/// (`/lessons/{track}/{lesson}/quiz`), `body` its urlencoded fields. Open to
/// visitors (graded, not stored); a signed-in learner's attempt is stored.
#[server(endpoint = "quiz/submit")]
pub async fn submit_quiz(action: String, body: String) -> Result<QuizOutcome, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::current_user();
    let fields = super::service::form_fields(body.as_bytes())?;
    let graded = super::service::grade_submission(&state, user.as_ref(), &action, &fields).await?;
    let note = user
        .is_none()
        .then(|| "Sign in to keep your scores.".to_string());
    let html = view! { <super::views::QuizResultView result=graded.result note=note.unwrap_or_default() /> }.to_html();
    Ok(QuizOutcome {
        html,
        url: graded.attempt_url,
    })
}

/// The caller's attempts on a lesson, and attempt `id` in full when set.
#[server(endpoint = "quiz/attempts")]
pub async fn quiz_attempts(lesson_id: String, id: String) -> Result<Attempts, AppError> {
    use crate::auth::session::{require, Access};
    let user = require(Access::SignedIn)?;
    let state = crate::state::app_state()?;
    super::service::attempts(&state, &user, &lesson_id, Some(&id)).await
}
