//! The editor's form routes, each a few lines over `service`. Creating a
//! lesson or a track and restoring a revision go through [`FormRoute`]; the
//! edit form and the GIFT import answer with the edit page itself (what was
//! typed, in an [`EditorState`] context), and the image upload is a
//! multipart form. All of them are for instructors and admins
//! ([`Access::Teacher`]).

use axum::{
    extract::{FromRef, FromRequest, FromRequestParts, Path, Request, State},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use leptos::prelude::provide_context;
use serde::{de::DeserializeOwned, Deserialize};

use super::{
    fs::LessonFile,
    model::{EditorState, MAX_TEXT},
    service::{self, EditOutcome},
    upload::ImageUpload,
};
use crate::{
    auth::{
        model::User,
        session::{server::user_of, Access},
    },
    common::slug::is_slug,
    error::AppError,
    state::AppState,
    ui::form::{
        server::{read_form, refuse, render_with_context, see_other, FormRoute},
        FormFeedback,
    },
};

/// The edit page's form (its Preview and Save buttons).
#[derive(Debug, Deserialize)]
pub struct EditForm {
    pub text: String,
    #[serde(default)]
    pub base: String,
    /// `preview` or `save`.
    #[serde(default)]
    pub action: String,
}

/// The GIFT import form: the text in the editor comes along, so it is kept.
#[derive(Debug, Deserialize)]
pub struct GiftForm {
    pub text: String,
    pub base: String,
    pub gift: String,
}

/// `slug` may be empty: then it is made from the title.
#[derive(Debug, Deserialize)]
pub struct NewLessonForm {
    pub track: String,
    pub title: String,
    #[serde(default)]
    pub slug: String,
}

/// `slug` names the track's folder.
#[derive(Debug, Deserialize)]
pub struct NewTrackForm {
    pub slug: String,
    pub title: String,
}

/// A revision's id, from the history page.
#[derive(Debug, Deserialize)]
pub struct RestoreForm {
    pub revision: i64,
}

/// The editor's address of a lesson, followed by `tail`; the editor's index
/// when the names are not slugs: a page is never rendered at an address
/// built from a refused path.
fn page_of(track: &str, slug: &str, tail: &str) -> String {
    if is_slug(track) && is_slug(slug) {
        format!("/editor/{track}/{slug}{tail}")
    } else {
        "/editor".to_string()
    }
}

/// Renders the edit page at `page` with `editor` (and `reason`, why a
/// save or an import did not happen) instead of the file on disk.
async fn show(
    state: &AppState,
    parts: Parts,
    page: &str,
    editor: EditorState,
    reason: Option<AppError>,
) -> Response {
    let fb = reason.map(|e| FormFeedback::from_error(&e, Default::default()));
    render_with_context(state, parts, page, move || {
        provide_context(editor.clone());
        if let Some(fb) = fb.clone() {
            provide_context(fb);
        }
    })
    .await
}

/// A form of the edit page, and the largest body it may have.
pub trait EditPageForm: DeserializeOwned + Send {
    const LIMIT: usize;
}

impl EditPageForm for EditForm {
    /// The text and a little room for the other fields.
    const LIMIT: usize = MAX_TEXT + 64 * 1024;
}

impl EditPageForm for GiftForm {
    /// The text and the bank.
    const LIMIT: usize = MAX_TEXT * 2;
}

/// A post to a lesson's edit page (`/editor/{track}/{lesson}` and below)
/// that passed the checks: the caller teaches, the lesson's path is safe,
/// the form `F` was read. A post that fails one is answered as the form
/// routes answer (that answer is the extractor's rejection).
pub struct EditPost<F> {
    state: AppState,
    parts: Parts,
    page: String,
    user: User,
    lesson: LessonFile,
    form: F,
}

impl<S, F> FromRequest<S> for EditPost<F>
where
    S: Send + Sync,
    AppState: FromRef<S>,
    F: EditPageForm,
{
    type Rejection = Response;

    async fn from_request(req: Request, s: &S) -> Result<Self, Response> {
        let state = AppState::from_ref(s);
        let (mut parts, form) =
            read_form::<F>(req, F::LIMIT, "The text is too large (at most 1 MiB).").await;
        let Path((track, slug)) = Path::<(String, String)>::from_request_parts(&mut parts, s)
            .await
            .map_err(IntoResponse::into_response)?;
        let page = page_of(&track, &slug, "");
        let user = match Access::Teacher.check(user_of(&parts)) {
            Ok(user) => user,
            Err(e) => return Err(refuse(&state, parts, &page, e, Default::default()).await),
        };
        let lesson = match LessonFile::find(state.content.root(), &track, &slug) {
            Ok(lesson) => lesson,
            // No edit page to show for a track that is not there, or a path
            // that leaves the content folder.
            Err(e) => {
                return Err(refuse(&state, parts, "/editor", e.into(), Default::default()).await)
            }
        };
        match form {
            Ok(form) => Ok(EditPost {
                state,
                parts,
                page,
                user,
                lesson,
                form,
            }),
            Err(e) => Err(refuse(&state, parts, &page, e, Default::default()).await),
        }
    }
}

impl<F> EditPost<F> {
    /// Answers with what `op` makes of the form: a save goes to the page
    /// (with a notice); anything else renders the page again with what was
    /// typed, so nothing is lost.
    async fn answer(
        self,
        op: impl AsyncFnOnce(&AppState, &User, &LessonFile, F) -> EditOutcome,
    ) -> Response {
        match op(&self.state, &self.user, &self.lesson, self.form).await {
            EditOutcome::Saved => see_other(&format!("{}?saved=1", self.page)),
            EditOutcome::Shown(editor, err) => {
                show(&self.state, self.parts, &self.page, editor, err).await
            }
        }
    }
}

/// `POST /editor/{track}/{lesson}`: preview or save.
pub async fn edit(post: EditPost<EditForm>) -> Response {
    post.answer(
        async |state, user, lesson, form| match form.action.as_str() {
            "save" => service::save_edit(state, user, lesson, &form.text, form.base).await,
            _ => service::preview_edit(state, lesson, &form.text, form.base).await,
        },
    )
    .await
}

/// `POST /editor/{track}/{lesson}/gift`: puts a pasted GIFT bank into the
/// lesson's quiz in the editor (not saved until the instructor saves).
pub async fn import_gift(post: EditPost<GiftForm>) -> Response {
    post.answer(async |state, _, lesson, form| {
        service::import_gift(state, lesson, &form.text, form.base, &form.gift)
    })
    .await
}

/// `POST /editor/_new`: a lesson from the template.
pub async fn new_lesson(State(state): State<AppState>, req: Request) -> Response {
    FormRoute::new("/editor")
        .run(
            &state,
            req,
            Access::Teacher,
            async |user, NewLessonForm { track, title, slug }| {
                let lesson = service::new_lesson(&state, &user, &track, &title, &slug).await?;
                Ok(page_of(lesson.track(), lesson.slug(), ""))
            },
        )
        .await
}

/// `POST /editor/_tracks`: a new track folder with its `track.toml`.
pub async fn new_track(State(state): State<AppState>, req: Request) -> Response {
    FormRoute::new("/editor")
        .run(
            &state,
            req,
            Access::Teacher,
            async |user, form: NewTrackForm| {
                service::new_track(&state, &user, &form.slug, &form.title).await?;
                Ok("/editor?done=track".into())
            },
        )
        .await
}

/// `POST /editor/{track}/{lesson}/restore`: saves an old revision as new.
pub async fn restore(
    State(state): State<AppState>,
    Path((track, slug)): Path<(String, String)>,
    req: Request,
) -> Response {
    FormRoute::new(page_of(&track, &slug, "/history"))
        .limit(4096)
        .run(
            &state,
            req,
            Access::Teacher,
            async |user, form: RestoreForm| {
                let lesson = LessonFile::find(state.content.root(), &track, &slug)?;
                service::restore(&state, &user, &lesson, form.revision).await?;
                Ok(page_of(&track, &slug, "?saved=restored"))
            },
        )
        .await
}

/// `POST /editor/{track}/_images` (multipart: `file`, `return`): stores an
/// image next to the track's lessons under a safe name, and goes back to
/// the page the form was on, which shows how to use it.
pub async fn upload_image(
    State(state): State<AppState>,
    Path(track): Path<String>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let result = async {
        let user = Access::Teacher.check(user_of(&parts))?;
        let upload = ImageUpload::read(Request::from_parts(parts.clone(), body)).await?;
        let name =
            service::upload_image(&state, &user, &track, &upload.file_name, &upload.bytes).await?;
        Ok::<_, AppError>(format!("{}?image={name}", upload.back_to(&track)))
    }
    .await;
    match result {
        Ok(to) => see_other(&to),
        Err(e) => refuse(&state, parts, "/editor", e, Default::default()).await,
    }
}
