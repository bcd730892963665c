//! Form routes of the accounts feature (plain HTML forms: they work without
//! JavaScript), each a few lines over `service` through [`FormRoute`].

use axum::{
    extract::{Request, State},
    response::Response,
};
use serde::Deserialize;
use tower_sessions::Session;

use super::{
    service::{self, Registration},
    session::Access,
};
use crate::{
    state::AppState,
    ui::{
        form::server::{see_other, FormRoute},
        safe_back_path,
    },
};

// ------------------------------------------------------------ the forms

/// A form with no fields of its own (a button).
#[derive(Debug, Deserialize)]
pub struct NoFields {}

pub async fn register(State(state): State<AppState>, session: Session, req: Request) -> Response {
    FormRoute::new("/register")
        .keep(&["email", "name", "code"])
        .run_public(&state, req, async |_, form: Registration| {
            service::register(&state, &session, form).await?;
            Ok("/dashboard".into())
        })
        .await
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    /// Where to go afterwards (a local path; anything else is ignored).
    #[serde(default)]
    pub next: String,
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    pub user_id: i64,
    pub role: String,
}

// ----------------------------------------------------------- the routes

pub async fn login(State(state): State<AppState>, session: Session, req: Request) -> Response {
    FormRoute::new("/login")
        .keep(&["email", "next"])
        .run_public(&state, req, async |_, form: LoginForm| {
            service::login(&state, &session, &form.email, form.password, &form.next).await?;
            if super::totp::second_step_pending(&session).await {
                return Ok("/login/2fa".into());
            }
            Ok(if form.next.is_empty() {
                "/dashboard".to_string()
            } else {
                safe_back_path(Some(&form.next))
            })
        })
        .await
}

/// `POST /logout`.
pub async fn logout(session: Session) -> Response {
    service::logout(&session).await;
    see_other("/")
}

pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    req: Request,
) -> Response {
    FormRoute::new("/account")
        .run(
            &state,
            req,
            Access::SignedIn,
            async |user, form: PasswordForm| {
                service::change_password(&state, &session, &user, form.current, form.new).await?;
                Ok("/account?done=password".into())
            },
        )
        .await
}

/// `POST /account/sessions`: "Sign out everywhere".
pub async fn logout_everywhere(
    State(state): State<AppState>,
    session: Session,
    req: Request,
) -> Response {
    FormRoute::new("/account")
        .run(&state, req, Access::SignedIn, async |user, _: NoFields| {
            service::sign_out_everywhere(&state, &session, &user).await?;
            Ok("/login?done=everywhere".into())
        })
        .await
}

pub async fn set_role(State(state): State<AppState>, req: Request) -> Response {
    FormRoute::new("/admin/users")
        .run(&state, req, Access::Admin, async |admin, form: RoleForm| {
            service::set_role(&state, &admin, form.user_id, &form.role).await?;
            Ok("/admin/users?done=role".into())
        })
        .await
}

// ------------------------------------------------ two-factor sign-in (TOTP)

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    pub code: String,
}

#[derive(Debug, Deserialize)]
pub struct PasswordOnlyForm {
    pub password: String,
}

/// `POST /login/2fa`: the second step of signing in.
pub async fn login_second_step(
    State(state): State<AppState>,
    session: Session,
    req: Request,
) -> Response {
    FormRoute::new("/login/2fa")
        .run_public(&state, req, async |_, form: CodeForm| {
            super::totp::finish_second_step(&state, &session, &form.code).await
        })
        .await
}

/// `POST /account/2fa/confirm`: turns two-factor on and shows the recovery
/// codes in the answer itself (once: only their hashes are kept).
pub async fn confirm_two_factor(State(state): State<AppState>, req: Request) -> Response {
    use crate::ui::form::server::{read_form, refuse, render_with_context};
    const PAGE: &str = "/account/2fa";
    let (parts, body) = req.into_parts();
    let user = match Access::SignedIn.check(super::session::server::user_of(&parts)) {
        Ok(user) => user,
        Err(e) => return refuse(&state, parts, PAGE, e, Default::default()).await,
    };
    let req = Request::from_parts(parts, body);
    let (parts, form) = read_form::<CodeForm>(req, 4096, "The form is too large.").await;
    let result = match form {
        Ok(form) => super::totp::confirm(&state, &user, &form.code).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(codes) => {
            let codes = super::totp_pages::NewRecoveryCodes(codes);
            render_with_context(&state, parts, PAGE, move || {
                leptos::prelude::provide_context(codes.clone())
            })
            .await
        }
        Err(e) => refuse(&state, parts, PAGE, e, Default::default()).await,
    }
}

/// `POST /account/2fa/disable`: needs the password.
pub async fn disable_two_factor(State(state): State<AppState>, req: Request) -> Response {
    FormRoute::new("/account/2fa")
        .run(
            &state,
            req,
            Access::SignedIn,
            async |user, form: PasswordOnlyForm| {
                super::totp::disable(&state, &user, form.password).await?;
                Ok("/account/2fa?done=off".into())
            },
        )
        .await
}
