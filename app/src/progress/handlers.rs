//! Form posts and the CSV download of the progress feature.

use axum::{
    extract::{Path, Request, State},
    http::{header, request::Parts},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{db, service};
use crate::{
    auth::{model::Role, session::server::user_of},
    error::AppError,
    state::AppState,
    ui::form::server::{self as form_server, see_other},
};

async fn form<T: serde::de::DeserializeOwned>(req: Request) -> (Parts, Result<T, AppError>) {
    form_server::read_form(req, 64 * 1024, "The form is too large.").await
}

async fn fail(state: &AppState, parts: Parts, page: &str, err: AppError) -> Response {
    form_server::refuse(state, parts, page, err, Default::default()).await
}

/// The lesson id must name a published lesson of the current content.
pub fn check_lesson_id(state: &AppState, lesson_id: &str) -> Result<String, AppError> {
    state
        .content
        .get()
        .reading_order()
        .find(|l| l.id == lesson_id)
        .map(|l| l.href())
        .ok_or_else(|| AppError::BadRequest("There is no such lesson.".into()))
}

#[derive(Debug, Deserialize)]
pub struct CompleteForm {
    pub lesson_id: String,
    /// "1" to mark done, "0" to undo.
    pub done: String,
}

/// `POST /progress/complete`: the no-JavaScript mark-complete button.
pub async fn complete(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = form::<CompleteForm>(req).await;
    let Some(user) = user_of(&parts) else {
        return see_other("/login?next=/lessons");
    };
    let result = async {
        let form = form?;
        let href = check_lesson_id(&state, &form.lesson_id)?;
        let done = match form.done.as_str() {
            "1" => true,
            "0" => false,
            _ => {
                return Err(AppError::BadRequest(
                    "The form asked for neither done nor not done.".into(),
                ))
            }
        };
        state
            .progress
            .set_complete(user.id, &form.lesson_id, done)
            .await
            .map_err(|e| AppError::internal("cannot save progress", e))?;
        Ok(href)
    }
    .await;
    match result {
        Ok(href) => see_other(&format!("{href}#progress")),
        Err(e) => fail(&state, parts, "/lessons", e).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct JoinForm {
    pub code: String,
}

/// `POST /account/cohorts`: join a cohort with an invite code.
pub async fn join(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = form::<JoinForm>(req).await;
    let Some(user) = user_of(&parts) else {
        return see_other("/login?next=/account");
    };
    let result = async {
        let form = form?;
        let cohort = db::cohort_by_code(&state.pool, &form.code)
            .await?
            .ok_or_else(|| {
                AppError::BadRequest(
                    "That invite code is not valid. Check it with your instructor.".into(),
                )
            })?;
        db::join_cohort(&state.pool, cohort.id, user.id).await?;
        tracing::info!(user_id = user.id, cohort = cohort.id, "joined cohort");
        Ok(())
    }
    .await;
    match result {
        Ok(()) => see_other("/account?done=joined"),
        Err(e) => fail(&state, parts, "/account", e).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct CohortForm {
    pub name: String,
}

/// `POST /instructor/cohorts`: create a cohort.
pub async fn create_cohort(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = form::<CohortForm>(req).await;
    let Some(user) = user_of(&parts) else {
        return see_other("/login?next=/instructor");
    };
    let result = async {
        if !matches!(user.role, Role::Instructor | Role::Admin) {
            return Err(AppError::Forbidden);
        }
        let name = form?.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::BadRequest(
                "Give the cohort a name of 1 to 100 characters.".into(),
            ));
        }
        let cohort = db::create_cohort(&state.pool, &name, user.id).await?;
        tracing::info!(owner = user.id, cohort = cohort.id, "cohort created");
        Ok(cohort.id)
    }
    .await;
    match result {
        Ok(id) => see_other(&format!("/instructor/cohorts/{id}")),
        Err(e) => fail(&state, parts, "/instructor", e).await,
    }
}

/// `GET /instructor/cohorts/{id}/export.csv`
pub async fn export_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let Some(user) = user_of(&parts) else {
        return see_other("/login?next=/instructor");
    };
    let result = async {
        let id: i64 = id
            .parse()
            .map_err(|_| AppError::NotFound("There is no such cohort.".into()))?;
        let cohort = service::visible_cohort(&state, &user, id).await?;
        let csv = service::cohort_csv(&state, &cohort).await?;
        Ok::<_, AppError>((cohort, csv))
    }
    .await;
    match result {
        Ok((cohort, csv)) => {
            let slug: String = cohort
                .name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"cohort-{}-{slug}.csv\"", cohort.id),
                    ),
                    (header::CACHE_CONTROL, "private, no-store".to_string()),
                ],
                csv,
            )
                .into_response()
        }
        Err(e) => {
            let status = e.status();
            tracing::info!(status = status.as_u16(), error = %e, "csv export refused");
            (status, e.to_string()).into_response()
        }
    }
}
