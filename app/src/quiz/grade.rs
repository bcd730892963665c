//! Showing a quiz without its key, and grading a submitted form.
//!
//! Choices are named by opaque per-attempt tokens: a keyed hash of (server
//! secret, attempt, question, slot, index). The page never says which
//! choice is which in the source (authors tend to write the right one
//! first), shuffling is "sort by token", and a forged value matches no
//! token and is refused.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::{
    model::{
        Choice, InputView, Kind, MatchPair, NumKey, Question, QuestionResult, Quiz, QuizDraw,
        QuizResult, QuizView, Rich,
    },
    text,
};
use crate::common::html::SafeHtml;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GradeError {
    #[error("{}", crate::t!("err-quiz-forged", question = *.0))]
    Forged(usize),
    #[error(
        "The form mentions a question this quiz does not have. Reload the quiz and try again."
    )]
    UnknownField,
    /// Two answers where the form has room for one (a question of one
    /// answer, one item of a matching question, or the same checkbox twice).
    /// Counting each would let a form that sends every option score without
    /// knowing anything.
    #[error("{}", crate::t!("err-quiz-duplicate", question = *.0))]
    Duplicate(usize),
    #[error("{}", crate::t!("err-quiz-answer-too-long", question = *.0))]
    TooLong(usize),
}

/// The token of choice `i` of question `q` (1-based) in `slot`.
pub fn token(key: &[u8], attempt: &str, q: usize, slot: &str, i: usize) -> String {
    let mut h = Sha256::new();
    h.update(key);
    h.update(attempt.as_bytes());
    h.update(format!("|{q}|{slot}|{i}").as_bytes());
    h.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Distinct right-hand sides of a matching question (distractors
/// included), in source order.
fn match_options(pairs: &[MatchPair]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in pairs {
        if !out.contains(&p.answer) {
            out.push(p.answer.clone());
        }
    }
    out
}

fn tokened<T: Clone>(
    key: &[u8],
    attempt: &str,
    q: &Question,
    n: usize,
    slot: &str,
    texts: &[(usize, T)],
) -> Vec<(String, T)> {
    let mut out: Vec<(String, T)> = texts
        .iter()
        .map(|(i, t)| (token(key, attempt, n, slot, *i), t.clone()))
        .collect();
    if !q.fixed_order {
        out.sort_by(|a, b| a.0.cmp(&b.0));
    }
    out
}

/// The positions of the questions of attempt `attempt`: every question of
/// a category no draw names, and for each draw `count` questions of its
/// category, chosen by the attempt's keyed hash (so the server finds the
/// same draw again from the token alone, and a learner cannot compute one),
/// in the bank's order.
pub fn draw(quiz: &Quiz, draws: &[QuizDraw], key: &[u8], attempt: &str) -> Vec<usize> {
    let all = 0..quiz.questions.len();
    let drawn_from = |i: usize| {
        draws
            .iter()
            .position(|d| d.matches(quiz.questions[i].category.as_deref()))
    };
    let mut out: Vec<usize> = all.clone().filter(|&i| drawn_from(i).is_none()).collect();
    for (k, d) in draws.iter().enumerate() {
        let mut pool: Vec<(String, usize)> = all
            .clone()
            .filter(|&i| drawn_from(i) == Some(k))
            .map(|i| (token(key, attempt, i, "draw", k), i))
            .collect();
        pool.sort();
        out.extend(pool.into_iter().take(d.count as usize).map(|(_, i)| i));
    }
    out.sort_unstable();
    out
}

/// The quiz as the learner sees it for attempt `attempt`.
pub fn view(quiz: &Quiz, key: &[u8], attempt: &str) -> QuizView {
    let questions = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let n = i + 1;
            let labels = |choices: &[Choice]| {
                choices
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (i, text::inline(&c.text, c.format, q.line)))
                    .collect::<Vec<_>>()
            };
            let input = match &q.kind {
                Kind::TrueFalse { .. } => InputView::TrueFalse,
                Kind::MultipleChoice {
                    choices,
                    multiple: false,
                } => InputView::Single(tokened(key, attempt, q, n, "c", &labels(choices))),
                Kind::MultipleChoice {
                    choices,
                    multiple: true,
                } => InputView::Multiple(tokened(key, attempt, q, n, "c", &labels(choices))),
                Kind::ShortAnswer { .. } => InputView::Text,
                Kind::Numerical { .. } => InputView::Number,
                Kind::Matching { pairs } => InputView::Matching {
                    items: tokened(
                        key,
                        attempt,
                        q,
                        n,
                        "i",
                        &pairs
                            .iter()
                            .enumerate()
                            .filter(|(_, p)| !p.item.text.is_empty())
                            .map(|(i, p)| (i, text::inline(&p.item.text, p.item.format, q.line)))
                            .collect::<Vec<_>>(),
                    ),
                    options: tokened(
                        key,
                        attempt,
                        q,
                        n,
                        "o",
                        &match_options(pairs)
                            .into_iter()
                            .enumerate()
                            .collect::<Vec<_>>(),
                    ),
                },
                Kind::Essay => InputView::Essay,
                Kind::Description => InputView::None,
            };
            super::model::QuestionView {
                n,
                title: q.title.clone(),
                text: text::question(q),
                text_after: q.text_after.clone(),
                input,
            }
        })
        .collect();
    QuizView {
        attempt: attempt.to_string(),
        questions,
    }
}

/// An answer a learner types (short answer, numerical).
trait TypedAnswer {
    fn fraction(&self) -> f64;
    fn feedback(&self) -> Option<&Rich>;
    /// How the answer is shown as "right answer".
    fn describe(&self) -> String;
}

impl TypedAnswer for Choice {
    fn fraction(&self) -> f64 {
        self.fraction
    }
    fn feedback(&self) -> Option<&Rich> {
        self.feedback.as_ref()
    }
    fn describe(&self) -> String {
        text::plain(&self.text, self.format)
    }
}

impl TypedAnswer for super::model::NumAnswer {
    fn fraction(&self) -> f64 {
        self.fraction
    }
    fn feedback(&self) -> Option<&Rich> {
        self.feedback.as_ref()
    }
    fn describe(&self) -> String {
        self.key.describe()
    }
}

/// The best-weighted answer `hit` accepts (its fraction, its feedback into
/// `feedback`) and the fully right answers joined by "or".
fn best_typed<A: TypedAnswer>(
    answers: &[A],
    hit: impl Fn(&A) -> bool,
    line: usize,
    feedback: &mut Vec<SafeHtml>,
) -> (f64, String) {
    // The first of the best (Moodle takes the first matching answer in
    // order; ties between equally weighted answers keep the author's order).
    let mut best: Option<&A> = None;
    for a in answers.iter().filter(|a| hit(a)) {
        if best.is_none_or(|b| a.fraction() > b.fraction()) {
            best = Some(a);
        }
    }
    feedback.extend(best.and_then(A::feedback).map(|f| text::rich(f, line)));
    let right = answers
        .iter()
        .filter(|a| a.fraction() >= 1.0)
        .map(A::describe)
        .collect::<Vec<_>>()
        .join(" or ");
    (best.map(A::fraction).unwrap_or(0.0), right)
}

fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Moodle's short-answer comparison: `*` matches any run of characters
/// (`\*` is a literal star), case-insensitively; both sides normalised.
pub fn short_answer_matches(pattern: &str, given: &str) -> bool {
    let pattern = normalize(pattern);
    let given = normalize(given);
    // Split the pattern at unescaped stars into literal pieces.
    let mut pieces: Vec<String> = vec![String::new()];
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'*') => {
                chars.next();
                pieces.last_mut().unwrap_or(&mut String::new()).push('*');
            }
            '*' => pieces.push(String::new()),
            c => pieces.last_mut().unwrap_or(&mut String::new()).push(c),
        }
    }
    if pieces.len() == 1 {
        return pieces[0] == given;
    }
    let (first, last) = (&pieces[0], &pieces[pieces.len() - 1]);
    if !given.starts_with(first.as_str()) || given.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &given[first.len()..];
    if !rest.ends_with(last.as_str()) {
        return false;
    }
    rest = &rest[..rest.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match rest.find(piece.as_str()) {
            Some(i) => rest = &rest[i + piece.len()..],
            None => return false,
        }
    }
    true
}

fn index_of(
    key: &[u8],
    attempt: &str,
    n: usize,
    slot: &str,
    count: usize,
    value: &str,
) -> Option<usize> {
    (0..count).find(|&i| token(key, attempt, n, slot, i) == value)
}

/// The answer to a question that takes one (true/false, single choice,
/// short answer, number, essay). A browser sends one field for these; a
/// second one would be a free second guess, so it is refused, not ignored.
fn single_answer(n: usize, given: &[(Option<String>, String)]) -> Result<Option<&str>, GradeError> {
    if given.iter().any(|(sub, _)| sub.is_some()) {
        return Err(GradeError::UnknownField);
    }
    match given {
        [] => Ok(None),
        [(_, v)] => Ok(Some(v.as_str())),
        _ => Err(GradeError::Duplicate(n)),
    }
}

/// A question's score within [0, 1] whatever the key's weights say, so no
/// question can make up for another and no quiz passes 100 %.
fn bounded(score: f64) -> f64 {
    if score.is_finite() {
        score.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The longest essay kept (characters); longer ones are refused.
pub const ESSAY_MAX: usize = 20_000;

/// Grades `form` (the posted fields) against the key. Unanswered questions
/// score zero; a value that is not a choice of its question is an error,
/// and so is a second answer where the form has room for one.
/// Descriptions have no result; essays are kept as written and wait for an
/// instructor (`pending`), outside the automatic score.
pub fn grade(
    quiz: &Quiz,
    key: &[u8],
    attempt: &str,
    form: &[(String, String)],
    pass_mark: u32,
) -> Result<QuizResult, GradeError> {
    let mut fields: HashMap<usize, Vec<(Option<String>, String)>> = HashMap::new();
    for (name, value) in form {
        let Some(rest) = name.strip_prefix('q') else {
            continue; // attempt token, etc.
        };
        let (num, sub) = match rest.split_once('-') {
            Some((a, b)) => (a, Some(b.to_string())),
            None => (rest, None),
        };
        let n: usize = num.parse().map_err(|_| GradeError::UnknownField)?;
        if n == 0 || n > quiz.questions.len() {
            return Err(GradeError::UnknownField);
        }
        if !value.trim().is_empty() {
            fields.entry(n).or_default().push((sub, value.clone()));
        }
    }
    let mut results = Vec::new();
    for (i, q) in quiz.questions.iter().enumerate() {
        let n = i + 1;
        let given = fields.remove(&n).unwrap_or_default();
        let mut feedback = Vec::new();
        let rich = |r: &Option<Rich>| r.as_ref().map(|r| text::rich(r, q.line));
        let mut pending = false;
        let (score, given_text, right) = match &q.kind {
            Kind::Description => {
                if !given.is_empty() {
                    return Err(GradeError::UnknownField);
                }
                continue;
            }
            Kind::Essay => {
                let typed = single_answer(n, &given)?.unwrap_or_default().to_string();
                if typed.chars().count() > ESSAY_MAX {
                    return Err(GradeError::TooLong(n));
                }
                pending = !typed.trim().is_empty();
                (0.0, typed, String::new())
            }
            Kind::TrueFalse {
                answer,
                feedback_wrong,
                feedback_right,
            } => {
                let chosen = match single_answer(n, &given)? {
                    Some("true") => Some(true),
                    Some("false") => Some(false),
                    Some(_) => return Err(GradeError::Forged(n)),
                    None => None,
                };
                let right_now = chosen == Some(*answer);
                if chosen.is_some() {
                    feedback.extend(if right_now {
                        rich(feedback_right)
                    } else {
                        rich(feedback_wrong)
                    });
                }
                let tf = |b: bool| if b { "True" } else { "False" }.to_string();
                (
                    if right_now { 1.0 } else { 0.0 },
                    chosen.map(tf).unwrap_or_default(),
                    tf(*answer),
                )
            }
            Kind::MultipleChoice { choices, multiple } => {
                if !multiple {
                    single_answer(n, &given)?;
                }
                let mut picked = Vec::new();
                for (sub, v) in &given {
                    if sub.is_some() {
                        return Err(GradeError::UnknownField);
                    }
                    let idx = index_of(key, attempt, n, "c", choices.len(), v)
                        .ok_or(GradeError::Forged(n))?;
                    if picked.contains(&idx) {
                        return Err(GradeError::Duplicate(n));
                    }
                    picked.push(idx);
                }
                let sum: f64 = picked.iter().map(|&i| choices[i].fraction).sum();
                feedback.extend(
                    picked
                        .iter()
                        .filter_map(|&i| choices[i].feedback.as_ref())
                        .map(|f| text::rich(f, q.line)),
                );
                let best = choices.iter().map(|c| c.fraction).fold(f64::MIN, f64::max);
                let readable = |c: &Choice| text::plain(&c.text, c.format);
                let right = choices
                    .iter()
                    .filter(|c| {
                        if *multiple {
                            c.fraction > 0.0
                        } else {
                            c.fraction == best
                        }
                    })
                    .map(readable)
                    .collect::<Vec<_>>()
                    .join("; ");
                (
                    sum,
                    picked
                        .iter()
                        .map(|&i| readable(&choices[i]))
                        .collect::<Vec<_>>()
                        .join("; "),
                    right,
                )
            }
            Kind::ShortAnswer { answers } => {
                let typed = single_answer(n, &given)?.unwrap_or_default().to_string();
                let (score, right) = best_typed(
                    answers,
                    |a| short_answer_matches(&a.text, &typed),
                    q.line,
                    &mut feedback,
                );
                (score, typed, right)
            }
            Kind::Numerical { answers } => {
                let typed = single_answer(n, &given)?.unwrap_or_default().to_string();
                let x: Option<f64> = typed.trim().replace(',', ".").parse().ok();
                let (score, right) = best_typed(
                    answers,
                    // "Any other answer" takes a response, not silence.
                    |a| match a.key {
                        NumKey::Any => !typed.trim().is_empty(),
                        _ => x.is_some_and(|x| a.key.matches(x)),
                    },
                    q.line,
                    &mut feedback,
                );
                (score, typed, right)
            }
            Kind::Matching { pairs } => {
                let options = match_options(pairs);
                let items = pairs.iter().filter(|p| !p.item.text.is_empty()).count();
                let mut correct = 0;
                let mut shown = Vec::new();
                // One answer per item: each select posts once.
                let mut answered = vec![false; pairs.len()];
                for (sub, v) in &given {
                    let Some(item_token) = sub else {
                        return Err(GradeError::UnknownField);
                    };
                    let item = index_of(key, attempt, n, "i", pairs.len(), item_token)
                        .filter(|&i| !pairs[i].item.text.is_empty())
                        .ok_or(GradeError::Forged(n))?;
                    if std::mem::replace(&mut answered[item], true) {
                        return Err(GradeError::Duplicate(n));
                    }
                    let opt = index_of(key, attempt, n, "o", options.len(), v)
                        .ok_or(GradeError::Forged(n))?;
                    if options[opt] == pairs[item].answer {
                        correct += 1;
                    }
                    shown.push(format!(
                        "{} → {}",
                        text::plain(&pairs[item].item.text, pairs[item].item.format),
                        options[opt]
                    ));
                }
                let right = pairs
                    .iter()
                    .filter(|p| !p.item.text.is_empty())
                    .map(|p| {
                        format!(
                            "{} → {}",
                            text::plain(&p.item.text, p.item.format),
                            p.answer
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                (
                    correct as f64 / items.max(1) as f64,
                    shown.join("; "),
                    right,
                )
            }
        };
        results.push(QuestionResult {
            n,
            title: q.title.clone(),
            text: text::question(q),
            given: given_text,
            score: bounded(score),
            right,
            feedback,
            general_feedback: rich(&q.general_feedback),
            pending,
            mark: None,
            comment: None,
        });
    }
    Ok(totals(results, quiz, pass_mark))
}

/// Points, percent and pass from the question results. Essays are left
/// out: the automatic score decides the pass at once, and an instructor's
/// mark on an essay is shown beside it (a pass never waits for a person).
pub fn totals(results: Vec<QuestionResult>, quiz: &Quiz, pass_mark: u32) -> QuizResult {
    let essay = |r: &QuestionResult| {
        quiz.questions
            .get(r.n - 1)
            .is_some_and(|q| matches!(q.kind, Kind::Essay))
    };
    let counted: Vec<&QuestionResult> = results.iter().filter(|r| !essay(r)).collect();
    let points: f64 = counted.iter().map(|r| r.score).sum();
    let max_points = counted.len() as f64;
    let percent = if max_points > 0.0 {
        ((points / max_points) * 100.0 + 1e-9).floor() as u32
    } else {
        0
    };
    QuizResult {
        percent,
        passed: percent >= pass_mark,
        pass_mark,
        points,
        max_points,
        questions: results,
        keys_shown: true,
        reveal_hint: None,
        draw: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::gift;

    const KEY: &[u8] = b"test key";
    const ATTEMPT: &str = "attempt-1";

    fn texts(f: &[SafeHtml]) -> Vec<&str> {
        f.iter().map(SafeHtml::as_str).collect()
    }

    fn quiz() -> Quiz {
        gift::parse(
            "TF {T#Nope#Yes}\n\nPick {=right #Good ~wrong #Bad ~other}\n\nMulti {~%50%a ~%50%b ~%-100%c}\n\nShort {=Four =4}\n\nNum {#=3:0.5 =%50%3:2}\n\nMatch {=a -> 1 =b -> 2 =c -> 1}",
        )
        .unwrap()
    }

    fn choice(q: usize, texts: &[&str]) -> Vec<String> {
        let quiz = quiz();
        let Kind::MultipleChoice { choices, .. } = &quiz.questions[q - 1].kind else {
            panic!()
        };
        texts
            .iter()
            .map(|t| {
                token(
                    KEY,
                    ATTEMPT,
                    q,
                    "c",
                    choices.iter().position(|c| c.text == *t).unwrap(),
                )
            })
            .collect()
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn the_view_has_no_key() {
        let v = view(&quiz(), KEY, ATTEMPT);
        let json = serde_json::to_string(&v).unwrap();
        for secret in [
            "fraction", "Nope", "Yes", "Good", "Bad", "Four", "\"3\"", "0.5", "answer",
        ] {
            assert!(!json.contains(secret), "{secret} leaked: {json}");
        }
        let InputView::Single(opts) = &v.questions[1].input else {
            panic!()
        };
        assert_eq!(opts.len(), 3);
        // Tokens differ per attempt.
        let other = view(&quiz(), KEY, "attempt-2");
        assert_ne!(v.questions[1].input, other.questions[1].input);
    }

    #[test]
    fn all_right_scores_100() {
        let q = quiz();
        let pick = choice(2, &["right"]);
        let multi = choice(3, &["a", "b"]);
        let Kind::Matching { pairs } = &q.questions[5].kind else {
            panic!()
        };
        let opts = match_options(pairs);
        let mut f = form(&[
            ("attempt", ATTEMPT),
            ("q1", "true"),
            ("q2", &pick[0]),
            ("q3", &multi[0]),
            ("q3", &multi[1]),
            ("q4", "  four "),
            ("q5", "3.4"),
        ]);
        for (i, p) in pairs.iter().enumerate() {
            let o = opts.iter().position(|x| *x == p.answer).unwrap();
            f.push((
                format!("q6-{}", token(KEY, ATTEMPT, 6, "i", i)),
                token(KEY, ATTEMPT, 6, "o", o),
            ));
        }
        let r = grade(&q, KEY, ATTEMPT, &f, 70).unwrap();
        assert_eq!(r.percent, 100, "{r:#?}");
        assert!(r.passed);
        assert_eq!(texts(&r.questions[0].feedback), vec!["Yes"]);
        assert_eq!(texts(&r.questions[1].feedback), vec!["Good"]);
    }

    #[test]
    fn partial_credit_negative_weights_and_unanswered() {
        let q = quiz();
        let multi = choice(3, &["a", "c"]);
        let f = form(&[
            ("q1", "false"),
            ("q3", &multi[0]),
            ("q3", &multi[1]),
            ("q5", "4.5"),
        ]);
        let r = grade(&q, KEY, ATTEMPT, &f, 70).unwrap();
        let scores: Vec<f64> = r.questions.iter().map(|q| q.score).collect();
        assert_eq!(scores, vec![0.0, 0.0, 0.0, 0.0, 0.5, 0.0]);
        assert_eq!(texts(&r.questions[0].feedback), vec!["Nope"]);
        assert_eq!(r.percent, 8);
        assert!(!r.passed);
        assert_eq!(r.questions[2].right, "a; b");
        assert_eq!(r.questions[4].right, "3 ± 0.5");
        assert_eq!(r.questions[3].right, "Four or 4");
    }

    #[test]
    fn forged_values_are_refused() {
        let q = quiz();
        assert_eq!(
            grade(&q, KEY, ATTEMPT, &form(&[("q2", "0")]), 70),
            Err(GradeError::Forged(2))
        );
        assert_eq!(
            grade(&q, KEY, ATTEMPT, &form(&[("q1", "maybe")]), 70),
            Err(GradeError::Forged(1))
        );
        assert_eq!(
            grade(&q, KEY, ATTEMPT, &form(&[("q99", "x")]), 70),
            Err(GradeError::UnknownField)
        );
        // A token from another attempt is forged too.
        let other = token(KEY, "attempt-2", 2, "c", 0);
        assert_eq!(
            grade(&q, KEY, ATTEMPT, &form(&[("q2", &other)]), 70),
            Err(GradeError::Forged(2))
        );
        // Two answers to a single-choice question.
        let two = choice(2, &["right", "wrong"]);
        assert_eq!(
            grade(
                &q,
                KEY,
                ATTEMPT,
                &form(&[("q2", &two[0]), ("q2", &two[1])]),
                70
            ),
            Err(GradeError::Duplicate(2))
        );
    }

    /// The matching fields `(q6-item, option)` for every item × option.
    fn every_pair() -> Vec<(String, String)> {
        let q = quiz();
        let Kind::Matching { pairs } = &q.questions[5].kind else {
            panic!()
        };
        let mut f = Vec::new();
        for i in 0..pairs.len() {
            for o in 0..match_options(pairs).len() {
                f.push((
                    format!("q6-{}", token(KEY, ATTEMPT, 6, "i", i)),
                    token(KEY, ATTEMPT, 6, "o", o),
                ));
            }
        }
        f
    }

    #[test]
    fn a_second_answer_is_refused_for_every_kind() {
        let q = quiz();
        let right = choice(2, &["right"]);
        let multi = choice(3, &["a"]);
        let cases: Vec<(usize, Vec<(String, String)>)> = vec![
            (1, form(&[("q1", "true"), ("q1", "false")])),
            (1, form(&[("q1", "true"), ("q1", "true")])),
            (2, form(&[("q2", &right[0]), ("q2", &right[0])])),
            (3, form(&[("q3", &multi[0]), ("q3", &multi[0])])),
            (4, form(&[("q4", "nope"), ("q4", "four")])),
            (5, form(&[("q5", "1"), ("q5", "3")])),
            (6, every_pair()),
        ];
        for (n, f) in cases {
            let msg = format!("{f:?}");
            let err = grade(&q, KEY, ATTEMPT, &f, 70).expect_err(&msg);
            assert_eq!(err, GradeError::Duplicate(n), "{msg}");
            assert_eq!(
                err.to_string(),
                format!("Question {n} was answered twice. Reload the quiz and try again.")
            );
        }
        // An empty field next to an answer is not a second answer (a text
        // box left blank, the "—" of a select).
        let f = form(&[("q4", ""), ("q4", "four"), ("q1", " ")]);
        let r = grade(&q, KEY, ATTEMPT, &f, 70).unwrap();
        assert_eq!(r.questions[3].score, 1.0);
        // A sub-field on a question without items is not part of the form.
        assert_eq!(
            grade(&q, KEY, ATTEMPT, &form(&[("q4-x", "four")]), 70),
            Err(GradeError::UnknownField)
        );
    }

    #[test]
    fn scores_stay_within_one_even_with_odd_weights() {
        let mut q = quiz();
        for question in &mut q.questions {
            match &mut question.kind {
                Kind::MultipleChoice { choices, .. } | Kind::ShortAnswer { answers: choices } => {
                    choices.iter_mut().for_each(|c| c.fraction *= 3.0)
                }
                Kind::Numerical { answers } => {
                    answers.iter_mut().for_each(|a| a.fraction = f64::NAN)
                }
                _ => {}
            }
        }
        let pick = choice(2, &["right"]);
        let multi = choice(3, &["a", "b"]);
        let f = form(&[
            ("q2", &pick[0]),
            ("q3", &multi[0]),
            ("q3", &multi[1]),
            ("q4", "four"),
            ("q5", "3"),
        ]);
        let r = grade(&q, KEY, ATTEMPT, &f, 70).unwrap();
        let scores: Vec<f64> = r.questions.iter().map(|q| q.score).collect();
        assert_eq!(scores, vec![0.0, 1.0, 1.0, 1.0, 0.0, 0.0]);
        assert!(r.percent <= 100 && r.points <= r.max_points);
    }

    fn graded(src: &str, fields: &[(&str, &str)]) -> QuizResult {
        grade(&gift::parse(src).unwrap(), KEY, ATTEMPT, &form(fields), 70).unwrap()
    }

    /// Moodle's shortanswer: `*` matches any run, `\*` a star, case ignored.
    #[test]
    fn short_answer_wildcards_grade_as_in_moodle() {
        for (pattern, given, hit) in [
            ("*red*", "dark RED wine", true),
            ("*red*", "blue", false),
            ("colo*r", "colour", true),
            ("colo*r", "color", true),
            ("colo*r", "colours", false),
            ("a*b*c", "aXbYc", true),
            ("a*b*c", "acb", false),
            ("gr\\*y", "gr*y", true),
            ("gr\\*y", "grey", false),
            ("*", "anything", true),
            ("Four", "four", true),
        ] {
            assert_eq!(
                short_answer_matches(pattern, given),
                hit,
                "{pattern} / {given}"
            );
        }
        let r = graded("Colour {=*red* =%50%*re*}", &[("q1", "bright red")]);
        assert_eq!(r.questions[0].score, 1.0);
    }

    #[test]
    fn numerical_any_other_answer_gives_its_feedback() {
        let src = "N {#\n=%100%3:2#\n~#Completely wrong\n}";
        let r = graded(src, &[("q1", "40")]);
        assert_eq!(r.questions[0].score, 0.0);
        assert_eq!(texts(&r.questions[0].feedback), ["Completely wrong"]);
        let r = graded(src, &[("q1", "4")]);
        assert_eq!(r.questions[0].score, 1.0);
        assert!(r.questions[0].feedback.is_empty());
        let r = graded(src, &[]);
        assert!(r.questions[0].feedback.is_empty(), "no answer, no feedback");
    }

    #[test]
    fn match_distractors_are_options_not_rows() {
        let quiz = gift::parse("M {=Dog -> Bark =Cow -> Moo = -> Meow}").unwrap();
        let v = view(&quiz, KEY, ATTEMPT);
        let InputView::Matching { items, options } = &v.questions[0].input else {
            panic!()
        };
        assert_eq!(items.len(), 2);
        assert_eq!(options.len(), 3);
        // The distractor row cannot be answered.
        let f = vec![(
            format!("q1-{}", token(KEY, ATTEMPT, 1, "i", 2)),
            token(KEY, ATTEMPT, 1, "o", 2),
        )];
        assert_eq!(
            grade(&quiz, KEY, ATTEMPT, &f, 70),
            Err(GradeError::Forged(1))
        );
        let f: Vec<(String, String)> = (0..2)
            .map(|i| {
                (
                    format!("q1-{}", token(KEY, ATTEMPT, 1, "i", i)),
                    token(KEY, ATTEMPT, 1, "o", i),
                )
            })
            .collect();
        let r = grade(&quiz, KEY, ATTEMPT, &f, 70).unwrap();
        assert_eq!(r.questions[0].score, 1.0);
        assert_eq!(r.questions[0].right, "Dog → Bark; Cow → Moo");
    }

    #[test]
    fn formats_render_in_the_view_and_the_result() {
        let src = "[html]<b>Bold</b> question {=[markdown]**right** #[plain]<tag> shown ~wrong}";
        let quiz = gift::parse(src).unwrap();
        let v = view(&quiz, KEY, ATTEMPT);
        assert_eq!(v.questions[0].text.as_str(), "<b>Bold</b> question");
        let InputView::Single(opts) = &v.questions[0].input else {
            panic!()
        };
        assert!(
            opts.iter()
                .any(|(_, l)| l.as_str() == "<strong>right</strong>"),
            "{opts:?}"
        );
        let right = opts
            .iter()
            .find(|(_, l)| l.as_str().contains("strong"))
            .unwrap()
            .0
            .clone();
        let r = graded(src, &[("q1", &right)]);
        assert_eq!(texts(&r.questions[0].feedback), ["&lt;tag&gt; shown"]);
        assert_eq!(r.questions[0].right, "**right**");
        // Unmarked text is HTML, as in Moodle (no literal `<b>`).
        let v = view(&gift::parse("Is <b>x</b> bold? {T}").unwrap(), KEY, ATTEMPT);
        assert_eq!(v.questions[0].text.as_str(), "Is <b>x</b> bold?");
    }

    #[test]
    fn essays_wait_for_a_mark_and_descriptions_are_not_graded() {
        let src = "::Intro:: Read this.\n\nTF {T}\n\nEssay {}";
        let quiz = gift::parse(src).unwrap();
        let v = view(&quiz, KEY, ATTEMPT);
        assert_eq!(v.questions[0].input, InputView::None);
        assert_eq!(v.questions[2].input, InputView::Essay);
        let r = graded(src, &[("q2", "true"), ("q3", "Because PUT replaces.")]);
        assert_eq!(r.questions.len(), 2, "no row for the description");
        assert_eq!(r.questions[1].given, "Because PUT replaces.");
        assert!(r.questions[1].pending);
        // The essay is outside the automatic score until marked.
        assert_eq!((r.percent, r.max_points), (100, 1.0));
        assert_eq!(
            grade(&quiz, KEY, ATTEMPT, &form(&[("q1", "x")]), 70),
            Err(GradeError::UnknownField)
        );
        let long = "x".repeat(ESSAY_MAX + 1);
        assert_eq!(
            grade(&quiz, KEY, ATTEMPT, &form(&[("q3", &long)]), 70),
            Err(GradeError::TooLong(3))
        );
    }

    #[test]
    fn an_attempt_draws_from_categories_and_keeps_its_draw() {
        let mut src = String::from("Always {T}\n\n$CATEGORY: $course$/top/pool\n\n");
        for i in 0..10 {
            src.push_str(&format!("P{i} {{T}}\n\n"));
        }
        src.push_str("$CATEGORY: other\n\nOther {F}\n");
        let quiz = gift::parse(&src).unwrap();
        let draws = [QuizDraw {
            category: "pool".into(),
            count: 3,
        }];
        let a = draw(&quiz, &draws, KEY, "attempt-a");
        // "Always" has no category and "Other" is not drawn from: both stay.
        assert_eq!(a.len(), 5, "{a:?}");
        assert!(a.contains(&0) && a.contains(&11));
        assert!(a.windows(2).all(|w| w[0] < w[1]), "bank order");
        // The same token finds the same draw; other attempts differ.
        assert_eq!(draw(&quiz, &draws, KEY, "attempt-a"), a);
        let differs = (0..20).any(|i| draw(&quiz, &draws, KEY, &format!("t{i}")) != a);
        assert!(differs);
        // The attempt is graded on its draw: q1..q5 are its questions.
        let sub = quiz.subset(&a);
        assert_eq!(sub.questions.len(), 5);
        let r = grade(
            &sub,
            KEY,
            "attempt-a",
            &form(&[("q1", "true"), ("q5", "false")]),
            70,
        )
        .unwrap();
        assert_eq!(r.max_points, 5.0);
        assert_eq!(r.points, 2.0);
        // No draw: every question.
        assert_eq!(draw(&quiz, &[], KEY, "x"), (0..12).collect::<Vec<_>>());
    }
}
