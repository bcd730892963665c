//! Form posts of the accounts feature (plain HTML forms: they work without
//! JavaScript). Success answers 303 to a page; failure re-renders the form
//! with a status and a sentence, keeping what was typed (except passwords).

use std::collections::HashMap;

use axum::{
    extract::{Request, State},
    http::request::Parts,
    response::Response,
};
use serde::Deserialize;
use tower_sessions::Session;

use super::{
    db::{self, CreateUserError},
    model::{check_new_password, normalize_email, normalize_name, RegistrationMode, Role, User},
    password::is_common,
    session::server::{sign_in, user_of},
    session_store::end_other_sessions,
};
use crate::{
    error::AppError,
    state::AppState,
    ui::{
        form::server::{self as form_server, see_other},
        safe_back_path,
    },
};

const FORM_LIMIT: usize = 64 * 1024;

async fn read_form<T: serde::de::DeserializeOwned>(req: Request) -> (Parts, Result<T, AppError>) {
    form_server::read_form(req, FORM_LIMIT, "The form is too large.").await
}

/// Re-renders `page` with the error, keeping the typed `fields`.
async fn fail(
    state: &AppState,
    parts: Parts,
    page: &str,
    err: AppError,
    fields: HashMap<String, String>,
) -> Response {
    form_server::refuse(state, parts, page, err, fields).await
}

fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ------------------------------------------------------------------ register

#[derive(Debug, Deserialize)]
pub struct RegisterForm {
    pub email: String,
    pub name: String,
    pub password: String,
    #[serde(default)]
    pub code: String,
}

pub async fn register(State(state): State<AppState>, session: Session, req: Request) -> Response {
    let (parts, form) = read_form::<RegisterForm>(req).await;
    let form = match form {
        Ok(f) => f,
        Err(e) => return fail(&state, parts, "/register", e, HashMap::new()).await,
    };
    let keep = fields(&[
        ("email", &form.email),
        ("name", &form.name),
        ("code", &form.code),
    ]);
    match do_register(&state, &session, form).await {
        Ok(()) => see_other("/dashboard"),
        Err(e) => fail(&state, parts, "/register", e, keep).await,
    }
}

async fn do_register(
    state: &AppState,
    session: &Session,
    form: RegisterForm,
) -> Result<(), AppError> {
    let mode = state.settings.registration;
    if mode == RegistrationMode::Closed {
        return Err(AppError::Forbidden);
    }
    let email = normalize_email(&form.email).map_err(AppError::BadRequest)?;
    let name = normalize_name(&form.name).map_err(AppError::BadRequest)?;
    check_new_password(&form.password, is_common).map_err(AppError::BadRequest)?;
    let code = form.code.trim().to_string();
    let cohort = if code.is_empty() {
        None
    } else {
        Some(
            crate::progress::db::cohort_by_code(&state.pool, &code)
                .await?
                .ok_or_else(|| {
                    AppError::BadRequest(
                        "That invite code is not valid. Check it with your instructor.".into(),
                    )
                })?,
        )
    };
    if mode == RegistrationMode::InviteOnly && cohort.is_none() {
        return Err(AppError::BadRequest(
            "Registration needs an invite code from your instructor.".into(),
        ));
    }
    let hash = state
        .hasher
        .hash(form.password)
        .await
        .map_err(|e| AppError::internal("password hashing failed", e))?;
    let id =
        match db::create_user(&state.pool, &email, &name, &hash, Role::Learner).await {
            Ok(id) => id,
            Err(CreateUserError::EmailTaken) => return Err(AppError::Conflict(
                "An account with this email already exists. Sign in instead, or use another email."
                    .into(),
            )),
            Err(CreateUserError::Db(e)) => return Err(e.into()),
        };
    if let Some(cohort) = cohort {
        crate::progress::db::join_cohort(&state.pool, cohort.id, id).await?;
    }
    tracing::info!(user_id = id, "account registered");
    sign_in(session, id).await
}

// --------------------------------------------------------------------- login

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub next: String,
}

pub async fn login(State(state): State<AppState>, session: Session, req: Request) -> Response {
    let (parts, form) = read_form::<LoginForm>(req).await;
    let form = match form {
        Ok(f) => f,
        Err(e) => return fail(&state, parts, "/login", e, HashMap::new()).await,
    };
    let keep = fields(&[("email", &form.email), ("next", &form.next)]);
    let next = safe_back_path(
        Some(&form.next)
            .filter(|n| !n.is_empty())
            .map(|s| s.as_str()),
    );
    let next = if next == "/" && form.next.is_empty() {
        "/dashboard".to_string()
    } else {
        next
    };
    match do_login(&state, &session, form).await {
        Ok(()) => see_other(&next),
        Err(e) => fail(&state, parts, "/login", e, keep).await,
    }
}

/// Longest email address (RFC 5321's path limit); longer input is refused
/// before it costs a hash or a row.
const MAX_EMAIL: usize = 254;

async fn do_login(state: &AppState, session: &Session, form: LoginForm) -> Result<(), AppError> {
    // Anything that is not an email cannot be an account: same answer as a wrong password.
    let email = normalize_email(&form.email).unwrap_or_else(|_| form.email.trim().to_lowercase());
    if email.len() > MAX_EMAIL {
        return Err(AppError::BadRequest(format!(
            "An email address has at most {MAX_EMAIL} characters."
        )));
    }
    if let Some(left) = db::locked_for(&state.pool, &email).await? {
        return Err(AppError::TooManyRequests(format!(
            "Too many failed sign-ins for this email. Try again in {} minutes.",
            (left + 59) / 60
        )));
    }
    let found = db::by_email_with_hash(&state.pool, &email).await?;
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), Some(h)),
        None => (None, None),
    };
    let ok = state
        .hasher
        .verify(form.password.clone(), hash.clone())
        .await;
    let Some(user) = user.filter(|_| ok) else {
        db::record_failure(&state.pool, &email).await?;
        return Err(AppError::BadCredentials);
    };
    db::clear_failures(&state.pool, &email).await?;
    if hash.as_deref().is_some_and(super::password::needs_rehash) {
        match state.hasher.hash(form.password).await {
            Ok(new_hash) => {
                db::set_password_hash(&state.pool, user.id, &new_hash).await?;
                tracing::info!(
                    user_id = user.id,
                    "password rehashed with current parameters"
                );
            }
            Err(e) => tracing::warn!(error = %e, "rehash failed; keeping the old hash"),
        }
    }
    sign_in(session, user.id).await?;
    tracing::info!(user_id = user.id, "signed in");
    Ok(())
}

// -------------------------------------------------------------------- logout

/// Ends this session server-side: the old cookie is dead even if replayed.
pub async fn logout(session: Session) -> Response {
    if let Err(e) = session.flush().await {
        tracing::error!(error = %e, "cannot delete the session");
    }
    see_other("/")
}

// ------------------------------------------------------------------- account

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    pub current: String,
    pub new: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    req: Request,
) -> Response {
    let (parts, form) = read_form::<PasswordForm>(req).await;
    let Some(user) = user_of(&parts) else {
        return see_other("/login?next=/account");
    };
    let result = match form {
        Ok(form) => do_change_password(&state, &session, &user, form).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => see_other("/account?done=password"),
        Err(e) => fail(&state, parts, "/account", e, HashMap::new()).await,
    }
}

async fn do_change_password(
    state: &AppState,
    session: &Session,
    user: &User,
    form: PasswordForm,
) -> Result<(), AppError> {
    let (user_id, email) = (user.id, user.email.as_str());
    // Wrong current passwords count against the account like failed
    // sign-ins: a stolen session cannot guess its way to the password.
    if let Some(left) = db::locked_for(&state.pool, email).await? {
        return Err(AppError::TooManyRequests(format!(
            "Too many wrong passwords for this account. Try again in {} minutes.",
            (left + 59) / 60
        )));
    }
    let hash = db::password_hash(&state.pool, user_id).await?;
    if !state.hasher.verify(form.current, hash).await {
        db::record_failure(&state.pool, email).await?;
        return Err(AppError::BadRequest(
            "Your current password is not right.".into(),
        ));
    }
    db::clear_failures(&state.pool, email).await?;
    check_new_password(&form.new, is_common).map_err(AppError::BadRequest)?;
    let new_hash = state
        .hasher
        .hash(form.new)
        .await
        .map_err(|e| AppError::internal("password hashing failed", e))?;
    db::set_password_hash(&state.pool, user_id, &new_hash).await?;
    // Other devices must sign in again; this one gets a fresh id.
    sign_in(session, user_id).await?;
    let ended = end_other_sessions(&state.pool, &state.sessions, user_id, session.id()).await?;
    tracing::info!(user_id, ended, "password changed; other sessions ended");
    Ok(())
}

/// "Sign out everywhere": every session of this user, this one included.
pub async fn logout_everywhere(
    State(state): State<AppState>,
    session: Session,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let Some(user) = user_of(&parts) else {
        return see_other("/login");
    };
    match end_other_sessions(&state.pool, &state.sessions, user.id, None).await {
        Ok(n) => tracing::info!(user_id = user.id, ended = n, "signed out everywhere"),
        Err(e) => return fail(&state, parts, "/account", e.into(), HashMap::new()).await,
    }
    let _ = session.flush().await;
    see_other("/login?done=everywhere")
}

// --------------------------------------------------------------------- admin

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    pub user_id: i64,
    pub role: String,
}

pub async fn set_role(State(state): State<AppState>, req: Request) -> Response {
    let (parts, form) = read_form::<RoleForm>(req).await;
    let Some(admin) = user_of(&parts) else {
        return see_other("/login?next=/admin/users");
    };
    let result = async {
        if admin.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
        let form = form?;
        let role: Role = form.role.parse().map_err(AppError::BadRequest)?;
        if form.user_id == admin.id {
            return Err(AppError::BadRequest(
                "You cannot change your own role; ask another admin (this keeps at least one admin).".into(),
            ));
        }
        if !db::set_role(&state.pool, form.user_id, role).await? {
            return Err(AppError::NotFound("There is no such user.".into()));
        }
        // Their signed-in pages use the new role from the next request on.
        state.sessions.clear();
        tracing::info!(admin = admin.id, user_id = form.user_id, %role, "role changed");
        Ok(())
    }
    .await;
    match result {
        Ok(()) => see_other("/admin/users?done=role"),
        Err(e) => fail(&state, parts, "/admin/users", e, HashMap::new()).await,
    }
}
