//! Server functions of the editor: instructors and admins only.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::RevisionInfo;
use crate::lessons::model::SafeHtml;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub html: String,
    pub problems_html: String,
}

/// Renders `text` for `action` (`/editor/{track}/{lesson}`) with the same
/// pipeline as the lessons, plus the validation messages.
#[server(endpoint = "editor/preview")]
pub async fn editor_preview(action: String, text: String) -> Result<Preview, ServerFnError> {
    use crate::{
        auth::{model::Role, session::require_role},
        error::AppError,
    };
    require_role(&[Role::Instructor, Role::Admin]).map_err(AppError::into_server_fn)?;
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    if text.len() > super::handlers::MAX_TEXT {
        return Err(
            AppError::BadRequest("The text is too large (at most 1 MiB).".into()).into_server_fn(),
        );
    }
    let parts: Vec<&str> = action.trim_matches('/').split('/').collect();
    let [_e @ "editor", track, slug] = parts.as_slice() else {
        return Err(AppError::BadRequest("Unknown lesson.".into()).into_server_fn());
    };
    super::fs::lesson_path(state.content.root(), track, slug)
        .map_err(|e| AppError::from(e).into_server_fn())?;
    let checked = super::service::check(
        &state.content.get(),
        state.content.root(),
        track,
        slug,
        &text,
    );
    let problems = checked.problems.clone();
    Ok(Preview {
        html: checked
            .preview
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        problems_html: view! { <super::pages::ProblemList problems /> }.to_html(),
    })
}

/// Revisions of a lesson, and (with `rev`) one revision's diff to the one before.
#[server(endpoint = "editor/history")]
pub async fn lesson_history(
    track: String,
    slug: String,
    rev: String,
) -> Result<(Vec<RevisionInfo>, Option<(i64, SafeHtml)>), ServerFnError> {
    use crate::{
        auth::{model::Role, session::require_role},
        error::AppError,
    };
    require_role(&[Role::Instructor, Role::Admin]).map_err(AppError::into_server_fn)?;
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    let list = super::db::revisions(&state.pool, &track, &slug)
        .await
        .map_err(|e| AppError::from(e).into_server_fn())?;
    let diff = match rev.parse::<i64>() {
        Ok(id) => match super::db::revision_with_previous(&state.pool, &track, &slug, id).await {
            Ok(Some((body, prev))) => Some((
                id,
                super::service::diff_html(prev.as_deref().unwrap_or(""), &body),
            )),
            Ok(None) => {
                return Err(AppError::NotFound("There is no such revision.".into()).into_server_fn())
            }
            Err(e) => return Err(AppError::from(e).into_server_fn()),
        },
        Err(_) => None,
    };
    Ok((list, diff))
}
