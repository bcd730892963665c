//! Quizzes as plain data. A [`Quiz`] holds the answer key and never leaves
//! the server; learners get a [`QuizView`] (no flags, weights, keys or
//! feedback) and, after submitting, a [`QuizResult`].

use serde::{Deserialize, Serialize};

use crate::common::html::SafeHtml;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quiz {
    pub questions: Vec<Question>,
}

impl Quiz {
    /// What a translation of this quiz must keep, one line per question:
    /// its kind and how its answers score, never their text. Attempts are
    /// shared across languages and answers are stored by position, so a
    /// Spanish attempt is graded and shown like an English one only when
    /// these are equal.
    pub fn structure(&self) -> Vec<String> {
        self.questions
            .iter()
            .map(|q| {
                let detail = match &q.kind {
                    Kind::TrueFalse { answer, .. } => answer.to_string(),
                    Kind::MultipleChoice { choices, .. } => fractions(choices),
                    Kind::ShortAnswer { answers } => answers.len().to_string(),
                    Kind::Numerical { answers } => answers
                        .iter()
                        .map(|a| format!("{:?}={}", a.key, a.fraction))
                        .collect::<Vec<_>>()
                        .join(" "),
                    Kind::Matching { pairs } => pairs
                        .iter()
                        .map(|p| if p.item.text.is_empty() { "-" } else { "=" })
                        .collect(),
                    Kind::Essay | Kind::Description => String::new(),
                };
                format!(
                    "{} {detail} category={:?} fixed={}",
                    q.kind.name(),
                    q.category,
                    q.fixed_order
                )
            })
            .collect()
    }
}

fn fractions(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| format!("{}", c.fraction))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How a piece of GIFT text is written, as Moodle's `[format]` markers say.
/// Unmarked text is `Moodle` (HTML whose line breaks are kept), because
/// that is what Moodle's importer assumes; answers and feedback default to
/// their question's format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
}

// ------------------------------------------------------------ the rules

/// When a learner sees right answers and per-answer feedback.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reveal {
    /// After every attempt (practice quizzes).
    AfterAttempt,
    /// Once the learner has passed (this attempt or an earlier one), so a
    /// failed or blank attempt teaches nothing that passes the next one.
    #[default]
    AfterPass,
    /// Never: scores only (a quiz bank reused for assessment).
    Never,
}

impl Reveal {
    /// The words the result page uses ("… are shown {hint}").
    pub fn hint(self) -> &'static str {
        match self {
            Reveal::AfterAttempt => "after every attempt",
            Reveal::AfterPass => "once you pass while signed in",
            Reveal::Never => "never",
        }
    }
}

/// A lesson's own quiz rules from its front matter; `None` takes the site's
/// default (`academy serve --quiz-reveal/--quiz-max-attempts/--pass-mark`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuizRules {
    pub reveal: Option<Reveal>,
    pub max_attempts: Option<u32>,
    pub pass_mark: Option<u32>,
    /// Random questions per attempt, like Moodle's random question.
    pub draw: Vec<QuizDraw>,
}

/// `count` questions drawn at random from the GIFT `$CATEGORY:` named
/// `category` for each attempt (front matter `quiz_draw`). The category
/// matches the whole path or its last part (`top/http` or `http`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizDraw {
    pub category: String,
    pub count: u32,
}

impl QuizDraw {
    pub fn matches(&self, category: Option<&str>) -> bool {
        category.is_some_and(|c| {
            c == self.category || c.rsplit('/').next() == Some(self.category.as_str())
        })
    }
}

impl Quiz {
    /// The questions at `indices`, in that order (an attempt's draw).
    pub fn subset(&self, indices: &[usize]) -> Quiz {
        Quiz {
            questions: indices
                .iter()
                .filter_map(|&i| self.questions.get(i).cloned())
                .collect(),
        }
    }
}

/// The rules in force for one quiz: the lesson's over the site's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizPolicy {
    pub reveal: Reveal,
    /// Stored attempts a signed-in learner may make; `None` is unlimited.
    pub max_attempts: Option<u32>,
    pub pass_mark: u32,
}

impl QuizResult {
    /// The result without right answers and per-answer or general
    /// feedback: what a learner sees while the reveal policy holds them
    /// back. Scores and "right / wrong" per question stay (Moodle's
    /// "whether correct"), so a learner knows what to review.
    pub fn without_keys(mut self, reveal: Reveal) -> QuizResult {
        for q in &mut self.questions {
            q.right.clear();
            q.feedback.clear();
            q.general_feedback = None;
        }
        self.keys_shown = false;
        self.reveal_hint = Some(reveal.hint().to_string());
        self
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
    /// The attempt's questions as positions in the lesson's quiz (its
    /// random draw; every question when the quiz draws none). Stored with
    /// the attempt, so it keeps its draw whatever the bank becomes.
    #[serde(default)]
    pub draw: Vec<usize>,
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
    /// An instructor's mark on an essay, in percent, and their comment
    /// (filled in from `quiz_essay_marks` when the attempt is shown).
    #[serde(default)]
    pub mark: Option<u32>,
    #[serde(default)]
    pub comment: Option<String>,
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

// ------------------------------------------------------ for instructors

/// Statistics of one question over a cohort's attempts (see `quiz::stats`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionStats {
    /// 1-based position in the lesson's quiz.
    pub position: usize,
    pub title: String,
    pub kind: String,
    pub attempts: u32,
    /// Mean score, percent.
    pub facility: f64,
    /// Correlation with the rest of the attempt, percent; `None` when
    /// either does not vary.
    pub discrimination: Option<f64>,
    /// The wrong answer given most often, and how often.
    pub most_chosen_wrong: Option<(String, u32)>,
}

/// An essay answer in a cohort, with its mark when it has one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EssayAnswer {
    pub attempt_id: i64,
    /// The question's position in the attempt (the form's `q{n}`).
    pub question: usize,
    pub learner: String,
    pub title: String,
    pub answer: String,
    pub mark: Option<u32>,
    pub comment: String,
}

/// One lesson's quiz as the cohort review page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizReviewLesson {
    pub lesson_id: String,
    pub title: String,
    pub attempts: u32,
    pub stats: Vec<QuestionStats>,
    pub essays: Vec<EssayAnswer>,
}

/// `/instructor/cohorts/{id}/quizzes`: statistics and essays to mark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizReview {
    pub cohort_id: i64,
    pub cohort_name: String,
    pub lessons: Vec<QuizReviewLesson>,
}
