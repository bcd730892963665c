//! Server functions of the lessons feature. Reading is public: search needs
//! no account, so no user check here (drafts are never in the index).

use leptos::prelude::*;

use super::model::SearchHit;
use crate::error::AppError;

/// Lessons matching `q`, best first (at most 20).
#[server(endpoint = "search")]
pub async fn search_lessons(q: String) -> Result<Vec<SearchHit>, AppError> {
    let state = crate::state::app_state()?;
    state
        .content
        .search(&state.pool, &q, 20)
        .await
        .map_err(|e| AppError::internal("search failed", e))
}
