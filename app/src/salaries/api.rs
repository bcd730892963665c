//! Server functions of the salary explorer. Public data: no user check.

use leptos::prelude::*;

use crate::error::AppError;

/// The results block for a query string (`role=…&country=…&b_country=…`),
/// rendered on the server with the same components as the page.
#[server(endpoint = "salaries/results")]
pub async fn salary_results(query: String) -> Result<String, AppError> {
    use super::{
        model::choices,
        views::{filters_from_query, SalaryResults},
    };
    let state = crate::state::app_state()?;
    if query.len() > 2_000 {
        return Err(AppError::BadRequest("The selection is too long.".into()));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&query)
        .map_err(|_| AppError::BadRequest("The selection could not be read.".into()))?;
    let map: leptos_router::params::ParamsMap = pairs.into_iter().collect();
    let (a, b) = filters_from_query(&map);
    let store = state.content.get();
    let all = choices(&store.salaries);
    a.validate(&all)
        .and(b.validate(&all))
        .map_err(AppError::BadRequest)?;
    Ok(view! { <SalaryResults rows=store.salaries.clone() choices=all a b /> }.to_html())
}
