//! The editor's operations, one function each. The form routes in
//! `handlers.rs`, the server functions in `api.rs` and the pages call
//! these; nothing else writes lesson files, tracks or revisions.
//!
//! Lesson files are written only by [`write_lesson`], with the check that
//! allows the write (the file's version, whether it exists) made under the
//! file's lock (`AppState::file_locks`): concurrent saves cannot both pass.

use serde::{Deserialize, Serialize};

use super::{
    db,
    fs::{atomic_write, content_hash, track_dir, LessonFile, PathError},
    model::{checked_title, template, EditorState, RevisionInfo, MAX_TEXT},
    publish,
    text::{check, diff_html, with_quiz, Checked},
    upload::stored_name,
};
use crate::{
    auth::model::User,
    common::{
        html::SafeHtml,
        slug::{ascii_slug, is_slug},
    },
    error::AppError,
    lessons::model::Problem,
    state::AppState,
};

/// What a post to a lesson's edit page comes to.
#[derive(Debug)]
pub enum EditOutcome {
    /// Written, recorded as a revision, and served to learners.
    Saved,
    /// The edit page again with the text as typed (never lost), and the
    /// reason when a save or an import was refused.
    Shown(EditorState, Option<AppError>),
}

/// Browsers send a textarea with CRLF line ends; lesson files keep LF.
fn lf(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Checks `text` as `lesson` against the content as it is now.
fn check_lesson(state: &AppState, lesson: &LessonFile, text: &str) -> Checked {
    check(
        &state.content.get(),
        state.content.root(),
        lesson.track(),
        lesson.slug(),
        text,
    )
}

/// The edit page's state for `text` typed on the version `base`, and
/// whether its problems would stop the file from loading.
fn checked_editor(
    state: &AppState,
    lesson: &LessonFile,
    text: String,
    base: String,
) -> (EditorState, bool) {
    let checked = check_lesson(state, lesson, &text);
    let editor = EditorState {
        text,
        base,
        preview: checked.preview,
        problems: checked.problems,
        ..Default::default()
    };
    (editor, checked.fatal)
}

/// The edit page of `track/slug` as the file is on disk: its text, the
/// hash a save is checked against, its problems and preview. `None` when
/// the path is refused or the file cannot be read (the page says "not
/// found").
pub fn open(state: &AppState, track: &str, slug: &str) -> Option<EditorState> {
    let lesson = LessonFile::find(state.content.root(), track, slug).ok()?;
    let text = match std::fs::read_to_string(lesson.path()) {
        Ok(text) => text,
        Err(e) => {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(error = %e, track, slug, "cannot read a lesson to edit");
            }
            return None;
        }
    };
    let base = content_hash(&text);
    Some(checked_editor(state, &lesson, text, base).0)
}

/// The live preview of `text` for the edit form at `action`
/// (`/editor/{track}/{lesson}`): the same checks and rendering as a save.
pub fn live_preview(state: &AppState, action: &str, text: &str) -> Result<Checked, AppError> {
    if text.len() > MAX_TEXT {
        return Err(AppError::BadRequest(
            "The text is too large (at most 1 MiB).".into(),
        ));
    }
    let parts: Vec<&str> = action.trim_matches('/').split('/').collect();
    let [_e @ "editor", track, slug] = parts.as_slice() else {
        return Err(AppError::BadRequest("Unknown lesson.".into()));
    };
    let lesson = LessonFile::find(state.content.root(), track, slug)?;
    Ok(check_lesson(state, &lesson, text))
}

/// The Preview button of the edit form: the text checked and rendered,
/// nothing written; each exercise's reference solution is also run against
/// its own check (what `academy check-content` does), which the live
/// preview skips to stay instant as one types.
pub async fn preview_edit(
    state: &AppState,
    lesson: &LessonFile,
    text: &str,
    base: String,
) -> EditOutcome {
    let text = lf(text);
    let (mut editor, _) = checked_editor(state, lesson, text.clone(), base);
    let source = format!("{}/{}.md", lesson.track(), lesson.slug());
    if let Ok(loaded) =
        crate::lessons::load::lesson_from_source(&text, lesson.track(), lesson.slug(), &source)
    {
        let store = state.content.get();
        for ex in &loaded.lesson.exercises {
            if let Err(message) =
                crate::labs::service::self_check(&store, &state.labs, &state.pool, ex).await
            {
                editor.problems.push(crate::lessons::model::Problem {
                    file: source.clone(),
                    line: ex.line,
                    message: format!("exercise `{}`: {message}", ex.id),
                });
            }
        }
    }
    EditOutcome::Shown(editor, None)
}

/// The Save button of the edit form: writes `text` over `lesson` unless
/// its problems would stop it from loading, or the file changed since the
/// form was opened on the version `base` (then the file as it is now and a
/// diff to it are shown, and nothing is overwritten).
pub async fn save_edit(
    state: &AppState,
    user: &User,
    lesson: &LessonFile,
    text: &str,
    base: String,
) -> EditOutcome {
    let (mut editor, fatal) = checked_editor(state, lesson, lf(text), base);
    if fatal {
        let err = AppError::BadRequest(
            "Not saved: fix the problems listed below first. Your text is kept.".into(),
        );
        return EditOutcome::Shown(editor, Some(err));
    }
    let on_disk = {
        // Held from the check until the save is recorded (but not while a
        // page renders): a second save opened from the same version waits
        // here, then finds the first one's file and conflicts.
        let _file = state.file_locks().lock(lesson.path()).await;
        let on_disk = std::fs::read_to_string(lesson.path()).unwrap_or_default();
        if content_hash(&on_disk) == editor.base {
            return match write_lesson(state, user, lesson, &editor.text).await {
                Ok(()) => EditOutcome::Saved,
                Err(e) => EditOutcome::Shown(editor, Some(e)),
            };
        }
        on_disk
    };
    let diff = diff_html(&on_disk, &editor.text);
    editor.conflict = Some((on_disk, diff));
    let err = AppError::Conflict(
        "Not saved: this lesson changed since you opened it (another save or an edit on disk). Both versions are below; nothing was overwritten.".into(),
    );
    EditOutcome::Shown(editor, Some(err))
}

/// Puts a pasted GIFT question bank into the quiz of the text in the
/// editor. Nothing is saved until the instructor saves; a bank with errors
/// changes nothing and its errors are listed by line.
pub fn import_gift(
    state: &AppState,
    lesson: &LessonFile,
    text: &str,
    base: String,
    gift: &str,
) -> EditOutcome {
    let gift = lf(gift);
    match crate::quiz::gift::parse_with_warnings(&gift) {
        Ok(parsed) => {
            let text = with_quiz(&lf(text), &gift);
            let (mut editor, _) = checked_editor(state, lesson, text, base);
            editor.message = Some(crate::t!(
                "editor-gift-imported",
                count = parsed.quiz.questions.len()
            ));
            // Weights Moodle would refuse are listed with the problems: the
            // quiz works here, but would not go back to Moodle as it is.
            editor
                .problems
                .extend(parsed.warnings.into_iter().map(|w| Problem {
                    file: "pasted GIFT".into(),
                    line: w.line,
                    message: format!("warning: {}", w.message),
                }));
            EditOutcome::Shown(editor, None)
        }
        Err(errors) => {
            let problems = errors
                .into_iter()
                .map(|e| Problem {
                    file: "pasted GIFT".into(),
                    line: e.line,
                    message: e.message,
                })
                .collect();
            let editor = EditorState {
                text: text.to_string(),
                base,
                problems,
                ..Default::default()
            };
            let err = AppError::BadRequest(
                "The question bank has errors (listed below); nothing was imported.".into(),
            );
            EditOutcome::Shown(editor, Some(err))
        }
    }
}

/// Creates a lesson in `track` from the template, as a draft. Its file
/// name is `slug`, or a slug of the title when that is empty.
pub async fn new_lesson(
    state: &AppState,
    user: &User,
    track: &str,
    title: &str,
    slug: &str,
) -> Result<LessonFile, AppError> {
    let title = checked_title(title, "lesson")?;
    let slug = match slug.trim() {
        "" => ascii_slug(title),
        typed => typed.to_string(),
    };
    let lesson = LessonFile::find(state.content.root(), track, &slug)?;
    // Two "new lesson" posts with one title: one creates, one conflicts.
    let _file = state.file_locks().lock(lesson.path()).await;
    if lesson.path().exists() {
        return Err(AppError::Conflict(crate::t!(
            "err-lesson-exists",
            slug = &slug
        )));
    }
    // Quotes and backslashes would need escaping in the front matter.
    let text = template(&format!("{track}-{slug}"), &title.replace(['"', '\\'], ""));
    write_lesson(state, user, &lesson, &text).await?;
    Ok(lesson)
}

/// Saves revision `id` of `lesson` as its newest version (a new revision;
/// the history is never rewritten), if it still loads.
pub async fn restore(
    state: &AppState,
    user: &User,
    lesson: &LessonFile,
    id: i64,
) -> Result<(), AppError> {
    let (body, _) = revision(state, lesson.track(), lesson.slug(), id).await?;
    if check_lesson(state, lesson, &body).fatal {
        return Err(AppError::BadRequest(
            "That revision no longer loads (for example, its id is now used by another lesson)."
                .into(),
        ));
    }
    let _file = state.file_locks().lock(lesson.path()).await;
    write_lesson(state, user, lesson, &body).await?;
    tracing::info!(user_id = user.id, revision = id, "revision restored");
    Ok(())
}

/// The one write of a lesson file: atomic, recorded as a revision by
/// `user`, then the content and the search index reloaded so that learners
/// see it at once. The caller holds the file's lock and has made the check
/// that allows the write under it.
async fn write_lesson(
    state: &AppState,
    user: &User,
    lesson: &LessonFile,
    text: &str,
) -> Result<(), AppError> {
    let (track, slug) = (lesson.track(), lesson.slug());
    atomic_write(lesson.path(), text.as_bytes())
        .map_err(|e| AppError::internal("cannot write the lesson file", e))?;
    db::add_revision(&state.pool, track, slug, user.id, &content_hash(text), text).await?;
    state.content.reload(&state.search).await;
    publish::published(
        state,
        user,
        &relative(state, lesson.path()),
        text.as_bytes(),
    )
    .await?;
    tracing::info!(
        user_id = user.id,
        track,
        slug,
        "lesson saved from the editor"
    );
    Ok(())
}

/// `path` relative to the content folder, as other instances write it.
fn relative(state: &AppState, path: &std::path::Path) -> String {
    let root = state.content.root();
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    path.strip_prefix(&root)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// Revision `id` of a lesson and the text of the one before it, or a 404.
async fn revision(
    state: &AppState,
    track: &str,
    slug: &str,
    id: i64,
) -> Result<(String, Option<String>), AppError> {
    db::revision_with_previous(&state.pool, track, slug, id)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such revision.".into()))
}

/// A lesson's revisions, newest first, and with `rev` (an id) that
/// revision's diff to the one before it.
pub async fn history(
    state: &AppState,
    track: &str,
    slug: &str,
    rev: &str,
) -> Result<(Vec<RevisionInfo>, Option<(i64, SafeHtml)>), AppError> {
    let list = db::revisions(&state.pool, track, slug).await?;
    let Ok(id) = rev.parse::<i64>() else {
        return Ok((list, None));
    };
    let (body, prev) = revision(state, track, slug, id).await?;
    let diff = diff_html(prev.as_deref().unwrap_or(""), &body);
    Ok((list, Some((id, diff))))
}

/// A track's `track.toml`, as the content loader reads it.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct TrackToml {
    title: String,
    summary: String,
    order: u32,
}

impl TrackToml {
    /// The file's text, written by the toml crate (which picks the quoting:
    /// a title with `"` becomes a literal `'…'` string); control characters
    /// are dropped first, as a title cannot usefully hold them.
    fn to_toml(&self) -> Result<String, AppError> {
        let plain = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>();
        let clean = TrackToml {
            title: plain(&self.title),
            summary: plain(&self.summary),
            order: self.order,
        };
        toml::to_string(&clean).map_err(|e| AppError::internal("cannot write track.toml", e))
    }
}

/// Creates the track folder `slug` with its `track.toml` (placed last in
/// the list until someone edits its `order`).
pub async fn new_track(
    state: &AppState,
    user: &User,
    slug: &str,
    title: &str,
) -> Result<(), AppError> {
    if !is_slug(slug) {
        return Err(PathError::BadName.into());
    }
    let title = checked_title(title, "track")?;
    let root = state
        .content
        .root()
        .canonicalize()
        .map_err(|e| AppError::internal("content root", e))?;
    let dir = root.join(slug);
    // Creating the folder is the check: of two posts, one gets "exists".
    if let Err(e) = std::fs::create_dir(&dir) {
        return Err(if e.kind() == std::io::ErrorKind::AlreadyExists {
            AppError::Conflict(crate::t!("err-track-exists", slug = slug))
        } else {
            AppError::internal("cannot create the track", e)
        });
    }
    let toml = TrackToml {
        title: title.to_string(),
        summary: String::new(),
        order: 99,
    };
    atomic_write(&dir.join("track.toml"), toml.to_toml()?.as_bytes())
        .map_err(|e| AppError::internal("cannot write track.toml", e))?;
    state.content.reload(&state.search).await;
    publish::published(
        state,
        user,
        &format!("{slug}/track.toml"),
        toml.to_toml()?.as_bytes(),
    )
    .await?;
    tracing::info!(user_id = user.id, track = slug, "track created");
    Ok(())
}

/// Stores an uploaded image in `track`'s folder, under the name
/// [`stored_name`] gives it, and returns that name.
pub async fn upload_image(
    state: &AppState,
    user: &User,
    track: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<String, AppError> {
    let dir = track_dir(state.content.root(), track)?;
    let name = stored_name(file_name, bytes)?;
    atomic_write(&dir.join(&name), bytes)
        .map_err(|e| AppError::internal("cannot store the image", e))?;
    publish::published(state, user, &relative(state, &dir.join(&name)), bytes).await?;
    tracing::info!(user_id = user.id, track, file = %name, bytes = bytes.len(), "image uploaded");
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn track_toml_reads_back_as_written() {
        let toml = |title: &str| TrackToml {
            title: title.into(),
            summary: String::new(),
            order: 99,
        };
        for title in [
            "plain",
            "it's \"x\"",
            "a \\ b",
            "tab\there",
            "Überblick ≠ 403",
            "del\u{7f}",
        ] {
            let read: TrackToml = toml::from_str(&toml(title).to_toml().unwrap()).unwrap();
            let plain: String = title.chars().filter(|c| !c.is_control()).collect();
            assert_eq!(read, toml(&plain), "{title}");
        }
    }
}
