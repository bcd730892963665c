//! A parser for Moodle's GIFT question format.
//!
//! Supported, with Moodle's semantics: multiple choice (`{=right ~wrong}`),
//! multiple answers with weights (`~%50%a ~%-100%c`), true/false (`{T}`,
//! `{FALSE#wrong#right}`), short answer (`{=a =b}`, case-insensitive),
//! numerical (`{#3}`, `{#3:0.5}`, `{#1..5}`, `{#=3:0 =%50%3:1}`), matching
//! (`{=a -> 1 =b -> 2}`), missing-word text after the block, titles
//! `::t::`, per-answer feedback `#…`, general feedback `####…`, comments
//! `//`, `$CATEGORY:` lines (ignored), escapes `\~ \= \# \{ \} \:` and
//! `[markdown]` / `[plain]` / `[moodle]` text. Anything else (essays,
//! descriptions, `[html]`) is an error with its line, never dropped.
//!
//! Extension: a `// no-shuffle` comment before a question keeps its choices
//! in the author's order.

use super::model::{Choice, Kind, NumAnswer, NumKey, Question, Quiz};

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

/// Parses a whole GIFT text. Every bad question is reported; good ones are
/// returned only if there is no error at all (a quiz is all or nothing).
pub fn parse(src: &str) -> Result<Quiz, Vec<GiftError>> {
    let mut questions = Vec::new();
    let mut errors = Vec::new();
    for block in blocks(src) {
        match question(&block) {
            Ok(q) => questions.push(q),
            Err(e) => errors.push(e),
        }
    }
    if questions.is_empty() && errors.is_empty() {
        errors.push(error(1, "the quiz has no questions"));
    }
    if errors.is_empty() {
        Ok(Quiz { questions })
    } else {
        Err(errors)
    }
}

struct Block {
    line: usize,
    text: String,
    fixed_order: bool,
}

/// Splits into question blocks at blank lines, dropping comments and
/// category lines.
fn blocks(src: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    let mut fixed_next = false;
    for (i, raw) in src.lines().enumerate() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            if trimmed.trim_start_matches('/').trim() == "no-shuffle" {
                fixed_next = true;
            }
            continue;
        }
        if trimmed.starts_with("$CATEGORY:") {
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
                })
            }
        }
    }
    if let Some(b) = current {
        out.push(b);
    }
    out
}

/// Positions of unescaped `needle` characters.
fn find_unescaped(s: &str, needle: char) -> Vec<usize> {
    let mut out = Vec::new();
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == needle {
            out.push(i);
        }
    }
    out
}

fn find_unescaped_str(s: &str, needle: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        if s[i..].starts_with(needle) {
            return Some(i);
        }
    }
    None
}

/// Resolves GIFT escapes.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

fn line_at(block: &Block, offset: usize) -> usize {
    block.line
        + block.text[..offset.min(block.text.len())]
            .matches('\n')
            .count()
}

fn question(block: &Block) -> Result<Question, GiftError> {
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
    let mut markdown = false;
    for (tag, is_md) in [
        ("[markdown]", true),
        ("[plain]", false),
        ("[moodle]", false),
    ] {
        if let Some(r) = rest.strip_prefix(tag) {
            markdown = is_md;
            consumed += tag.len();
            rest = r;
        }
    }
    if rest.starts_with("[html]") {
        return Err(error(
            block.line,
            "`[html]` question text is not supported; use `[markdown]`",
        ));
    }
    let opens = find_unescaped(rest, '{');
    let Some(&open) = opens.first() else {
        return Err(error(
            block.line,
            "no answer block `{…}`: descriptions are not supported (is a blank line missing or a `{` not escaped?)",
        ));
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
    if text.is_empty() && title.is_none() {
        return Err(error(block.line, "the question has no text"));
    }
    let (answers_src, general) = match find_unescaped_str(inner, "####") {
        Some(i) => (
            &inner[..i],
            Some(unescape(&inner[i + 4..])).filter(|g| !g.is_empty()),
        ),
        None => (inner, None),
    };
    let kind = kind(answers_src, inner_line)?;
    Ok(Question {
        line: block.line,
        title,
        text: if text.is_empty() { "…".into() } else { text },
        markdown,
        text_after: Some(after).filter(|a| !a.is_empty()),
        kind,
        general_feedback: general,
        fixed_order: block.fixed_order,
    })
}

fn kind(src: &str, line: usize) -> Result<Kind, GiftError> {
    let body = src.trim();
    if body.is_empty() {
        return Err(error(line, "essay questions (`{}`) are not supported"));
    }
    if let Some(num) = body.strip_prefix('#') {
        return numerical(num, line);
    }
    // True/false, with optional feedback: {T}, {TRUE#wrong#right}
    let parts = split_unescaped(body, '#');
    let head = parts[0].trim().to_ascii_uppercase();
    if matches!(head.as_str(), "T" | "TRUE" | "F" | "FALSE") {
        let fb = |i: usize| parts.get(i).map(|s| unescape(s)).filter(|s| !s.is_empty());
        return Ok(Kind::TrueFalse {
            answer: head.starts_with('T'),
            feedback_wrong: fb(1),
            feedback_right: fb(2),
        });
    }
    let answers = answers(body, line)?;
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
            let (l, r) = (unescape(&a.raw[..i]), unescape(&a.raw[i + 2..]));
            if r.is_empty() {
                return Err(error(line, "a matching pair has an empty right side"));
            }
            pairs.push((l, r));
        }
        if pairs.len() < 2 {
            return Err(error(line, "a matching question needs at least two pairs"));
        }
        return Ok(Kind::Matching { pairs });
    }
    let all_right = answers.iter().all(|a| a.marker == '=');
    let choices: Vec<Choice> = answers
        .iter()
        .map(|a| {
            let (text, feedback) = text_and_feedback(&a.raw);
            Choice {
                text,
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

fn text_and_feedback(raw: &str) -> (String, Option<String>) {
    match find_unescaped(raw, '#').first() {
        Some(&i) => (
            unescape(&raw[..i]),
            Some(unescape(&raw[i + 1..])).filter(|f| !f.is_empty()),
        ),
        None => (unescape(raw), None),
    }
}

struct RawAnswer {
    marker: char,
    weight: Option<f64>,
    raw: String,
}

/// Splits `=a ~b ~%50%c` into answers.
fn answers(body: &str, line: usize) -> Result<Vec<RawAnswer>, GiftError> {
    let mut starts: Vec<usize> = find_unescaped(body, '=');
    starts.extend(find_unescaped(body, '~'));
    starts.sort_unstable();
    // `->` contains no marker, but `=` inside a matching right side would:
    // markers count only at the start or after whitespace.
    starts.retain(|&i| i == 0 || body[..i].ends_with(char::is_whitespace));
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

fn numerical(src: &str, line: usize) -> Result<Kind, GiftError> {
    let body = src.trim();
    let mut answers = Vec::new();
    if body.starts_with('=') || body.starts_with('~') {
        for a in self::answers(body, line)? {
            let (key, feedback) = match find_unescaped(&a.raw, '#').first() {
                Some(&i) => (
                    &a.raw[..i],
                    Some(unescape(&a.raw[i + 1..])).filter(|f| !f.is_empty()),
                ),
                None => (a.raw.as_str(), None),
            };
            answers.push(NumAnswer {
                key: num_key(key, line)?,
                fraction: a.weight.unwrap_or(if a.marker == '=' { 1.0 } else { 0.0 }),
                feedback,
            });
        }
    } else {
        let (key, feedback) = match find_unescaped(body, '#').first() {
            Some(&i) => (
                &body[..i],
                Some(unescape(&body[i + 1..])).filter(|f| !f.is_empty()),
            ),
            None => (body, None),
        };
        answers.push(NumAnswer {
            key: num_key(key, line)?,
            fraction: 1.0,
            feedback,
        });
    }
    if !answers.iter().any(|a| a.fraction > 0.0) {
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
        assert_eq!(choices[0].feedback.as_deref(), Some("right; good!"));
        assert_eq!(choices[1].feedback.as_deref(), Some("wrong, it's yellow"));
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
        assert_eq!(feedback_wrong.as_deref(), Some("No, it rises in the East."));
        assert_eq!(feedback_right.as_deref(), Some("Right."));
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
        assert_eq!(answers[0].feedback.as_deref(), Some("Correct!"));
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
        assert_eq!(pairs[3], ("India".to_string(), "New Delhi".to_string()));
    }

    #[test]
    fn general_feedback_comments_escapes_and_markdown() {
        let src = "// a comment\n$CATEGORY: tom/x\n::Esc\\:aped:: [markdown]Is `a \\= b` \\{really\\}?{\n=yes #fine\n~no\n####The **general** feedback.\n}";
        let q = one(src);
        assert_eq!(q.title.as_deref(), Some("Esc:aped"));
        assert!(q.markdown);
        assert_eq!(q.text, "Is `a = b` {really}?");
        assert_eq!(
            q.general_feedback.as_deref(),
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
    fn unsupported_and_broken_questions_are_errors_with_lines() {
        let errs = parse("Fine {T}\n\nWrite an essay. {}\n\nJust a description.\n\nOpen {=a ~b\n\n[html]<b>x</b>{T}\n\nNo right {~a ~b}").unwrap_err();
        let lines: Vec<_> = errs.iter().map(|e| (e.line, e.message.as_str())).collect();
        let expected = [
            (3, "essay"),
            (5, "descriptions"),
            (7, "never closed"),
            (9, "[html]"),
            (11, "no answer is right"),
        ];
        for (i, (line, says)) in expected.into_iter().enumerate() {
            assert!(lines[i].0 == line && lines[i].1.contains(says), "{lines:?}");
        }
        assert!(parse("// only comments\n").is_err());
        assert!(parse("Bad weight {~%abc%x =y}").is_err());
        assert!(parse("Bad number {#abc}").is_err());
    }
}
