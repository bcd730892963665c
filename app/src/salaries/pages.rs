//! `/salaries`: filters (a GET form, so every view is a shareable URL), an
//! SVG bar chart drawn on the server, and the table with every source.
//! With JavaScript the results follow the filters without a page load.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

use super::{
    model::{choices, Choices, Filter},
    views::{filters_from_query, SalaryResults},
};
use crate::{lessons::current_store, t};

#[component]
pub fn SalariesPage() -> impl IntoView {
    let Some(store) = current_store() else {
        return ().into_any();
    };
    let (a, b) = use_query_map().with_untracked(filters_from_query);
    let all = choices(&store.salaries);
    view! {
        <Title text=t!("salaries-title") />
        <Meta name="description" content=t!("salaries-description") />
        <h1>{t!("salaries-heading")}</h1>
        <p class="lead">{t!("salaries-lead")}</p>
        <SalaryExplorer>
            <SalaryForm choices=all.clone() a=a.clone() b=b.clone() />
            <div id="salary-results">
                <SalaryResults rows=store.salaries.clone() choices=all a b />
            </div>
        </SalaryExplorer>
        <section class="honesty" aria-labelledby="why-h">
            <h2 id="why-h">{t!("salaries-why-heading")}</h2>
            <ul>
                <li>{t!("salaries-why-median")}</li>
                <li>{t!("salaries-why-sources")}</li>
                <li>{t!("salaries-why-occupations")}</li>
                <li>{t!("salaries-why-small")}</li>
                <li>{t!("salaries-why-quoted")}</li>
            </ul>
        </section>
    }
    .into_any()
}

/// The GET form. Two selections: "A" and, to compare, "B".
#[component]
fn SalaryForm(choices: Choices, a: Filter, b: Filter) -> impl IntoView {
    let select_box = move |prefix: &'static str,
                           name: &'static str,
                           label: String,
                           options: Vec<String>,
                           current: String| {
        let id = format!("{prefix}{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <select id=id.clone() name=id.clone()>
                    <option value="" selected=current.is_empty()>{t!("salaries-any")}</option>
                    {options.into_iter().map(|o| {
                        let selected = o == current;
                        view! { <option value=o.clone() selected=selected>{o.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
        .into_any()
    };
    let fields = move |prefix: &'static str, f: Filter| {
        view! {
            {select_box(prefix, "role", t!("salaries-role"), choices.roles.clone(), f.role)}
            {select_box(prefix, "country", t!("salaries-country"), choices.countries.clone(), f.country)}
            {select_box(prefix, "experience", t!("salaries-experience"), choices.experiences.clone(), f.experience)}
            {select_box(prefix, "source", t!("salaries-source"), choices.sources.clone(), f.source)}
        }
        .into_any()
    };
    let compare_open = !b.is_empty();
    view! {
        <form method="get" action="/salaries" class="salary-form" id="salary-form">
            <fieldset>
                <legend>{t!("salaries-show-for")}</legend>
                <div class="fields">{fields("", a)}</div>
            </fieldset>
            <details open=compare_open>
                <summary>{t!("salaries-compare-summary")}</summary>
                <fieldset>
                    <legend>{t!("salaries-compare-with")}</legend>
                    <div class="fields">{fields("b_", b)}</div>
                </fieldset>
            </details>
            <p class="form-actions">
                <button class="primary" type="submit">{t!("salaries-show")}</button>
                " "<a href="/salaries">{t!("salaries-reset")}</a>
            </p>
        </form>
    }
}

/// With JavaScript: a change of any filter fetches the server-rendered
/// results and updates the address, without a page load.
#[island]
pub fn SalaryExplorer(children: Children) -> impl IntoView {
    #[allow(unused_variables)]
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(form) = document()
                .get_element_by_id("salary-form")
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                return;
            };
            let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else {
                return;
            };
            // Drop empty fields so the address stays short and shareable.
            let query: String = String::from(params.to_string())
                .split('&')
                .filter(|kv| !kv.ends_with('=') && !kv.is_empty())
                .collect::<Vec<_>>()
                .join("&");
            leptos::task::spawn_local(async move {
                if let Ok(html) = super::api::salary_results(query.clone()).await {
                    if let Some(el) = document().get_element_by_id("salary-results") {
                        el.set_inner_html(&html);
                    }
                    let url = if query.is_empty() {
                        "/salaries".to_string()
                    } else {
                        format!("/salaries?{query}")
                    };
                    if let Ok(h) = window().history() {
                        let _ =
                            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
                    }
                }
            });
        }
    };
    view! { <div class="salary-explorer" on:change=on_change>{children()}</div> }
}
