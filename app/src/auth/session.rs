//! Who is signing in: the per-request user lookup and session rules.
//!
//! A middleware reads the session once per request and puts
//! [`CurrentUser`] into the request extensions; Leptos copies the request
//! parts into context, so pages and server functions read it with
//! [`current_user`]. Session and user come from one query, kept for a minute
//! by `crate::cache`; any change made through the app empties that cache, so
//! a role change applies from the next request (one made with the CLI, from
//! another process, within the minute).

use super::model::User;
use crate::error::AppError;

/// The signed-in user of this request (`None`: a visitor).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CurrentUser(pub Option<User>);

/// Put on a response rendered for a visitor: no signed-in user and no
/// session data. Only such a response may be kept in a cache that serves
/// everyone; the decision is made here, from what the request turned out to
/// be, never from how its Cookie header looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderedForVisitor;

/// The signed-in user of the request being handled, if any.
pub fn current_user() -> Option<User> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
            .and_then(|c| c.0)
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// What an operation asks of its caller. This is the one place roles are
/// checked; pages that only show or hide a link ask [`Role::can_teach`] and
/// [`Role::is_admin`], which this uses too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Any signed-in account.
    SignedIn,
    /// Instructors and admins.
    Teacher,
    /// Admins only.
    Admin,
}

impl Access {
    /// The user, if they may go on: `Unauthorized` for a visitor,
    /// `Forbidden` for the wrong role.
    pub fn check(self, user: Option<User>) -> Result<User, AppError> {
        let user = user.ok_or(AppError::Unauthorized)?;
        let allowed = match self {
            Access::SignedIn => true,
            Access::Teacher => user.role.can_teach(),
            Access::Admin => user.role.is_admin(),
        };
        if allowed {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The caller of this server function or page, checked against `access`.
pub fn require(access: Access) -> Result<User, AppError> {
    access.check(current_user())
}

#[cfg(feature = "ssr")]
pub mod server {
    use std::time::Duration;

    use axum::{
        extract::{Request, State},
        middleware::Next,
        response::Response,
    };
    use tower_sessions::Session;

    use super::CurrentUser;
    use crate::{auth::session_store::USER_ID_KEY, error::AppError, state::AppState};

    /// The signed-in user of a request handled outside Leptos (form handlers).
    pub fn user_of(parts: &axum::http::request::Parts) -> Option<crate::auth::model::User> {
        parts
            .extensions
            .get::<CurrentUser>()
            .and_then(|c| c.0.clone())
    }

    /// `CurrentUser` as an axum extractor, for routes outside the form
    /// adapter (downloads, media). [`load_user`] put it there.
    impl<S: Send + Sync> axum::extract::FromRequestParts<S> for CurrentUser {
        type Rejection = std::convert::Infallible;

        async fn from_request_parts(
            parts: &mut axum::http::request::Parts,
            _: &S,
        ) -> Result<Self, Self::Rejection> {
            Ok(parts
                .extensions
                .get::<CurrentUser>()
                .cloned()
                .unwrap_or_default())
        }
    }

    /// When the session was signed in (unix seconds), for the absolute timeout.
    pub const SIGNED_IN_AT_KEY: &str = "signed_in_at";
    /// The last day (days since the epoch) the session was used.
    pub const SEEN_DAY_KEY: &str = "seen_day";

    use crate::common::time::now;

    /// Whether a session signed in at `signed_in_at` is past `max_age`.
    pub fn past_absolute_timeout(signed_in_at: Option<i64>, now: i64, max_age: Duration) -> bool {
        match signed_in_at {
            Some(at) => now.saturating_sub(at) > max_age.as_secs() as i64,
            None => true,
        }
    }

    /// Middleware: resolve the session's user once per request.
    ///
    /// Reads the session row and its user in one query
    /// ([`crate::auth::db::session_user`]) instead of letting tower-sessions
    /// load the record first; the record is loaded through the session only
    /// when it must change (the daily touch, a timeout, a deleted account).
    pub async fn load_user(
        State(state): State<AppState>,
        session: Session,
        mut req: Request,
        next: Next,
    ) -> Response {
        let mut user = None;
        // A visitor until a session with data (or an unreadable one) shows up.
        let mut visitor = true;
        if let Some(id) = session.id() {
            let id = id.to_string();
            let found = match state.sessions.get(&id).filter(|f| f.expiry > now()) {
                Some(found) => Ok(Some(found)),
                None => {
                    let generation = state.sessions.generation();
                    crate::auth::db::session_user(&state.pool, &id)
                        .await
                        .map(|found| {
                            found.map(|found| {
                                let found = std::sync::Arc::new(found);
                                state.sessions.put(id.clone(), found.clone(), generation);
                                found
                            })
                        })
                }
            };
            match found {
                Ok(Some(found)) => {
                    visitor &= found.data.is_empty();
                    let number = |key: &str| found.data.get(key).and_then(|v| v.as_i64());
                    if let Some(user_id) = number(USER_ID_KEY) {
                        if past_absolute_timeout(
                            number(SIGNED_IN_AT_KEY),
                            now(),
                            state.settings.session_max_age,
                        ) {
                            tracing::info!(user_id, "session reached its absolute timeout");
                            let _ = session.flush().await;
                        } else if let Some(u) = found.user.clone() {
                            // Sliding idle timeout: tower-sessions extends the expiry
                            // only when the session is saved, so touch it once a day.
                            let today = now() / 86_400;
                            if number(SEEN_DAY_KEY) != Some(today) {
                                let _ = session.insert(SEEN_DAY_KEY, today).await;
                            }
                            user = Some(u);
                        } else {
                            tracing::info!(user_id, "the session's account is gone");
                            let _ = session.flush().await;
                        }
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    visitor = false;
                    tracing::error!(error = %e, "cannot load the session's user")
                }
            }
        }
        let signed_in = user.is_some();
        req.extensions_mut().insert(CurrentUser(user));
        let mut resp = next.run(req).await;
        if signed_in {
            // A page about one person: no browser or proxy cache may keep it.
            resp.headers_mut().insert(
                http::header::CACHE_CONTROL,
                http::HeaderValue::from_static("no-store"),
            );
        } else if visitor {
            resp.extensions_mut().insert(super::RenderedForVisitor);
        }
        resp
    }

    /// Signs `user_id` in: a new session id (against fixation), then the user.
    pub async fn sign_in(session: &Session, user_id: i64) -> Result<(), AppError> {
        session
            .cycle_id()
            .await
            .map_err(|e| AppError::internal("cannot cycle the session id", e))?;
        session
            .insert(USER_ID_KEY, user_id)
            .await
            .map_err(|e| AppError::internal("cannot store the session", e))?;
        session
            .insert(SIGNED_IN_AT_KEY, now())
            .await
            .map_err(|e| AppError::internal("cannot store the session", e))?;
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn absolute_timeout() {
            let day = Duration::from_secs(86_400);
            assert!(!past_absolute_timeout(Some(1_000), 1_000 + 86_400, day));
            assert!(past_absolute_timeout(Some(1_000), 1_000 + 86_401, day));
            assert!(past_absolute_timeout(None, 5, day));
        }
    }
}
