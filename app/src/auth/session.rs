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
            #[cfg(feature = "ssr")]
            if server::refuse_without_mfa() {
                return Err(AppError::Forbidden);
            }
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
                            // only when the session is saved, so touch it every ten
                            // minutes (which also keeps "last seen" in "your
                            // sessions" within ten minutes).
                            let today = now() / 600;
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
        // `--require-mfa`: is this a user who must turn two-factor on first?
        let mfa_missing = match &user {
            Some(u)
                if state.settings.require_mfa.contains(&u.role)
                    && !mfa_exempt(req.uri().path()) =>
            {
                // An unreadable answer counts as "off": refuse rather than let through.
                !crate::auth::totp::has_two_factor(&state.pool, u.id)
                    .await
                    .unwrap_or(false)
            }
            _ => false,
        };
        req.extensions_mut().insert(CurrentUser(user));
        let mut resp = if mfa_missing {
            req.extensions_mut().insert(MfaMissing);
            run_without_mfa(req, next).await
        } else {
            next.run(req).await
        };
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

    /// On a request of a user whose role must use two-factor sign-in
    /// (`--require-mfa`) and who has not turned it on, outside the pages that
    /// stay open to them ([`mfa_exempt`]): put there by [`load_user`].
    #[derive(Clone, Copy, Debug)]
    pub struct MfaMissing;

    tokio::task_local! {
        /// Set while such a request runs; `true` once an access check refused it.
        static MFA_REFUSED: std::cell::Cell<bool>;
    }

    /// Header a page rendered in another task sets when [`Access::check`]
    /// refused it for two-factor; [`load_user`] turns it into the answer.
    const MFA_MARKER: &str = "x-academy-mfa-required";

    /// What a user of a role that must use two-factor sign-in may still open
    /// without it: their account (and its forms), enrolment, signing in and out.
    pub fn mfa_exempt(path: &str) -> bool {
        path == "/account"
            || path.starts_with("/account/")
            || path == "/login"
            || path.starts_with("/login/")
            || path == "/logout"
            || path == "/api/account/2fa"
    }

    /// Whether this request is one of a user who must turn two-factor on
    /// first (then it is marked refused). Reads the marker from the request
    /// (forms run in its task; pages and server functions see its parts).
    pub(crate) fn refuse_without_mfa() -> bool {
        let in_task = MFA_REFUSED.try_with(|c| c.set(true)).is_ok();
        let in_parts = leptos::prelude::use_context::<http::request::Parts>()
            .is_some_and(|p| p.extensions.get::<MfaMissing>().is_some());
        if in_parts {
            if let Some(resp) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                resp.insert_header(
                    http::HeaderName::from_static(MFA_MARKER),
                    http::HeaderValue::from_static("1"),
                );
            }
        }
        in_task || in_parts
    }

    /// The sentence of a refusal for two-factor.
    pub const MFA_SENTENCE: &str =
        "Your role must use two-factor sign-in: turn it on at /account/2fa first.";

    /// Runs the rest of a request of a user without the two-factor their
    /// role needs; a refused page or form becomes 303 to `/account/2fa`, a
    /// refused server function 403 with the sentence.
    async fn run_without_mfa(req: Request, next: Next) -> Response {
        let api = req.uri().path().starts_with("/api/");
        let lang = crate::i18n::Lang::from_headers(req.headers());
        let (resp, refused) = MFA_REFUSED
            .scope(std::cell::Cell::new(false), async {
                let resp = next.run(req).await;
                (resp, MFA_REFUSED.with(|c| c.get()))
            })
            .await;
        let refused = refused || resp.headers().contains_key(MFA_MARKER);
        if !refused {
            return resp;
        }
        if api {
            // The island shows the error's sentence; the status says 403.
            let body =
                serde_json::to_string(&AppError::BadRequest(MFA_SENTENCE.into()).in_lang(lang))
                    .unwrap_or_default();
            let mut resp = Response::new(axum::body::Body::from(body));
            *resp.status_mut() = http::StatusCode::FORBIDDEN;
            resp.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            resp
        } else {
            crate::ui::form::server::see_other("/account/2fa?required=1")
        }
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
