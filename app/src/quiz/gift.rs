//! A parser for Moodle's GIFT question format, with Moodle's semantics
//! (as `question/format/gift/format.php` reads a file):
//!
//! - types: multiple choice (`{=right ~wrong}`), multiple answers with
//!   weights (`~%50%a ~%-100%c`), true/false (`{T}`, `{FALSE#wrong#right}`),
//!   short answer (`{=a =b}`, case-insensitive, `*` a wildcard), numerical
//!   (`{#3}`, `{#3:0.5}`, `{#1..5}`, `{#=3:0 =%50%3:1 ~#any other answer}`),
//!   matching (`{=a -> 1 =b -> 2 = -> distractor}`), essay (`{}`) and
//!   description (no answer block); missing-word text after the block;
//! - text: titles `::t::`, per-answer feedback `#…`, general feedback
//!   `####…`, `[moodle]` (the default), `[html]`, `[plain]` and `[markdown]`
//!   markers on question text, answers, feedback and matching items;
//! - every unescaped `=` or `~` starts an answer (`{=yes~no}` is two); a
//!   backslash escapes only `\\ \: \# \= \{ \} \~` and `\n` (a line break),
//!   any other backslash is kept (`\(x\)` stays LaTeX);
//! - comments `//`, with `[tag:…]` and `[id:…]` kept on the next question;
//!   `$CATEGORY:` lines kept on the questions that follow.
//!
//! Weights Moodle's importer would refuse (it accepts only its list of
//! grades, such as 33.33333 %) are warnings, not errors: the quiz works
//! here, and the author learns before exporting it back.
//!
//! Extension: a `// no-shuffle` comment before a question keeps its choices
//! in the author's order.

use super::model::{Choice, Format, Kind, MatchPair, NumAnswer, NumKey, Question, Quiz, Rich};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GiftError {
    /// 1-based line in the GIFT source.
    pub line: usize,
    pub message: String,
}

fn error(line: usize, message: impl Into<String>) -> GiftError {
    GiftError {
        line,
        message: message.into(),
    }
}

/// A parsed quiz and what Moodle would object to in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub quiz: Quiz,
    /// Weights Moodle's importer refuses, by line.
    pub warnings: Vec<GiftError>,
}

/// Parses a whole GIFT text. Every bad question is reported; good ones are
/// returned only if there is no error at all (a quiz is all or nothing).
pub fn parse(src: &str) -> Result<Quiz, Vec<GiftError>> {
    parse_with_warnings(src).map(|p| p.quiz)
}

/// [`parse`], with the warnings about weights Moodle would reject.
pub fn parse_with_warnings(src: &str) -> Result<Parsed, Vec<GiftError>> {
    let mut questions = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for block in blocks(src) {
        match question(&block, &mut warnings) {
            Ok(q) => questions.push(q),
            Err(e) => errors.push(e),
        }
    }
    if questions.is_empty() && errors.is_empty() {
        errors.push(error(1, "the quiz has no questions"));
    }
    if errors.is_empty() {
        Ok(Parsed {
            quiz: Quiz { questions },
            warnings,
        })
    } else {
        Err(errors)
    }
}

/// The grades Moodle's question editor offers, in percent; an imported
/// weight must be one of them (or its negative) within 0.001 %.
pub const MOODLE_WEIGHTS: &[f64] = &[
    100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0, 25.0,
    20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0,
];

/// Whether Moodle accepts `percent` as an answer weight.
pub fn moodle_weight(percent: f64) -> bool {
    MOODLE_WEIGHTS
        .iter()
        .any(|w| (percent.abs() - w).abs() < 0.001)
}

struct Block {
    line: usize,
    text: String,
    fixed_order: bool,
    /// The comment lines before the question (for tags and ids).
    comments: String,
    category: Option<String>,
}

/// Splits into question blocks at blank lines. Comments and category lines
/// are taken out of the text and kept on the question that follows.
fn blocks(src: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    let mut fixed_next = false;
    let mut comments = String::new();
    let mut category: Option<String> = None;
    for (i, raw) in src.lines().enumerate() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some(comment) = trimmed.strip_prefix("//") {
            if comment.trim_start_matches('/').trim() == "no-shuffle" {
                fixed_next = true;
            }
            comments.push_str(comment);
            comments.push('\n');
            continue;
        }
        if let Some(path) = trimmed.strip_prefix("$CATEGORY:") {
            category = Some(path.trim().to_string()).filter(|p| !p.is_empty());
            continue;
        }
        if trimmed.is_empty() {
            if let Some(b) = current.take() {
                out.push(b);
            }
            continue;
        }
        match &mut current {
            Some(b) => {
                b.text.push('\n');
                b.text.push_str(line);
            }
            None => {
                current = Some(Block {
                    line: i + 1,
                    text: line.to_string(),
                    fixed_order: std::mem::take(&mut fixed_next),
                    comments: std::mem::take(&mut comments),
                    category: category.clone(),
                })
            }
        }
    }
    if let Some(b) = current {
        out.push(b);
    }
    out
}

/// The characters a backslash escapes (Moodle's `escapedchar_pre`).
const ESCAPABLE: &[char] = &['\\', ':', '#', '=', '{', '}', '~', 'n'];

/// Byte offsets of the characters of `s` that are not part of an escape.
fn unescaped(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut it = s.char_indices().peekable();
    std::iter::from_fn(move || loop {
        let (i, c) = it.next()?;
        if c == '\\' {
            if let Some(&(_, next)) = it.peek() {
                if ESCAPABLE.contains(&next) {
                    it.next();
                    continue;
                }
            }
        }
        return Some((i, c));
    })
}

/// Positions of unescaped `needle` characters.
fn find_unescaped(s: &str, needle: char) -> Vec<usize> {
    unescaped(s)
        .filter(|&(_, c)| c == needle)
        .map(|(i, _)| i)
        .collect()
}

fn find_unescaped_str(s: &str, needle: &str) -> Option<usize> {
    unescaped(s)
        .map(|(i, _)| i)
        .find(|&i| s[i..].starts_with(needle))
}

/// Resolves GIFT escapes (only Moodle's; other backslashes stay).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('n') => {
                    chars.next();
                    out.push('\n');
                }
                Some(&x) if ESCAPABLE.contains(&x) => {
                    chars.next();
                    out.push(x);
                }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// Text with an optional leading `[format]` marker (Moodle's
/// `parse_text_with_format`): the marker is taken off, `default` applies
/// when there is none.
fn rich(raw: &str, default: Format) -> Rich {
    let t = raw.trim_start();
    if let Some(after) = t.strip_prefix('[') {
        if let Some(end) = after.find(']') {
            if let Some(format) = Format::from_name(&after[..end]) {
                return Rich {
                    text: unescape(&after[end + 1..]),
                    format,
                };
            }
        }
    }
    Rich {
        text: unescape(t),
        format: default,
    }
}

fn line_at(block: &Block, offset: usize) -> usize {
    block.line
        + block.text[..offset.min(block.text.len())]
            .matches('\n')
            .count()
}

/// Every `[name:value]` in `comments` (Moodle's `[tag:…]` and `[id:…]`).
fn bracketed(comments: &str, name: &str) -> Vec<String> {
    let open = format!("[{name}:");
    let mut out = Vec::new();
    let mut rest = comments;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        let Some(end) = rest.find(']') else { break };
        let value = rest[..end].trim();
        if !value.is_empty() {
            out.push(value.to_string());
        }
        rest = &rest[end + 1..];
    }
    out
}

fn question(block: &Block, warnings: &mut Vec<GiftError>) -> Result<Question, GiftError> {
    let mut rest: &str = &block.text;
    let mut consumed = 0;
    let mut title = None;
    if let Some(after) = rest.strip_prefix("::") {
        let Some(end) = find_unescaped_str(after, "::") else {
            return Err(error(
                block.line,
                "the title opened with `::` is never closed",
            ));
        };
        title = Some(unescape(&after[..end])).filter(|t| !t.is_empty());
        consumed += 2 + end + 2;
        rest = &after[end + 2..];
    }
    let trimmed = rest.trim_start();
    consumed += rest.len() - trimmed.len();
    rest = trimmed;
    let mut format = Format::Moodle;
    if let Some(after) = rest.strip_prefix('[') {
        if let Some(f) = after
            .find(']')
            .and_then(|end| Format::from_name(&after[..end]))
        {
            format = f;
            let len = f.name().len() + 2;
            consumed += len;
            rest = &rest[len..];
        }
    }
    let mut q = Question {
        line: block.line,
        title,
        text: String::new(),
        format,
        text_after: None,
        kind: Kind::Description,
        general_feedback: None,
        fixed_order: block.fixed_order,
        category: block.category.clone(),
        tags: bracketed(&block.comments, "tag"),
        id_number: bracketed(&block.comments, "id").pop(),
    };
    let opens = find_unescaped(rest, '{');
    let Some(&open) = opens.first() else {
        // No answer block: a description, as in Moodle.
        q.text = unescape(rest);
        if q.text.is_empty() && q.title.is_none() {
            return Err(error(block.line, "the question has no text"));
        }
        return Ok(q);
    };
    let closes = find_unescaped(rest, '}');
    let Some(&close) = closes.iter().find(|&&c| c > open) else {
        return Err(error(
            line_at(block, consumed + open),
            "the answer block `{` is never closed with `}`",
        ));
    };
    if opens.len() > 1 {
        return Err(error(
            line_at(block, consumed + opens[1]),
            "only one answer block per question is supported (escape a literal `{` as `\\{`)",
        ));
    }
    let text = unescape(&rest[..open]);
    let after = unescape(&rest[close + 1..]);
    let inner = &rest[open + 1..close];
    let inner_line = line_at(block, consumed + open);
    if text.is_empty() && q.title.is_none() {
        return Err(error(block.line, "the question has no text"));
    }
    let (answers_src, general) = match find_unescaped_str(inner, "####") {
        Some(i) => (
            &inner[..i],
            Some(rich(&inner[i + 4..], format)).filter(|g| !g.text.is_empty()),
        ),
        None => (inner, None),
    };
    q.kind = kind(answers_src, inner_line, format, warnings)?;
    q.text = if text.is_empty() { "…".into() } else { text };
    q.text_after = Some(after).filter(|a| !a.is_empty());
    q.general_feedback = general;
    Ok(q)
}

fn kind(
    src: &str,
    line: usize,
    format: Format,
    warnings: &mut Vec<GiftError>,
) -> Result<Kind, GiftError> {
    let body = src.trim();
    if body.is_empty() {
        return Ok(Kind::Essay);
    }
    if let Some(num) = body.strip_prefix('#') {
        return numerical(num, line, format, warnings);
    }
    // True/false, with optional feedback: {T}, {TRUE#wrong#right}
    let parts = split_unescaped(body, '#');
    let head = parts[0].trim().to_ascii_uppercase();
    if matches!(head.as_str(), "T" | "TRUE" | "F" | "FALSE") {
        let fb = |i: usize| {
            parts
                .get(i)
                .map(|s| rich(s, format))
                .filter(|r| !r.text.is_empty())
        };
        return Ok(Kind::TrueFalse {
            answer: head.starts_with('T'),
            feedback_wrong: fb(1),
            feedback_right: fb(2),
        });
    }
    let answers = answers(body, line, warnings)?;
    if answers
        .iter()
        .any(|a| find_unescaped_str(&a.raw, "->").is_some())
    {
        let mut pairs = Vec::new();
        for a in &answers {
            let Some(i) = find_unescaped_str(&a.raw, "->") else {
                return Err(error(line, "every matching answer needs `left -> right`"));
            };
            if a.marker != '=' {
                return Err(error(line, "matching pairs start with `=`"));
            }
            let item = rich(&a.raw[..i], format);
            let answer = unescape(&a.raw[i + 2..]);
            if answer.is_empty() {
                return Err(error(line, "a matching pair has an empty right side"));
            }
            pairs.push(MatchPair { item, answer });
        }
        if pairs.iter().filter(|p| !p.item.text.is_empty()).count() < 2 {
            return Err(error(line, "a matching question needs at least two pairs"));
        }
        return Ok(Kind::Matching { pairs });
    }
    let all_right = answers.iter().all(|a| a.marker == '=');
    let choices: Vec<Choice> = answers
        .iter()
        .map(|a| {
            let (text, feedback) = text_and_feedback(&a.raw, format);
            Choice {
                text: text.text,
                format: text.format,
                fraction: a.weight.unwrap_or(if a.marker == '=' { 1.0 } else { 0.0 }),
                feedback,
            }
        })
        .collect();
    if choices.iter().any(|c| c.text.is_empty()) {
        return Err(error(line, "an answer is empty"));
    }
    if all_right {
        return Ok(Kind::ShortAnswer { answers: choices });
    }
    let has_equals = answers.iter().any(|a| a.marker == '=');
    let positive = choices.iter().filter(|c| c.fraction > 0.0).count();
    if positive == 0 {
        return Err(error(
            line,
            "no answer is right: mark one with `=` or give a positive `~%n%` weight",
        ));
    }
    Ok(Kind::MultipleChoice {
        multiple: !has_equals,
        choices,
    })
}

fn split_unescaped(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in find_unescaped(s, sep) {
        out.push(&s[start..i]);
        start = i + sep.len_utf8();
    }
    out.push(&s[start..]);
    out
}

/// An answer's text and its `#feedback`, each with its format.
fn text_and_feedback(raw: &str, format: Format) -> (Rich, Option<Rich>) {
    match find_unescaped(raw, '#').first() {
        Some(&i) => (
            rich(&raw[..i], format),
            Some(rich(&raw[i + 1..], format)).filter(|f| !f.text.is_empty()),
        ),
        None => (rich(raw, format), None),
    }
}

struct RawAnswer {
    marker: char,
    weight: Option<f64>,
    raw: String,
}

/// Splits `=a ~b ~%50%c` into answers: every unescaped `=` or `~` starts
/// one, as in Moodle.
fn answers(
    body: &str,
    line: usize,
    warnings: &mut Vec<GiftError>,
) -> Result<Vec<RawAnswer>, GiftError> {
    let starts: Vec<usize> = unescaped(body)
        .filter(|&(_, c)| c == '=' || c == '~')
        .map(|(i, _)| i)
        .collect();
    if starts.first() != Some(&0) {
        return Err(error(
            line,
            format!(
                "`{}` is not a GIFT answer (answers start with `=` or `~`; numbers with `#`)",
                body.chars().take(40).collect::<String>()
            ),
        ));
    }
    let mut out = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(body.len());
        let marker = body[s..].chars().next().unwrap_or('=');
        let mut raw = body[s + 1..end].trim();
        let mut weight = None;
        if let Some(r) = raw.strip_prefix('%') {
            let Some(pct_end) = r.find('%') else {
                return Err(error(line, "a weight `%n%` is not closed"));
            };
            let w: f64 = r[..pct_end]
                .trim()
                .parse()
                .map_err(|_| error(line, format!("`{}` is not a percentage", &r[..pct_end])))?;
            if !(-100.0..=100.0).contains(&w) {
                return Err(error(line, "weights are between -100% and 100%"));
            }
            if !moodle_weight(w) {
                warnings.push(error(
                    line,
                    format!(
                        "weight {w}% is not one Moodle accepts (it offers 100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5 and 0, or their negatives)"
                    ),
                ));
            }
            weight = Some(w / 100.0);
            raw = r[pct_end + 1..].trim();
        }
        out.push(RawAnswer {
            marker,
            weight,
            raw: raw.to_string(),
        });
    }
    Ok(out)
}

fn number(s: &str, line: usize) -> Result<f64, GiftError> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| error(line, format!("`{}` is not a number", s.trim())))
}

fn num_key(s: &str, line: usize) -> Result<NumKey, GiftError> {
    let s = s.trim();
    if s.is_empty() || s == "*" {
        return Ok(NumKey::Any);
    }
    if let Some((a, b)) = s.split_once("..") {
        let (min, max) = (number(a, line)?, number(b, line)?);
        if min > max {
            return Err(error(line, "a range's minimum is above its maximum"));
        }
        return Ok(NumKey::Range { min, max });
    }
    match s.split_once(':') {
        Some((v, t)) => Ok(NumKey::Exact {
            value: number(v, line)?,
            tolerance: number(t, line)?.abs(),
        }),
        None => Ok(NumKey::Exact {
            value: number(s, line)?,
            tolerance: 0.0,
        }),
    }
}

/// A numerical answer's key and feedback (`3:0.5 # Close.`).
fn num_and_feedback(raw: &str, format: Format) -> (&str, Option<Rich>) {
    match find_unescaped(raw, '#').first() {
        Some(&i) => (
            &raw[..i],
            Some(rich(&raw[i + 1..], format)).filter(|f| !f.text.is_empty()),
        ),
        None => (raw, None),
    }
}

fn numerical(
    src: &str,
    line: usize,
    format: Format,
    warnings: &mut Vec<GiftError>,
) -> Result<Kind, GiftError> {
    let body = src.trim();
    let mut answers = Vec::new();
    if body.starts_with('=') || body.starts_with('~') {
        for a in self::answers(body, line, warnings)? {
            let (key, feedback) = num_and_feedback(&a.raw, format);
            answers.push(NumAnswer {
                key: num_key(key, line)?,
                fraction: a.weight.unwrap_or(if a.marker == '=' { 1.0 } else { 0.0 }),
                feedback,
            });
        }
    } else {
        let (key, feedback) = num_and_feedback(body, format);
        answers.push(NumAnswer {
            key: num_key(key, line)?,
            fraction: 1.0,
            feedback,
        });
    }
    if !answers
        .iter()
        .any(|a| a.fraction > 0.0 && a.key != NumKey::Any)
    {
        return Err(error(line, "no numerical answer is right"));
    }
    Ok(Kind::Numerical { answers })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Question {
        let quiz = parse(src).unwrap_or_else(|e| panic!("{src}: {e:?}"));
        assert_eq!(quiz.questions.len(), 1);
        quiz.questions.into_iter().next().unwrap()
    }

    // Examples from Moodle's GIFT format documentation.

    #[test]
    fn multiple_choice() {
        let q = one("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}");
        let Kind::MultipleChoice { choices, multiple } = q.kind else {
            panic!()
        };
        assert!(!multiple);
        assert_eq!(choices.len(), 3);
        assert_eq!(choices[2].text, "no one");
        assert_eq!(choices[2].fraction, 1.0);
        assert_eq!(choices[0].fraction, 0.0);
        assert_eq!(q.text, "Who's buried in Grant's tomb?");
    }

    #[test]
    fn multiple_choice_over_lines_with_feedback_and_title() {
        let q = one("::Q1:: What's between orange and green in the spectrum?\n{\n=yellow # right; good!\n~red # wrong, it's yellow\n~blue # wrong, it's yellow\n}");
        assert_eq!(q.title.as_deref(), Some("Q1"));
        let Kind::MultipleChoice { choices, .. } = q.kind else {
            panic!()
        };
        assert_eq!(
            choices[0].feedback.as_ref().map(|r| r.text.as_str()),
            Some("right; good!")
        );
        assert_eq!(
            choices[1].feedback.as_ref().map(|r| r.text.as_str()),
            Some("wrong, it's yellow")
        );
    }

    #[test]
    fn multiple_answers_with_weights() {
        let q = one("What two people are entombed in Grant's tomb? {\n~%-100%No one\n~%50%Grant\n~%50%Grant's wife\n~%-100%Grant's father\n}");
        let Kind::MultipleChoice { choices, multiple } = q.kind else {
            panic!()
        };
        assert!(multiple);
        assert_eq!(
            choices.iter().map(|c| c.fraction).collect::<Vec<_>>(),
            vec![-1.0, 0.5, 0.5, -1.0]
        );
    }

    #[test]
    fn true_false() {
        let q = one("Grant was buried in a tomb in New York City.{T}");
        assert!(matches!(q.kind, Kind::TrueFalse { answer: true, .. }));
        let q = one("The sun rises in the West.{FALSE#No, it rises in the East.#Right.}");
        let Kind::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        } = q.kind
        else {
            panic!()
        };
        assert!(!answer);
        assert_eq!(
            feedback_wrong.as_ref().map(|r| r.text.as_str()),
            Some("No, it rises in the East.")
        );
        assert_eq!(
            feedback_right.as_ref().map(|r| r.text.as_str()),
            Some("Right.")
        );
    }

    #[test]
    fn short_answer_with_several_accepted() {
        let q = one("Two plus two equals {=four =4}.");
        let Kind::ShortAnswer { answers } = &q.kind else {
            panic!()
        };
        assert_eq!(
            answers.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(),
            ["four", "4"]
        );
        assert_eq!(q.text_after.as_deref(), Some("."));
    }

    #[test]
    fn numerical_forms() {
        let q = one("When was Ulysses S. Grant born?{#1822:5}");
        let Kind::Numerical { answers } = q.kind else {
            panic!()
        };
        assert_eq!(
            answers[0].key,
            NumKey::Exact {
                value: 1822.0,
                tolerance: 5.0
            }
        );
        let q = one("What is a number from 1 to 5? {#1..5}");
        let Kind::Numerical { answers } = q.kind else {
            panic!()
        };
        assert_eq!(answers[0].key, NumKey::Range { min: 1.0, max: 5.0 });
        let q = one(
            "When was Ulysses S. Grant born? {#\n=1822:0      # Correct!\n=%50%1822:2 # Close.\n}",
        );
        let Kind::Numerical { answers } = q.kind else {
            panic!()
        };
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[1].fraction, 0.5);
        assert_eq!(
            answers[0].feedback.as_ref().map(|r| r.text.as_str()),
            Some("Correct!")
        );
        assert!(answers[1].key.matches(1823.5));
        assert!(!answers[0].key.matches(1823.0));
    }

    #[test]
    fn matching() {
        let q = one("Match the following countries with their corresponding capitals. {\n=Canada -> Ottawa\n=Italy  -> Rome\n=Japan  -> Tokyo\n=India  -> New Delhi\n}");
        let Kind::Matching { pairs } = q.kind else {
            panic!()
        };
        assert_eq!(pairs.len(), 4);
        assert_eq!(
            (pairs[3].item.text.as_str(), pairs[3].answer.as_str()),
            ("India", "New Delhi")
        );
    }

    #[test]
    fn general_feedback_comments_escapes_and_markdown() {
        let src = "// a comment\n$CATEGORY: tom/x\n::Esc\\:aped:: [markdown]Is `a \\= b` \\{really\\}?{\n=yes #fine\n~no\n####The **general** feedback.\n}";
        let q = one(src);
        assert_eq!(q.title.as_deref(), Some("Esc:aped"));
        assert_eq!(q.format, Format::Markdown);
        assert_eq!(q.text, "Is `a = b` {really}?");
        assert_eq!(
            q.general_feedback.as_ref().map(|r| r.text.as_str()),
            Some("The **general** feedback.")
        );
        assert_eq!(q.line, 3);
    }

    #[test]
    fn several_questions_and_no_shuffle() {
        let quiz = parse("Q1 {T}\n\n// no-shuffle\nQ2 {=a ~b}\n\n\nQ3 {#2}\n").unwrap();
        assert_eq!(quiz.questions.len(), 3);
        assert_eq!(
            quiz.questions.iter().map(|q| q.line).collect::<Vec<_>>(),
            [1, 4, 7]
        );
        assert!(!quiz.questions[0].fixed_order);
        assert!(quiz.questions[1].fixed_order);
    }

    #[test]
    fn broken_questions_are_errors_with_lines() {
        let errs = parse("Fine {T}\n\nOpen {=a ~b\n\nNo right {~a ~b}\n\nTwo {=a} blocks {=b}")
            .unwrap_err();
        let lines: Vec<_> = errs.iter().map(|e| (e.line, e.message.as_str())).collect();
        let expected = [
            (3, "never closed"),
            (5, "no answer is right"),
            (7, "only one answer block"),
        ];
        assert_eq!(lines.len(), expected.len(), "{lines:?}");
        for (i, (line, says)) in expected.into_iter().enumerate() {
            assert!(lines[i].0 == line && lines[i].1.contains(says), "{lines:?}");
        }
        assert!(parse("// only comments\n").is_err());
        assert!(parse("Bad weight {~%abc%x =y}").is_err());
        assert!(parse("Bad number {#abc}").is_err());
    }

    fn mc(q: &Question) -> &[Choice] {
        match &q.kind {
            Kind::MultipleChoice { choices, .. } | Kind::ShortAnswer { answers: choices } => {
                choices
            }
            other => panic!("{other:?}"),
        }
    }

    // The differences of issue 17, each with Moodle's reading as expected value.

    /// 1. `[html]`, `[moodle]`, `[plain]` and `[markdown]` everywhere Moodle
    ///    takes them; unmarked text is Moodle's default format (HTML).
    #[test]
    fn d1_formats_are_accepted_everywhere() {
        let q = one("::T::[html]<p>Pick <b>one</b></p>{=[plain]a<b> #[markdown]**yes** ~[moodle]<i>b</i> ####[html]<em>g</em>}");
        assert_eq!(q.format, Format::Html);
        assert_eq!(q.text, "<p>Pick <b>one</b></p>");
        let c = mc(&q);
        assert_eq!((c[0].text.as_str(), c[0].format), ("a<b>", Format::Plain));
        assert_eq!(
            c[0].feedback,
            Some(Rich {
                text: "**yes**".into(),
                format: Format::Markdown
            })
        );
        assert_eq!(
            (c[1].text.as_str(), c[1].format),
            ("<i>b</i>", Format::Moodle)
        );
        let g = q.general_feedback.unwrap();
        assert_eq!((g.text.as_str(), g.format), ("<em>g</em>", Format::Html));
        // Unmarked text is [moodle]; answers default to the question's format.
        let q = one("Is <b>this</b> bold? {=yes ~no}");
        assert_eq!(q.format, Format::Moodle);
        let q = one("[markdown]**Q** {=a ~b}");
        assert_eq!(mc(&q)[0].format, Format::Markdown);
        // True/false feedback and matching items.
        let q = one("[plain]TF {T#[html]<b>wrong</b>#right}");
        let Kind::TrueFalse {
            feedback_wrong,
            feedback_right,
            ..
        } = q.kind
        else {
            panic!()
        };
        assert_eq!(feedback_wrong.unwrap().format, Format::Html);
        assert_eq!(feedback_right.unwrap().format, Format::Plain);
        let q = one("M {=[html]<b>a</b> -> 1 =b -> 2}");
        let Kind::Matching { pairs } = q.kind else {
            panic!()
        };
        assert_eq!(
            (pairs[0].item.text.as_str(), pairs[0].item.format),
            ("<b>a</b>", Format::Html)
        );
        assert_eq!(pairs[1].item.format, Format::Moodle);
    }

    /// 2. Markers never stay in the text learners see.
    #[test]
    fn d2_format_markers_are_stripped_from_answers_and_feedback() {
        let q = one("Colour? {=yellow#[html]right ~red#[html]wrong ~[plain]blue}");
        let c = mc(&q);
        assert_eq!(c[1].feedback.as_ref().unwrap().text, "wrong");
        assert_eq!(c[2].text, "blue");
        assert!(!format!("{q:?}").contains("[html]") && !format!("{q:?}").contains("[plain]"));
        // An unknown bracket is text, as in Moodle.
        let q = one("Q {=[x]y ~z}");
        assert_eq!(mc(&q)[0].text, "[x]y");
    }

    /// 3. Moodle's exporter writes "any other answer" as `~#feedback`.
    #[test]
    fn d3_numerical_any_other_answer() {
        let q = one("How many? {#\n=%100%3:2#\n~#Completely wrong\n}");
        let Kind::Numerical { answers } = q.kind else {
            panic!()
        };
        assert_eq!(answers.len(), 2);
        assert_eq!(
            answers[0].key,
            NumKey::Exact {
                value: 3.0,
                tolerance: 2.0
            }
        );
        assert_eq!(answers[0].feedback, None);
        assert_eq!(answers[1].key, NumKey::Any);
        assert_eq!(answers[1].fraction, 0.0);
        assert_eq!(
            answers[1].feedback.as_ref().unwrap().text,
            "Completely wrong"
        );
        assert!(answers[1].key.matches(1e9));
    }

    /// 4. Every unescaped `=` or `~` starts an answer.
    #[test]
    fn d4_every_unescaped_marker_splits() {
        let q = one("Sure? {=yes~no~maybe}");
        let c = mc(&q);
        assert_eq!(
            c.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            ["yes", "no", "maybe"]
        );
        assert!(matches!(
            q.kind,
            Kind::MultipleChoice {
                multiple: false,
                ..
            }
        ));
        let q = one("Short {=a=b}");
        assert_eq!(mc(&q).len(), 2);
        let q = one("Escaped {=a\\=b ~c\\~d}");
        assert_eq!(mc(&q)[0].text, "a=b");
        assert_eq!(mc(&q)[1].text, "c~d");
    }

    /// 5. Only Moodle's escapes are escapes; other backslashes are kept.
    #[test]
    fn d5_backslashes_escape_only_gift_characters() {
        let q = one("Half is \\(\\frac\\{1\\}\\{2\\}\\) {=yes ~no}");
        assert_eq!(q.text, "Half is \\(\\frac{1}{2}\\)");
        let q = one("Path C\\\\Windows\\tmp\\nnext\\: \\# {T}");
        assert_eq!(q.text, "Path C\\Windows\\tmp\nnext: #");
        // `\\{` is an escaped backslash, then a real brace.
        let q = one("Back\\\\{=x ~y}");
        assert_eq!(q.text, "Back\\");
    }

    /// 6. `= -> Chat` is a distractor: an option, not a scored row.
    #[test]
    fn d6_match_distractors() {
        let q = one("Animals {=Dog -> Bark =Cow -> Moo = -> Meow}");
        let Kind::Matching { pairs } = q.kind else {
            panic!()
        };
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[2].item.text, "");
        assert_eq!(pairs[2].answer, "Meow");
        // Two real pairs are still needed.
        assert!(parse("M {=a -> 1 = -> 2}").is_err());
    }

    /// 7. `*` is a wildcard in short answers (kept as written; grading
    ///    matches it, see `grade::short_answer_matches`).
    #[test]
    fn d7_short_answer_wildcards_are_kept() {
        let q = one("Name a colour {=*red* =gr\\*y}");
        assert_eq!(mc(&q)[0].text, "*red*");
        // `\*` is not a GIFT escape, so it reaches the short-answer type,
        // which reads it as a literal star.
        assert_eq!(mc(&q)[1].text, "gr\\*y");
    }

    /// 8. Weights Moodle would refuse are warnings, with their line.
    #[test]
    fn d8_weights_moodle_rejects_are_warnings() {
        let p = parse_with_warnings(
            "Ok {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}\n\nBad {\n~%34%a\n~%33%b ~%33%c}\n\nNum {#=%45%3 =5}",
        )
        .unwrap();
        let lines: Vec<usize> = p.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [3, 3, 3, 7], "{:?}", p.warnings);
        assert!(p.warnings[0].message.contains("34%"));
        for ok in [
            100.0, 83.33333, 66.66667, 14.28571, 12.5, 11.11111, 5.0, 0.0, -50.0,
        ] {
            assert!(moodle_weight(ok), "{ok}");
        }
        for bad in [34.0, 33.0, 33.33, 99.0] {
            assert!(!moodle_weight(bad), "{bad}");
        }
    }

    /// 9. Descriptions and essays, tags and id numbers from comments.
    #[test]
    fn d9_description_essay_tags_and_ids() {
        let quiz = parse(
            "$CATEGORY: $course$/top/Networking\n\n// question: 12 name: Intro\n// [tag:http] [tag:intro] [id:NET-1]\n::Intro::Read this first.\n\n::E:: Explain idempotency. {}\n\n$CATEGORY: other\n\nE2 {####Model answer.}",
        )
        .unwrap();
        let [d, e, e2] = &quiz.questions[..] else {
            panic!()
        };
        assert_eq!(d.kind, Kind::Description);
        assert_eq!(d.text, "Read this first.");
        assert_eq!(d.tags, ["http", "intro"]);
        assert_eq!(d.id_number.as_deref(), Some("NET-1"));
        assert_eq!(d.category.as_deref(), Some("$course$/top/Networking"));
        assert_eq!(e.kind, Kind::Essay);
        assert!(e.tags.is_empty() && e.id_number.is_none());
        assert_eq!(e.category.as_deref(), Some("$course$/top/Networking"));
        assert_eq!(e2.kind, Kind::Essay);
        assert_eq!(e2.general_feedback.as_ref().unwrap().text, "Model answer.");
        assert_eq!(e2.category.as_deref(), Some("other"));
    }
}
