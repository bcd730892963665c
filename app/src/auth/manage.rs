//! Account management, one function per operation: reset links (made by
//! an admin, or mailed on request), the audit log, "your sessions", a
//! learner's export and deletion, and admins disabling, signing out and
//! deleting accounts. Every admin action and every deletion is audited.

use sha2::{Digest, Sha256};
use tower_sessions::Session;

use super::{
    db,
    manage_db::{self, AuditRow},
    model::{check_new_password, normalize_email, User},
    password::is_common,
    session_store::end_other_sessions,
};
use crate::{
    common::{client::Client, time::now},
    error::AppError,
    state::AppState,
};

/// A reset link works this long, once.
pub const RESET_VALID_SECONDS: i64 = 24 * 3600;
/// Self-service reset mails per address per hour (beyond: silently none).
pub const RESETS_PER_HOUR: i64 = 3;

/// The stored form of a token: its SHA-256, so a copy of the database
/// cannot reset anyone's password.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn link(state: &AppState, token: &str) -> String {
    let base = state.settings.public_url.as_deref().unwrap_or("");
    format!("{}/reset?token={token}", base.trim_end_matches('/'))
}

async fn audit(
    state: &AppState,
    actor: Option<&User>,
    action: &str,
    target: Option<(i64, &str)>,
    client: &Client,
    detail: &str,
) -> Result<(), AppError> {
    manage_db::audit(
        &state.pool,
        actor.map(|a| a.id),
        actor.map(|a| a.email.as_str()).unwrap_or("(self-service)"),
        action,
        target.map(|t| t.0),
        target.map(|t| t.1).unwrap_or(""),
        &client.ip,
        detail,
    )
    .await?;
    tracing::info!(action, actor = actor.map(|a| a.id), target = target.map(|t| t.0), "audited");
    Ok(())
}

/// The account an admin acts on, or a 404; never the admin's own (that
/// keeps at least one admin able to undo things).
async fn other_account(
    state: &AppState,
    admin: &User,
    user_id: i64,
) -> Result<manage_db::Managed, AppError> {
    if user_id == admin.id {
        return Err(AppError::BadRequest(
            "You cannot do that to your own account here; use your account page or ask another admin."
                .into(),
        ));
    }
    manage_db::managed(&state.pool, user_id)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or_else(|| AppError::NotFound("There is no such user.".into()))
}

/// An admin makes a one-time reset link for `user_id`: valid 24 hours,
/// used once; only its hash is stored. Returns the link to hand over.
pub async fn admin_reset_link(
    state: &AppState,
    admin: &User,
    user_id: i64,
    client: &Client,
) -> Result<String, AppError> {
    let target = other_account(state, admin, user_id).await?;
    let token = crate::common::random::hex::<32>();
    manage_db::add_reset(
        &state.pool,
        &token_hash(&token),
        target.id,
        now() + RESET_VALID_SECONDS,
        Some(admin.id),
    )
    .await?;
    audit(state, Some(admin), "reset link made", Some((target.id, &target.email)), client, "").await?;
    Ok(link(state, &token))
}

/// "Forgot password": mails a reset link when the address has an account.
/// The answer is the same, and as fast, either way: the lookup is the only
/// work done in the request, the rest happens after it has been answered.
/// At most [`RESETS_PER_HOUR`] mails per address an hour (per IP, the
/// route's rate limit).
pub async fn request_reset(state: &AppState, email: &str) -> Result<(), AppError> {
    let Some(mailer) = state.mailer.clone() else {
        return Err(AppError::NotFound(
            "Password reset by email is not set up here; ask an administrator for a reset link."
                .into(),
        ));
    };
    let email = normalize_email(email).map_err(AppError::BadRequest)?;
    let found = db::by_email_with_hash(&state.pool, &email).await?;
    let Some(found) = found else {
        tracing::info!("reset asked for an address without an account");
        return Ok(());
    };
    let state = state.clone();
    // The mail is written after the answer, outside the request's task:
    // its language is the requester's, taken now.
    let lang = crate::i18n::Lang::current();
    tokio::spawn(async move {
        let user_id = found.user.id;
        let token = crate::common::random::hex::<32>();
        let expires = now() + RESET_VALID_SECONDS;
        let stored = manage_db::add_reset_limited(
            &state.pool,
            &token_hash(&token),
            user_id,
            expires,
            now() - 3600,
            RESETS_PER_HOUR,
        )
        .await;
        match stored {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(user_id, "reset mails for this address are rate-limited");
                return;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot store a reset link");
                return;
            }
        }
        let body = format!(
            "{hello}\n\n{asked}\n\n{link}\n\n{ignore}\n",
            hello = crate::t_in!(
                lang,
                "auth-mail-reset-hello",
                name = &found.user.display_name
            ),
            asked = crate::t_in!(lang, "auth-mail-reset-asked"),
            link = link(&state, &token),
            ignore = crate::t_in!(lang, "auth-mail-reset-ignore"),
        );
        let subject = crate::t_in!(lang, "auth-mail-reset-subject");
        mailer.send_later(&found.user.email, &subject, body);
    });
    Ok(())
}

/// Whether a reset link can still be used (the form page says so first).
pub async fn reset_link_valid(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(manage_db::reset_valid(&state.pool, &token_hash(token)).await?)
}

/// Sets a new password with a reset link: the link is used up, and every
/// session of the account ends (whoever had the old password is out).
pub async fn reset_password(
    state: &AppState,
    token: &str,
    new: String,
    client: &Client,
) -> Result<(), AppError> {
    check_new_password(&new, is_common).map_err(AppError::BadRequest)?;
    let hash = state
        .hasher
        .hash(new)
        .await
        .map_err(|e| AppError::internal("password hashing failed", e))?;
    let Some(user_id) = manage_db::use_reset(&state.pool, &token_hash(token)).await? else {
        return Err(AppError::BadRequest(
            "This reset link cannot be used: it was used already, it is older than 24 hours, or it was copied incompletely. Ask for a new one.".into(),
        ));
    };
    db::set_password_hash(&state.pool, user_id, &hash).await?;
    let user = db::by_id(&state.pool, user_id).await?;
    let email = user.as_ref().map(|u| u.email.clone()).unwrap_or_default();
    db::clear_failures(&state.pool, &email).await?;
    let ended = end_other_sessions(&state.pool, &state.sessions, user_id, None).await?;
    audit(state, None, "password reset with a link", Some((user_id, &email)), client, &format!("{ended} sessions ended")).await?;
    Ok(())
}

/// An admin disables (or enables again) an account; disabling ends its
/// sessions, and sign-in is refused until enabled.
pub async fn admin_set_disabled(
    state: &AppState,
    admin: &User,
    user_id: i64,
    disabled: bool,
    client: &Client,
) -> Result<(), AppError> {
    let target = other_account(state, admin, user_id).await?;
    manage_db::set_disabled(&state.pool, target.id, disabled).await?;
    state.sessions.clear();
    let action = if disabled { "account disabled" } else { "account enabled" };
    audit(state, Some(admin), action, Some((target.id, &target.email)), client, "").await
}

/// An admin ends every session of an account.
pub async fn admin_end_sessions(
    state: &AppState,
    admin: &User,
    user_id: i64,
    client: &Client,
) -> Result<(), AppError> {
    let target = other_account(state, admin, user_id).await?;
    let ended = end_other_sessions(&state.pool, &state.sessions, target.id, None).await?;
    audit(state, Some(admin), "sessions ended", Some((target.id, &target.email)), client, &format!("{ended} sessions")).await
}

/// An admin deletes an account (see [`delete_account`]).
pub async fn admin_delete(
    state: &AppState,
    admin: &User,
    user_id: i64,
    client: &Client,
) -> Result<(), AppError> {
    let target = other_account(state, admin, user_id).await?;
    delete_account(state, target.id).await?;
    audit(state, Some(admin), "account deleted", Some((target.id, &target.email)), client, "").await
}

/// Deletes an account's personal data. Kept, under an anonymous
/// "deleted learner": lesson completions, exercises solved (no answers) and
/// cohort membership, so an instructor's counts stay true. Deleted: name,
/// email, password, two-factor, sessions, quiz attempts (they hold what the
/// learner wrote), exercise answers, lab data, reset links.
async fn delete_account(state: &AppState, user_id: i64) -> Result<(), AppError> {
    if !manage_db::anonymise(&state.pool, user_id).await? {
        return Err(AppError::NotFound("There is no such user.".into()));
    }
    state.sessions.clear();
    state.progress.forget(user_id);
    Ok(())
}

/// A learner deletes their own account, confirming with their password or,
/// with two-factor on, a current code (accounts made by "sign in with the
/// school" have no password anyone knows).
pub async fn delete_own(
    state: &AppState,
    session: &Session,
    user: &User,
    password: String,
    code: &str,
    client: &Client,
) -> Result<(), AppError> {
    let confirmed = if !code.trim().is_empty() {
        super::totp::verify_code(state, user.id, code).await?
    } else {
        let hash = db::password_hash(&state.pool, user.id).await?;
        state.hasher.verify(password, hash).await
    };
    if !confirmed {
        db::record_failure(&state.pool, &user.email).await?;
        return Err(AppError::BadRequest(
            "That is not your password (or a current code of your authenticator); nothing was deleted.".into(),
        ));
    }
    delete_account(state, user.id).await?;
    audit(state, Some(user), "own account deleted", Some((user.id, &user.email)), client, "").await?;
    super::service::logout(session).await;
    Ok(())
}

/// One of your sessions, as the account page lists it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SessionView {
    /// Names the session without being it (a hash): the page never holds
    /// a usable session id.
    pub handle: String,
    pub browser: String,
    pub ip: String,
    pub last_seen: i64,
    pub current: bool,
}

fn handle(id: &str) -> String {
    token_hash(id)[..16].to_string()
}

/// Your live sessions, this one first.
pub async fn my_sessions(
    state: &AppState,
    user: &User,
    current: Option<&str>,
) -> Result<Vec<SessionView>, AppError> {
    let mut list: Vec<SessionView> = manage_db::sessions_of(&state.pool, user.id)
        .await?
        .into_iter()
        .map(|s| SessionView {
            handle: handle(&s.id),
            browser: Client::browser(&s.user_agent),
            ip: s.ip,
            last_seen: s.last_seen,
            current: current == Some(s.id.as_str()),
        })
        .collect();
    list.sort_by_key(|s| !s.current);
    Ok(list)
}

/// Ends one of your sessions, named by its handle.
pub async fn end_my_session(state: &AppState, user: &User, target: &str) -> Result<(), AppError> {
    let sessions = manage_db::sessions_of(&state.pool, user.id).await?;
    let Some(found) = sessions.iter().find(|s| handle(&s.id) == target) else {
        return Err(AppError::NotFound(
            "That session has ended already, or is not yours.".into(),
        ));
    };
    manage_db::end_session(&state.pool, user.id, &found.id).await?;
    state.sessions.forget(&found.id);
    tracing::info!(user_id = user.id, "one session ended by its owner");
    Ok(())
}

/// The audit log for admins, newest first.
pub async fn audit_log(state: &AppState) -> Result<Vec<AuditRow>, AppError> {
    Ok(manage_db::audit_log(&state.pool, 500).await?)
}

/// Everything stored about `user`, as JSON: profile, progress, attempts,
/// exercises, cohorts, sessions (no ids, no secrets), and the audit log
/// entries about them. Password and two-factor secrets are never included.
pub async fn export(state: &AppState, user: &User) -> Result<serde_json::Value, AppError> {
    use serde_json::json;
    let pool = &state.pool;
    let attempts: Vec<_> = manage_db::attempts_of(pool, user.id)
        .await?
        .into_iter()
        .map(|a| {
            json!({
                "lesson_id": a.lesson_id, "percent": a.percent, "passed": a.passed,
                "at": crate::common::time::iso_time(a.created_at),
                "answers": serde_json::from_str::<serde_json::Value>(&a.answers).unwrap_or_default(),
            })
        })
        .collect();
    let runs: Vec<_> = manage_db::runs_of(pool, user.id)
        .await?
        .into_iter()
        .map(|r| {
            json!({
                "lesson_id": r.lesson_id, "exercise_id": r.exercise_id, "answer": r.answer,
                "passed": r.passed, "at": crate::common::time::iso_time(r.created_at),
            })
        })
        .collect();
    let sessions: Vec<_> = manage_db::sessions_of(pool, user.id)
        .await?
        .into_iter()
        .map(|s| {
            json!({
                "browser": s.user_agent, "ip": s.ip,
                "last_seen": crate::common::time::iso_time(s.last_seen),
                "expires": crate::common::time::iso_time(s.expiry_date),
            })
        })
        .collect();
    let audit: Vec<_> = manage_db::audit_of(pool, user.id)
        .await?
        .into_iter()
        .map(|a| {
            json!({
                "at": crate::common::time::iso_time(a.at), "by": a.actor, "action": a.action,
                "ip": a.ip, "detail": a.detail,
            })
        })
        .collect();
    Ok(json!({
        "exported_at": crate::common::time::iso_time(now()),
        "profile": {
            "id": user.id, "email": user.email, "name": user.display_name,
            "role": user.role.as_str(),
            "created_at": crate::common::time::iso_time(manage_db::created_at(pool, user.id).await?),
            "two_factor": manage_db::two_factor_on(pool, user.id).await?,
        },
        "lesson_progress": manage_db::progress_of(pool, user.id).await?,
        "active_days": manage_db::days_of(pool, user.id).await?,
        "quiz_attempts": attempts,
        "exercises": manage_db::exercises_of(pool, user.id).await?,
        "exercise_runs": runs,
        "cohorts": crate::progress::db::cohort_names_of(pool, user.id).await?,
        "sessions": sessions,
        "audit_log": audit,
    }))
}
