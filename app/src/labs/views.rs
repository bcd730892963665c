//! The result panel of an exercise run, as a component: rendered by the
//! exercise page and, for the run-in-place island, by the `run_exercise`
//! server function. Both import this module; neither imports the other.

use leptos::prelude::*;

use super::model::{RunView, Table, MAX_ROWS};
use crate::{t, ui::table::ScrollTable};

/// Verdict, error, rows or raw response of one run.
#[component]
pub fn RunResult(run: RunView) -> impl IntoView {
    let (class, heading) = match (run.sent_only, run.passed) {
        (true, _) => ("run-result sent", t!("labs-run-response")),
        (false, true) => ("run-result run-passed", t!("labs-run-passed")),
        (false, false) => ("run-result run-failed", t!("labs-run-not-yet")),
    };
    view! {
        <section class=class aria-labelledby="run-h" id="result">
            <h2 id="run-h">{heading}</h2>
            <p class="verdict">{run.verdict}</p>
            {run.error.map(|e| view! { <p class="run-error" role="alert">{e}</p> })}
            {run.response.map(|r| view! { <pre class="raw-response" tabindex="0"><code>{r}</code></pre> })}
            {run.table.map(|t| view! { <ResultTable table=t /> })}
        </section>
    }
}

/// A result set as a scrolling table.
#[component]
pub fn ResultTable(table: Table) -> impl IntoView {
    let count = table.rows.len();
    // Plain numbers, as before: at most four digits (MAX_ROWS), which
    // neither language groups.
    let note = if table.truncated {
        t!("labs-rows-truncated", count = MAX_ROWS)
    } else {
        t!("labs-rows", count = count)
    };
    let head = view! {
        <caption>{note}</caption>
        <thead>
            <tr>{table.columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr>
        </thead>
    }
    .into_any();
    view! {
        <ScrollTable head=head class="result-table">
            {table
                .rows
                .into_iter()
                .map(|row| {
                    view! {
                        <tr>
                            {row
                                .into_iter()
                                .map(|cell| {
                                    let null = matches!(cell, super::model::Cell::Null);
                                    view! { <td class:null=null>{cell.shown()}</td> }
                                })
                                .collect_view()}
                        </tr>
                    }
                })
                .collect_view()}
        </ScrollTable>
    }
}
