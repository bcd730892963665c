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
    let note = user.is_none().then(|| crate::t!("quiz-sign-in-to-keep"));
    let html = view! { <super::views::QuizResultView result=graded.result note=note.unwrap_or_default() /> }.to_html();
    Ok(QuizOutcome {
        html,
        url: graded.attempt_url,
    })
}

/// The caller's attempts on a lesson, and attempt `id` in full when set.
/// The attempt token of the caller's next attempt at a lesson's quiz
/// (see `service::attempt_token`).
#[server(endpoint = "quiz/attempt")]
pub async fn next_attempt(lesson_id: String) -> Result<String, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::current_user();
    super::service::attempt_token(&state, user.as_ref(), &lesson_id).await
}

#[server(endpoint = "quiz/attempts")]
pub async fn quiz_attempts(lesson_id: String, id: String) -> Result<Attempts, AppError> {
    use crate::auth::session::{require, Access};
    let user = require(Access::SignedIn)?;
    let state = crate::state::app_state()?;
    super::service::attempts(&state, &user, &lesson_id, Some(&id)).await
}

/// Statistics per question and essays to mark for a cohort's quizzes
/// (the cohort's owner or an admin).
#[server(endpoint = "quiz/review")]
pub async fn quiz_review(cohort_id: i64) -> Result<super::model::QuizReview, AppError> {
    use crate::auth::session::{require, Access};
    let user = require(Access::Teacher)?;
    let state = crate::state::app_state()?;
    super::service::review(&state, &user, cohort_id).await
}

/// Marks an essay answer; returns the review page's address.
#[server(endpoint = "quiz/mark")]
pub async fn mark_essay(
    cohort_id: i64,
    attempt: i64,
    question: u32,
    mark: u32,
    #[server(default)] comment: String,
) -> Result<String, AppError> {
    use crate::auth::session::{require, Access};
    let user = require(Access::Teacher)?;
    let state = crate::state::app_state()?;
    super::service::mark_essay(
        &state,
        &user,
        cohort_id,
        attempt,
        question as usize,
        mark,
        &comment,
    )
    .await
}
