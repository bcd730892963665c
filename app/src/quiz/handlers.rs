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

/// The essay-mark form's fields.
#[derive(serde::Deserialize)]
pub struct MarkForm {
    pub attempt: i64,
    pub question: u32,
    pub mark: u32,
    #[serde(default)]
    pub comment: String,
}

/// `POST /instructor/cohorts/{id}/quizzes/mark`: an instructor marks an
/// essay without JavaScript.
pub async fn mark(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    req: Request,
) -> Response {
    crate::ui::form::server::FormRoute::new(format!("/instructor/cohorts/{id}/quizzes"))
        .keep(&["comment"])
        .run(
            &state,
            req,
            crate::auth::session::Access::Teacher,
            async |user, form: MarkForm| {
                super::service::mark_essay(
                    &state,
                    &user,
                    id,
                    form.attempt,
                    form.question as usize,
                    form.mark,
                    &form.comment,
                )
                .await
            },
        )
        .await
}

/// `GET /instructor/cohorts/{id}/quizzes.csv`: the per-question statistics.
pub async fn stats_csv(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    CurrentUser(user): CurrentUser,
) -> Response {
    use axum::{http::header, response::IntoResponse};
    let user = match crate::auth::session::Access::Teacher.check(user) {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return see_other("/login?next=/instructor"),
        Err(e) => return (e.status(), e.to_string()).into_response(),
    };
    let id = match id.trim_end_matches(".csv").parse::<i64>() {
        Ok(id) => id,
        Err(_) => {
            return (
                axum::http::StatusCode::NOT_FOUND,
                "There is no such cohort.",
            )
                .into_response()
        }
    };
    match super::service::review_csv(&state, &user, id).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"cohort-{id}-quiz-statistics.csv\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            csv,
        )
            .into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}
