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

/// The error box at the top of a form.
#[component]
pub fn FormError() -> impl IntoView {
    use_feedback().map(|fb| {
        view! {
            <div class="form-error" role="alert">
                <p>{fb.message}</p>
            </div>
        }
    })
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
    use crate::{error::AppError, shell, state::AppState};

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
    /// typed `fields` (the form's own path is in the log).
    pub async fn refuse(
        state: &AppState,
        parts: Parts,
        page: &str,
        err: AppError,
        fields: std::collections::HashMap<String, String>,
    ) -> Response {
        tracing::info!(path = %parts.uri.path(), status = err.status().as_u16(), error = %err, "form refused");
        render_with_feedback(state, parts, page, FormFeedback::from_error(&err, fields)).await
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
