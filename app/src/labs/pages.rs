//! `/lessons/{track}/{lesson}/exercises/{id}`: one exercise, with its
//! answer box, hints, lab and last result. Plain forms work without
//! JavaScript; the [`ExerciseForm`] island runs in place and adds
//! Ctrl+Enter.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    model::{ExerciseKind, ExerciseView},
    views::RunResult,
};
use crate::{
    t,
    ui::{
        form::{prefill, use_feedback, FormError},
        not_found::loaded,
    },
};

#[component]
pub fn ExercisePage() -> impl IntoView {
    let params = use_params_map().with_untracked(|p| {
        (
            p.get("track").unwrap_or_default(),
            p.get("lesson").unwrap_or_default(),
            p.get("id").unwrap_or_default(),
        )
    });
    let data = Resource::new_blocking(
        move || params.clone(),
        |(track, lesson, id)| super::api::load_exercise(track, lesson, id),
    );
    view! { {loaded(data, |v| view! { <Exercise view=v /> })} }
}

#[component]
fn Exercise(view: ExerciseView) -> impl IntoView {
    let action = format!("{}/exercises/{}", view.lesson_href, view.id);
    // After a refused post the typed answer comes back, never lost.
    let answer = use_feedback()
        .map(|_| prefill("answer"))
        .filter(|a| !a.is_empty())
        .unwrap_or(view.answer.clone());
    let status = if view.solved {
        t!("labs-solved")
    } else if view.tries > 0 {
        t!("labs-not-solved-yet", count = view.tries)
    } else {
        t!("labs-not-tried")
    };
    let (label, buttons) = match view.kind {
        ExerciseKind::Sql => (
            t!("labs-sql-label"),
            view! { <button class="primary" type="submit" name="action" value="run">{t!("labs-run-check")}</button> }
                .into_any(),
        ),
        ExerciseKind::Http => (
            t!("labs-http-label"),
            view! {
                <button class="primary" type="submit" name="action" value="send">{t!("labs-send")}</button>
                " "
                <button type="submit" name="action" value="check">{t!("labs-check")}</button>
            }
            .into_any(),
        ),
    };
    let kind = match view.kind {
        ExerciseKind::Sql => t!("labs-kind-sql"),
        ExerciseKind::Http => t!("labs-kind-http"),
    };
    // Island children are rendered here, on the server, but keep their
    // text out of the island's view.
    let ctrl_enter = t!("labs-ctrl-enter");
    let signed_in = view.signed_in;
    let login = format!("/login?next={action}");
    let (action_lab, action_hint) = (action.clone(), action.clone());
    view! {
        <Title text=t!("labs-title", title = view.title.clone()) />
        <nav class="breadcrumbs" aria-label=t!("labs-breadcrumb")><ol>
            <li><a href="/lessons">{t!("nav-lessons")}</a></li>
            <li><a href=view.lesson_href.clone()>{view.lesson_title.clone()}</a></li>
            <li aria-current="page">{t!("labs-exercise")}</li>
        </ol></nav>
        <article class="exercise">
            <p class="exercise-kind">{kind}</p>
            <h1>{view.title.clone()}</h1>
            {signed_in.then(|| view! { <p class=if view.solved { "exercise-status solved" } else { "exercise-status" }>{status}</p> })}
            <div class="prompt" inner_html=view.prompt.as_str().to_string()></div>
            <FormError />
            {view.lab.clone().map(|lab| view! {
                <section class="lab" id="lab" aria-labelledby="lab-h">
                    <h2 id="lab-h">{t!("labs-lab-heading")}</h2>
                    <p>{t!("labs-lab-api")}" "<code>{lab.base.clone()}</code>{t!("labs-lab-api-after")}</p>
                    <pre><code>{format!("curl -i {}/items", lab.base)}</code></pre>
                    <p class="help">{t!("labs-lab-raw-help")}</p>
                    <h3>{t!("labs-lab-history")}</h3>
                    {if lab.history.is_empty() {
                        view! { <p>{t!("labs-lab-none")}</p> }.into_any()
                    } else {
                        view! { <ol class="lab-history">{lab.history.into_iter().map(|h| view! { <li><code>{h}</code></li> }).collect_view()}</ol> }.into_any()
                    }}
                    <form method="post" action=action_lab class="inline">
                        <button type="submit" name="action" value="reset">{t!("labs-lab-reset")}</button>
                    </form>
                </section>
            })}
            {if signed_in {
                view! {
                    <ExerciseForm action=action.clone()>
                        <form method="post" action=action.clone() class="exercise-form">
                            <label for="answer">{label}</label>
                            <textarea id="answer" name="answer" rows="8" spellcheck="false" autocapitalize="off" autocomplete="off" maxlength="65536">{answer}</textarea>
                            <p class="help">{ctrl_enter}</p>
                            {buttons}
                        </form>
                        <div class="last-run">{view.last_run.clone().map(|run| view! { <RunResult run /> })}</div>
                    </ExerciseForm>
                }.into_any()
            } else {
                view! {
                    <p class="help"><a class="button primary" href=login>{t!("labs-sign-in-to-run")}</a>" "{t!("labs-sign-in-note")}</p>
                }.into_any()
            }}
            <section class="hints" id="hints" aria-labelledby="hints-h">
                <h2 id="hints-h">{t!("labs-hints")}</h2>
                {if view.hints.is_empty() {
                    view! { <p>{if view.hints_left == 0 { t!("labs-no-hints") } else { t!("labs-hint-prompt") }}</p> }.into_any()
                } else {
                    view! { <ol>{view.hints.iter().map(|h| view! { <li inner_html=h.as_str().to_string()></li> }).collect_view()}</ol> }.into_any()
                }}
                {(signed_in && view.hints_left > 0).then(|| view! {
                    <form method="post" action=action_hint class="inline">
                        <button type="submit" name="action" value="hint">{t!("labs-show-hint", count = view.hints_left)}</button>
                    </form>
                })}
            </section>
            <section class="solution" aria-labelledby="solution-h">
                <h2 id="solution-h">{t!("labs-solution")}</h2>
                {match view.solution.clone() {
                    Some(s) => view! { <details><summary>{t!("labs-show-solution")}</summary><pre tabindex="0"><code>{s}</code></pre></details> }.into_any(),
                    None => view! { <p>{view.solution_note.clone()}</p> }.into_any(),
                }}
            </section>
            <p class="exercise-nav">
                <a href=view.lesson_href.clone()>{t!("labs-back")}</a>
                {view.next.clone().map(|(href, title)| view! { " · " <a href=href>{t!("labs-next", title = title)}</a> })}
            </p>
        </article>
    }
}

/// Runs in place when JavaScript runs: posts the answer to the
/// `run_exercise` server function and shows the server-rendered result.
/// Ctrl+Enter (⌘+Enter) in the answer box submits with the first button.
#[island]
pub fn ExerciseForm(action: String, children: Children) -> impl IntoView {
    let result = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let chosen = ev
                .submitter()
                .and_then(|b| b.get_attribute("value"))
                .unwrap_or_else(|| "run".into());
            if chosen == "hint" || chosen == "reset" {
                return; // a plain post: the page changes more than the result
            }
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let Some(answer) = form
                .elements()
                .named_item("answer")
                .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                .map(|t| t.value())
            else {
                return;
            };
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            let parts: Vec<String> = action.split('/').map(str::to_string).collect();
            let [_, _, track, lesson, _, id] = parts.as_slice() else {
                return;
            };
            let (track, lesson, id) = (track.clone(), lesson.clone(), id.clone());
            leptos::task::spawn_local(async move {
                match super::api::run_exercise(track, lesson, id, chosen, answer).await {
                    Ok(outcome) => {
                        result.set(Some(outcome.html));
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e.to_string())),
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &action, busy);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        #[cfg(feature = "hydrate")]
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            use wasm_bindgen::JsCast;
            let form = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("form").ok().flatten())
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
            if let Some(form) = form {
                ev.prevent_default();
                let _ = form.request_submit();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &ev;
    };
    view! {
        <div class="exercise-live" class:has-live=move || result.with(Option::is_some) on:submit=on_submit on:keydown=on_keydown aria-busy=move || busy.get().to_string()>
            {children()}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="live-result" aria-live="polite" inner_html=move || result.get().unwrap_or_default()></div>
        </div>
    }
}
