//! `/editor`, `/editor/{track}/{lesson}` and its history. Plain forms
//! (Preview and Save buttons) without JavaScript; with it, the preview
//! follows the text as you type (the server renders it: no second
//! markdown renderer in the WASM bundle).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    model::{EditorState, FileEntry, RevisionInfo},
    views::ProblemList,
};
use crate::{
    auth::session::Access,
    i18n::Lang,
    lessons::current_store,
    t,
    ui::{form::FormError, not_found::page_user},
};

/// Instructors and admins only; visitors go to sign in.
fn require_teacher(back: &str) -> Result<(), AnyView> {
    page_user(Access::Teacher, back).map(|_| ())
}

/// Every track and lesson, drafts and broken files included.
pub fn file_entries() -> Vec<(String, String, Vec<FileEntry>)> {
    let Some(store) = current_store() else {
        return vec![];
    };
    let mut tracks: Vec<(String, String, Vec<FileEntry>)> = store
        .tracks
        .iter()
        .map(|t| (t.slug.clone(), t.title.clone(), vec![]))
        .collect();
    let problems_of = |source: &str| -> Vec<String> {
        store
            .problems
            .iter()
            .filter(|p| p.file == source)
            .map(|p| p.to_string())
            .collect()
    };
    for l in store.lessons.values() {
        if let Some(t) = tracks.iter_mut().find(|t| t.0 == l.meta.track) {
            t.2.push(FileEntry {
                track: l.meta.track.clone(),
                slug: l.meta.slug.clone(),
                title: l.meta.title.clone(),
                draft: l.meta.draft,
                problems: problems_of(&l.source),
            });
        }
    }
    // Files that do not load at all appear only in the problem list.
    for p in &store.problems {
        let Some((track, file)) = p.file.split_once('/') else {
            continue;
        };
        let Some(slug) = file.strip_suffix(".md") else {
            continue;
        };
        if store.lesson(track, slug).is_some() {
            continue;
        }
        if let Some(t) = tracks.iter_mut().find(|t| t.0 == track) {
            if !t.2.iter().any(|e| e.slug == slug) {
                t.2.push(FileEntry {
                    track: track.into(),
                    slug: slug.into(),
                    title: t!("editor-file-broken", file = format!("{slug}.md")),
                    draft: false,
                    problems: problems_of(&p.file),
                });
            }
        }
    }
    for t in &mut tracks {
        t.2.sort_by(|a, b| a.slug.cmp(&b.slug));
    }
    tracks
}

#[component]
pub fn EditorIndex() -> impl IntoView {
    if let Err(v) = require_teacher("/editor") {
        return v;
    }
    let tracks = file_entries();
    let done = use_query_map().with_untracked(|q| q.get("done"));
    view! {
        <Title text=t!("editor-title") />
        <h1>{t!("editor-heading")}</h1>
        {(done.as_deref() == Some("track")).then(|| view! { <p class="notice" role="status">{t!("editor-track-created")}</p> })}
        <FormError />
        <p>{t!("editor-intro")}</p>
        {tracks.iter().map(|(slug, title, files)| view! {
            <section class="editor-track">
                <h2>{title.clone()} " " <code>{slug.clone()}</code></h2>
                <ul class="editor-files">
                    {files.iter().map(|f| view! {
                        <li>
                            <a href=format!("/editor/{}/{}", f.track, f.slug)>{f.title.clone()}</a>
                            {f.draft.then(|| view! { <span class="badge">{t!("editor-draft")}</span> })}
                            {(!f.problems.is_empty()).then(|| view! {
                                <ul class="problems">{f.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }).collect_view()}
        <h2>{t!("editor-new-lesson")}</h2>
        <form method="post" action="/editor/_new" class="stack-form">
            <label for="new-track">{t!("editor-track")}</label>
            <select id="new-track" name="track">
                {tracks.iter().map(|(slug, title, _)| view! { <option value=slug.clone()>{title.clone()}</option> }).collect_view()}
            </select>
            <label for="new-title">{t!("editor-field-title")}</label>
            <input id="new-title" name="title" type="text" required maxlength="120" />
            <label for="new-slug">{t!("editor-file-name")}" "<span class="help">{t!("editor-file-name-help")}</span></label>
            <input id="new-slug" name="slug" type="text" pattern="[a-z0-9][a-z0-9-]{0,63}" />
            <button class="primary" type="submit">{t!("editor-create-lesson")}</button>
        </form>
        <h2>{t!("editor-new-track")}</h2>
        <form method="post" action="/editor/_tracks" class="stack-form">
            <label for="track-slug">{t!("editor-folder-name")}</label>
            <input id="track-slug" name="slug" type="text" required pattern="[a-z0-9][a-z0-9-]{0,63}" />
            <label for="track-title">{t!("editor-field-title")}</label>
            <input id="track-title" name="title" type="text" required maxlength="120" />
            <button type="submit">{t!("editor-create-track")}</button>
        </form>
    }
    .into_any()
}

/// The edit page's state from the file on disk (server only; `None` when
/// there is no such lesson file).
fn opened(track: &str, slug: &str) -> Option<EditorState> {
    #[cfg(feature = "ssr")]
    {
        let state = crate::state::app_state().ok()?;
        super::service::open(&state, track, slug)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = (track, slug);
        None
    }
}

/// The lesson a page under `/editor/{track}/{lesson}` is about, for
/// instructors and admins only (`tail`: the rest of the page's address, to
/// come back to after signing in).
fn lesson_params(tail: &str) -> Result<(String, String), AnyView> {
    let (track, slug) = use_params_map().with_untracked(|p| {
        (
            p.get("track").unwrap_or_default(),
            p.get("lesson").unwrap_or_default(),
        )
    });
    require_teacher(&format!("/editor/{track}/{slug}{tail}"))?;
    Ok((track, slug))
}

#[component]
pub fn EditPage() -> impl IntoView {
    let (track, slug) = match lesson_params("") {
        Ok(lesson) => lesson,
        Err(v) => return v,
    };
    // A form that came back shows what was typed; else the file on disk.
    let Some(editor) = use_context::<EditorState>().or_else(|| opened(&track, &slug)) else {
        return view! { <crate::ui::not_found::NotFound /> }.into_any();
    };
    let q = use_query_map();
    let saved = q.with_untracked(|q| q.get("saved"));
    let image = q.with_untracked(|q| q.get("image")).filter(|i| {
        i.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    });
    let action = format!("/editor/{track}/{slug}");
    let lesson_href = format!("/lessons/{track}/{slug}");
    // After a conflict the next save is based on the file as it is now.
    let form_base = editor
        .conflict
        .as_ref()
        .map(|(t, _)| hash_of(t))
        .unwrap_or(editor.base.clone());
    let form_text = editor.text.clone();
    let form_action = action.clone();
    view! {
        <Title text=t!("editor-edit-title", path = format!("{track}/{slug}")) />
        <nav class="breadcrumbs" aria-label=t!("editor-breadcrumb")><ol>
            <li><a href="/editor">{t!("editor-title")}</a></li>
            <li aria-current="page">{format!("{track}/{slug}.md")}</li>
        </ol></nav>
        <h1>{t!("editor-edit-title", path = format!("{track}/{slug}.md"))}</h1>
        <p><a href=lesson_href>{t!("editor-view-lesson")}</a>" · "<a href=format!("{action}/history")>{t!("editor-history")}</a></p>
        {saved.map(|s| view! { <p class="notice" role="status">{if s == "restored" { t!("editor-restored") } else { t!("editor-saved") }}</p> })}
        {image.map(|i| view! { <p class="notice" role="status">{t!("editor-image-uploaded")}" "<code>{format!("![{}]({i})", t!("editor-image-alt"))}</code></p> })}
        {editor.message.clone().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        <FormError />
        {editor.conflict.clone().map(|(theirs, diff)| view! {
            <section class="conflict" aria-labelledby="conflict-h">
                <h2 id="conflict-h">{t!("editor-conflict-heading")}</h2>
                <p>{t!("editor-conflict-text")}</p>
                <textarea class="source" readonly rows="12" aria-label=t!("editor-conflict-current")>{theirs}</textarea>
                <h3>{t!("editor-conflict-changes")}</h3>
                <div inner_html=diff.as_str().to_string()></div>
            </section>
        })}
        <div class="editor-grid">
            <EditorLive action=action.clone()>
                <form method="post" action=form_action class="editor-form" id="editor-form">
                    <input type="hidden" name="base" value=form_base />
                    <label for="text">{t!("editor-text-label")}</label>
                    <textarea id="text" name="text" class="source" rows="30" spellcheck="true">{form_text}</textarea>
                    <p class="form-actions">
                        <button type="submit" name="action" value="preview">{t!("editor-preview")}</button>
                        " "
                        <button class="primary" type="submit" name="action" value="save">{t!("editor-save")}</button>
                    </p>
                </form>
            </EditorLive>
            <section class="preview-pane" aria-labelledby="preview-h">
                <h2 id="preview-h">{t!("editor-preview")}</h2>
                <div id="editor-problems"><ProblemList problems=editor.problems.clone() /></div>
                <div id="editor-preview" class="lesson-body" inner_html=editor.preview.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default()></div>
            </section>
        </div>
        <details class="tools">
            <summary>{t!("editor-gift-summary")}</summary>
            <form method="post" action=format!("{action}/gift") class="stack-form">
                <input type="hidden" name="base" value=editor.base.clone() />
                <input type="hidden" name="text" value=editor.text.clone() />
                <label for="gift">{t!("editor-gift-label")}</label>
                <textarea id="gift" name="gift" class="source" rows="8"></textarea>
                <button type="submit">{t!("editor-gift-import")}</button>
            </form>
        </details>
        <details class="tools">
            <summary>{t!("editor-upload-summary")}</summary>
            <form method="post" action=format!("/editor/{track}/_images") enctype="multipart/form-data" class="stack-form">
                <input type="hidden" name="return" value=action.clone() />
                <label for="file">{t!("editor-upload-label")}</label>
                <input id="file" name="file" type="file" accept="image/png,image/jpeg,image/webp,image/gif" required />
                <button type="submit">{t!("editor-upload")}</button>
            </form>
        </details>
    }
    .into_any()
}

fn hash_of(text: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        super::fs::content_hash(text)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = text;
        String::new()
    }
}

/// Live preview: debounced, rendered by the server function.
#[island]
pub fn EditorLive(action: String, children: Children) -> impl IntoView {
    #[allow(unused_variables)]
    let on_input = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        live::schedule(action.clone(), event_target_value(&ev));
        #[cfg(not(feature = "hydrate"))]
        let _ = &action;
    };
    view! { <div class="editor-live" on:input=on_input>{children()}</div> }
}

#[cfg(feature = "hydrate")]
mod live {
    use leptos::prelude::*;
    use std::time::Duration;

    thread_local! {
        static PENDING: std::cell::Cell<Option<TimeoutHandle>> = const { std::cell::Cell::new(None) };
    }

    pub fn schedule(action: String, text: String) {
        if let Some(h) = PENDING.with(|p| p.take()) {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    if let Ok(p) = super::super::api::editor_preview(action, text).await {
                        if let Some(el) = document().get_element_by_id("editor-preview") {
                            el.set_inner_html(&p.html);
                        }
                        if let Some(el) = document().get_element_by_id("editor-problems") {
                            el.set_inner_html(&p.problems_html);
                        }
                    }
                });
            },
            Duration::from_millis(300),
        );
        if let Ok(h) = handle {
            PENDING.with(|p| p.set(Some(h)));
        }
    }
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let (track, slug) = match lesson_params("/history") {
        Ok(lesson) => lesson,
        Err(v) => return v,
    };
    let rev = use_query_map().with_untracked(|q| q.get("rev").unwrap_or_default());
    let (t, s) = (track.clone(), slug.clone());
    let data = Resource::new_blocking(
        move || (t.clone(), s.clone(), rev.clone()),
        |(t, s, r)| super::api::lesson_history(t, s, r),
    );
    let base = format!("/editor/{track}/{slug}");
    let loading = t!("editor-loading");
    view! {
        <Title text=t!("editor-history-title", path = format!("{track}/{slug}")) />
        <nav class="breadcrumbs" aria-label=t!("editor-breadcrumb")><ol>
            <li><a href="/editor">{t!("editor-title")}</a></li>
            <li><a href=base.clone()>{format!("{track}/{slug}.md")}</a></li>
            <li aria-current="page">{t!("editor-history")}</li>
        </ol></nav>
        <h1>{t!("editor-history-title", path = format!("{track}/{slug}.md"))}</h1>
        <FormError />
        <Suspense fallback=move || view! { <p>{loading.clone()}</p> }>
            {move || {
                let base = base.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok((list, diff)) => view! {
                            {diff.map(|(id, d)| view! {
                                <section aria-labelledby="diff-h">
                                    <h2 id="diff-h">{t!("editor-revision-diff", id = id.to_string())}</h2>
                                    <div inner_html=d.as_str().to_string()></div>
                                    <form method="post" action=format!("{base}/restore") class="inline-form">
                                        <input type="hidden" name="revision" value=id.to_string() />
                                        <button class="primary" type="submit">{t!("editor-restore", id = id.to_string())}</button>
                                    </form>
                                </section>
                            })}
                            <RevisionTable list base=base.clone() />
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
    .into_any()
}

/// When a revision was saved: `2026-12-01 14:05:09` in English (as the
/// database has it, without the `T` and `Z`), the language's form else.
fn when(iso: &str) -> String {
    match Lang::current() {
        Lang::En => iso.replace('T', " ").replace('Z', ""),
        lang => lang.when(iso),
    }
}

#[component]
fn RevisionTable(list: Vec<RevisionInfo>, base: String) -> impl IntoView {
    if list.is_empty() {
        return view! { <p>{t!("editor-no-revisions")}</p> }.into_any();
    }
    view! {
        <table class="scores">
            <thead><tr><th scope="col">{t!("editor-col-revision")}</th><th scope="col">{t!("editor-col-when")}</th><th scope="col">{t!("editor-col-by")}</th><th scope="col">{t!("editor-col-hash")}</th></tr></thead>
            <tbody>
                {list.into_iter().map(|r| view! {
                    <tr>
                        <td><a href=format!("{base}/history?rev={}", r.id)>{format!("#{}", r.id)}</a></td>
                        <td>{when(&r.created_at)}</td>
                        <td>{r.author.clone()}</td>
                        <td><code>{r.hash[..8.min(r.hash.len())].to_string()}</code></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
