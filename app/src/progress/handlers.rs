//! Form posts and the CSV download of the progress feature.

use axum::{
    extract::{Path, Request, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::service;
use crate::{
    auth::session::{Access, CurrentUser},
    error::AppError,
    state::AppState,
    ui::form::server::{see_other, FormRoute},
};

// ------------------------------------------------------------ the forms

#[derive(Debug, Deserialize)]
pub struct CompleteForm {
    pub lesson_id: String,
    /// "1" to mark done, "0" to undo.
    pub done: String,
}

#[derive(Debug, Deserialize)]
pub struct JoinForm {
    pub code: String,
}

#[derive(Debug, Deserialize)]
pub struct CohortForm {
    pub name: String,
}

// ----------------------------------------------------------- the routes

/// `POST /progress/complete`: the no-JavaScript mark-complete button.
pub async fn complete(State(state): State<AppState>, req: Request) -> Response {
    FormRoute::new("/lessons")
        .run(
            &state,
            req,
            Access::SignedIn,
            async |user, form: CompleteForm| {
                let done = match form.done.as_str() {
                    "1" => true,
                    "0" => false,
                    _ => {
                        return Err(AppError::BadRequest(
                            "The form asked for neither done nor not done.".into(),
                        ))
                    }
                };
                let href = service::set_complete(&state, &user, &form.lesson_id, done).await?;
                Ok(format!("{href}#progress"))
            },
        )
        .await
}

/// `POST /account/cohorts`: join a cohort with an invite code.
pub async fn join(State(state): State<AppState>, req: Request) -> Response {
    let join = async |user, form: JoinForm| {
        let joined = service::join_cohort(&state, &user, &form.code).await;
        joined.map(|()| "/account?done=joined".to_string())
    };
    let route = FormRoute::new("/account").keep(&["code"]);
    route.run(&state, req, Access::SignedIn, join).await
}

/// `POST /instructor/cohorts`: create a cohort, then show it.
pub async fn create_cohort(State(state): State<AppState>, req: Request) -> Response {
    let create = async |user, form: CohortForm| {
        let id = service::create_cohort(&state, &user, &form.name).await?;
        Ok(format!("/instructor/cohorts/{id}"))
    };
    FormRoute::new("/instructor")
        .keep(&["name"])
        .run(&state, req, Access::Teacher, create)
        .await
}

/// `GET /instructor/cohorts/{id}/export.csv`
pub async fn export_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CurrentUser(user): CurrentUser,
) -> Response {
    let user = match Access::Teacher.check(user) {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return see_other("/login?next=/instructor"),
        Err(e) => return (e.status(), e.to_string()).into_response(),
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
            let slug = crate::common::slug::ascii_slug(&cohort.name);
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
