//! The quiz at the end of a lesson, `/lessons/{t}/{l}/quiz`, the result, and
//! past attempts. A plain form without JavaScript; with it, the form is
//! graded in place (the island swaps in the server-rendered result).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::t;

use super::{
    model::{Attempts, InputView, QuizView, ShownResult},
    views::QuizResultView,
};
use crate::{
    auth::session::{current_user, Access},
    i18n::Lang,
    lessons::{current_store, model::Lesson},
    ui::{
        form::FormError,
        not_found::{loaded, page_user, NotFound},
        table::ScrollTable,
    },
};

/// A fresh attempt token (server only).
pub fn new_attempt() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::common::random::hex::<12>()
    }
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// The learner's view of a lesson's quiz for attempt `attempt` (server only).
pub fn quiz_view(lesson: &Lesson, attempt: String) -> Option<QuizView> {
    #[cfg(feature = "ssr")]
    {
        let state = crate::state::app_state().ok()?;
        let quiz = lesson.quiz.as_ref()?;
        let drawn = super::grade::draw(quiz, &lesson.quiz_rules.draw, &state.quiz_key, &attempt);
        Some(super::grade::view(
            &quiz.subset(&drawn),
            &state.quiz_key,
            &attempt,
        ))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (lesson, attempt);
        None
    }
}

/// The quiz's rules in a sentence, so a learner knows before starting
/// when right answers show and how many attempts they have (server only).
pub fn policy_note(lesson: &Lesson) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use super::model::Reveal;
        let state = crate::state::app_state().ok()?;
        let p = super::service::policy(&state, lesson);
        let reveal = match p.reveal {
            Reveal::AfterAttempt => t!("quiz-rules-reveal-after-attempt"),
            Reveal::AfterPass => t!("quiz-rules-reveal-after-pass"),
            Reveal::Never => t!("quiz-rules-reveal-never"),
        };
        let attempts = p
            .max_attempts
            .map(|n| format!(" {}", t!("quiz-rules-attempts", count = n)))
            .unwrap_or_default();
        Some(format!(
            "{} {reveal}{attempts}",
            t!("quiz-rules-pass-mark", mark = p.pass_mark)
        ))
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = lesson;
        None
    }
}

/// The quiz form (inside the lesson page and on the quiz page).
#[component]
pub fn QuizSection(lesson: Lesson) -> impl IntoView {
    if lesson.quiz.is_none() {
        return ().into_any();
    }
    if current_user().is_none() {
        return view! { <QuizBody lesson attempt=new_attempt() /> }.into_any();
    }
    // A learner's next attempt has a stable token (and so a stable draw)
    // until it is submitted: read from the database.
    let id = lesson.meta.id.clone();
    let token = Resource::new_blocking(move || id.clone(), super::api::next_attempt);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let lesson = lesson.clone();
                Suspend::new(async move {
                    token.await.ok().map(|attempt| view! { <QuizBody lesson attempt /> })
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// The quiz form for attempt `attempt` (also rendered on its own into a
/// composed lesson page: `crate::lessons::compose`).
#[component]
pub fn QuizBody(lesson: Lesson, attempt: String) -> impl IntoView {
    let Some(view) = quiz_view(&lesson, attempt) else {
        return ().into_any();
    };
    let action = format!("{}/quiz", lesson.meta.href());
    let signed_in = current_user().is_some();
    let rules = policy_note(&lesson);
    view! {
        <section class="quiz" id="quiz" aria-labelledby="quiz-h">
            <h2 id="quiz-h">{t!("quiz-heading")}</h2>
            {(!signed_in).then(|| view! {
                <p class="help">{t!("quiz-visitor-before")}" "<a href=format!("/login?next={}", lesson.meta.href())>{t!("quiz-visitor-link")}</a>" "{t!("quiz-visitor-after")}</p>
            })}
            {rules.map(|r| view! { <p class="help quiz-rules">{r}</p> })}
            <QuizForm action=action.clone()>
                <form method="post" action=action class="quiz-form">
                    <input type="hidden" name="attempt" value=view.attempt.clone() />
                    <ol class="questions">
                        {view.questions.into_iter().map(|q| {
                            let name = format!("q{}", q.n);
                            view! {
                                <li class="question">
                                    <fieldset>
                                        <legend>{q.title.clone().unwrap_or_else(|| t!("quiz-question-number", n = q.n))}</legend>
                                        <div class="question-text" inner_html=q.text.as_str().to_string()></div>
                                        {match q.input {
                                            InputView::TrueFalse => view! {
                                                <label class="choice"><input type="radio" name=name.clone() value="true" />" "{t!("quiz-true")}</label>
                                                <label class="choice"><input type="radio" name=name.clone() value="false" />" "{t!("quiz-false")}</label>
                                            }.into_any(),
                                            InputView::Single(opts) => opts.into_iter().map(|(token, text)| view! {
                                                <label class="choice"><input type="radio" name=name.clone() value=token />" "<span inner_html=text.as_str().to_string()></span></label>
                                            }).collect_view().into_any(),
                                            InputView::Multiple(opts) => view! {
                                                <p class="help">{t!("quiz-select-all")}</p>
                                                {opts.into_iter().map(|(token, text)| view! {
                                                    <label class="choice"><input type="checkbox" name=name.clone() value=token />" "<span inner_html=text.as_str().to_string()></span></label>
                                                }).collect_view()}
                                            }.into_any(),
                                            InputView::Text => view! {
                                                <label class="visually-hidden" for=name.clone()>{t!("quiz-your-answer")}</label>
                                                <input type="text" id=name.clone() name=name.clone() autocomplete="off" maxlength="200" />
                                            }.into_any(),
                                            InputView::Number => view! {
                                                <label class="visually-hidden" for=name.clone()>{t!("quiz-your-answer-number")}</label>
                                                <input type="text" inputmode="decimal" id=name.clone() name=name.clone() autocomplete="off" maxlength="40" />
                                            }.into_any(),
                                            InputView::Matching { items, options } => items.into_iter().map(|(item, text)| {
                                                let field = format!("{name}-{item}");
                                                view! {
                                                    <div class="match-row">
                                                        <label for=field.clone() inner_html=text.as_str().to_string()></label>
                                                        <select id=field.clone() name=field.clone()>
                                                            <option value="">"—"</option>
                                                            {options.iter().cloned().map(|(t, o)| view! { <option value=t>{o}</option> }).collect_view()}
                                                        </select>
                                                    </div>
                                                }
                                            }).collect_view().into_any(),
                                            InputView::Essay => view! {
                                                <label class="visually-hidden" for=name.clone()>{t!("quiz-your-answer")}</label>
                                                <textarea id=name.clone() name=name.clone() rows="8" maxlength="20000"></textarea>
                                                <p class="help">{t!("quiz-essay-help")}</p>
                                            }.into_any(),
                                            InputView::None => ().into_any(),
                                        }}
                                        {q.text_after.map(|t| view! { <p class="text-after">{t}</p> })}
                                    </fieldset>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <button class="primary" type="submit">{t!("quiz-submit")}</button>
                </form>
            </QuizForm>
        </section>
    }
    .into_any()
}

/// Grades in place when JavaScript runs: posts the same fields to the
/// `submit_quiz` server function and shows the server-rendered result.
#[island]
pub fn QuizForm(action: String, children: Children) -> impl IntoView {
    let result = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            ev.prevent_default();
            let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                return;
            };
            let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else {
                return;
            };
            let body: String = params.to_string().into();
            let action = action.clone();
            leptos::task::spawn_local(async move {
                match super::api::submit_quiz(action, body).await {
                    Ok(outcome) => {
                        result.set(Some(outcome.html));
                        error.set(None);
                        if let Some(url) = outcome.url {
                            if let Ok(h) = window().history() {
                                let _ = h.push_state_with_url(
                                    &wasm_bindgen::JsValue::NULL,
                                    "",
                                    Some(&url),
                                );
                            }
                        }
                    }
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &action);
    };
    // The live region is in the page before the result lands in it, so
    // screen readers announce the result; focus follows it there, as the
    // submit button it leaves is hidden.
    let live = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if result.with(Option::is_some) {
            if let Some(el) = live.get() {
                let _ = el.focus();
            }
        }
    });
    view! {
        <div class="quiz-live" on:submit=on_submit>
            <div class:hidden=move || result.with(Option::is_some)>{children()}</div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="quiz-result-live" aria-live="polite" tabindex="-1" node_ref=live>
                {move || result.get().map(|html| view! { <div inner_html=html></div> })}
            </div>
        </div>
    }
}

fn lesson_from_params() -> Option<Lesson> {
    let (track, slug) = use_params_map().with_untracked(|p| {
        (
            p.get("track").unwrap_or_default(),
            p.get("lesson").unwrap_or_default(),
        )
    });
    let store = current_store()?;
    store
        .lesson_in(&track, &slug, crate::i18n::Lang::current())
        .map(|(l, _)| l)
        .filter(|l| !l.meta.draft)
        .map(|l| (**l).clone())
}

/// `/lessons/{t}/{l}/quiz`: the quiz alone (and where a visitor's result shows).
#[component]
pub fn QuizPage() -> impl IntoView {
    let Some(lesson) = lesson_from_params() else {
        return view! { <NotFound /> }.into_any();
    };
    if lesson.quiz.is_none() {
        return view! { <NotFound /> }.into_any();
    }
    let shown = use_context::<ShownResult>();
    view! {
        <Title text=t!("quiz-page-title", title = &lesson.meta.title) />
        <Meta name="description" content=lesson.meta.summary.clone() />
        <nav class="breadcrumbs" aria-label=t!("quiz-breadcrumb")><ol>
            <li><a href="/lessons">{t!("quiz-breadcrumb-lessons")}</a></li>
            <li><a href=lesson.meta.href()>{lesson.meta.title.clone()}</a></li>
            <li aria-current="page">{t!("quiz-breadcrumb-quiz")}</li>
        </ol></nav>
        <h1>{t!("quiz-page-title", title = &lesson.meta.title)}</h1>
        <FormError />
        {match shown {
            Some(ShownResult(result)) => view! {
                <QuizResultView result note=t!("quiz-sign-in-to-keep") />
                <p><a href=format!("{}/quiz", lesson.meta.href())>{t!("quiz-try-again")}</a>" · "<a href=lesson.meta.href()>{t!("quiz-back-to-lesson")}</a></p>
            }.into_any(),
            None => view! { <QuizSection lesson=lesson.clone() /> }.into_any(),
        }}
    }
    .into_any()
}

/// The learner's attempts (newest first) and, if one was asked for, its result.
#[component]
fn AttemptList(attempts: Attempts, href: String) -> impl IntoView {
    let head = view! { <thead><tr><th scope="col">{t!("quiz-attempts-col-when")}</th><th scope="col">{t!("quiz-attempts-col-score")}</th><th scope="col">{t!("quiz-attempts-col-result")}</th></tr></thead> }.into_any();
    let lang = Lang::current();
    let rows = attempts
        .list
        .into_iter()
        .map(|row| {
            view! {
                <tr>
                    <td><a href=format!("{href}/quiz/attempts/{}", row.id)>{lang.when(&row.when)}</a></td>
                    <td>{format!("{} %", row.percent)}</td>
                    <td>{if row.passed { t!("quiz-attempt-passed") } else { t!("quiz-attempt-not-passed") }}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = rows.is_empty();
    view! {
        {attempts.shown.map(|r| view! { <QuizResultView result=r /> })}
        <h2>{t!("quiz-your-attempts")}</h2>
        {if empty {
            view! { <p>{t!("quiz-no-attempts")}</p> }.into_any()
        } else {
            view! { <ScrollTable head class="scores">{rows}</ScrollTable> }.into_any()
        }}
        <p><a class="button" href=format!("{href}/quiz")>{t!("quiz-take-again")}</a></p>
    }
}

/// `/lessons/{t}/{l}/quiz/attempts[/{id}]`: past attempts, or one of them.
#[component]
pub fn AttemptsPage() -> impl IntoView {
    let Some(lesson) = lesson_from_params() else {
        return view! { <NotFound /> }.into_any();
    };
    let back = format!("{}/quiz/attempts", lesson.meta.href());
    if let Err(view) = page_user(Access::SignedIn, &back) {
        return view;
    }
    let id = use_params_map().with_untracked(|p| p.get("id"));
    let lesson_id = lesson.meta.id.clone();
    let data = Resource::new_blocking(
        move || (lesson_id.clone(), id.clone()),
        |(lesson_id, id)| super::api::quiz_attempts(lesson_id, id.unwrap_or_default()),
    );
    let href = lesson.meta.href();
    view! {
        <Title text=t!("quiz-attempts-title", title = &lesson.meta.title) />
        <nav class="breadcrumbs" aria-label=t!("quiz-breadcrumb")><ol>
            <li><a href="/lessons">{t!("quiz-breadcrumb-lessons")}</a></li>
            <li><a href=href.clone()>{lesson.meta.title.clone()}</a></li>
            <li aria-current="page">{t!("quiz-breadcrumb-attempts")}</li>
        </ol></nav>
        <h1>{t!("quiz-page-title", title = &lesson.meta.title)}</h1>
        {loaded(data, move |a| view! { <AttemptList attempts=a href=href.clone() /> })}
    }
    .into_any()
}

/// `/instructor/cohorts/{id}/quizzes`: per-question statistics of the
/// cohort's quiz attempts (CSV too) and the essay answers to mark. Linked
/// from the cohort page; plain forms, no JavaScript needed.
#[component]
pub fn QuizReviewPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let Some(id) = id else {
        return view! { <NotFound /> }.into_any();
    };
    // A refused mark's status is set now, not when the Suspense below
    // resolves (a status set that late can miss the response's head).
    let _ = crate::ui::form::use_feedback();
    crate::ui::not_found::guarded(
        Access::Teacher,
        "/instructor",
        move || super::api::quiz_review(id),
        |review| view! { <QuizReviewView review /> },
    )
}

#[component]
fn QuizReviewView(review: super::model::QuizReview) -> impl IntoView {
    let base = format!("/instructor/cohorts/{}", review.cohort_id);
    let pct = |x: f64| format!("{x:.0} %");
    let lang = Lang::current();
    view! {
        <Title text=t!("quiz-review-title", cohort = &review.cohort_name) />
        <nav class="breadcrumbs" aria-label=t!("quiz-breadcrumb")><ol>
            <li><a href="/instructor">{t!("quiz-breadcrumb-cohorts")}</a></li>
            <li><a href=base.clone()>{review.cohort_name.clone()}</a></li>
            <li aria-current="page">{t!("quiz-breadcrumb-quizzes")}</li>
        </ol></nav>
        <h1>{t!("quiz-review-title", cohort = &review.cohort_name)}</h1>
        <FormError />
        <p class="help">{t!("quiz-review-help")}</p>
        <p><a class="button" href=format!("{base}/quizzes.csv") download="">{t!("quiz-review-download")}</a></p>
        {review.lessons.is_empty().then(|| view! { <p>{t!("quiz-review-none")}</p> })}
        {review.lessons.into_iter().map(|l| {
            let head = view! { <thead><tr>
                <th scope="col">"#"</th><th scope="col">{t!("quiz-review-col-question")}</th><th scope="col">{t!("quiz-review-col-type")}</th>
                <th scope="col">{t!("quiz-review-col-attempts")}</th><th scope="col">{t!("quiz-review-col-facility")}</th><th scope="col">{t!("quiz-review-col-discrimination")}</th>
                <th scope="col">{t!("quiz-review-col-wrong")}</th>
            </tr></thead> }.into_any();
            let rows = l.stats.into_iter().map(|s| view! {
                <tr>
                    <td>{s.position}</td><td>{s.title}</td><td>{s.kind}</td><td>{lang.int(s.attempts.into())}</td>
                    <td>{pct(s.facility)}</td>
                    <td>{s.discrimination.map(pct).unwrap_or_else(|| "—".into())}</td>
                    <td>{s.most_chosen_wrong.map(|(w, n)| format!("{w} ({n}×)")).unwrap_or_default()}</td>
                </tr>
            }).collect_view();
            let action = format!("{base}/quizzes/mark");
            view! {
                <section class="quiz-review" aria-labelledby=format!("qr-{}", l.lesson_id)>
                    <h2 id=format!("qr-{}", l.lesson_id)>{t!("quiz-review-lesson", title = &l.title, n = lang.int(l.attempts.into()), count = l.attempts)}</h2>
                    <ScrollTable head class="quiz-stats">{rows}</ScrollTable>
                    {(!l.essays.is_empty()).then(|| view! {
                        <h3>{t!("quiz-review-essays")}</h3>
                        <ol class="essays">
                            {l.essays.into_iter().map(|e| {
                                let field = format!("essay-{}-{}", e.attempt_id, e.question);
                                view! {
                                    <li class="essay" id=field.clone()>
                                        <p><strong>{e.learner}</strong>" — "{e.title}</p>
                                        <blockquote class="essay-answer">{e.answer}</blockquote>
                                        <p>{match e.mark {
                                            Some(m) => t!("quiz-review-marked", mark = m),
                                            None => t!("quiz-review-not-marked"),
                                        }}</p>
                                        <form method="post" action=action.clone() class="stack-form">
                                            <input type="hidden" name="attempt" value=e.attempt_id.to_string() />
                                            <input type="hidden" name="question" value=e.question.to_string() />
                                            <label for=format!("{field}-mark")>{t!("quiz-review-mark-label")}</label>
                                            <input id=format!("{field}-mark") name="mark" type="number" min="0" max="100" required value=e.mark.map(|m| m.to_string()).unwrap_or_default() />
                                            <label for=format!("{field}-comment")>{t!("quiz-review-comment-label")}</label>
                                            <textarea id=format!("{field}-comment") name="comment" rows="3" maxlength="2000">{e.comment}</textarea>
                                            <button type="submit">{t!("quiz-review-save-mark")}</button>
                                        </form>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    })}
                </section>
            }
        }).collect_view()}
    }
}
