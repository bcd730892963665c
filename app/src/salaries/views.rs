//! The salary results as components: rendered in the page and, for the
//! explorer island, by the `salary_results` server function. Both import
//! this module; neither imports the other.

use leptos::prelude::*;

use super::model::{bar_width, format_amount, select, Choices, Filter, SalaryRow};
use crate::ui::{not_found::set_status, table::ScrollTable};

fn filter_from(q: &leptos_router::params::ParamsMap, prefix: &str) -> Filter {
    let get = |k: &str| {
        q.get(&format!("{prefix}{k}"))
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    Filter {
        role: get("role"),
        country: get("country"),
        experience: get("experience"),
        source: get("source"),
    }
}

/// The filters of the current request: the main selection and, for the
/// side-by-side comparison, the `b_`-prefixed one.
pub fn filters_from_query(q: &leptos_router::params::ParamsMap) -> (Filter, Filter) {
    (filter_from(q, ""), filter_from(q, "b_"))
}

/// Results for one or two selections (also rendered for the island).
#[component]
pub fn SalaryResults(
    rows: Vec<SalaryRow>,
    choices: Choices,
    a: Filter,
    b: Filter,
) -> impl IntoView {
    if let Err(msg) = a.validate(&choices).and(b.validate(&choices)) {
        set_status(http::StatusCode::BAD_REQUEST);
        return view! { <p class="form-error" role="alert">{msg}</p> }.into_any();
    }
    let compare = !b.is_empty();
    let left: Vec<SalaryRow> = select(&rows, &a).into_iter().cloned().collect();
    let right: Vec<SalaryRow> = if compare {
        select(&rows, &b).into_iter().cloned().collect()
    } else {
        vec![]
    };
    let max = left
        .iter()
        .chain(right.iter())
        .map(|r| r.amount)
        .fold(0.0, f64::max);
    view! {
        <div class=if compare { "compare" } else { "single" }>
            <Selection title=if compare { "Selection A".to_string() } else { String::new() } rows=left max id="a" />
            {compare.then(|| view! { <Selection title="Selection B".to_string() rows=right max id="b" /> })}
        </div>
    }
    .into_any()
}

#[component]
fn Selection(title: String, rows: Vec<SalaryRow>, max: f64, id: &'static str) -> impl IntoView {
    let count = rows.len();
    view! {
        <section class="selection" aria-label=if title.is_empty() { "Figures".to_string() } else { title.clone() }>
            {(!title.is_empty()).then(|| view! { <h2>{title.clone()}</h2> })}
            <p class="count" aria-live="polite">{format!("{count} figure{}", if count == 1 { "" } else { "s" })}</p>
            {if rows.is_empty() {
                view! { <p>"No figures match this selection. The dataset has no figure for it; none is estimated."</p> }.into_any()
            } else {
                view! {
                    <Chart rows=rows.clone() max id />
                    <SalaryTable rows id />
                }.into_any()
            }}
        </section>
    }
}

const LABEL_W: f64 = 300.0;
const BAR_W: f64 = 260.0;
const ROW_H: f64 = 30.0;

/// Horizontal bars, one mark per figure, amount printed; the table below
/// is its text alternative.
#[component]
fn Chart(rows: Vec<SalaryRow>, max: f64, id: &'static str) -> impl IntoView {
    let height = rows.len() as f64 * ROW_H + 10.0;
    let width = LABEL_W + BAR_W + 100.0;
    let title_id = format!("chart-{id}-title");
    let desc_id = format!("chart-{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let desc = format!(
        "Bar chart of {} salary figures in US dollars, highest first. The table below lists the same figures with their sources.",
        rows.len()
    );
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby=labelled_by preserveAspectRatio="xMinYMin meet">
                <title id=title_id>"Annual salary figures"</title>
                <desc id=desc_id>{desc}</desc>
                {rows.into_iter().enumerate().map(|(i, r)| {
                    let y = i as f64 * ROW_H + 5.0;
                    let w = bar_width(r.amount, max, BAR_W).max(1.0);
                    let class = match r.statistic {
                        super::model::Statistic::Mean => "mark mean",
                        _ => "mark median",
                    };
                    let label: String = r.label().chars().take(44).collect();
                    view! {
                        <g class="bar">
                            <text x=format!("{}", LABEL_W - 8.0) y=format!("{}", y + 18.0) text-anchor="end" class="label">{label}</text>
                            <rect class=class x=format!("{LABEL_W}") y=format!("{y}") width=format!("{w:.1}") height="20" rx="3">
                                <title>{format!("{}: {} {} ({})", r.label(), format_amount(r.amount), r.currency, r.statistic.label())}</title>
                            </rect>
                            <text x=format!("{:.1}", LABEL_W + w + 6.0) y=format!("{}", y + 15.0) class="amount">
                                {format!("{} {}", format_amount(r.amount), if r.small_sample() { "*" } else { "" })}
                            </text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>"Bars: blue = median, orange = mean (average). * = small sample (fewer than 100 answers)."</figcaption>
        </figure>
    }
}

#[component]
fn SalaryTable(rows: Vec<SalaryRow>, id: &'static str) -> impl IntoView {
    let head = view! {
        <caption>"Every figure, with its source"</caption>
        <thead>
            <tr>
                <th scope="col">"Role"</th>
                <th scope="col">"Country"</th>
                <th scope="col">"Experience"</th>
                <th scope="col">"Amount"</th>
                <th scope="col">"Statistic"</th>
                <th scope="col">"Year"</th>
                <th scope="col">"Sample"</th>
                <th scope="col">"Source"</th>
            </tr>
        </thead>
    }
    .into_any();
    view! {
        <ScrollTable head class="salary-table" id=format!("salary-table-{id}")>
                    {rows.into_iter().map(|r| {
                        let sample = match r.sample_size {
                            Some(n) if r.small_sample() => format!("n = {n} (small sample)"),
                            Some(n) => format!("n = {n}"),
                            None => "not stated".into(),
                        };
                        view! {
                            <tr class:small=r.small_sample()>
                                <td>{r.role.clone()}</td>
                                <td>{r.country.clone()}</td>
                                <td>{r.experience.clone()}</td>
                                <td class="num">{format!("{} {}", format_amount(r.amount), r.currency)}</td>
                                <td>{r.statistic.label()}</td>
                                <td>{r.year.map(|y| y.to_string()).unwrap_or_else(|| "not stated".into())}</td>
                                <td>{sample}</td>
                                <td>
                                    <a href=r.source_url.clone() rel="noopener noreferrer">{r.source.clone()}</a>
                                    {(!r.licence.is_empty()).then(|| view! { <span class="licence">{format!(" ({})", r.licence)}</span> })}
                                    {(!r.note.is_empty()).then(|| view! { <span class="note">{r.note.clone()}</span> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
        </ScrollTable>
    }
}
