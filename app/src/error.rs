//! The one error type at the app's boundaries (form handlers, server
//! functions): each variant maps to an HTTP status and a sentence a person
//! can act on. Details (database errors, paths) go to the log only.

use http::StatusCode;
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

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

    /// The sentence of this error in `lang` (see [`crate::i18n::sentence`]):
    /// what a page shows a person.
    pub fn sentence(&self, lang: Lang) -> String {
        crate::i18n::sentence(lang, &self.to_string())
    }

    /// This error with the sentence it carries in `lang`. The fixed
    /// variants (`Unauthorized`, `Forbidden`, ...) carry none: their
    /// sentence is their `Display`, which the browser writes in English.
    pub fn in_lang(&self, lang: Lang) -> AppError {
        let said = |s: &String| crate::i18n::sentence(lang, s);
        match self {
            AppError::BadRequest(s) => AppError::BadRequest(said(s)),
            AppError::Denied(s) => AppError::Denied(said(s)),
            AppError::NotFound(s) => AppError::NotFound(said(s)),
            AppError::Conflict(s) => AppError::Conflict(said(s)),
            AppError::TooManyRequests(s) => AppError::TooManyRequests(said(s)),
            AppError::Unauthorized
            | AppError::BadCredentials
            | AppError::Forbidden
            | AppError::Internal(_) => self.clone(),
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
                // The browser has no catalogue (this also runs there, for
                // answers that do not decode): it keeps the English text.
                #[cfg(feature = "ssr")]
                let sentence = crate::t!("err-request-malformed", detail = detail);
                #[cfg(not(feature = "ssr"))]
                let sentence =
                    format!("The request was malformed ({detail}). Reload the page and try again.");
                AppError::BadRequest(sentence)
            }
            ServerFnErrorErr::Request(_) => AppError::BadRequest(
                "The server could not be reached. Check your connection and try again.".into(),
            ),
            other => AppError::internal("server function failed", other),
        }
    }

    /// The answer of a failed server function: the island shows its
    /// sentence as it arrives, so the sentence travels in the language of
    /// the request (the Leptos context of the server function holds its
    /// headers). English requests get the sentence unchanged.
    #[cfg(feature = "ssr")]
    fn ser(&self) -> leptos::server_fn::Bytes {
        use leptos::server_fn::Encodes;
        let shown = self.in_lang(Lang::current());
        <JsonEncoding as Encodes<AppError>>::encode(&shown).unwrap_or_else(|e| {
            let fallback =
                AppError::from_server_fn_error(ServerFnErrorErr::Serialization(e.to_string()));
            <JsonEncoding as Encodes<AppError>>::encode(&fallback).unwrap_or_default()
        })
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

    /// Outside a request (no headers) the language is English: the error
    /// crosses unchanged.
    #[test]
    fn english_sentences_cross_unchanged() {
        let e = AppError::NotFound("There is no such lesson.".into());
        assert_eq!(AppError::de(e.ser()), e);
        assert_eq!(e.in_lang(Lang::En), e);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn sentences_in_spanish() {
        let e = AppError::NotFound("There is no such lesson.".into());
        assert_eq!(
            e.in_lang(Lang::Es),
            AppError::NotFound("Esa lección no existe.".into())
        );
        assert_eq!(e.in_lang(Lang::Es).status(), e.status());
        assert_eq!(
            AppError::Forbidden.sentence(Lang::Es),
            "No tienes permiso para hacer eso."
        );
        assert_eq!(
            AppError::Forbidden.sentence(Lang::En),
            AppError::Forbidden.to_string()
        );
        let built = AppError::Conflict("You have used all 3 attempts at this quiz.".into());
        assert_eq!(built.in_lang(Lang::Es), built);
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
