//! Server functions behind the account-management pages. Each checks the
//! caller first: server functions are public endpoints.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// One of your sessions (see `manage::SessionView`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SessionItem {
    pub handle: String,
    pub browser: String,
    pub ip: String,
    pub last_seen: String,
    pub current: bool,
}

/// One audit log line.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AuditItem {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub ip: String,
    pub detail: String,
}

/// Your live sessions (signed in).
#[server(endpoint = "account/sessions")]
pub async fn my_sessions() -> Result<Vec<SessionItem>, AppError> {
    use super::session::{require, Access};
    let user = require(Access::SignedIn)?;
    let state = crate::state::app_state()?;
    let session: tower_sessions::Session = leptos_axum::extract()
        .await
        .map_err(|e| AppError::internal("no session", e))?;
    let current = session.id().map(|id| id.to_string());
    Ok(
        super::manage::my_sessions(&state, &user, current.as_deref())
            .await?
            .into_iter()
            .map(|s| SessionItem {
                handle: s.handle,
                browser: s.browser,
                ip: s.ip,
                last_seen: crate::common::time::iso_time(s.last_seen),
                current: s.current,
            })
            .collect(),
    )
}

/// The audit log (admins only).
#[server(endpoint = "admin/audit")]
pub async fn audit_log() -> Result<Vec<AuditItem>, AppError> {
    use super::session::{require, Access};
    require(Access::Admin)?;
    let state = crate::state::app_state()?;
    Ok(super::manage::audit_log(&state)
        .await?
        .into_iter()
        .map(|a| AuditItem {
            at: crate::common::time::iso_time(a.at),
            actor: a.actor,
            action: a.action,
            target: a.target,
            ip: a.ip,
            detail: a.detail,
        })
        .collect())
}

/// Ids of disabled accounts (admins only), for the user list.
#[server(endpoint = "admin/disabled")]
pub async fn disabled_users() -> Result<Vec<i64>, AppError> {
    use super::session::{require, Access};
    require(Access::Admin)?;
    let state = crate::state::app_state()?;
    Ok(super::manage_db::disabled_ids(&state.pool).await?)
}

/// Whether a reset link can be used (anyone: the token is the secret).
#[server(endpoint = "reset/check")]
pub async fn reset_link_ok(token: String) -> Result<bool, AppError> {
    let state = crate::state::app_state()?;
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(false);
    }
    super::manage::reset_link_valid(&state, &token).await
}

/// Whether "forgot password" mail is set up here.
#[server(endpoint = "reset/available")]
pub async fn reset_by_mail() -> Result<bool, AppError> {
    Ok(crate::state::app_state()?.mailer.is_some())
}
