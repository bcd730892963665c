//! The account operations, one function each. The form routes in
//! `handlers.rs`, the server functions and the `academy user` command call
//! these; nothing else writes accounts or sessions.

use tower_sessions::Session;

use super::{
    db::{self, CreateUserError},
    model::{check_new_password, normalize_email, normalize_name, RegistrationMode, Role, User},
    password::{is_common, needs_rehash, Hasher},
    session::server::sign_in,
    session_store::end_other_sessions,
};
use crate::{error::AppError, state::AppState};

/// Longest email address (RFC 5321's path limit); longer input is refused
/// before it costs a hash or a row.
pub const MAX_EMAIL: usize = 254;

/// Checks and creates an account: the one place account creation is
/// validated (registration and `academy user add`). Returns the new id.
pub async fn create_account(
    pool: &crate::db::Db,
    hasher: &Hasher,
    email: &str,
    name: &str,
    password: String,
    role: Role,
) -> Result<i64, AppError> {
    let email = normalize_email(email).map_err(AppError::BadRequest)?;
    let name = normalize_name(name).map_err(AppError::BadRequest)?;
    check_new_password(&password, is_common).map_err(AppError::BadRequest)?;
    let hash = hasher
        .hash(password)
        .await
        .map_err(|e| AppError::internal("password hashing failed", e))?;
    match db::create_user(pool, &email, &name, &hash, role).await {
        Ok(id) => Ok(id),
        Err(CreateUserError::EmailTaken) => Err(AppError::Conflict(
            "An account with this email already exists. Sign in instead, or use another email."
                .into(),
        )),
        Err(CreateUserError::Db(e)) => Err(e.into()),
    }
}

/// What a person types to register.
#[derive(Debug, serde::Deserialize)]
pub struct Registration {
    pub email: String,
    pub name: String,
    pub password: String,
    /// A cohort invite code (needed when registration is invite-only).
    #[serde(default)]
    pub code: String,
}

/// Registers a learner (joining the invite code's cohort, if any) and signs
/// them in on `session`.
pub async fn register(
    state: &AppState,
    session: &Session,
    form: Registration,
) -> Result<(), AppError> {
    let mode = state.settings.registration;
    if mode == RegistrationMode::Closed {
        return Err(AppError::Forbidden);
    }
    let code = form.code.trim();
    let cohort = if code.is_empty() {
        None
    } else {
        Some(crate::progress::service::cohort_by_invite(state, code).await?)
    };
    if mode == RegistrationMode::InviteOnly && cohort.is_none() {
        return Err(AppError::BadRequest(
            "Registration needs an invite code from your instructor.".into(),
        ));
    }
    let id = create_account(
        &state.pool,
        &state.hasher,
        &form.email,
        &form.name,
        form.password,
        Role::Learner,
    )
    .await?;
    if let Some(cohort) = cohort {
        crate::progress::db::join_cohort(&state.pool, cohort.id, id).await?;
    }
    tracing::info!(user_id = id, "account registered");
    sign_in(session, id).await
}

/// 429 with `why` and the minutes left while `email`'s failure lock runs
/// (sign-ins and password changes share it).
pub(crate) async fn refuse_if_locked(
    state: &AppState,
    email: &str,
    why: &str,
) -> Result<(), AppError> {
    match db::locked_for(&state.pool, email).await? {
        Some(left) => Err(AppError::TooManyRequests(crate::t!(
            "err-locked-try-again",
            why = crate::i18n::sentence(crate::i18n::Lang::current(), why),
            minutes = (left + 59) / 60
        ))),
        None => Ok(()),
    }
}

/// Signs in with an email and password. Unknown emails and wrong passwords
/// get the same answer and take the same time; ten failures in a row lock
/// the email for a while; old hashes are upgraded on the way.
pub async fn login(
    state: &AppState,
    session: &Session,
    email: &str,
    password: String,
    next: &str,
) -> Result<User, AppError> {
    // Anything that is not an email cannot be an account: same answer as a wrong password.
    let email = normalize_email(email).unwrap_or_else(|_| email.trim().to_lowercase());
    if email.len() > MAX_EMAIL {
        return Err(AppError::BadRequest(crate::t!(
            "err-email-too-long",
            max = MAX_EMAIL
        )));
    }
    refuse_if_locked(state, &email, "Too many failed sign-ins for this email.").await?;
    let (user, hash, disabled) = match db::by_email_with_hash(&state.pool, &email).await? {
        Some(found) => (Some(found.user), Some(found.password_hash), found.disabled),
        None => (None, None, false),
    };
    let ok = state.hasher.verify(password.clone(), hash.clone()).await;
    let Some(user) = user.filter(|_| ok) else {
        db::record_failure(&state.pool, &email).await?;
        return Err(AppError::BadCredentials);
    };
    // Said only after the right password: it reveals nothing to a guesser.
    if disabled {
        tracing::info!(user_id = user.id, "sign-in of a disabled account refused");
        return Err(AppError::Denied(
            "This account has been disabled by an administrator. Ask them to enable it.".into(),
        ));
    }
    db::clear_failures(&state.pool, &email).await?;
    if hash.as_deref().is_some_and(needs_rehash) {
        match state.hasher.hash(password).await {
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
    // Two-factor on: the session waits for the code (see `totp`).
    if super::totp::start_second_step(state, session, user.id, next).await? {
        return Ok(user);
    }
    sign_in(session, user.id).await?;
    tracing::info!(user_id = user.id, "signed in");
    Ok(user)
}

/// Ends this session server-side: the old cookie is dead even if replayed.
pub async fn logout(session: &Session) {
    if let Err(e) = session.flush().await {
        tracing::error!(error = %e, "cannot delete the session");
    }
}

/// Changes `user`'s password after checking the current one, ends their
/// other sessions and gives this one a fresh id. Wrong current passwords
/// count against the account like failed sign-ins: a stolen session cannot
/// guess its way to the password.
pub async fn change_password(
    state: &AppState,
    session: &Session,
    user: &User,
    current: String,
    new: String,
) -> Result<(), AppError> {
    refuse_if_locked(state, &user.email, "Too many wrong passwords for this account.").await?;
    let hash = db::password_hash(&state.pool, user.id).await?;
    if !state.hasher.verify(current, hash).await {
        db::record_failure(&state.pool, &user.email).await?;
        return Err(AppError::BadRequest(
            "Your current password is not right.".into(),
        ));
    }
    db::clear_failures(&state.pool, &user.email).await?;
    check_new_password(&new, is_common).map_err(AppError::BadRequest)?;
    let new_hash = state
        .hasher
        .hash(new)
        .await
        .map_err(|e| AppError::internal("password hashing failed", e))?;
    db::set_password_hash(&state.pool, user.id, &new_hash).await?;
    // Other devices must sign in again; this one gets a fresh id.
    sign_in(session, user.id).await?;
    let ended = end_other_sessions(&state.pool, &state.sessions, user.id, session.id()).await?;
    tracing::info!(
        user_id = user.id,
        ended,
        "password changed; other sessions ended"
    );
    Ok(())
}

/// "Sign out everywhere": every session of `user`, this one included.
pub async fn sign_out_everywhere(
    state: &AppState,
    session: &Session,
    user: &User,
) -> Result<(), AppError> {
    let ended = end_other_sessions(&state.pool, &state.sessions, user.id, None).await?;
    tracing::info!(user_id = user.id, ended, "signed out everywhere");
    logout(session).await;
    Ok(())
}

/// An admin changes another account's role (never their own: that keeps at
/// least one admin). Applies from that user's next request.
pub async fn set_role(
    state: &AppState,
    admin: &User,
    user_id: i64,
    role: &str,
) -> Result<(), AppError> {
    let role: Role = role.parse().map_err(AppError::BadRequest)?;
    if user_id == admin.id {
        return Err(AppError::BadRequest(
            "You cannot change your own role; ask another admin (this keeps at least one admin)."
                .into(),
        ));
    }
    if !db::set_role(&state.pool, user_id, role).await? {
        return Err(AppError::NotFound("There is no such user.".into()));
    }
    // Their signed-in pages use the new role from the next request on.
    state.sessions.clear();
    tracing::info!(admin = admin.id, user_id, %role, "role changed");
    Ok(())
}
