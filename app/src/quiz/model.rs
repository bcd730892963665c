//! Quizzes as plain data. A [`Quiz`] holds the answer key and never leaves
//! the server; learners get a [`QuizView`] (no flags, weights, keys or
//! feedback) and, after submitting, a [`QuizResult`].

use serde::{Deserialize, Serialize};

use crate::common::html::SafeHtml;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quiz {
    pub questions: Vec<Question>,
}

/// How a piece of GIFT text is written, as Moodle's `[format]` markers say.
/// Unmarked text is `Moodle` (HTML whose line breaks are kept), because
/// that is what Moodle's importer assumes; answers and feedback default to
/// their question's format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Moodle,
    Html,
    Plain,
    Markdown,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Moodle => "moodle",
            Format::Html => "html",
            Format::Plain => "plain",
            Format::Markdown => "markdown",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        [
            Format::Moodle,
            Format::Html,
            Format::Plain,
            Format::Markdown,
        ]
        .into_iter()
        .find(|f| f.name() == name)
    }
}

/// Text with its format (answers, feedback, matching items).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rich {
    pub text: String,
    pub format: Format,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// 1-based line of the question in the GIFT source.
    pub line: usize,
    pub title: Option<String>,
    /// Question text, written in `format`.
    pub text: String,
    pub format: Format,
    /// Text after the answer block ("missing word" questions).
    pub text_after: Option<String>,
    pub kind: Kind,
    pub general_feedback: Option<Rich>,
    /// Show choices in the author's order instead of shuffling.
    pub fixed_order: bool,
    /// The `$CATEGORY:` in force where the question stands (a bank's
    /// category path, as Moodle writes it).
    pub category: Option<String>,
    /// `// [tag:…]` in the comments before the question.
    pub tags: Vec<String>,
    /// `// [id:…]` in the comments before the question (Moodle's id number).
    pub id_number: Option<String>,
}

/// One answer of a choice or short-answer question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    /// The answer's own format (its question's unless it says otherwise).
    pub format: Format,
    /// Moodle's fraction: 1.0 right, 0 wrong, partial and negative weights.
    pub fraction: f64,
    pub feedback: Option<Rich>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum NumKey {
    /// `#3:0.5`: 3 ± 0.5
    Exact { value: f64, tolerance: f64 },
    /// `#1..5`
    Range { min: f64, max: f64 },
    /// An answer without a number (`~#Completely wrong`): Moodle's "any
    /// other answer", which matches every response and carries feedback.
    Any,
}

impl NumKey {
    pub fn matches(&self, x: f64) -> bool {
        match *self {
            NumKey::Exact { value, tolerance } => (x - value).abs() <= tolerance + 1e-9,
            NumKey::Range { min, max } => x >= min - 1e-9 && x <= max + 1e-9,
            NumKey::Any => true,
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
            NumKey::Any => "any other answer".to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumAnswer {
    pub key: NumKey,
    pub fraction: f64,
    pub feedback: Option<Rich>,
}

/// One row of a matching question. A row with an empty `item` is a
/// distractor (`= -> Chat`): an extra option to choose from, not scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchPair {
    pub item: Rich,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Kind {
    TrueFalse {
        answer: bool,
        /// Feedback when answered wrongly / rightly (`{T#wrong#right}`).
        feedback_wrong: Option<Rich>,
        feedback_right: Option<Rich>,
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
    /// `left -> right` pairs, distractors included.
    Matching {
        pairs: Vec<MatchPair>,
    },
    /// Free text (`{}`), kept with the attempt and marked by an instructor.
    Essay,
    /// Text only (no answer block): no input, no grade.
    Description,
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
            Kind::Essay => "essay",
            Kind::Description => "description",
        }
    }

    /// Whether the question counts towards the automatic score.
    pub fn auto_graded(&self) -> bool {
        !matches!(self, Kind::Essay | Kind::Description)
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

/// A question's input. Choice and item labels are (token, sanitized HTML:
/// they went through [`crate::lessons::render::sanitize`]); matching options
/// are plain text (a `<select>` shows no markup).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum InputView {
    TrueFalse,
    Single(Vec<(String, SafeHtml)>),
    Multiple(Vec<(String, SafeHtml)>),
    Text,
    Number,
    /// Items (field token, HTML) to match with options (token, text).
    Matching {
        items: Vec<(String, SafeHtml)>,
        options: Vec<(String, String)>,
    },
    /// A free-text answer.
    Essay,
    /// Nothing to answer (a description).
    None,
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
    /// Whether right answers and feedback are in this result (the lesson's
    /// reveal policy decides; see `quiz::policy`).
    #[serde(default = "yes")]
    pub keys_shown: bool,
    /// When hidden keys will show ("after you pass", "never"), for the page.
    #[serde(default)]
    pub reveal_hint: Option<String>,
}

fn yes() -> bool {
    true
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
    /// The right answer(s), readable; empty when the reveal policy hides it.
    pub right: String,
    /// Per-answer feedback, rendered in its format.
    pub feedback: Vec<SafeHtml>,
    pub general_feedback: Option<SafeHtml>,
    /// An essay waiting for an instructor's mark (it scores nothing yet).
    #[serde(default)]
    pub pending: bool,
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
