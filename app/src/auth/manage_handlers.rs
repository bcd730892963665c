//! Form routes of account management (plain forms: no JavaScript needed),
//! each a few lines over `manage` through `FormRoute`.

use axum::{
    extract::{Request, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tower_sessions::Session;

use super::{
    manage,
    session::{Access, CurrentUser},
};
use crate::{
    common::client::Client, error::AppError, state::AppState, ui::form::server::FormRoute,
};

#[derive(Debug, Deserialize)]
pub struct EmailForm {
    pub email: String,
}

#[derive(Debug, Deserialize)]
pub struct ResetForm {
    pub token: String,
    pub password: String,
}

#[derive(Debug, Deserialize)]
pub struct UserForm {
    pub user_id: i64,
}

#[derive(Debug, Deserialize)]
pub struct DisableForm {
    pub user_id: i64,
    /// "1" disables, "0" enables.
    pub disabled: String,
}

#[derive(Debug, Deserialize)]
pub struct DeleteUserForm {
    pub user_id: i64,
    #[serde(default)]
    pub confirm: String,
}

#[derive(Debug, Deserialize)]
pub struct HandleForm {
    pub handle: String,
}

#[derive(Debug, Deserialize)]
pub struct DeleteOwnForm {
    #[serde(default)]
    pub password: String,
    /// A current two-factor code instead of the password.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub confirm: String,
}

fn confirmed(confirm: &str) -> Result<(), AppError> {
    if confirm == "yes" {
        Ok(())
    } else {
        Err(AppError::BadRequest(
            "Tick the box to confirm: deleting cannot be undone.".into(),
        ))
    }
}

/// `POST /forgot`: mails a reset link if the address has an account.
pub async fn forgot(State(state): State<AppState>, req: Request) -> Response {
    FormRoute::new("/forgot")
        .keep(&["email"])
        .run_public(&state, req, async |_, form: EmailForm| {
            manage::request_reset(&state, &form.email).await?;
            Ok("/forgot?done=sent".into())
        })
        .await
}

/// `POST /reset`: a new password with a reset link.
pub async fn reset(State(state): State<AppState>, req: Request) -> Response {
    let client = Client::of(&req);
    FormRoute::new("/reset")
        .keep(&["token"])
        .run_public(&state, req, async |_, form: ResetForm| {
            manage::reset_password(&state, &form.token, form.password, &client).await?;
            Ok("/login?done=reset".into())
        })
        .await
}

/// `POST /admin/users/reset-link`: shows the link once, on the list.
pub async fn reset_link(State(state): State<AppState>, req: Request) -> Response {
    let client = Client::of(&req);
    FormRoute::new("/admin/users")
        .run(&state, req, Access::Admin, async |admin, form: UserForm| {
            let link = manage::admin_reset_link(&state, &admin, form.user_id, &client).await?;
            let query = serde_urlencoded::to_string([("done", "link"), ("link", link.as_str())])
                .map_err(|e| AppError::internal("cannot encode the link", e))?;
            Ok(format!("/admin/users?{query}"))
        })
        .await
}

pub async fn disable(State(state): State<AppState>, req: Request) -> Response {
    let client = Client::of(&req);
    FormRoute::new("/admin/users")
        .run(&state, req, Access::Admin, async |admin, form: DisableForm| {
            let disabled = form.disabled == "1";
            manage::admin_set_disabled(&state, &admin, form.user_id, disabled, &client).await?;
            Ok(format!(
                "/admin/users?done={}",
                if disabled { "disabled" } else { "enabled" }
            ))
        })
        .await
}

pub async fn end_sessions(State(state): State<AppState>, req: Request) -> Response {
    let client = Client::of(&req);
    FormRoute::new("/admin/users")
        .run(&state, req, Access::Admin, async |admin, form: UserForm| {
            manage::admin_end_sessions(&state, &admin, form.user_id, &client).await?;
            Ok("/admin/users?done=ended".into())
        })
        .await
}

pub async fn delete_user(State(state): State<AppState>, req: Request) -> Response {
    let client = Client::of(&req);
    FormRoute::new("/admin/users")
        .run(&state, req, Access::Admin, async |admin, form: DeleteUserForm| {
            confirmed(&form.confirm)?;
            manage::admin_delete(&state, &admin, form.user_id, &client).await?;
            Ok("/admin/users?done=deleted".into())
        })
        .await
}

/// `POST /account/sessions/end`: ends one of your sessions.
pub async fn end_my_session(State(state): State<AppState>, req: Request) -> Response {
    FormRoute::new("/account")
        .run(&state, req, Access::SignedIn, async |user, form: HandleForm| {
            manage::end_my_session(&state, &user, &form.handle).await?;
            Ok("/account?done=session".into())
        })
        .await
}

/// `POST /account/delete`: deletes your account (password and a tick).
pub async fn delete_own(State(state): State<AppState>, session: Session, req: Request) -> Response {
    let client = Client::of(&req);
    FormRoute::new("/account")
        .run(&state, req, Access::SignedIn, async |user, form: DeleteOwnForm| {
            confirmed(&form.confirm)?;
            manage::delete_own(&state, &session, &user, form.password, &form.code, &client)
                .await?;
            Ok("/?done=deleted".into())
        })
        .await
}

/// `GET /account/export`: everything stored about you, as a JSON file.
pub async fn export(State(state): State<AppState>, req: Request) -> Response {
    let user = req
        .extensions()
        .get::<CurrentUser>()
        .and_then(|c| c.0.clone());
    let Some(user) = user else {
        return crate::ui::form::server::see_other("/login?next=/account/export");
    };
    match manage::export(&state, &user).await {
        Ok(json) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"backend-academy-export.json\"",
                ),
            ],
            serde_json::to_string_pretty(&json).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}
