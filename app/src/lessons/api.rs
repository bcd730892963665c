//! Server functions of the lessons feature. Reading is public: search needs
//! no account, so no user check here (drafts are never in the index).

use leptos::prelude::*;

use super::model::SearchResults;
use crate::error::AppError;

/// Page `page` (1 when absent) of the lessons matching `q`, best first,
/// with the true total.
#[server(endpoint = "search")]
pub async fn search_lessons(q: String, page: Option<u32>) -> Result<SearchResults, AppError> {
    let state = crate::state::app_state()?;
    state
        .content
        .search(
            &state.search,
            &q,
            page.unwrap_or(1).max(1),
            crate::i18n::Lang::current(),
        )
        .await
        .map_err(|e| AppError::internal("search failed", e))
}
