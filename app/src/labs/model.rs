//! Exercises as plain data. An [`Exercise`] carries its reference solution
//! and checking data and never leaves the server; the page gets an
//! [`ExerciseView`], which holds the solution only once the exercise's
//! [`SolutionPolicy`] allows it.

use serde::{Deserialize, Serialize};

use crate::common::html::SafeHtml;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExerciseKind {
    Sql,
    Http,
}

impl ExerciseKind {
    pub fn label(self) -> &'static str {
        match self {
            ExerciseKind::Sql => "SQL exercise",
            ExerciseKind::Http => "HTTP exercise",
        }
    }
}

/// When the reference solution may be shown to a learner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SolutionPolicy {
    AfterPass,
    AfterTries(u32),
    Never,
}

impl SolutionPolicy {
    /// Whether a learner with these `tries` (and `solved`) may see it.
    pub fn allows(self, tries: u32, solved: bool) -> bool {
        match self {
            SolutionPolicy::AfterPass => solved,
            SolutionPolicy::AfterTries(n) => solved || tries >= n,
            SolutionPolicy::Never => false,
        }
    }

    /// The sentence shown while the solution is still hidden.
    pub fn describe(self) -> String {
        match self {
            SolutionPolicy::AfterPass => crate::t!("labs-solution-after-pass"),
            SolutionPolicy::AfterTries(n) => crate::t!("labs-solution-after-tries", count = n),
            SolutionPolicy::Never => crate::t!("labs-solution-never"),
        }
    }
}

/// How a SQL answer is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SqlCheck {
    /// The answer's rows equal the reference's.
    Result,
    /// The answer is a script; a probe query's rows after it equal the
    /// probe's rows after the reference script.
    Probe,
    /// As `Probe`, and the probe's query plan must (not) mention given text.
    Plan,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SqlSpec {
    /// Dataset name (`content/datasets/{name}.sql` or `{name}/*.csv`).
    pub dataset: Option<String>,
    /// SQL run after the dataset, part of the starting database.
    pub setup: String,
    pub check: SqlCheck,
    /// Whether row order matters (only when the prompt asks for ORDER BY).
    pub ordered: bool,
    pub probe: Option<String>,
    pub plan_contains: Option<String>,
    pub plan_excludes: Option<String>,
}

/// One request the learner's history must contain (in order with the
/// others). Every field left out matches anything.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpStep {
    pub method: Option<String>,
    /// Relative to the lab (`/items/*`); `*` matches one segment.
    pub path: Option<String>,
    pub status: Option<u16>,
    #[serde(default)]
    pub request_headers: Vec<String>,
    #[serde(default)]
    pub response_headers: Vec<String>,
}

/// An exercise as its author wrote it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exercise {
    pub id: String,
    pub kind: ExerciseKind,
    pub title: String,
    /// Prompt and hints, rendered through the lesson pipeline.
    pub prompt: SafeHtml,
    pub hints: Vec<SafeHtml>,
    pub show_solution: SolutionPolicy,
    /// The reference solution: SQL, or raw HTTP requests split by `###`.
    pub solution: String,
    /// Text the answer box starts with.
    pub starter: String,
    /// 1-based line of the block in the lesson file.
    pub line: usize,
    pub sql: Option<SqlSpec>,
    pub steps: Vec<HttpStep>,
}

// ------------------------------------------------------ what pages show

/// One value of a result table, typed as SQLite returned it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    /// Blobs are shown by size only.
    Blob(usize),
}

impl Cell {
    pub fn shown(&self) -> String {
        match self {
            Cell::Null => "NULL".into(),
            Cell::Int(i) => i.to_string(),
            Cell::Real(r) => r.to_string(),
            Cell::Text(t) => t.clone(),
            Cell::Blob(n) => format!("<{n}-byte blob>"),
        }
    }
}

/// A result set: at most [`MAX_ROWS`] rows (`truncated` when more existed).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub truncated: bool,
}

/// Rows a run keeps and shows.
pub const MAX_ROWS: usize = 1000;

/// The outcome of one run or check, as the page shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    /// Whether the exercise's check passed with this run.
    pub passed: bool,
    /// What the check found (without giving the answer away).
    pub verdict: String,
    /// The error SQLite (or the lab) gave, or the limit that was hit.
    pub error: Option<String>,
    /// The rows the learner's SQL returned.
    pub table: Option<Table>,
    /// The raw HTTP response of a request sent through the page.
    pub response: Option<String>,
    /// True when this was "send a request", not a graded check.
    pub sent_only: bool,
}

/// A learner's lab for an HTTP exercise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabView {
    pub token: String,
    /// Absolute URL of the lab root (`https://host/lab/{token}`).
    pub base: String,
    /// Requests seen so far (`POST /items → 201`), newest last.
    pub history: Vec<String>,
}

/// An exercise page for one learner (or a visitor).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExerciseView {
    pub lesson_title: String,
    pub lesson_href: String,
    pub id: String,
    pub kind: ExerciseKind,
    pub title: String,
    pub prompt: SafeHtml,
    /// The answer box: the last answer, else the starter.
    pub answer: String,
    pub signed_in: bool,
    pub tries: u32,
    pub solved: bool,
    /// Hints revealed so far, and how many are left.
    pub hints: Vec<SafeHtml>,
    pub hints_left: usize,
    /// The reference solution, once the policy allows it.
    pub solution: Option<String>,
    pub solution_note: String,
    pub last_run: Option<RunView>,
    pub lab: Option<LabView>,
    /// Position among the lesson's exercises, for "next exercise".
    pub next: Option<(String, String)>,
}

/// What the run-in-place island gets back from the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunOutcome {
    /// The result panel, rendered on the server.
    pub html: String,
}

/// Solved exercises of a lesson, for progress displays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Solved {
    pub solved: u32,
    pub total: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solution_policy() {
        assert!(!SolutionPolicy::AfterPass.allows(10, false));
        assert!(SolutionPolicy::AfterPass.allows(1, true));
        assert!(!SolutionPolicy::AfterTries(3).allows(2, false));
        assert!(SolutionPolicy::AfterTries(3).allows(3, false));
        assert!(!SolutionPolicy::Never.allows(99, true));
    }
}
