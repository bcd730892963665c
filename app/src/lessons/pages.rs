//! `/lessons`, `/lessons/{track}/{lesson}` and `/search`. All complete
//! without JavaScript; only the search box is an island.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{api::search_lessons, current_store, model::SearchResults};
use crate::{
    auth::session::current_user,
    i18n::Lang,
    progress::{
        api::{lesson_done, my_track_progress},
        model::TrackProgress,
        pages::{MarkComplete, ProgressBar},
    },
    t,
    ui::not_found::NotFound,
};

/// The signed-in learner's bar for `slug` ("" = overall), once loaded.
fn track_bar(
    progress: Option<Resource<Result<Vec<TrackProgress>, crate::error::AppError>>>,
    slug: String,
) -> impl IntoView {
    progress.map(|res| {
        view! {
            <Suspense fallback=|| ()>
                {move || {
                    let slug = slug.clone();
                    Suspend::new(async move {
                        res.await
                            .ok()
                            .and_then(|all| all.into_iter().find(|t| t.slug == slug))
                            .map(|t| view! { <ProgressBar progress=t /> })
                    })
                }}
            </Suspense>
        }
    })
}

/// Every track with its lessons.
#[component]
pub fn LessonsIndex() -> impl IntoView {
    let Some(store) = current_store() else {
        return ().into_any();
    };
    let tracks = store.tracks_in(Lang::current());
    let total = store.lesson_count();
    let progress = current_user().map(|_| Resource::new_blocking(|| (), |_| my_track_progress()));
    view! {
        <Title text=t!("lessons-title") />
        <Meta name="description" content=t!("lessons-description") />
        <h1>{t!("lessons-title")}</h1>
        <crate::ui::form::FormError />
        <p class="lead">{t!("lessons-lead", total = total, tracks = tracks.len())}</p>
        {track_bar(progress, String::new())}
        <form class="search-inline" role="search" method="get" action="/search">
            <label for="lessons-q" class="visually-hidden">{t!("lessons-search-label")}</label>
            <input id="lessons-q" type="search" name="q" placeholder=t!("lessons-search-label") />
            <button type="submit">{t!("lessons-search-button")}</button>
        </form>
        {tracks
            .into_iter()
            .map(|track| {
                view! {
                    <section class="track" id=track.slug.clone() aria-labelledby=format!("track-{}", track.slug)>
                        <h2 id=format!("track-{}", track.slug)><a href=format!("/lessons/{}", track.slug)>{track.title.clone()}</a></h2>
                        <p class="track-summary">{track.summary.clone()}</p>
                        {track_bar(progress, track.slug.clone())}
                        <ol class="lesson-list">
                            {track
                                .lessons
                                .iter()
                                .map(|l| {
                                    view! {
                                        <li>
                                            <a href=l.href()>{l.title.clone()}</a>
                                            <span class="minutes">{t!("lessons-minutes", minutes = l.minutes)}</span>
                                            <p>{l.summary.clone()}</p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    </section>
                }
            })
            .collect_view()}
    }
    .into_any()
}

/// `/lessons/{track}`: the track's summary, its lessons in order (done,
/// exercises solved), its project, and the reading time left.
#[component]
pub fn TrackPage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("track").unwrap_or_default());
    let Some(store) = current_store() else {
        return ().into_any();
    };
    let Some(track) = store
        .track(&slug)
        .map(|t| store.track_in(t, Lang::current()))
    else {
        return view! { <NotFound /> }.into_any();
    };
    let exercises: std::collections::HashMap<String, usize> = track
        .lessons
        .iter()
        .filter_map(|l| store.lesson(&l.track, &l.slug))
        .map(|l| (l.meta.id.clone(), l.exercises.len()))
        .collect();
    let signed_in = current_user().is_some();
    let progress = signed_in.then(|| Resource::new_blocking(|| (), |_| my_track_progress()));
    let status = Resource::new_blocking(|| (), |_| crate::progress::api::my_track_status());
    let title = track.title.clone();
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=track.summary.clone() />
        <nav class="breadcrumbs" aria-label=t!("lessons-breadcrumb")>
            <ol>
                <li><a href="/lessons">{t!("lessons-title")}</a></li>
                <li aria-current="page">{title.clone()}</li>
            </ol>
        </nav>
        <h1>{title}</h1>
        <p class="lead">{track.summary.clone()}</p>
        {track_bar(progress, track.slug.clone())}
        <Suspense fallback=|| ()>
            {move || {
                let track = track.clone();
                let exercises = exercises.clone();
                Suspend::new(async move {
                    let status = status.await.unwrap_or_default();
                    let done: std::collections::HashSet<&String> = status.done.iter().collect();
                    let solved: std::collections::HashMap<&String, &crate::labs::model::Solved> =
                        status.solved.iter().map(|(k, v)| (k, v)).collect();
                    let left: u32 = track.lessons.iter().filter(|l| !done.contains(&l.id)).map(|l| l.minutes).sum();
                    view! {
                        <p class="lesson-meta">{if signed_in {
                            t!("lessons-left-signed-in", minutes = left)
                        } else {
                            t!("lessons-left", minutes = left)
                        }}</p>
                        <ol class="lesson-list track-lessons">
                            {track.lessons.iter().map(|l| {
                                let is_done = done.contains(&l.id);
                                let total = exercises.get(&l.id).copied().unwrap_or(0);
                                let practice = (total > 0).then(|| {
                                    let n = solved.get(&l.id).map_or(0, |s| s.solved);
                                    if signed_in {
                                        t!("lessons-exercises-solved", solved = n, total = total)
                                    } else {
                                        t!("lessons-exercises", total = total)
                                    }
                                });
                                view! {
                                    <li class:done=is_done>
                                        {is_done.then(|| view! { <span class="done-mark" aria-label=t!("lessons-completed")>"✓ "</span> })}
                                        {(l.kind == super::model::LessonKind::Project).then(|| view! { <span class="badge">{t!("lessons-project")}</span>" " })}
                                        <a href=l.href()>{l.title.clone()}</a>
                                        <span class="minutes">{t!("lessons-minutes", minutes = l.minutes)}{practice}</span>
                                        <p>{l.summary.clone()}</p>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// One lesson: breadcrumbs, objectives, table of contents, body, pager.
#[component]
pub fn LessonPage() -> impl IntoView {
    let params = use_params_map();
    let (track, slug) = params.with_untracked(|p| {
        (
            p.get("track").unwrap_or_default(),
            p.get("lesson").unwrap_or_default(),
        )
    });
    let Some(store) = current_store() else {
        return ().into_any();
    };
    // Drafts are visible to instructors and admins only.
    let can_teach = current_user().is_some_and(|u| u.role.can_teach());
    // The reader's language when the lesson is translated into it, else
    // the original with a notice (progress and quiz are the same lesson).
    let lang = Lang::current();
    let Some((lesson, shown_in)) = store
        .lesson_in(&track, &slug, lang)
        .filter(|(l, _)| !l.meta.draft || can_teach)
        .map(|(l, shown)| (l.clone(), shown))
    else {
        return view! { <NotFound /> }.into_any();
    };
    let track_title = store
        .track(&track)
        .map(|t| store.track_in(t, lang).title)
        .unwrap_or_default();
    let (prev, next) = store.neighbours(&track, &slug);
    let (prev, next) = (
        prev.map(|p| store.summary_in(p, lang)),
        next.map(|n| store.summary_in(n, lang)),
    );
    let meta = lesson.meta.clone();
    // A signed-in page being cached as a skeleton (see
    // `crate::lessons::compose`): the learner's own parts are left as slots,
    // filled per request without rendering the rest again.
    let slots = super::compose::slots_wanted();
    let progress_section = match current_user() {
        Some(_) if slots => super::compose::slot(super::compose::Slot::Progress).into_any(),
        Some(user) => {
            #[cfg(feature = "ssr")]
            if let Ok(state) = crate::state::app_state() {
                state.progress.visit(user.id, &meta.id);
            }
            #[cfg(not(feature = "ssr"))]
            let _ = user;
            let id = meta.id.clone();
            let status = Resource::new_blocking(move || id.clone(), lesson_done);
            let id = meta.id.clone();
            let practice = (!lesson.exercises.is_empty()).then(|| {
                let key = (meta.track.clone(), meta.slug.clone());
                Resource::new_blocking(
                    move || key.clone(),
                    |(t, s)| crate::labs::api::lesson_solved(t, s),
                )
            });
            let required = lesson.requires_exercises;
            view! {
                <Suspense fallback=|| ()>
                    {move || {
                        let id = id.clone();
                        Suspend::new(async move {
                            let done = status.await.unwrap_or(false);
                            let solved = match practice {
                                Some(r) => r.await.ok(),
                                None => None,
                            };
                            view! { <LessonProgress lesson_id=id done solved required /> }
                        })
                    }}
                </Suspense>
            }
            .into_any()
        }
        None => view! {
            <p>
                <a href=format!("/login?next={}", meta.href())>{t!("lessons-sign-in")}</a>
                {t!("lessons-sign-in-rest")}
            </p>
        }
        .into_any(),
    };
    let quiz_section = if slots {
        super::compose::slot(super::compose::Slot::Quiz).into_any()
    } else {
        view! { <crate::quiz::pages::QuizSection lesson=(*lesson).clone() /> }.into_any()
    };
    view! {
        <Title text=meta.title.clone() />
        <Meta name="description" content=meta.summary.clone() />
        <nav class="breadcrumbs" aria-label=t!("lessons-breadcrumb")>
            <ol>
                <li><a href="/lessons">{t!("lessons-title")}</a></li>
                <li><a href=format!("/lessons/{track}")>{track_title}</a></li>
                <li aria-current="page">{meta.title.clone()}</li>
            </ol>
        </nav>
        <article class="lesson" lang=(shown_in != lang).then(|| shown_in.code())>
            <header class="lesson-header">
                {(shown_in != lang).then(|| view! { <p class="notice translation-fallback" lang=lang.code()>{t!("lessons-fallback")}</p> })}
                {meta.draft.then(|| view! { <p class="badge draft-banner">{t!("lessons-draft")}</p> })}
                {(meta.kind == super::model::LessonKind::Project).then(|| view! { <p class="exercise-kind">{t!("lessons-project")}</p> })}
                <h1>{meta.title.clone()}</h1>
                {can_teach.then(|| view! { <p class="edit-link"><a href=format!("/editor/{}/{}", meta.track, meta.slug)>{t!("lessons-edit")}</a></p> })}
                <p class="lesson-meta">{t!("lessons-min-read", minutes = meta.minutes)}</p>
            </header>
            {(!lesson.objectives.is_empty()).then(|| view! {
                <section class="objectives" aria-label=t!("lessons-objectives")>
                    <p class="objectives-title">{t!("lessons-objectives-title")}</p>
                    <ul>{lesson.objectives.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}</ul>
                </section>
            })}
            {(!lesson.toc.is_empty()).then(|| view! {
                <nav class="toc" aria-label=t!("lessons-toc")>
                    <p class="toc-title">{t!("lessons-toc")}</p>
                    <ol>
                        {lesson.toc.iter().map(|e| view! {
                            <li class=format!("toc-{}", e.level)><a href=format!("#{}", e.id)>{e.text.clone()}</a></li>
                        }).collect_view()}
                    </ol>
                </nav>
            })}
            <div class="lesson-body" inner_html=lesson.html.as_str().to_string()></div>
            {quiz_section}
            <section id="progress" class="lesson-progress" aria-label=t!("lessons-progress") lang=(shown_in != lang).then(|| lang.code())>{progress_section}</section>
        </article>
        <nav class="pager" aria-label=t!("lessons-pager")>
            {prev.map(|p| {
                let href = p.href();
                view! { <a class="pager-prev" rel="prev" href=href><span>{t!("lessons-previous")}</span><strong>{p.title}</strong></a> }
            })}
            {next.map(|n| {
                let href = n.href();
                view! { <a class="pager-next" rel="next" href=href><span>{t!("lessons-next")}</span><strong>{n.title}</strong></a> }
            })}
        </nav>
    }
    .into_any()
}

/// A signed-in learner's part of a lesson page: exercises solved and the
/// mark-complete form. Rendered inside the page, or on its own into a
/// cached page's slot (`crate::lessons::compose`).
#[component]
pub fn LessonProgress(
    lesson_id: String,
    done: bool,
    solved: Option<crate::labs::model::Solved>,
    required: bool,
) -> impl IntoView {
    view! {
        {solved.map(|s| view! {
            <p class="practice">
                {t!("lessons-practice", solved = s.solved, total = s.total)}
                {(required && s.solved < s.total).then(|| t!("lessons-practice-required"))}
            </p>
        })}
        <MarkComplete lesson_id done />
    }
}

/// `/search?q=…&page=N`: results rendered on the server; the box updates
/// them as the learner types once hydrated. Pages are plain links.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let (q, page) = query.with_untracked(|m| {
        (
            m.get("q").unwrap_or_default(),
            m.get("page").and_then(|p| p.parse::<u32>().ok()),
        )
    });
    let results = Resource::new_blocking(
        move || (q.clone(), page),
        |(q, page)| search_lessons(q, page),
    );
    view! {
        <Title text=t!("search-title") />
        <h1>{t!("search-heading")}</h1>
        <Suspense fallback=|| view! { <p>{t!("search-searching")}</p> }>
            {move || Suspend::new(async move {
                let q = query.with_untracked(|m| m.get("q").unwrap_or_default());
                match results.await {
                    Ok(results) => view! { <SearchBox q results labels=SearchLabels::new() /> }.into_any(),
                    Err(e) => view! {
                        <p class="error" role="alert">{e.to_string()}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The search box's text in the reader's language. The island counts
/// results in the browser too, where there is no catalogue, so the server
/// sends these templates (`{q}`, `{n}`, `{c}`, `{page}`, `{pages}` are
/// filled in by [`search_count`]).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchLabels {
    label: String,
    button: String,
    hint: String,
    none: String,
    corrected_one: String,
    corrected_many: String,
    match_one: String,
    match_many: String,
    page: String,
    pages: String,
    prev: String,
    next: String,
}

impl SearchLabels {
    /// The labels of the request's language (server).
    pub fn new() -> SearchLabels {
        let slots = |key: &str| -> String {
            let lang = Lang::current();
            let args = [
                ("q", crate::i18n::Arg::from("{q}")),
                ("n", crate::i18n::Arg::from("{n}")),
                ("c", crate::i18n::Arg::from("{c}")),
                ("page", crate::i18n::Arg::from("{page}")),
                ("pages", crate::i18n::Arg::from("{pages}")),
            ];
            crate::i18n::text(lang, key, &args)
        };
        SearchLabels {
            label: t!("search-label"),
            button: t!("lessons-search-button"),
            hint: t!("search-hint"),
            none: slots("search-none"),
            corrected_one: slots("search-corrected-one"),
            corrected_many: slots("search-corrected-many"),
            match_one: slots("search-match-one"),
            match_many: slots("search-match-many"),
            page: slots("search-page"),
            pages: t!("search-pages"),
            prev: t!("search-prev-page"),
            next: t!("search-next-page"),
        }
    }
}

impl Default for SearchLabels {
    fn default() -> Self {
        SearchLabels::new()
    }
}

/// "12 lessons match “cache”" (with the correction or the note, if any).
fn search_count(q: &str, r: &SearchResults, l: &SearchLabels) -> String {
    if q.trim().is_empty() {
        return l.hint.clone();
    }
    if let Some(note) = &r.note {
        return note.clone();
    }
    let n = r.total;
    let fill = |template: &str, c: &str| {
        template
            .replace("{n}", &n.to_string())
            .replace("{c}", c)
            .replace("{q}", q)
    };
    let matched = match (n, &r.corrected) {
        (0, _) => fill(&l.none, ""),
        (1, Some(c)) => fill(&l.corrected_one, c),
        (_, Some(c)) => fill(&l.corrected_many, c),
        (1, None) => fill(&l.match_one, ""),
        (_, None) => fill(&l.match_many, ""),
    };
    if r.pages > 1 {
        let page = l
            .page
            .replace("{pages}", &r.pages.to_string())
            .replace("{page}", &r.page.to_string());
        format!("{matched}{page}")
    } else {
        matched
    }
}

/// The search form and results. Without JavaScript it is a GET form; with
/// it, results follow the input (debounced) and the URL follows the query.
#[island]
pub fn SearchBox(q: String, results: SearchResults, labels: SearchLabels) -> impl IntoView {
    let searched = RwSignal::new(q.clone());
    let results = RwSignal::new(results);
    #[allow(unused_variables)]
    let on_input = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        live::on_input(event_target_value(&ev), searched, results);
    };
    view! {
        <form class="search-form" role="search" method="get" action="/search">
            <label for="q">{labels.label.clone()}</label>
            <div class="search-row">
                <input id="q" type="search" name="q" value=q autocomplete="off" maxlength="200" on:input=on_input />
                <button type="submit">{labels.button.clone()}</button>
            </div>
        </form>
        <p class="search-count" aria-live="polite">
            {
                let labels = labels.clone();
                move || results.with(|r| search_count(&searched.get(), r, &labels))
            }
        </p>
        <ol class="search-results">
            {move || results.get().hits.into_iter().map(|h| view! {
                <li>
                    <a href=h.href.clone()>{h.title.clone()}</a>
                    <span class="search-track">{h.track_title.clone()}</span>
                    <p class="snippet" inner_html=h.snippet.as_str().to_string()></p>
                </li>
            }).collect_view()}
        </ol>
        {move || {
            let (page, pages) = results.with(|r| (r.page, r.pages));
            let q = searched.get();
            (pages > 1).then(|| {
                let link = move |p: u32| format!("/search?q={}&page={p}", encode(&q));
                view! {
                    <nav class="pager search-pager" aria-label=labels.pages.clone()>
                        {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{labels.prev.clone()}</a> })}
                        {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>{labels.next.clone()}</a> })}
                    </nav>
                }
            })
        }}
    }
}

/// `application/x-www-form-urlencoded` encoding of a query value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(feature = "hydrate")]
mod live {
    use super::*;
    use std::time::Duration;

    thread_local! {
        static PENDING: std::cell::Cell<Option<TimeoutHandle>> = const { std::cell::Cell::new(None) };
        static GENERATION: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }

    /// Debounces typing by 250 ms and ignores answers to outdated queries.
    pub fn on_input(value: String, searched: RwSignal<String>, results: RwSignal<SearchResults>) {
        if let Some(h) = PENDING.with(|p| p.take()) {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let generation = GENERATION.with(|g| {
                    g.set(g.get() + 1);
                    g.get()
                });
                leptos::task::spawn_local(async move {
                    let answer = search_lessons(value.clone(), None).await;
                    if GENERATION.with(|g| g.get()) != generation {
                        return;
                    }
                    if let Ok(found) = answer {
                        results.set(found);
                        searched.set(value.clone());
                        let url = if value.trim().is_empty() {
                            "/search".to_string()
                        } else {
                            format!("/search?q={}", encode(&value))
                        };
                        if let Ok(history) = window().history() {
                            let _ = history.replace_state_with_url(
                                &wasm_bindgen::JsValue::NULL,
                                "",
                                Some(&url),
                            );
                        }
                    }
                });
            },
            Duration::from_millis(250),
        );
        if let Ok(h) = handle {
            PENDING.with(|p| p.set(Some(h)));
        }
    }
}
