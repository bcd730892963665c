//! Quizzes as plain data. A [`Quiz`] holds the answer key and never leaves
//! the server; learners get a [`QuizView`] (no flags, weights, keys or
//! feedback) and, after submitting, a [`QuizResult`].

use serde::{Deserialize, Serialize};

use crate::common::html::SafeHtml;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quiz {
    pub questions: Vec<Question>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// 1-based line of the question in the GIFT source.
    pub line: usize,
    pub title: Option<String>,
    /// Question text (markdown when `markdown` is set, else plain text).
    pub text: String,
    pub markdown: bool,
    /// Text after the answer block ("missing word" questions).
    pub text_after: Option<String>,
    pub kind: Kind,
    pub general_feedback: Option<String>,
    /// Show choices in the author's order instead of shuffling.
    pub fixed_order: bool,
}

/// One answer of a choice, short-answer or matching question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    /// Moodle's fraction: 1.0 right, 0 wrong, partial and negative weights.
    pub fraction: f64,
    pub feedback: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum NumKey {
    /// `#3:0.5`: 3 ± 0.5
    Exact { value: f64, tolerance: f64 },
    /// `#1..5`
    Range { min: f64, max: f64 },
}

impl NumKey {
    pub fn matches(&self, x: f64) -> bool {
        match *self {
            NumKey::Exact { value, tolerance } => (x - value).abs() <= tolerance + 1e-9,
            NumKey::Range { min, max } => x >= min - 1e-9 && x <= max + 1e-9,
        }
    }

    pub fn describe(&self) -> String {
        match *self {
            NumKey::Exact {
                value,
                tolerance: 0.0,
            } => format!("{value}"),
            NumKey::Exact { value, tolerance } => format!("{value} ± {tolerance}"),
            NumKey::Range { min, max } => format!("between {min} and {max}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumAnswer {
    pub key: NumKey,
    pub fraction: f64,
    pub feedback: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Kind {
    TrueFalse {
        answer: bool,
        /// Feedback when answered wrongly / rightly (`{T#wrong#right}`).
        feedback_wrong: Option<String>,
        feedback_right: Option<String>,
    },
    /// One answer (`multiple: false`) or several (`~%50%` weights).
    MultipleChoice {
        choices: Vec<Choice>,
        multiple: bool,
    },
    ShortAnswer {
        answers: Vec<Choice>,
    },
    Numerical {
        answers: Vec<NumAnswer>,
    },
    /// `left -> right` pairs.
    Matching {
        pairs: Vec<(String, String)>,
    },
}

impl Kind {
    pub fn name(&self) -> &'static str {
        match self {
            Kind::TrueFalse { .. } => "truefalse",
            Kind::MultipleChoice {
                multiple: false, ..
            } => "multichoice",
            Kind::MultipleChoice { multiple: true, .. } => "multichoice-multiple",
            Kind::ShortAnswer { .. } => "shortanswer",
            Kind::Numerical { .. } => "numerical",
            Kind::Matching { .. } => "matching",
        }
    }
}

// ------------------------------------------------------- what learners get

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionView {
    /// 1-based position; form fields are named `q{n}`.
    pub n: usize,
    pub title: Option<String>,
    pub text: SafeHtml,
    pub text_after: Option<String>,
    pub input: InputView,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum InputView {
    TrueFalse,
    Single(Vec<(String, String)>),
    Multiple(Vec<(String, String)>),
    Text,
    Number,
    /// Items (field token, text) to match with options (token, text).
    Matching {
        items: Vec<(String, String)>,
        options: Vec<(String, String)>,
    },
}

/// A quiz as the learner sees it before submitting: no key, no feedback.
/// Choice values are opaque per-attempt tokens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizView {
    /// The attempt token (also the double-submit key).
    pub attempt: String,
    pub questions: Vec<QuestionView>,
}

/// The graded attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizResult {
    pub percent: u32,
    pub passed: bool,
    pub pass_mark: u32,
    pub points: f64,
    pub max_points: f64,
    pub questions: Vec<QuestionResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub n: usize,
    pub title: Option<String>,
    pub text: SafeHtml,
    /// What the learner answered, readable.
    pub given: String,
    /// 0.0 ..= 1.0
    pub score: f64,
    /// The right answer(s), readable.
    pub right: String,
    pub feedback: Vec<String>,
    pub general_feedback: Option<String>,
}

/// A graded attempt handed to the quiz page by the form route (visitors'
/// attempts are shown, not stored).
#[derive(Clone, Debug)]
pub struct ShownResult(pub QuizResult);

/// One of a learner's attempts, as the attempts page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttemptSummary {
    pub id: i64,
    pub percent: u32,
    pub passed: bool,
    /// `YYYY-MM-DD HH:MM:SS`, UTC.
    pub when: String,
}

/// The caller's attempts on a lesson, and one attempt in full when asked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attempts {
    pub list: Vec<AttemptSummary>,
    pub shown: Option<QuizResult>,
}

/// What the quiz island shows after submitting: the result rendered on the
/// server, and the attempt's address when it was stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizOutcome {
    pub html: String,
    pub url: Option<String>,
}
