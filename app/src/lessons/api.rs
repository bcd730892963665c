//! Server functions of the lessons feature. Reading is public: search needs
//! no account, so no user check here (drafts are never in the index).

use leptos::prelude::*;

use super::model::SearchHit;

/// Lessons matching `q`, best first (at most 20).
#[server(endpoint = "search")]
pub async fn search_lessons(q: String) -> Result<Vec<SearchHit>, ServerFnError> {
    use crate::error::AppError;
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    state
        .content
        .search(&state.pool, &q, 20)
        .await
        .map_err(|e| AppError::internal("search failed", e).into_server_fn())
}
