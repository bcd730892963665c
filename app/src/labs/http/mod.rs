//! The practice HTTP API of the labs, under `/lab/{token}`, and the grading
//! of HTTP exercises on what a learner sent to it.
//!
//! Each learner gets one lab token per exercise ([`token_for`]); the token
//! is the namespace of everything here: the items, the idempotency keys,
//! the request history and the rate limit. The API (items with validation,
//! ETags and conditional requests, cursor pagination, idempotency keys,
//! bearer auth, the status codes the HTTP track teaches) is in `practice`,
//! and [`handle`] is its one entry: the axum route ([`serve`]), the page's
//! raw-request form ([`raw::parse_raw`]) and reference solutions
//! ([`run_solution`]) all go through it, so every request is limited and
//! recorded the same way.
//!
//! The routes are mounted outside the session, same-origin and page-cache
//! layers (see `server/src/lib.rs`): a learner's curl sends no cookie and no
//! `Origin`, and nothing here touches an account: a token names a lab, not a
//! person, and the lab's data is all a request can reach.
//!
//! Limits live in [`limits`]. Data goes 24 hours after the token was last
//! used ([`purge_expired`], hourly).

mod db;
mod item;
mod practice;
pub mod raw;
mod respond;
mod serve;
mod solution;
mod steps;

use std::fmt::Write as _;

use http::{HeaderMap, Method, StatusCode};
use serde::{Deserialize, Serialize};

pub use serve::serve;
pub use solution::{run_solution, Exchange};
pub use steps::{check_steps, Step, StepsVerdict};

/// Every limit of the practice API, in one place.
pub mod limits {
    /// Largest request body (a larger one is answered 413).
    pub const MAX_BODY: usize = 16 * 1024;
    /// Requests per token per minute (then 429 with `Retry-After`).
    pub const REQUESTS_PER_MINUTE: i64 = 120;
    /// The rate-limit window, in seconds.
    pub const WINDOW_SECS: i64 = 60;
    /// Requests kept in a token's history (the newest).
    pub const HISTORY_KEPT: i64 = 200;
    /// A token (and its data) expires this long after its last use, and an
    /// idempotency key this long after it was first used.
    pub const EXPIRY_SECS: i64 = 24 * 3600;
    /// Items one lab may hold (a POST past it is answered 409), so a loop
    /// in a learner's script cannot fill the disk.
    pub const MAX_ITEMS: i64 = 1000;
    /// Idempotency keys one lab remembers (the newest).
    pub const KEYS_KEPT: i64 = 1000;
    /// Longest raw request the page's form accepts (a body past
    /// [`MAX_BODY`] still reaches the API, which answers 413).
    pub const MAX_RAW: usize = 64 * 1024;
    /// Longest request line and headers of a raw request.
    pub const MAX_RAW_HEAD: usize = 8 * 1024;
    /// Most headers in a raw request.
    pub const MAX_RAW_HEADERS: usize = 64;
}

/// One request to a lab, however it arrived (curl, the page's form, a
/// reference solution): what [`handle`] answers.
#[derive(Clone, Debug)]
pub struct LabRequest {
    pub method: Method,
    /// The path after `/lab/{token}`, starting with `/` (`/items/3`), as
    /// sent (not percent-decoded).
    pub path: String,
    /// The query string without `?`, if the request had one.
    pub query: Option<String>,
    pub headers: HeaderMap,
    /// The body; one longer than [`limits::MAX_BODY`] may arrive cut at one
    /// byte past the limit (the reader stops there), which is enough for
    /// [`handle`] to answer 413.
    pub body: Vec<u8>,
}

impl LabRequest {
    /// A request with no headers and no body (tests, tools).
    pub fn new(method: Method, path_and_query: &str) -> LabRequest {
        let (path, query) = match path_and_query.split_once('?') {
            Some((p, q)) => (p, Some(q.to_string())),
            None => (path_and_query, None),
        };
        LabRequest {
            method,
            path: path.to_string(),
            query,
            headers: HeaderMap::new(),
            body: Vec::new(),
        }
    }

    /// `METHOD /path?query`, as a history line or a log shows it.
    pub fn line(&self) -> String {
        match &self.query {
            Some(q) => format!("{} {}?{q}", self.method, self.path),
            None => format!("{} {}", self.method, self.path),
        }
    }
}

/// The lab's answer, before it becomes an HTTP response (axum's, or the
/// text the page shows with [`raw::format_response`]).
#[derive(Clone, Debug)]
pub struct LabResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// One request in a lab's history, as recorded when it was answered.
///
/// Header values are kept only for the few headers an exercise is about
/// (see [`RECORDED_VALUES`]); of the rest only the name, so a learner's
/// `Authorization` never sits in the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Unix seconds.
    pub at: i64,
    pub method: String,
    /// Relative to the lab (`/items/3`).
    pub path: String,
    pub query: Option<String>,
    /// Lower-cased names, with the value for [`RECORDED_VALUES`].
    pub request_headers: Vec<(String, Option<String>)>,
    pub status: u16,
    /// Lower-cased names of the response's headers.
    pub response_headers: Vec<String>,
}

/// Request headers whose values the history keeps.
pub const RECORDED_VALUES: &[&str] = &[
    "accept",
    "content-type",
    "idempotency-key",
    "if-match",
    "if-none-match",
];

impl HistoryEntry {
    /// `POST /items → 201`: a line of the history on the exercise page.
    pub fn summary(&self) -> String {
        let mut s = format!("{} {}", self.method, self.path);
        if let Some(q) = &self.query {
            let _ = write!(s, "?{q}");
        }
        let _ = write!(s, " → {}", self.status);
        s
    }

    /// Whether the request carried header `name` (any case).
    pub fn sent(&self, name: &str) -> bool {
        self.request_headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// Whether the response carried header `name` (any case).
    pub fn answered_with(&self, name: &str) -> bool {
        self.response_headers
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
    }
}

/// Answers one request to the lab `token`: the practice API of the spec
/// (see `practice`), under the lab's limits, recorded in its history.
///
/// An unknown or expired token is answered 404 (and recorded nowhere).
/// The whole request is one `BEGIN IMMEDIATE` transaction: requests to one
/// lab apply one after the other, and an answer is in the history exactly
/// when its effects are stored.
pub async fn handle(pool: &crate::db::Db, token: &str, req: LabRequest) -> LabResponse {
    let now = crate::common::time::now();
    let resp = match practice::answer(pool, token, &req, now).await {
        Ok(Some(resp)) => resp,
        Ok(None) => respond::problem(
            StatusCode::NOT_FOUND,
            "This lab token is unknown or expired (a lab expires 24 hours after its last use). Open the exercise page again to get a fresh one.",
        ),
        Err(e) => {
            tracing::error!(error = %e, request = %req.line(), "lab request failed");
            respond::problem(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The lab could not answer this request. Try again in a moment.",
            )
        }
    };
    respond::finish(resp)
}

/// The learner's lab token for one exercise: the existing one (its use
/// refreshed), or a new one (128 random bits as hex) when there is none or
/// it expired, in which case the old lab's data is deleted with it.
pub async fn token_for(
    pool: &crate::db::Db,
    user_id: i64,
    lesson_id: &str,
    exercise_id: &str,
) -> Result<String, sqlx::Error> {
    let now = crate::common::time::now();
    db::token_for(pool, Some(user_id), lesson_id, exercise_id, now).await
}

/// A fresh lab that belongs to nobody, for running a reference solution
/// (`academy check-content`, the editor's preview). Delete it with
/// [`discard`] when done; otherwise it expires like any other.
pub async fn scratch_token(
    pool: &crate::db::Db,
    lesson_id: &str,
    exercise_id: &str,
) -> Result<String, sqlx::Error> {
    let now = crate::common::time::now();
    db::token_for(pool, None, lesson_id, exercise_id, now).await
}

/// Deletes the lab `token` and all its data.
pub async fn discard(pool: &crate::db::Db, token: &str) -> Result<(), sqlx::Error> {
    db::discard(pool, token).await
}

/// The lab's request history, oldest first (at most
/// [`limits::HISTORY_KEPT`] entries).
pub async fn history(pool: &crate::db::Db, token: &str) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    db::history(pool, token).await
}

/// Empties the lab (items, idempotency keys, history; ids count from 1
/// again) so the learner can start over. The rate limit is kept: a reset
/// must not refill it.
pub async fn reset(pool: &crate::db::Db, token: &str) -> Result<(), sqlx::Error> {
    db::reset(pool, token).await
}

/// Deletes the labs unused for [`limits::EXPIRY_SECS`] with all their data,
/// and idempotency keys older than that. Returns how many labs went.
pub async fn purge_expired(pool: &crate::db::Db) -> Result<u64, sqlx::Error> {
    db::purge_expired(pool, crate::common::time::now()).await
}
