//! `POST /lessons/{track}/{lesson}/quiz`: grading a quiz form without
//! JavaScript, and the grading both paths share.

use axum::{
    body::to_bytes,
    extract::{Request, State},
    response::Response,
};
use leptos::prelude::provide_context;

use super::{
    model::ShownResult,
    service::{form_fields, grade_submission, Graded},
};
use crate::{
    auth::session::CurrentUser,
    error::AppError,
    state::AppState,
    ui::form::{
        server::{render_with_context, render_with_feedback, see_other},
        FormFeedback,
    },
};

pub async fn submit(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let page = parts.uri.path().to_string();
    let user = parts
        .extensions
        .get::<CurrentUser>()
        .and_then(|c| c.0.clone());
    let fields = match to_bytes(body, 256 * 1024).await {
        Ok(b) => form_fields(&b),
        Err(_) => Err(AppError::BadRequest("The quiz form is too large.".into())),
    };
    let graded = match fields {
        Ok(f) => grade_submission(&state, user.as_ref(), &page, &f).await,
        Err(e) => Err(e),
    };
    match graded {
        Ok(Graded {
            attempt_url: Some(url),
            ..
        }) => see_other(&url),
        Ok(Graded {
            result,
            attempt_url: None,
        }) => {
            let shown = ShownResult(result);
            render_with_context(&state, parts, &page, move || provide_context(shown.clone())).await
        }
        Err(e) => {
            tracing::info!(path = %page, status = e.status().as_u16(), error = %e, "quiz submission refused");
            render_with_feedback(
                &state,
                parts,
                &page,
                FormFeedback::from_error(&e, Default::default()),
            )
            .await
        }
    }
}
