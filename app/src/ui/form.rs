//! Plain HTML forms that work without JavaScript.
//!
//! A form posts to an axum handler. On success the handler redirects (303)
//! to a page that shows the result; on failure it renders the same page
//! again, with the right HTTP status, a sentence saying what went wrong, and
//! the fields the person typed (never passwords) — nothing typed is lost.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::error::AppError;

/// What a failed form post tells the page it re-renders.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormFeedback {
    pub status: u16,
    pub message: String,
    /// Values to put back into the form's inputs.
    pub fields: HashMap<String, String>,
}

impl FormFeedback {
    pub fn from_error(err: &AppError, fields: HashMap<String, String>) -> FormFeedback {
        FormFeedback {
            status: err.status().as_u16(),
            message: err.to_string(),
            fields,
        }
    }

    pub fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

/// The feedback of this request, if a form failed; sets the response status.
pub fn use_feedback() -> Option<FormFeedback> {
    let fb = use_context::<FormFeedback>()?;
    if let Ok(status) = http::StatusCode::from_u16(fb.status) {
        super::not_found::set_status(status);
    }
    Some(fb)
}

/// A previously typed value for `name`, or empty.
pub fn prefill(name: &str) -> String {
    use_context::<FormFeedback>()
        .map(|f| f.field(name))
        .unwrap_or_default()
}

/// The error box at the top of a form, its sentence in the reader's
/// language (see [`crate::i18n::sentence`]).
#[component]
pub fn FormError() -> impl IntoView {
    use_feedback().map(|fb| {
        let message = crate::i18n::sentence(crate::i18n::Lang::current(), &fb.message);
        view! {
            <div class="form-error" role="alert">
                <p>{message}</p>
            </div>
        }
    })
}

/// What was typed into `name` before a refused post, else the `?name=` of
/// the address (a sign-in's `next`, an invite link's `code`).
pub fn typed_or_query(name: &str) -> String {
    Some(prefill(name))
        .filter(|v| !v.is_empty())
        .or_else(|| query_param(name))
        .unwrap_or_default()
}

/// A query-string notice after a successful redirect (`?done=...`).
pub fn query_param(name: &str) -> Option<String> {
    leptos_router::hooks::use_query_map().with_untracked(|q| q.get(name))
}

#[cfg(feature = "ssr")]
pub mod server {
    //! Rendering a page from a form handler.
    use axum::{
        body::Body,
        http::{request::Parts, Method, Request},
        response::{IntoResponse, Redirect, Response},
    };
    use leptos::prelude::provide_context;
    use serde::de::DeserializeOwned;

    use super::FormFeedback;
    use crate::{
        auth::{
            model::User,
            session::{server::user_of, Access},
        },
        error::AppError,
        shell,
        state::AppState,
    };

    /// Renders the page at `page` (as a GET) with `feedback`.
    pub async fn render_with_feedback(
        state: &AppState,
        parts: Parts,
        page: &str,
        feedback: FormFeedback,
    ) -> Response {
        render_with_context(state, parts, page, move || {
            provide_context(feedback.clone())
        })
        .await
    }

    /// Renders the page at `page` (as a GET) with extra context.
    pub async fn render_with_context(
        state: &AppState,
        mut parts: Parts,
        page: &str,
        extra: impl Fn() + Clone + Send + Sync + 'static,
    ) -> Response {
        parts.method = Method::GET;
        if let Ok(uri) = page.parse() {
            parts.uri = uri;
        }
        let ctx_state = state.clone();
        let options = state.leptos_options.clone();
        let handler = leptos_axum::render_app_to_stream_with_context(
            move || {
                provide_context(ctx_state.clone());
                extra();
            },
            move || shell(options.clone()),
        );
        handler(Request::from_parts(parts, Body::empty()))
            .await
            .into_response()
    }

    /// Parses a urlencoded form body; a malformed one is a 400 with a sentence.
    pub fn parse_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
        serde_urlencoded::from_bytes(body).map_err(|e| {
            tracing::info!(error = %e, "malformed form");
            AppError::BadRequest(
                "The form arrived incomplete or malformed. Please fill it in again.".into(),
            )
        })
    }

    /// Reads a urlencoded form body of at most `limit` bytes; a larger one
    /// is `too_large` (a 400 sentence), a malformed one a 400 too.
    pub async fn read_form<T: DeserializeOwned>(
        req: axum::extract::Request,
        limit: usize,
        too_large: &str,
    ) -> (Parts, Result<T, AppError>) {
        let (parts, body) = req.into_parts();
        let parsed = match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => parse_form(&bytes),
            Err(_) => Err(AppError::BadRequest(too_large.to_string())),
        };
        (parts, parsed)
    }

    /// Logs a refused form and re-renders `page` with the error and the
    /// typed `fields` (the form's own path is in the log). A visitor where an
    /// account is needed is sent to sign in and come back to `page` instead.
    pub async fn refuse(
        state: &AppState,
        parts: Parts,
        page: &str,
        err: AppError,
        fields: std::collections::HashMap<String, String>,
    ) -> Response {
        if err == AppError::Unauthorized {
            return see_other(&format!("/login?next={page}"));
        }
        tracing::info!(path = %parts.uri.path(), status = err.status().as_u16(), error = %err, "form refused");
        render_with_feedback(state, parts, page, FormFeedback::from_error(&err, fields)).await
    }

    /// One form route, the one way a no-JavaScript form is answered: read
    /// the body (at most `limit` bytes), check the caller, run the
    /// operation's service function, then answer 303 to the path it returns,
    /// or re-render `page` with the error's status, its sentence and the
    /// typed values of the `keep` fields (never passwords). A visitor where
    /// an account is needed is sent to sign in and come back to `page`.
    pub struct FormRoute {
        page: String,
        keep: &'static [&'static str],
        limit: usize,
    }

    /// What a form body became: the typed form (or why not) and the raw
    /// values of the fields to give back.
    type Read<F> = (
        Result<F, AppError>,
        std::collections::HashMap<String, String>,
    );

    impl FormRoute {
        /// A route whose failures re-render `page` (64 KiB bodies).
        pub fn new(page: impl Into<String>) -> FormRoute {
            FormRoute {
                page: page.into(),
                keep: &[],
                limit: 64 * 1024,
            }
        }

        /// Fields whose typed values come back into the form on failure.
        pub fn keep(mut self, fields: &'static [&'static str]) -> FormRoute {
            self.keep = fields;
            self
        }

        /// The largest body accepted, in bytes.
        pub fn limit(mut self, bytes: usize) -> FormRoute {
            self.limit = bytes;
            self
        }

        async fn read<F: DeserializeOwned>(&self, body: Body) -> Read<F> {
            let Ok(bytes) = axum::body::to_bytes(body, self.limit).await else {
                let err = AppError::BadRequest("The form is too large.".into());
                return (Err(err), Default::default());
            };
            // Read the raw fields only when some are given back.
            let raw: Vec<(String, String)> = if self.keep.is_empty() {
                Vec::new()
            } else {
                serde_urlencoded::from_bytes(&bytes).unwrap_or_default()
            };
            let kept = raw
                .into_iter()
                .filter(|(k, _)| self.keep.contains(&k.as_str()))
                .collect();
            (parse_form(&bytes), kept)
        }

        /// For a caller with `access`.
        pub async fn run<F: DeserializeOwned>(
            self,
            state: &AppState,
            req: Request<Body>,
            access: Access,
            op: impl AsyncFnOnce(User, F) -> Result<String, AppError>,
        ) -> Response {
            let (parts, body) = req.into_parts();
            let user = match access.check(user_of(&parts)) {
                Ok(user) => user,
                Err(e) => return refuse(state, parts, &self.page, e, Default::default()).await,
            };
            let (form, kept) = self.read::<F>(body).await;
            let result = match form {
                Ok(form) => op(user, form).await,
                Err(e) => Err(e),
            };
            self.answer(state, parts, result, kept).await
        }

        /// Open to visitors too (sign-in, registration).
        pub async fn run_public<F: DeserializeOwned>(
            self,
            state: &AppState,
            req: Request<Body>,
            op: impl AsyncFnOnce(Option<User>, F) -> Result<String, AppError>,
        ) -> Response {
            let (parts, body) = req.into_parts();
            let (form, kept) = self.read::<F>(body).await;
            let result = match form {
                Ok(form) => op(user_of(&parts), form).await,
                Err(e) => Err(e),
            };
            self.answer(state, parts, result, kept).await
        }

        async fn answer(
            self,
            state: &AppState,
            parts: Parts,
            result: Result<String, AppError>,
            kept: std::collections::HashMap<String, String>,
        ) -> Response {
            match result {
                Ok(to) => see_other(&to),
                Err(e) => refuse(state, parts, &self.page, e, kept).await,
            }
        }
    }

    /// 303 See Other to a local path. Anything that is not one (see
    /// [`crate::ui::is_local_path`]) goes to `/` instead: never off the site,
    /// and never a panic on a value a `Location` header cannot carry.
    pub fn see_other(path: &str) -> Response {
        if crate::ui::is_local_path(path) {
            Redirect::to(path).into_response()
        } else {
            tracing::warn!(path = %path.escape_debug(), "redirect to a non-local path refused");
            Redirect::to("/").into_response()
        }
    }
}
