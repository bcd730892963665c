//! Server functions of the labs feature, each a few lines over `service`.

use leptos::prelude::*;

use super::model::{ExerciseView, RunOutcome};
use crate::error::AppError;

/// The exercise page's data. Open to visitors (prompt only); a learner
/// also gets their state, revealed hints, last run and lab.
#[server(endpoint = "labs/exercise")]
pub async fn load_exercise(
    track: String,
    lesson: String,
    id: String,
) -> Result<ExerciseView, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::current_user();
    let origin = request_origin(&state);
    super::service::open(&state, user.as_ref(), &origin, &track, &lesson, &id).await
}

/// Runs (SQL), sends a request (HTTP) or checks (HTTP) for the run-in-place
/// island, answering the result panel rendered on the server.
#[server(endpoint = "labs/run")]
pub async fn run_exercise(
    track: String,
    lesson: String,
    id: String,
    action: String,
    answer: String,
) -> Result<RunOutcome, AppError> {
    use crate::auth::session::{require, Access};
    let user = require(Access::SignedIn)?;
    let state = crate::state::app_state()?;
    let action = super::service::Action::parse(&action)?;
    let run = super::service::act(&state, &user, &track, &lesson, &id, action, &answer)
        .await?
        .ok_or_else(|| AppError::BadRequest("That action has no result to show.".into()))?;
    let html = view! { <super::views::RunResult run /> }.to_html();
    Ok(RunOutcome { html })
}

/// `scheme://host` of this request, for the lab URL a learner's curl uses.
#[cfg(feature = "ssr")]
pub fn request_origin(state: &crate::state::AppState) -> String {
    let host = use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_string)
        })
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or_else(|| "localhost".into());
    let scheme = if state.settings.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// The caller's solved exercises of lesson `track/lesson` (for its page).
#[server(endpoint = "labs/solved")]
pub async fn lesson_solved(
    track: String,
    lesson: String,
) -> Result<super::model::Solved, AppError> {
    use crate::auth::session::{require, Access};
    let user = require(Access::SignedIn)?;
    let state = crate::state::app_state()?;
    let store = state.content.get();
    let lesson = store
        .lesson(&track, &lesson)
        .ok_or_else(|| AppError::NotFound("There is no such lesson.".into()))?;
    super::service::lesson_solved(&state, user.id, lesson).await
}
