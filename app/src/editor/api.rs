//! Server functions of the editor: instructors and admins only.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::RevisionInfo;
use crate::{common::html::SafeHtml, error::AppError};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub html: String,
    pub problems_html: String,
}

/// Renders `text` for `action` (`/editor/{track}/{lesson}`) with the same
/// pipeline as the lessons, plus the validation messages.
#[server(endpoint = "editor/preview")]
pub async fn editor_preview(action: String, text: String) -> Result<Preview, AppError> {
    use crate::auth::session::{require, Access};
    require(Access::Teacher)?;
    let state = crate::state::app_state()?;
    let checked = super::service::live_preview(&state, &action, &text)?;
    let problems = checked.problems.clone();
    Ok(Preview {
        html: checked
            .preview
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        problems_html: view! { <super::views::ProblemList problems /> }.to_html(),
    })
}

/// Revisions of a lesson, and (with `rev`) one revision's diff to the one before.
#[server(endpoint = "editor/history")]
pub async fn lesson_history(
    track: String,
    slug: String,
    rev: String,
) -> Result<(Vec<RevisionInfo>, Option<(i64, SafeHtml)>), AppError> {
    use crate::auth::session::{require, Access};
    require(Access::Teacher)?;
    let state = crate::state::app_state()?;
    super::service::history(&state, &track, &slug, &rev).await
}
