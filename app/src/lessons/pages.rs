//! `/lessons`, `/lessons/{track}/{lesson}` and `/search`. All complete
//! without JavaScript; only the search box is an island.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{api::search_lessons, current_store, model::SearchResults};
use crate::{
    auth::session::current_user,
    progress::{
        api::{lesson_done, my_track_progress},
        model::TrackProgress,
        pages::{MarkComplete, ProgressBar},
    },
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
    let tracks = store.tracks.clone();
    let total = store.lesson_count();
    let progress = current_user().map(|_| Resource::new_blocking(|| (), |_| my_track_progress()));
    view! {
        <Title text="Lessons" />
        <Meta name="description" content="Every track and lesson of the Backend Academy curriculum." />
        <h1>"Lessons"</h1>
        <crate::ui::form::FormError />
        <p class="lead">{format!("{total} lessons in {} tracks. Start anywhere; each track builds on the one before.", tracks.len())}</p>
        {track_bar(progress, String::new())}
        <form class="search-inline" role="search" method="get" action="/search">
            <label for="lessons-q" class="visually-hidden">"Search lessons"</label>
            <input id="lessons-q" type="search" name="q" placeholder="Search lessons" />
            <button type="submit">"Search"</button>
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
                                            <span class="minutes">{format!(" · {} min", l.minutes)}</span>
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
    let Some(track) = store.track(&slug).cloned() else {
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
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <ol>
                <li><a href="/lessons">"Lessons"</a></li>
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
                            format!("{left} min of reading left")
                        } else {
                            format!("{left} min of reading")
                        }}</p>
                        <ol class="lesson-list track-lessons">
                            {track.lessons.iter().map(|l| {
                                let is_done = done.contains(&l.id);
                                let total = exercises.get(&l.id).copied().unwrap_or(0);
                                let practice = (total > 0).then(|| {
                                    let n = solved.get(&l.id).map_or(0, |s| s.solved);
                                    if signed_in {
                                        format!(" · exercises: {n} of {total} solved")
                                    } else {
                                        format!(" · {total} exercises")
                                    }
                                });
                                view! {
                                    <li class:done=is_done>
                                        {is_done.then(|| view! { <span class="done-mark" aria-label="completed">"✓ "</span> })}
                                        {(l.kind == super::model::LessonKind::Project).then(|| view! { <span class="badge">"Project"</span>" " })}
                                        <a href=l.href()>{l.title.clone()}</a>
                                        <span class="minutes">{format!(" · {} min", l.minutes)}{practice}</span>
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
    let Some(lesson) = store
        .lesson(&track, &slug)
        .filter(|l| !l.meta.draft || can_teach)
        .cloned()
    else {
        return view! { <NotFound /> }.into_any();
    };
    let track_title = store
        .track(&track)
        .map(|t| t.title.clone())
        .unwrap_or_default();
    let (prev, next) = store.neighbours(&track, &slug);
    let (prev, next) = (prev.cloned(), next.cloned());
    let meta = lesson.meta.clone();
    let progress_section = match current_user() {
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
                            view! {
                                {solved.map(|s| view! {
                                    <p class="practice">
                                        {format!("Exercises: {} of {} solved.", s.solved, s.total)}
                                        {(required && s.solved < s.total).then_some(" Solve them all to complete this lesson.")}
                                    </p>
                                })}
                                <MarkComplete lesson_id=id done />
                            }
                        })
                    }}
                </Suspense>
            }
            .into_any()
        }
        None => view! {
            <p>
                <a href=format!("/login?next={}", meta.href())>"Sign in"</a>
                " to mark lessons complete and keep your place."
            </p>
        }
        .into_any(),
    };
    view! {
        <Title text=meta.title.clone() />
        <Meta name="description" content=meta.summary.clone() />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <ol>
                <li><a href="/lessons">"Lessons"</a></li>
                <li><a href=format!("/lessons/{track}")>{track_title}</a></li>
                <li aria-current="page">{meta.title.clone()}</li>
            </ol>
        </nav>
        <article class="lesson">
            <header class="lesson-header">
                {meta.draft.then(|| view! { <p class="badge draft-banner">"Draft: visible to instructors and admins only"</p> })}
                {(meta.kind == super::model::LessonKind::Project).then(|| view! { <p class="exercise-kind">"Project"</p> })}
                <h1>{meta.title.clone()}</h1>
                {can_teach.then(|| view! { <p class="edit-link"><a href=format!("/editor/{}/{}", meta.track, meta.slug)>"Edit this lesson"</a></p> })}
                <p class="lesson-meta">{format!("{} min read", meta.minutes)}</p>
            </header>
            {(!lesson.objectives.is_empty()).then(|| view! {
                <section class="objectives" aria-label="Learning objectives">
                    <p class="objectives-title">"In this lesson you will:"</p>
                    <ul>{lesson.objectives.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}</ul>
                </section>
            })}
            {(!lesson.toc.is_empty()).then(|| view! {
                <nav class="toc" aria-label="On this page">
                    <p class="toc-title">"On this page"</p>
                    <ol>
                        {lesson.toc.iter().map(|e| view! {
                            <li class=format!("toc-{}", e.level)><a href=format!("#{}", e.id)>{e.text.clone()}</a></li>
                        }).collect_view()}
                    </ol>
                </nav>
            })}
            <div class="lesson-body" inner_html=lesson.html.as_str().to_string()></div>
            <crate::quiz::pages::QuizSection lesson=(*lesson).clone() />
            <section id="progress" class="lesson-progress" aria-label="Your progress">{progress_section}</section>
        </article>
        <nav class="pager" aria-label="Previous and next lesson">
            {prev.map(|p| {
                let href = p.href();
                view! { <a class="pager-prev" rel="prev" href=href><span>"← Previous"</span><strong>{p.title}</strong></a> }
            })}
            {next.map(|n| {
                let href = n.href();
                view! { <a class="pager-next" rel="next" href=href><span>"Next →"</span><strong>{n.title}</strong></a> }
            })}
        </nav>
    }
    .into_any()
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
        <Title text="Search" />
        <h1>"Search lessons"</h1>
        <Suspense fallback=|| view! { <p>"Searching…"</p> }>
            {move || Suspend::new(async move {
                let q = query.with_untracked(|m| m.get("q").unwrap_or_default());
                match results.await {
                    Ok(results) => view! { <SearchBox q results /> }.into_any(),
                    Err(e) => view! {
                        <p class="error" role="alert">{e.to_string()}</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "12 lessons match “cache”" (with the correction or the note, if any).
fn search_count(q: &str, r: &SearchResults) -> String {
    if q.trim().is_empty() {
        return "Type a word, e.g. database, cache or status code.".to_string();
    }
    if let Some(note) = &r.note {
        return note.clone();
    }
    let n = r.total;
    let matched = match (n, &r.corrected) {
        (0, _) => format!("No lessons match “{q}”."),
        (n, Some(c)) => format!(
            "No lessons match “{q}”; showing {n} lesson{} for “{c}”.",
            if n == 1 { "" } else { "s" }
        ),
        (n, None) => format!("{n} lesson{} match “{q}”.", if n == 1 { "" } else { "s" }),
    };
    if r.pages > 1 {
        format!("{matched} Page {} of {}.", r.page, r.pages)
    } else {
        matched
    }
}

/// The search form and results. Without JavaScript it is a GET form; with
/// it, results follow the input (debounced) and the URL follows the query.
#[island]
pub fn SearchBox(q: String, results: SearchResults) -> impl IntoView {
    let searched = RwSignal::new(q.clone());
    let results = RwSignal::new(results);
    #[allow(unused_variables)]
    let on_input = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        live::on_input(event_target_value(&ev), searched, results);
    };
    view! {
        <form class="search-form" role="search" method="get" action="/search">
            <label for="q">"Search titles and text"</label>
            <div class="search-row">
                <input id="q" type="search" name="q" value=q autocomplete="off" maxlength="200" on:input=on_input />
                <button type="submit">"Search"</button>
            </div>
        </form>
        <p class="search-count" aria-live="polite">
            {move || results.with(|r| search_count(&searched.get(), r))}
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
                    <nav class="pager search-pager" aria-label="Result pages">
                        {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>"← Previous page"</a> })}
                        {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>"Next page →"</a> })}
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
