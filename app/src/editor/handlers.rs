//! Form posts of the editor. Only instructors and admins; every path is
//! checked (slugs, canonical path inside the content root, no symlinks);
//! saves are atomic, recorded as revisions, and refused on conflict. Each
//! check of a file and the write it allows run under that file's lock
//! (`AppState::file_locks`), so concurrent saves cannot both pass a check.

use axum::{
    extract::{Multipart, Path, Request, State},
    http::request::Parts,
    response::Response,
};
use leptos::prelude::provide_context;
use serde::Deserialize;

use super::{
    db,
    fs::{atomic_write, bytes_hash, content_hash, lesson_path, track_dir, PathError},
    model::{template, EditorState, MAX_TEXT},
    service::{check, diff_html, with_quiz},
};
use crate::{
    auth::{model::User, session::server::user_of},
    error::AppError,
    state::AppState,
    ui::form::{
        server::{read_form, refuse, render_with_context, see_other},
        FormFeedback,
    },
};

/// Largest lesson file accepted (1 MiB of markdown is a book chapter).
/// Largest image accepted.
pub const MAX_IMAGE: usize = 2 * 1024 * 1024;

fn teacher(parts: &Parts) -> Result<User, AppError> {
    let user = user_of(parts).ok_or(AppError::Unauthorized)?;
    if user.role.can_teach() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

impl From<PathError> for AppError {
    fn from(e: PathError) -> Self {
        match e {
            PathError::NoTrack => AppError::NotFound(e.to_string()),
            _ => AppError::BadRequest(e.to_string()),
        }
    }
}

async fn body_form<T: serde::de::DeserializeOwned>(
    req: Request,
    limit: usize,
) -> (Parts, Result<T, AppError>) {
    read_form(req, limit, "The text is too large (at most 1 MiB).").await
}

async fn fail(state: &AppState, parts: Parts, page: &str, err: AppError) -> Response {
    if matches!(err, AppError::Unauthorized) {
        return see_other(&format!("/login?next={page}"));
    }
    refuse(state, parts, page, err, Default::default()).await
}

async fn show(
    state: &AppState,
    parts: Parts,
    page: &str,
    editor: EditorState,
    status: Option<AppError>,
) -> Response {
    let fb = status.map(|e| FormFeedback::from_error(&e, Default::default()));
    render_with_context(state, parts, page, move || {
        provide_context(editor.clone());
        if let Some(fb) = fb.clone() {
            provide_context(fb);
        }
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    pub text: String,
    #[serde(default)]
    pub base: String,
    /// `preview` or `save`.
    #[serde(default)]
    pub action: String,
}

/// `POST /editor/{track}/{lesson}`: preview or save.
pub async fn edit(
    State(state): State<AppState>,
    Path((track, slug)): Path<(String, String)>,
    req: Request,
) -> Response {
    let page = format!("/editor/{track}/{slug}");
    let (parts, form) = body_form::<EditForm>(req, MAX_TEXT + 64 * 1024).await;
    let user = match teacher(&parts) {
        Ok(u) => u,
        Err(e) => return fail(&state, parts, &page, e).await,
    };
    let path = match lesson_path(state.content.root(), &track, &slug) {
        Ok(p) => p,
        // Never render a page at an address built from a refused path.
        Err(e) => return fail(&state, parts, "/editor", e.into()).await,
    };
    let form = match form {
        Ok(f) => f,
        Err(e) => return fail(&state, parts, &page, e).await,
    };
    let text = form.text.replace("\r\n", "\n");
    let store = state.content.get();
    let checked = check(&store, state.content.root(), &track, &slug, &text);
    let mut editor = EditorState {
        text: text.clone(),
        base: form.base.clone(),
        preview: checked.preview.clone(),
        problems: checked.problems.clone(),
        conflict: None,
        message: None,
    };
    if form.action != "save" {
        return show(&state, parts, &page, editor, None).await;
    }
    if checked.fatal {
        let err = AppError::BadRequest(
            "Not saved: fix the problems listed below first. Your text is kept.".into(),
        );
        return show(&state, parts, &page, editor, Some(err)).await;
    }
    let outcome = {
        // Held from the check until the save is recorded (but not while a
        // page renders): a second save opened from the same version waits
        // here, then finds the first one's file and conflicts.
        let _file = state.file_locks().lock(&path).await;
        // Conflict: the file changed since this form was opened.
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        if content_hash(&on_disk) != form.base {
            Err(Refused::Conflict(on_disk))
        } else {
            save(&state, &user, &track, &slug, &path, &text)
                .await
                .map_err(Refused::Failed)
        }
    };
    match outcome {
        Ok(()) => see_other(&format!("{page}?saved=1")),
        Err(Refused::Conflict(on_disk)) => {
            editor.conflict = Some((on_disk.clone(), diff_html(&on_disk, &text)));
            let err = AppError::Conflict(
                "Not saved: this lesson changed since you opened it (another save or an edit on disk). Both versions are below; nothing was overwritten.".into(),
            );
            show(&state, parts, &page, editor, Some(err)).await
        }
        Err(Refused::Failed(e)) => show(&state, parts, &page, editor, Some(e)).await,
    }
}

/// Why a save did not happen.
enum Refused {
    /// The file on disk (its text) is not the version the form was opened on.
    Conflict(String),
    Failed(AppError),
}

/// Writes the file, records the revision, reloads content and search.
async fn save(
    state: &AppState,
    user: &User,
    track: &str,
    slug: &str,
    path: &std::path::Path,
    text: &str,
) -> Result<(), AppError> {
    atomic_write(path, text.as_bytes())
        .map_err(|e| AppError::internal("cannot write the lesson file", e))?;
    db::add_revision(&state.pool, track, slug, user.id, &content_hash(text), text).await?;
    state.content.reload(&state.pool).await;
    tracing::info!(
        user_id = user.id,
        track,
        slug,
        "lesson saved from the editor"
    );
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct NewLessonForm {
    pub track: String,
    pub title: String,
    #[serde(default)]
    pub slug: String,
}

/// `POST /editor/_new`: a lesson from the template.
pub async fn new_lesson(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = body_form::<NewLessonForm>(req, 64 * 1024).await;
    let result = async {
        let user = teacher(&parts)?;
        let form = form?;
        let title = form.title.trim();
        if title.is_empty() || title.chars().count() > 120 || title.contains(['\n', '\r']) {
            return Err(AppError::BadRequest(
                "Give the lesson a title of 1 to 120 characters.".into(),
            ));
        }
        let slug = if form.slug.trim().is_empty() {
            crate::common::slug::ascii_slug(title)
        } else {
            form.slug.trim().to_string()
        };
        let path = lesson_path(state.content.root(), &form.track, &slug)?;
        // Two "new lesson" posts with one title: one creates, one conflicts.
        let _file = state.file_locks().lock(&path).await;
        if path.exists() {
            return Err(AppError::Conflict(format!(
                "A lesson named `{slug}` already exists in this track."
            )));
        }
        let id = format!("{}-{slug}", form.track);
        let text = template(&id, &title.replace(['"', '\\'], ""));
        save(&state, &user, &form.track, &slug, &path, &text).await?;
        Ok(format!("/editor/{}/{slug}", form.track))
    }
    .await;
    match result {
        Ok(url) => see_other(&url),
        Err(e) => fail(&state, parts, "/editor", e).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct NewTrackForm {
    pub slug: String,
    pub title: String,
}

/// `POST /editor/_tracks`: a new track folder with its `track.toml`.
pub async fn new_track(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = body_form::<NewTrackForm>(req, 64 * 1024).await;
    let result = async {
        teacher(&parts)?;
        let form = form?;
        if !crate::common::slug::is_slug(&form.slug) {
            return Err(PathError::BadName.into());
        }
        let title = form.title.trim();
        if title.is_empty() || title.chars().count() > 120 {
            return Err(AppError::BadRequest(
                "Give the track a title of 1 to 120 characters.".into(),
            ));
        }
        let root = state
            .content
            .root()
            .canonicalize()
            .map_err(|e| AppError::internal("content root", e))?;
        let dir = root.join(&form.slug);
        if dir.exists() {
            return Err(AppError::Conflict(format!(
                "A track named `{}` already exists.",
                form.slug
            )));
        }
        std::fs::create_dir(&dir).map_err(|e| AppError::internal("cannot create the track", e))?;
        let toml = format!(
            "title = {}\nsummary = \"\"\norder = 99\n",
            toml_string(title)
        );
        atomic_write(&dir.join("track.toml"), toml.as_bytes())
            .map_err(|e| AppError::internal("cannot write track.toml", e))?;
        state.content.reload(&state.pool).await;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => see_other("/editor?done=track"),
        Err(e) => fail(&state, parts, "/editor", e).await,
    }
}

fn toml_string(s: &str) -> String {
    let escaped: String = s
        .chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

#[derive(Debug, Deserialize)]
pub struct RestoreForm {
    pub revision: i64,
}

/// `POST /editor/{track}/{lesson}/restore`: saves an old revision as new.
pub async fn restore(
    State(state): State<AppState>,
    Path((track, slug)): Path<(String, String)>,
    req: Request,
) -> Response {
    let page = if crate::common::slug::is_slug(&track) && crate::common::slug::is_slug(&slug) {
        format!("/editor/{track}/{slug}/history")
    } else {
        "/editor".to_string()
    };
    let (parts, form) = body_form::<RestoreForm>(req, 4096).await;
    let result = async {
        let user = teacher(&parts)?;
        let path = lesson_path(state.content.root(), &track, &slug)?;
        let form = form?;
        let (body, _) = db::revision_with_previous(&state.pool, &track, &slug, form.revision)
            .await?
            .ok_or_else(|| AppError::NotFound("There is no such revision.".into()))?;
        let store = state.content.get();
        if check(&store, state.content.root(), &track, &slug, &body).fatal {
            return Err(AppError::BadRequest("That revision no longer loads (for example, its id is now used by another lesson).".into()));
        }
        let _file = state.file_locks().lock(&path).await;
        save(&state, &user, &track, &slug, &path, &body).await
    }
    .await;
    match result {
        Ok(()) => see_other(&format!("/editor/{track}/{slug}?saved=restored")),
        Err(e) => fail(&state, parts, &page, e).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct GiftForm {
    pub text: String,
    pub base: String,
    pub gift: String,
}

/// `POST /editor/{track}/{lesson}/gift`: puts a pasted GIFT bank into the
/// lesson's quiz in the editor (not saved until the instructor saves).
pub async fn import_gift(
    State(state): State<AppState>,
    Path((track, slug)): Path<(String, String)>,
    req: Request,
) -> Response {
    let page = format!("/editor/{track}/{slug}");
    let (parts, form) = body_form::<GiftForm>(req, MAX_TEXT * 2).await;
    if let Err(e) = teacher(&parts) {
        return fail(&state, parts, &page, e).await;
    }
    if let Err(e) = lesson_path(state.content.root(), &track, &slug) {
        return fail(&state, parts, "/editor", e.into()).await;
    }
    let form = match form {
        Ok(f) => f,
        Err(e) => return fail(&state, parts, &page, e).await,
    };
    let gift = form.gift.replace("\r\n", "\n");
    match crate::quiz::gift::parse(&gift) {
        Ok(quiz) => {
            let text = with_quiz(&form.text.replace("\r\n", "\n"), &gift);
            let store = state.content.get();
            let checked = check(&store, state.content.root(), &track, &slug, &text);
            let editor = EditorState {
                text,
                base: form.base,
                preview: checked.preview,
                problems: checked.problems,
                conflict: None,
                message: Some(format!(
                    "{} questions imported into the quiz. Review them, then save.",
                    quiz.questions.len()
                )),
            };
            show(&state, parts, &page, editor, None).await
        }
        Err(errors) => {
            let problems = errors
                .into_iter()
                .map(|e| crate::lessons::model::Problem {
                    file: "pasted GIFT".into(),
                    line: e.line,
                    message: e.message,
                })
                .collect();
            let editor = EditorState {
                text: form.text,
                base: form.base,
                preview: None,
                problems,
                conflict: None,
                message: None,
            };
            let err = AppError::BadRequest(
                "The question bank has errors (listed below); nothing was imported.".into(),
            );
            show(&state, parts, &page, editor, Some(err)).await
        }
    }
}

/// The image type from the file's first bytes, never from its name.
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// `POST /editor/{track}/_images` (multipart: `file`, `return`): stores an
/// image next to the track's lessons under a safe name.
pub async fn upload_image(
    State(state): State<AppState>,
    Path(track): Path<String>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let page = "/editor".to_string();
    let result = async {
        teacher(&parts)?;
        let dir = track_dir(state.content.root(), &track)?;
        let req = Request::from_parts(parts.clone(), body);
        let mut multipart = <Multipart as axum::extract::FromRequest<()>>::from_request(req, &())
            .await
            .map_err(|_| AppError::BadRequest("Send the image as a file upload form.".into()))?;
        let mut file: Option<(String, Vec<u8>)> = None;
        let mut back = String::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|_| AppError::BadRequest("The upload was cut off or is larger than 2 MB.".into()))?
        {
            match field.name() {
                Some("file") => {
                    let name = field.file_name().unwrap_or("image").to_string();
                    let bytes = field
                        .bytes()
                        .await
                        .map_err(|_| AppError::BadRequest("The upload was cut off or is larger than 2 MB.".into()))?;
                    file = Some((name, bytes.to_vec()));
                }
                Some("return") => back = field.text().await.unwrap_or_default(),
                _ => {}
            }
        }
        let (name, bytes) = file.ok_or_else(|| AppError::BadRequest("Choose an image file to upload.".into()))?;
        if bytes.len() > MAX_IMAGE {
            return Err(AppError::BadRequest("Images may be at most 2 MB.".into()));
        }
        let ext = sniff_image(&bytes).ok_or_else(|| AppError::BadRequest("Only PNG, JPEG, WebP and GIF images are accepted (checked from the file's content).".into()))?;
        let stem = crate::common::slug::ascii_slug(std::path::Path::new(&name).file_stem().and_then(|s| s.to_str()).unwrap_or("image"));
        let stem = if stem.is_empty() { "image".to_string() } else { stem.chars().take(40).collect() };
        // Named by the hash of the bytes (64 bits of it, too many to forge a
        // second image with the same name): the same image twice is one
        // file, two different images are two files.
        let safe = format!("{stem}-{}.{ext}", &bytes_hash(&bytes)[..16]);
        atomic_write(&dir.join(&safe), &bytes).map_err(|e| AppError::internal("cannot store the image", e))?;
        tracing::info!(track, file = %safe, bytes = bytes.len(), "image uploaded");
        let back = if back.starts_with(&format!("/editor/{track}/")) { back } else { "/editor".to_string() };
        Ok(format!("{back}?image={safe}"))
    }
    .await;
    match result {
        Ok(url) => see_other(&url),
        Err(e) => fail(&state, parts, &page, e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(sniff_image(b"GIF89a..."), Some("gif"));
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some("webp"));
        assert_eq!(sniff_image(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff_image(b"<?php"), None);
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
    }
}
