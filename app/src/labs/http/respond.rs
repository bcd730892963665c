//! Building [`LabResponse`]s: JSON bodies, RFC 9457 problem details, and
//! the headers every lab answer carries.

use http::{header, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;

use super::LabResponse;

pub const JSON: &str = "application/json";
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One invalid field of a 422 (`errors` in the problem body).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: &str) -> FieldError {
        FieldError {
            field: field.to_string(),
            message: message.to_string(),
        }
    }
}

/// An RFC 9457 problem: `type` is `about:blank` (the status says what
/// kind of problem it is), `title` the status's phrase, `detail` a sentence
/// about this request.
#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    errors: &'a [FieldError],
}

impl LabResponse {
    /// An empty answer with `status`.
    pub fn empty(status: StatusCode) -> LabResponse {
        LabResponse {
            status,
            headers: Default::default(),
            body: Vec::new(),
        }
    }

    /// `value` as a JSON body.
    pub fn json<T: Serialize>(status: StatusCode, value: &T) -> LabResponse {
        let body = serde_json::to_vec(value).unwrap_or_default();
        LabResponse::empty(status)
            .with(header::CONTENT_TYPE, JSON)
            .body(body)
    }

    pub fn body(mut self, body: Vec<u8>) -> LabResponse {
        self.body = body;
        self
    }

    /// Adds a header (one whose value is not a valid header value, which
    /// none of ours is, is left out rather than failing the answer).
    pub fn with(mut self, name: HeaderName, value: &str) -> LabResponse {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.append(name, v);
        }
        self
    }

    /// The value of header `name`, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A problem answer with a sentence.
pub fn problem(status: StatusCode, detail: &str) -> LabResponse {
    problem_with(status, detail, &[])
}

/// A 422 naming the invalid fields.
pub fn invalid(errors: &[FieldError]) -> LabResponse {
    problem_with(
        StatusCode::UNPROCESSABLE_ENTITY,
        "The item is not valid; see errors for each field.",
        errors,
    )
}

fn problem_with(status: StatusCode, detail: &str, errors: &[FieldError]) -> LabResponse {
    let body = Problem {
        kind: "about:blank",
        title: status.canonical_reason().unwrap_or("Error"),
        status: status.as_u16(),
        detail,
        errors,
    };
    let body = serde_json::to_vec(&body).unwrap_or_default();
    LabResponse::empty(status)
        .with(header::CONTENT_TYPE, PROBLEM_JSON)
        .body(body)
}

/// What every answer gets last: `Cache-Control: no-store` (each answer is
/// about one lab at one moment; no cache may keep or reuse it).
pub fn finish(mut resp: LabResponse) -> LabResponse {
    resp.headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}
