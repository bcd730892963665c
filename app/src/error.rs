//! The one error type at the app's boundaries (form handlers, server
//! functions): each variant maps to an HTTP status and a sentence a person
//! can act on. Details (database errors, paths) go to the log only.

use http::StatusCode;
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// Server functions return `Result<T, AppError>` directly: the error crosses
/// to the browser as JSON (`{"Forbidden":null}`), the island shows its
/// sentence, and the server's `/api` middleware answers with the variant's
/// status. `Internal` carries only the logged context's name, never detail.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Refused for a reason the person can act on (403 with the sentence):
    /// a disabled account, a sign-in domain that is not allowed.
    #[error("{0}")]
    Denied(String),
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
            AppError::Forbidden | AppError::Denied(_) => StatusCode::FORBIDDEN,
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

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Failures of the server-function machinery itself: arguments that do
    /// not decode are the caller's mistake (400), a lost connection is said
    /// as such, the rest is ours.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail)
            | ServerFnErrorErr::MissingArg(detail)
            | ServerFnErrorErr::Deserialization(detail) => {
                let detail: String = detail.chars().take(200).collect();
                AppError::BadRequest(format!(
                    "The request was malformed ({detail}). Reload the page and try again."
                ))
            }
            ServerFnErrorErr::Request(_) => AppError::BadRequest(
                "The server could not be reached. Check your connection and try again.".into(),
            ),
            other => AppError::internal("server function failed", other),
        }
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
    fn server_function_errors_keep_their_variant() {
        let e = AppError::Conflict("Changed since.".into());
        assert_eq!(AppError::de(e.ser()), e);
        assert_eq!(
            AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into())).status(),
            StatusCode::BAD_REQUEST
        );
    }

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
