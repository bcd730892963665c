//! The one error type at the app's boundaries (form handlers, server
//! functions): each variant maps to an HTTP status and a sentence a person
//! can act on. Details (database errors, paths) go to the log only.

use http::StatusCode;

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum AppError {
    /// Input that cannot be used; the message says what to fix.
    #[error("{0}")]
    BadRequest(String),
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// Sign-in failed: deliberately the same for unknown email and wrong password.
    #[error("That email and password do not match an account.")]
    BadCredentials,
    #[error("You do not have permission to do that.")]
    Forbidden,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// Something broke on our side; the detail is logged, not shown.
    #[error("Something went wrong on our side. Nothing was saved; please try again.")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs an internal error with its context and returns the public error.
    pub fn internal(context: &str, detail: impl std::fmt::Display) -> AppError {
        tracing::error!(%detail, "{context}");
        AppError::Internal(context.to_string())
    }
}

impl AppError {
    /// Turns this error into a server-function error: the response gets this
    /// error's HTTP status, the body only its public sentence.
    pub fn into_server_fn(self) -> leptos::prelude::ServerFnError {
        #[cfg(feature = "ssr")]
        if let Some(resp) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(self.status());
        }
        leptos::prelude::ServerFnError::new(self.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::internal("database error", e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_messages() {
        assert_eq!(AppError::BadCredentials.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(AppError::Forbidden.status(), StatusCode::FORBIDDEN);
        let internal = AppError::Internal("db exploded: /secret/path".into());
        assert_eq!(internal.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            !internal.to_string().contains("secret"),
            "details never shown"
        );
    }
}
