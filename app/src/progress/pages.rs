//! `/dashboard`, the mark-complete button, progress bars, and the
//! instructor pages `/instructor` and `/instructor/cohorts/{id}`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    api::{instructor_cohorts, load_cohort_matrix, load_dashboard, set_lesson_complete},
    model::{CohortMatrix, CohortSummary, DashboardData, LessonColumn, Status, TrackProgress},
};
use crate::{
    auth::session::Access,
    ui::{
        form::{query_param, FormError},
        not_found::{guarded, loaded, page_user},
        table::ScrollTable,
    },
};

/// A labelled progress bar: "3 of 8 · 37 %".
#[component]
pub fn ProgressBar(
    progress: TrackProgress,
    /// What is counted, for screen readers ("lessons done").
    #[prop(default = "lessons done")]
    unit: &'static str,
) -> impl IntoView {
    let pct = progress.percent();
    let label = format!("{} of {} {unit}", progress.done, progress.total);
    view! {
        <div class="progress">
            <div class="progress-text"><span>{progress.title.clone()}</span><span>{format!("{} of {} · {pct} %", progress.done, progress.total)}</span></div>
            <progress max="100" value=pct.to_string() aria-label=format!("{}: {label}", progress.title)>{format!("{pct} %")}</progress>
        </div>
    }
}

/// The signed-in home: progress, where to resume, activity, quiz scores.
#[component]
pub fn DashboardPage() -> impl IntoView {
    guarded(Access::SignedIn, "/dashboard", load_dashboard, |d| {
        view! { <Title text="Dashboard" /><Dashboard data=d /> }
    })
}

#[component]
fn Dashboard(data: DashboardData) -> impl IntoView {
    view! {
        <h1>{format!("Welcome, {}", data.name)}</h1>
        {match data.resume.clone() {
            Some((title, href)) => view! {
                <p class="resume"><span>"Continue where you left off: "</span><a class="button" href=href>{title}</a></p>
            }.into_any(),
            None if data.overall.total > 0 && data.overall.done == data.overall.total => view! {
                <p class="resume">"You have completed every lesson. Well done!"</p>
            }.into_any(),
            None => view! { <p class="resume"><a class="button" href="/lessons">"Start learning"</a></p> }.into_any(),
        }}
        <section aria-labelledby="progress-h" id="progress">
            <h2 id="progress-h">"Your progress"</h2>
            <ProgressBar progress=data.overall.clone() />
            <div class="track-bars">
                {data.tracks.iter().cloned().map(|t| view! { <ProgressBar progress=t /> }).collect_view()}
            </div>
        </section>
        <section aria-labelledby="practice-h" id="practice">
            <h2 id="practice-h">"Exercises"</h2>
            <ProgressBar progress=data.exercises.clone() unit="exercises solved" />
            <div class="track-bars">
                {data.exercise_tracks.iter().cloned().map(|t| view! { <ProgressBar progress=t unit="exercises solved" /> }).collect_view()}
            </div>
            {if data.practice.is_empty() {
                view! { <p>"No exercises solved yet. Lessons with an exercise card have them."</p> }.into_any()
            } else {
                let head = view! { <thead><tr><th scope="col">"Lesson"</th><th scope="col">"Solved"</th></tr></thead> }.into_any();
                let rows = data.practice.clone();
                view! {
                    <ScrollTable head class="scores">
                        {rows.into_iter().map(|p| view! {
                            <tr><td><a href=p.href>{p.title}</a></td><td>{format!("{} of {}", p.best, p.attempts)}</td></tr>
                        }).collect_view()}
                    </ScrollTable>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="quiz-h">
            <h2 id="quiz-h">"Quiz scores"</h2>
            {if data.quiz_scores.is_empty() {
                view! { <p>"No quizzes taken yet. Each lesson ends with one."</p> }.into_any()
            } else {
                let head = view! { <thead><tr><th scope="col">"Lesson"</th><th scope="col">"Best score"</th><th scope="col">"Attempts"</th></tr></thead> }.into_any();
                let scores = data.quiz_scores.clone();
                view! {
                    <ScrollTable head class="scores">
                        {scores.into_iter().map(|q| view! {
                            <tr><td><a href=format!("{}/quiz/attempts", q.href)>{q.title}</a></td><td>{format!("{} %", q.best)}</td><td>{q.attempts}</td></tr>
                        }).collect_view()}
                    </ScrollTable>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="activity-h">
            <h2 id="activity-h">"Activity"</h2>
            <Heatmap data=data.clone() />
        </section>
        {(!data.cohorts.is_empty()).then(|| view! {
            <section aria-labelledby="cohorts-h">
                <h2 id="cohorts-h">"Your cohorts"</h2>
                <ul>{data.cohorts.iter().cloned().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
            </section>
        })}
    }
}

/// Days active over the last 12 weeks as an SVG grid (Monday at the top),
/// with a text alternative.
#[component]
fn Heatmap(data: DashboardData) -> impl IntoView {
    const CELL: usize = 14;
    let weeks = data.heatmap.len().div_ceil(7);
    let width = weeks * CELL;
    let height = 7 * CELL;
    let summary = format!(
        "Active on {} of the last {} days.",
        data.active_days,
        data.heatmap.len()
    );
    view! {
        <figure class="heatmap">
            <svg
                viewBox=format!("0 0 {width} {height}")
                width=width.to_string()
                height=height.to_string()
                role="img"
                aria-labelledby="heatmap-title heatmap-desc"
            >
                <title id="heatmap-title">"Days active, last 12 weeks"</title>
                <desc id="heatmap-desc">{summary.clone()}</desc>
                {data.heatmap.iter().enumerate().map(|(i, day)| {
                    let x = (i / 7) * CELL;
                    let y = (i % 7) * CELL;
                    view! {
                        <rect x=x.to_string() y=y.to_string() width="12" height="12" rx="2"
                            class=if day.active { "day active" } else { "day" }>
                            <title>{format!("{}: {}", day.date, if day.active { "active" } else { "no activity" })}</title>
                        </rect>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{summary}</figcaption>
        </figure>
    }
}

/// The mark-complete button on a lesson. A plain form without JavaScript;
/// once hydrated it flips at once (optimistic) and undoes itself if the
/// server refuses.
#[island]
pub fn MarkComplete(lesson_id: String, done: bool) -> impl IntoView {
    let done = RwSignal::new(done);
    let error = RwSignal::new(None::<String>);
    let id = lesson_id.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = !done.get_untracked();
        done.set(next);
        error.set(None);
        let id = id.clone();
        leptos::task::spawn_local(async move {
            if let Err(e) = set_lesson_complete(id, next).await {
                done.set(!next);
                error.set(Some(e.to_string()));
            }
        });
    };
    view! {
        <form method="post" action="/progress/complete" class="mark-complete" on:submit=on_submit>
            <input type="hidden" name="lesson_id" value=lesson_id />
            <input type="hidden" name="done" value=move || if done.get() { "0" } else { "1" } />
            <p class="mark-status" aria-live="polite">
                {move || if done.get() { "✓ You completed this lesson." } else { "Finished reading?" }}
            </p>
            <button type="submit" class=move || if done.get() { "" } else { "primary" }>
                {move || if done.get() { "Mark as not done" } else { "Mark as complete" }}
            </button>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </form>
    }
}

/// Join a cohort with an invite code (shown on `/account`).
#[component]
pub fn JoinCohortForm() -> impl IntoView {
    view! {
        <h2>"Join a cohort"</h2>
        {(query_param("done").as_deref() == Some("joined")).then(|| view! {
            <p class="notice" role="status">"You joined the cohort."</p>
        })}
        <form method="post" action="/account/cohorts" class="stack-form">
            <label for="join-code">"Invite code"</label>
            <input id="join-code" name="code" type="text" autocomplete="off" required />
            <button type="submit">"Join"</button>
        </form>
    }
}

/// `/instructor`: the caller's cohorts and a form to create one.
#[component]
pub fn InstructorPage() -> impl IntoView {
    guarded(Access::Teacher, "/instructor", instructor_cohorts, |list| {
        view! {
            <Title text="Teach" />
            <h1>"Your cohorts"</h1>
            <FormError />
            <CohortList list />
            <h2>"Create a cohort"</h2>
            <form method="post" action="/instructor/cohorts" class="stack-form">
                <label for="cohort-name">"Name"</label>
                <input id="cohort-name" name="name" type="text" required maxlength="100" placeholder="Spring 2027 evening class" />
                <button class="primary" type="submit">"Create cohort"</button>
            </form>
        }
    })
}

/// The caller's cohorts with their invite codes, or how to make one.
#[component]
fn CohortList(list: Vec<CohortSummary>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p>"No cohorts yet. Create one below and share its invite code."</p> }
            .into_any();
    }
    view! {
        <ul class="cohort-list">
            {list.into_iter().map(|CohortSummary { cohort: c, members: n }| view! {
                <li>
                    <a href=format!("/instructor/cohorts/{}", c.id)>{c.name.clone()}</a>
                    {format!(" · {n} learner{} · invite code ", if n == 1 { "" } else { "s" })}
                    <code>{c.invite_code.clone()}</code>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// `/instructor/cohorts/{id}`: learners × lessons, sortable by a link (no JS needed).
#[component]
pub fn CohortPage() -> impl IntoView {
    if let Err(view) = page_user(Access::Teacher, "/instructor") {
        return view;
    }
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()));
    let sort = use_query_map().with_untracked(|q| q.get("sort").unwrap_or_default());
    let Some(id) = id else {
        return view! { <crate::ui::not_found::NotFound /> }.into_any();
    };
    let matrix = Resource::new_blocking(
        move || sort.clone(),
        move |sort| load_cohort_matrix(id, sort),
    );
    loaded(matrix, |m| view! { <Matrix m /> }).into_any()
}

#[component]
fn Matrix(m: CohortMatrix) -> impl IntoView {
    let id = m.cohort.id;
    let base = format!("/instructor/cohorts/{id}");
    view! {
        <Title text=m.cohort.name.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/instructor">"Cohorts"</a></li><li aria-current="page">{m.cohort.name.clone()}</li></ol></nav>
        <h1>{m.cohort.name.clone()}</h1>
        <p>
            "Invite code " <code>{m.cohort.invite_code.clone()}</code>
            " — learners enter it when registering or on their account page, or follow "
            <code>{format!("/register?code={}", m.cohort.invite_code)}</code>"."
        </p>
        <p><a class="button" href=format!("{base}/export.csv") download="">"Download CSV"</a>" "
            <a class="button" href=format!("{base}/quizzes")>"Quiz statistics and essays"</a></p>
        <p class="sort-links">"Sort by: "
            <a href=format!("{base}?sort=name")>"name"</a>" · "
            <a href=format!("{base}?sort=progress")>"progress"</a>" · "
            <a href=format!("{base}?sort=idle")>"days inactive"</a>
        </p>
        {if m.learners.is_empty() {
            view! { <p>"No learners have joined yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll matrix-wrap">
                    <table class="matrix">
                        <caption class="visually-hidden">"Learners by lesson: ✓ done, ○ visited, · not started; quiz best score in percent"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Learner"</th>
                                <th scope="col">"Done"</th>
                                <th scope="col">"Exercises"</th>
                                <th scope="col">"Inactive"</th>
                                {m.lessons.iter().enumerate().map(|(i, LessonColumn { title, href, .. })| view! {
                                    <th scope="col" class="lesson-col"><a href=href.clone() title=title.clone()>{format!("{}", i + 1)}</a></th>
                                }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {m.learners.iter().map(|r| view! {
                                <tr>
                                    <th scope="row">{r.name.clone()}</th>
                                    <td>{format!("{}/{}", r.done, m.lessons.len())}</td>
                                    <td>{format!("{}/{}", r.exercises, m.exercise_total)}</td>
                                    <td>{r.idle_days.map(|d| format!("{d} d")).unwrap_or_else(|| "never active".into())}</td>
                                    {r.cells.iter().map(|(s, q)| {
                                        let (mark, class) = match s {
                                            Status::Done => ("✓", "cell done"),
                                            Status::Visited => ("○", "cell visited"),
                                            Status::NotStarted => ("·", "cell"),
                                        };
                                        view! {
                                            <td class=class title=s.label()>
                                                <span aria-hidden="true">{mark}</span>
                                                <span class="visually-hidden">{s.label()}</span>
                                                {q.map(|p| view! { <span class="q">{format!(" {p}")}</span> })}
                                            </td>
                                        }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row" colspan="4">"Completion"</th>
                                {m.completion.iter().map(|p| view! { <td>{format!("{p}%")}</td> }).collect_view()}
                            </tr>
                        </tfoot>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
