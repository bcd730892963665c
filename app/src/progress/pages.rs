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
    i18n::Lang,
    t,
    ui::{
        form::{query_param, FormError},
        not_found::{guarded, loaded, page_user},
        table::ScrollTable,
    },
};

/// What a [`ProgressBar`] counts, for screen readers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProgressUnit {
    /// "lessons done"
    #[default]
    Lessons,
    /// "exercises solved"
    Exercises,
}

/// A labelled progress bar: "3 of 8 · 37 %".
#[component]
pub fn ProgressBar(
    progress: TrackProgress,
    /// What is counted, for screen readers ("lessons done").
    #[prop(optional)]
    unit: ProgressUnit,
) -> impl IntoView {
    let lang = Lang::current();
    let pct = progress.percent();
    let (done, total) = (
        lang.int(i64::from(progress.done)),
        lang.int(i64::from(progress.total)),
    );
    // The overall bars (no track) get their name here, in the reader's
    // language.
    let title = match (progress.slug.is_empty(), unit) {
        (true, ProgressUnit::Lessons) => t!("progress-all-lessons"),
        (true, ProgressUnit::Exercises) => t!("progress-all-exercises"),
        (false, _) => progress.title.clone(),
    };
    let label = match unit {
        ProgressUnit::Lessons => t!(
            "progress-bar-lessons-label",
            title = title.clone(),
            done = done.clone(),
            total = total.clone()
        ),
        ProgressUnit::Exercises => t!(
            "progress-bar-exercises-label",
            title = title.clone(),
            done = done.clone(),
            total = total.clone()
        ),
    };
    view! {
        <div class="progress">
            <div class="progress-text"><span>{title}</span><span>{t!("progress-bar-text", done = done, total = total, pct = pct)}</span></div>
            <progress max="100" value=pct.to_string() aria-label=label>{t!("progress-percent", pct = pct)}</progress>
        </div>
    }
}

/// The signed-in home: progress, where to resume, activity, quiz scores.
#[component]
pub fn DashboardPage() -> impl IntoView {
    guarded(Access::SignedIn, "/dashboard", load_dashboard, |d| {
        view! { <Title text=t!("progress-dashboard-title") /><Dashboard data=d /> }
    })
}

#[component]
fn Dashboard(data: DashboardData) -> impl IntoView {
    view! {
        <h1>{t!("progress-welcome", name = data.name.clone())}</h1>
        {match data.resume.clone() {
            Some((title, href)) => view! {
                <p class="resume"><span>{t!("progress-resume")}" "</span><a class="button" href=href>{title}</a></p>
            }.into_any(),
            None if data.overall.total > 0 && data.overall.done == data.overall.total => view! {
                <p class="resume">{t!("progress-all-done")}</p>
            }.into_any(),
            None => view! { <p class="resume"><a class="button" href="/lessons">{t!("progress-start")}</a></p> }.into_any(),
        }}
        <section aria-labelledby="progress-h" id="progress">
            <h2 id="progress-h">{t!("progress-your-progress")}</h2>
            <ProgressBar progress=data.overall.clone() />
            <div class="track-bars">
                {data.tracks.iter().cloned().map(|t| view! { <ProgressBar progress=t /> }).collect_view()}
            </div>
        </section>
        <section aria-labelledby="practice-h" id="practice">
            <h2 id="practice-h">{t!("progress-exercises")}</h2>
            <ProgressBar progress=data.exercises.clone() unit=ProgressUnit::Exercises />
            <div class="track-bars">
                {data.exercise_tracks.iter().cloned().map(|t| view! { <ProgressBar progress=t unit=ProgressUnit::Exercises /> }).collect_view()}
            </div>
            {if data.practice.is_empty() {
                view! { <p>{t!("progress-no-exercises")}</p> }.into_any()
            } else {
                let head = view! { <thead><tr><th scope="col">{t!("progress-col-lesson")}</th><th scope="col">{t!("progress-col-solved")}</th></tr></thead> }.into_any();
                let rows = data.practice.clone();
                view! {
                    <ScrollTable head class="scores">
                        {rows.into_iter().map(|p| view! {
                            <tr><td><a href=p.href>{p.title}</a></td><td>{t!("progress-solved-of", solved = Lang::current().int(i64::from(p.best)), total = Lang::current().int(i64::from(p.attempts)))}</td></tr>
                        }).collect_view()}
                    </ScrollTable>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="quiz-h">
            <h2 id="quiz-h">{t!("progress-quiz-scores")}</h2>
            {if data.quiz_scores.is_empty() {
                view! { <p>{t!("progress-no-quizzes")}</p> }.into_any()
            } else {
                let head = view! { <thead><tr><th scope="col">{t!("progress-col-lesson")}</th><th scope="col">{t!("progress-col-best")}</th><th scope="col">{t!("progress-col-attempts")}</th></tr></thead> }.into_any();
                let scores = data.quiz_scores.clone();
                view! {
                    <ScrollTable head class="scores">
                        {scores.into_iter().map(|q| view! {
                            <tr><td><a href=format!("{}/quiz/attempts", q.href)>{q.title}</a></td><td>{t!("progress-percent", pct = q.best)}</td><td>{Lang::current().int(i64::from(q.attempts))}</td></tr>
                        }).collect_view()}
                    </ScrollTable>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="activity-h">
            <h2 id="activity-h">{t!("progress-activity")}</h2>
            <Heatmap data=data.clone() />
        </section>
        {(!data.cohorts.is_empty()).then(|| view! {
            <section aria-labelledby="cohorts-h">
                <h2 id="cohorts-h">{t!("progress-your-cohorts")}</h2>
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
    let lang = Lang::current();
    let summary = t!(
        "progress-heatmap-summary",
        active = lang.int(i64::from(data.active_days)),
        days = lang.int(data.heatmap.len() as i64)
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
                <title id="heatmap-title">{t!("progress-heatmap-title")}</title>
                <desc id="heatmap-desc">{summary.clone()}</desc>
                {data.heatmap.iter().enumerate().map(|(i, day)| {
                    let x = (i / 7) * CELL;
                    let y = (i % 7) * CELL;
                    view! {
                        <rect x=x.to_string() y=y.to_string() width="12" height="12" rx="2"
                            class=if day.active { "day active" } else { "day" }>
                            <title>{if day.active {
                                t!("progress-day-active", date = lang.when(&day.date))
                            } else {
                                t!("progress-day-inactive", date = lang.when(&day.date))
                            }}</title>
                        </rect>
                    }
                }).collect_view()}
            </svg>
            <figcaption>{summary}</figcaption>
        </figure>
    }
}

/// The texts of [`MarkCompleteButton`], translated on the server (the
/// browser has no catalogue).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct MarkLabels {
    /// "✓ You completed this lesson."
    pub completed: String,
    /// "Finished reading?"
    pub prompt: String,
    /// "Mark as not done"
    pub undo: String,
    /// "Mark as complete"
    pub complete: String,
}

/// The mark-complete button on a lesson, with its texts in the reader's
/// language.
#[component]
pub fn MarkComplete(lesson_id: String, done: bool) -> impl IntoView {
    let labels = MarkLabels {
        completed: t!("progress-mark-completed"),
        prompt: t!("progress-mark-prompt"),
        undo: t!("progress-mark-undo"),
        complete: t!("progress-mark-complete"),
    };
    view! { <MarkCompleteButton lesson_id done labels /> }
}

/// The mark-complete form. A plain form without JavaScript; once hydrated
/// it flips at once (optimistic) and undoes itself if the server refuses.
#[island]
pub fn MarkCompleteButton(lesson_id: String, done: bool, labels: MarkLabels) -> impl IntoView {
    let MarkLabels {
        completed,
        prompt,
        undo,
        complete,
    } = labels;
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
                {move || if done.get() { completed.clone() } else { prompt.clone() }}
            </p>
            <button type="submit" class=move || if done.get() { "" } else { "primary" }>
                {move || if done.get() { undo.clone() } else { complete.clone() }}
            </button>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </form>
    }
}

/// Join a cohort with an invite code (shown on `/account`).
#[component]
pub fn JoinCohortForm() -> impl IntoView {
    view! {
        <h2>{t!("progress-join-heading")}</h2>
        {(query_param("done").as_deref() == Some("joined")).then(|| view! {
            <p class="notice" role="status">{t!("progress-joined")}</p>
        })}
        <form method="post" action="/account/cohorts" class="stack-form">
            <label for="join-code">{t!("progress-invite-code")}</label>
            <input id="join-code" name="code" type="text" autocomplete="off" required />
            <button type="submit">{t!("progress-join")}</button>
        </form>
    }
}

/// `/instructor`: the caller's cohorts and a form to create one.
#[component]
pub fn InstructorPage() -> impl IntoView {
    guarded(Access::Teacher, "/instructor", instructor_cohorts, |list| {
        view! {
            <Title text=t!("progress-teach-title") />
            <h1>{t!("progress-your-cohorts")}</h1>
            <FormError />
            <CohortList list />
            <h2>{t!("progress-create-heading")}</h2>
            <form method="post" action="/instructor/cohorts" class="stack-form">
                <label for="cohort-name">{t!("progress-cohort-name")}</label>
                <input id="cohort-name" name="name" type="text" required maxlength="100" placeholder=t!("progress-cohort-name-placeholder") />
                <button class="primary" type="submit">{t!("progress-create-cohort")}</button>
            </form>
        }
    })
}

/// The caller's cohorts with their invite codes, or how to make one.
#[component]
fn CohortList(list: Vec<CohortSummary>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p>{t!("progress-no-cohorts")}</p> }.into_any();
    }
    view! {
        <ul class="cohort-list">
            {list.into_iter().map(|CohortSummary { cohort: c, members: n }| view! {
                <li>
                    <a href=format!("/instructor/cohorts/{}", c.id)>{c.name.clone()}</a>
                    {format!(" · {} ", t!("progress-cohort-summary", count = n, n = Lang::current().int(n)))}
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
    let lang = Lang::current();
    let id = m.cohort.id;
    let base = format!("/instructor/cohorts/{id}");
    view! {
        <Title text=m.cohort.name.clone() />
        <nav class="breadcrumbs" aria-label=t!("progress-breadcrumb")><ol><li><a href="/instructor">{t!("progress-cohorts")}</a></li><li aria-current="page">{m.cohort.name.clone()}</li></ol></nav>
        <h1>{m.cohort.name.clone()}</h1>
        <p>
            {format!("{} ", t!("progress-invite-code"))}<code>{m.cohort.invite_code.clone()}</code>
            " "{t!("progress-invite-how")}" "
            <code>{format!("/register?code={}", m.cohort.invite_code)}</code>"."
        </p>
        <p><a class="button" href=format!("{base}/export.csv") download="">{t!("progress-download-csv")}</a>" "
            <a class="button" href=format!("{base}/quizzes")>{t!("progress-quiz-stats")}</a></p>
        <p class="sort-links">{t!("progress-sort-by")}" "
            <a href=format!("{base}?sort=name")>{t!("progress-sort-name")}</a>" · "
            <a href=format!("{base}?sort=progress")>{t!("progress-sort-progress")}</a>" · "
            <a href=format!("{base}?sort=idle")>{t!("progress-sort-idle")}</a>
        </p>
        {if m.learners.is_empty() {
            view! { <p>{t!("progress-no-learners")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll matrix-wrap">
                    <table class="matrix">
                        <caption class="visually-hidden">{t!("progress-matrix-legend")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!("progress-col-learner")}</th>
                                <th scope="col">{t!("progress-col-done")}</th>
                                <th scope="col">{t!("progress-exercises")}</th>
                                <th scope="col">{t!("progress-col-inactive")}</th>
                                {m.lessons.iter().enumerate().map(|(i, LessonColumn { title, href, .. })| view! {
                                    <th scope="col" class="lesson-col"><a href=href.clone() title=title.clone()>{format!("{}", i + 1)}</a></th>
                                }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {m.learners.iter().map(|r| view! {
                                <tr>
                                    <th scope="row">{r.name.clone()}</th>
                                    <td>{format!("{}/{}", lang.int(i64::from(r.done)), lang.int(m.lessons.len() as i64))}</td>
                                    <td>{format!("{}/{}", lang.int(i64::from(r.exercises)), lang.int(i64::from(m.exercise_total)))}</td>
                                    <td>{r.idle_days.map(|d| t!("progress-idle-days", days = lang.int(d))).unwrap_or_else(|| t!("progress-never-active"))}</td>
                                    {r.cells.iter().map(|(s, q)| {
                                        let (mark, class) = match s {
                                            Status::Done => ("✓", "cell done"),
                                            Status::Visited => ("○", "cell visited"),
                                            Status::NotStarted => ("·", "cell"),
                                        };
                                        view! {
                                            <td class=class title=status_title(*s)>
                                                <span aria-hidden="true">{mark}</span>
                                                <span class="visually-hidden">{status_title(*s)}</span>
                                                {q.map(|p| view! { <span class="q">{format!(" {p}")}</span> })}
                                            </td>
                                        }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot>
                            <tr>
                                <th scope="row" colspan="4">{t!("progress-completion")}</th>
                                {m.completion.iter().map(|p| view! { <td>{t!("progress-completion-percent", pct = *p)}</td> }).collect_view()}
                            </tr>
                        </tfoot>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// The text alternative of a matrix cell's mark (✓ ○ ·).
fn status_title(status: Status) -> String {
    match status {
        Status::Done => t!("progress-status-done"),
        Status::Visited => t!("progress-status-visited"),
        Status::NotStarted => t!("progress-status-not-started"),
    }
}

/// The English catalogue reads as the pages did before translation (the
/// integration tests look for these sentences).
#[cfg(all(test, feature = "ssr"))]
mod tests {
    use crate::i18n::{text, Arg, Lang};
    #[test]
    fn i18n_english_reads_as_before() {
        let t = |k: &str, a: &[(&'static str, Arg)]| text(Lang::En, k, a);
        assert_eq!(
            t(
                "progress-cohort-summary",
                &[("count", 1i64.into()), ("n", "1".into())]
            ),
            "1 learner · invite code"
        );
        assert_eq!(
            t(
                "progress-cohort-summary",
                &[("count", 0i64.into()), ("n", "0".into())]
            ),
            "0 learners · invite code"
        );
        assert_eq!(
            text(
                Lang::Es,
                "progress-cohort-summary",
                &[("count", 1i64.into()), ("n", "1".into())]
            ),
            "1 estudiante · código de invitación"
        );
        assert_eq!(
            t(
                "progress-bar-text",
                &[
                    ("done", "1".into()),
                    ("total", "3".into()),
                    ("pct", 33u32.into())
                ]
            ),
            "1 of 3 · 33 %"
        );
        assert_eq!(t("progress-percent", &[("pct", 100u32.into())]), "100 %");
        assert_eq!(
            t("progress-completion-percent", &[("pct", 0u32.into())]),
            "0%"
        );
        assert_eq!(t("progress-resume", &[]), "Continue where you left off:");
        assert_eq!(
            t("progress-invite-how", &[]),
            "— learners enter it when registering or on their account page, or follow"
        );
        assert_eq!(
            t("progress-welcome", &[("name", "Ada".into())]),
            "Welcome, Ada"
        );
        assert_eq!(
            t(
                "progress-heatmap-summary",
                &[("active", "3".into()), ("days", "84".into())]
            ),
            "Active on 3 of the last 84 days."
        );
        assert_eq!(
            t(
                "progress-bar-lessons-label",
                &[
                    ("title", "All lessons".into()),
                    ("done", "1".into()),
                    ("total", "3".into())
                ]
            ),
            "All lessons: 1 of 3 lessons done"
        );
        assert_eq!(
            t(
                "editor-problem-line",
                &[("line", "4".into()), ("message", "bad {x}".into())]
            ),
            "line 4: bad {x}"
        );
        assert_eq!(
            t("editor-file-broken", &[("file", "a.md".into())]),
            "a.md (does not load)"
        );
        assert_eq!(
            t("editor-image-uploaded", &[]),
            "Image uploaded. Paste this into the lesson:"
        );
        assert_eq!(
            t("editor-restore", &[("id", "12345".into())]),
            "Restore revision 12345"
        );
    }
}
