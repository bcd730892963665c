//! The salary results as components: rendered in the page and, for the
//! explorer island, by the `salary_results` server function. Both import
//! this module; neither imports the other.

use leptos::prelude::*;

use super::model::{bar_width, select, Choices, Filter, SalaryRow, Statistic};
use crate::{
    i18n::Lang,
    t,
    ui::{not_found::set_status, table::ScrollTable},
};

/// An amount as the reader's language writes it: `63,332.5` / `63.332,5`
/// (one decimal at most, like `model::format_amount`).
fn format_amount(lang: Lang, x: f64) -> String {
    let whole = x.trunc() as i64;
    let frac = ((x - x.trunc()) * 10.0).round() as i64;
    let mut out = lang.int(whole);
    if frac != 0 {
        out.push(match lang {
            Lang::En => '.',
            Lang::Es => ',',
        });
        out.push_str(&frac.abs().to_string());
    }
    out
}

/// What a figure is: median, mean or a percentile.
fn statistic_label(s: Statistic) -> String {
    match s {
        Statistic::Median => t!("salaries-stat-median"),
        Statistic::Mean => t!("salaries-stat-mean"),
        Statistic::Percentile(n) => t!("salaries-stat-percentile", n = u32::from(n)),
    }
}

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
            <Selection title=if compare { t!("salaries-selection-a") } else { String::new() } rows=left max id="a" />
            {compare.then(|| view! { <Selection title=t!("salaries-selection-b") rows=right max id="b" /> })}
        </div>
    }
    .into_any()
}

#[component]
fn Selection(title: String, rows: Vec<SalaryRow>, max: f64, id: &'static str) -> impl IntoView {
    let count = rows.len();
    let count_text = t!(
        "salaries-count",
        n = Lang::current().int(count as i64),
        count = count
    );
    view! {
        <section class="selection" aria-label=if title.is_empty() { t!("salaries-figures") } else { title.clone() }>
            {(!title.is_empty()).then(|| view! { <h2>{title.clone()}</h2> })}
            <p class="count" aria-live="polite">{count_text}</p>
            {if rows.is_empty() {
                view! { <p>{t!("salaries-none")}</p> }.into_any()
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
    let lang = Lang::current();
    let desc = t!(
        "salaries-chart-desc",
        n = lang.int(rows.len() as i64),
        count = rows.len()
    );
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby=labelled_by preserveAspectRatio="xMinYMin meet">
                <title id=title_id>{t!("salaries-chart-title")}</title>
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
                                <title>{format!("{}: {} {} ({})", r.label(), format_amount(lang, r.amount), r.currency, statistic_label(r.statistic))}</title>
                            </rect>
                            <text x=format!("{:.1}", LABEL_W + w + 6.0) y=format!("{}", y + 15.0) class="amount">
                                {format!("{} {}", format_amount(lang, r.amount), if r.small_sample() { "*" } else { "" })}
                            </text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{t!("salaries-chart-legend")}</figcaption>
        </figure>
    }
}

#[component]
fn SalaryTable(rows: Vec<SalaryRow>, id: &'static str) -> impl IntoView {
    let head = view! {
        <caption>{t!("salaries-table-caption")}</caption>
        <thead>
            <tr>
                <th scope="col">{t!("salaries-role")}</th>
                <th scope="col">{t!("salaries-country")}</th>
                <th scope="col">{t!("salaries-experience")}</th>
                <th scope="col">{t!("salaries-col-amount")}</th>
                <th scope="col">{t!("salaries-col-statistic")}</th>
                <th scope="col">{t!("salaries-col-year")}</th>
                <th scope="col">{t!("salaries-col-sample")}</th>
                <th scope="col">{t!("salaries-source")}</th>
            </tr>
        </thead>
    }
    .into_any();
    let lang = Lang::current();
    view! {
        <ScrollTable head class="salary-table" id=format!("salary-table-{id}")>
                    {rows.into_iter().map(|r| {
                        let sample = match r.sample_size {
                            Some(n) if r.small_sample() => t!("salaries-sample-small", n = lang.int(n.into())),
                            Some(n) => t!("salaries-sample", n = lang.int(n.into())),
                            None => t!("salaries-not-stated"),
                        };
                        view! {
                            <tr class:small=r.small_sample()>
                                <td>{r.role.clone()}</td>
                                <td>{r.country.clone()}</td>
                                <td>{r.experience.clone()}</td>
                                <td class="num">{format!("{} {}", format_amount(lang, r.amount), r.currency)}</td>
                                <td>{statistic_label(r.statistic)}</td>
                                <td>{r.year.map(|y| y.to_string()).unwrap_or_else(|| t!("salaries-not-stated"))}</td>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_follow_the_language() {
        assert_eq!(format_amount(Lang::En, 61_042.0), "61,042");
        assert_eq!(format_amount(Lang::En, 79_346.5), "79,346.5");
        assert_eq!(format_amount(Lang::Es, 79_346.5), "79.346,5");
        assert_eq!(format_amount(Lang::Es, 85_000.0), "85.000");
        assert_eq!(format_amount(Lang::Es, 999.0), "999");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn i18n_counts_and_samples() {
        use crate::t_in;
        let count =
            |lang: Lang, n: usize| t_in!(lang, "salaries-count", n = lang.int(n as i64), count = n);
        assert_eq!(count(Lang::En, 1), "1 figure");
        assert_eq!(count(Lang::En, 1234), "1,234 figures");
        assert_eq!(count(Lang::Es, 1), "1 cifra");
        assert_eq!(count(Lang::Es, 1234), "1.234 cifras");
        assert_eq!(
            t_in!(Lang::En, "salaries-sample-small", n = "58"),
            "n = 58 (small sample)"
        );
        assert_eq!(
            t_in!(Lang::En, "salaries-stat-percentile", n = 90u32),
            "90th percentile"
        );
        assert_eq!(
            t_in!(Lang::Es, "salaries-chart-desc", n = "1", count = 1usize),
            "Gráfico de barras de 1 cifra salarial en dólares estadounidenses, de mayor a menor. La tabla de abajo recoge las mismas cifras con sus fuentes."
        );
    }
}
