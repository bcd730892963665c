//! Server functions of the salary explorer. Public data: no user check.

use leptos::prelude::*;

/// The results block for a query string (`role=…&country=…&b_country=…`),
/// rendered on the server with the same components as the page.
#[server(endpoint = "salaries/results")]
pub async fn salary_results(query: String) -> Result<String, ServerFnError> {
    use super::{model::choices, pages::SalaryResults};
    use crate::error::AppError;
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    if query.len() > 2_000 {
        return Err(AppError::BadRequest("The selection is too long.".into()).into_server_fn());
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&query).map_err(|_| {
        AppError::BadRequest("The selection could not be read.".into()).into_server_fn()
    })?;
    let map: leptos_router::params::ParamsMap = pairs.into_iter().collect();
    let (a, b) = super::pages::filters_from_query(&map);
    let store = state.content.get();
    let all = choices(&store.salaries);
    if let Err(msg) = a.validate(&all).and(b.validate(&all)) {
        return Err(AppError::BadRequest(msg).into_server_fn());
    }
    Ok(view! { <SalaryResults rows=store.salaries.clone() choices=all a b /> }.to_html())
}
