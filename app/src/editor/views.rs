//! Editor components shared by the pages and the preview server function
//! (both import this module; neither imports the other).

use leptos::prelude::*;

use crate::{lessons::model::Problem, t};

/// The problems of a lesson's text, one line each, or "No problems found."
#[component]
pub fn ProblemList(problems: Vec<Problem>) -> impl IntoView {
    if problems.is_empty() {
        view! { <p class="ok-note">{t!("editor-no-problems")}</p> }.into_any()
    } else {
        view! {
            <ul class="problems" role="alert">
                {problems.into_iter().map(|p| view! { <li>{t!("editor-problem-line", line = p.line.to_string(), message = p.message)}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    }
}
