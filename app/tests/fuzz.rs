//! Property-based fuzzing of the three parsers that read untrusted text:
//! lesson front matter, GIFT quizzes and markdown → sanitizer → highlighting.
//!
//! Each target runs for a fixed time (`FUZZ_SECONDS`, default 3; `make
//! reliability` runs 60) over inputs built from the syntax that matters
//! (HTML attack payloads, GIFT punctuation, YAML/TOML fences) mixed with
//! arbitrary Unicode. A panic anywhere is a failure; so is any executable
//! markup in rendered HTML: `<script`, an `on…=` attribute or a
//! `javascript:` URL inside a tag.
#![cfg(feature = "ssr")]

use std::time::{Duration, Instant};

use app::{
    lessons::{front_matter, render},
    quiz::{gift, grade, model::Kind},
};
use proptest::{
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};

/// Runs `check` on values of `strategy` until the time budget is spent.
fn fuzz_for<S: Strategy>(
    name: &str,
    strategy: S,
    check: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let secs: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let config = Config {
        cases: 128,
        failure_persistence: None,
        ..Config::default()
    };
    let cases = std::sync::atomic::AtomicU64::new(0);
    let check = |value| {
        cases.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        check(value)
    };
    while Instant::now() < deadline {
        // A fresh runner per round: each draws a new random seed.
        let mut runner = TestRunner::new(config.clone());
        if let Err(e) = runner.run(&strategy, check) {
            panic!("{name}: {e}");
        }
    }
    let cases = cases.into_inner();
    eprintln!("fuzz {name}: {cases} cases in {secs} s, no failure");
}

/// Text made of `pieces` and arbitrary strings, concatenated.
fn text_of(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(pieces).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "[ -~\n]{0,12}",
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}

const HTML_PIECES: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.test/x.js></SCRIPT>",
    "<scr<script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">",
    "<a href=\"java&#x09;script:alert(1)\">",
    "<iframe src=javascript:alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--",
    "-->",
    "<![CDATA[",
    "\"",
    "'",
    "`",
    ">",
    "<",
    "&",
    " onmouseover=alert(1) ",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1) \"t\")",
    "![i](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[ref]: javascript:alert(1)\n[ref]\n",
    "\n```html\n<script>alert(1)</script>\n```\n",
    "\n```rust\nfn main() { println!(\"<script>\"); }\n```\n",
    "\n```\n",
    "\n```gift\nQ {T}\n```\n",
    "\n# Heading {#id onclick=x}\n",
    "\n## <img src=x onerror=alert(1)>\n",
    "| a | b |\n|---|:-:|\n| <script> | x |\n",
    "[^1]\n\n[^1]: <b onclick=x>note</b>\n",
    "- [ ] task\n",
    "> quote <style>*{}</style>\n",
    "`code <script>`",
    "*",
    "_",
    "\n\n",
    "    indented <script>\n",
];

/// The tags of `html` (from `<` to the `>` that closes it outside quotes).
fn tags(html: &str) -> Vec<&str> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let start = i;
            let mut quote = None;
            i += 1;
            while i < bytes.len() {
                match (quote, bytes[i]) {
                    (None, b'"' | b'\'') => quote = Some(bytes[i]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                i += 1;
            }
            out.push(&html[start..i.min(html.len())]);
        }
        i += 1;
    }
    out
}

/// The attributes (lower-case name, value) of one tag such as `<a href=x>`.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let mut chars = inner.chars().peekable();
    // Skip the element name.
    while chars.next_if(|c| !c.is_whitespace() && *c != '/').is_some() {}
    let mut out = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && !matches!(c, '=' | '/')) {
            name.push(c.to_ascii_lowercase());
        }
        if name.is_empty() {
            break;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            match chars.next_if(|c| *c == '"' || *c == '\'') {
                Some(q) => value.extend(chars.by_ref().take_while(|c| *c != q)),
                None => {
                    while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        out.push((name, value));
    }
    out
}

/// Executable markup left in `html`, if any: a script element, an event
/// handler attribute, or a `javascript:` URL in an attribute a browser
/// follows or evaluates (text in `alt` or `title` is inert).
fn executable(html: &str) -> Option<String> {
    if html.to_ascii_lowercase().contains("<script") {
        return Some("a <script> element".into());
    }
    for tag in tags(html) {
        for (name, value) in attributes(tag) {
            if name.starts_with("on") {
                return Some(format!("an {name} attribute in {tag}"));
            }
            let squeezed: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if !matches!(name.as_str(), "alt" | "title") && squeezed.contains("javascript:") {
                return Some(format!("a javascript: URL in {tag}"));
            }
        }
    }
    None
}

#[test]
fn the_checker_catches_what_it_must() {
    assert!(executable("<p>ok</p>").is_none());
    assert!(executable("<p>javascript: is a word</p>").is_none());
    assert!(executable("<SCRIPT>").is_some());
    assert!(executable("<a href=\"JavaScript:x\">").is_some());
    assert!(executable("<img src=x onerror=alert(1)>").is_some());
    assert!(executable("<img title=\"a > b\" onload=x>").is_some());
    assert!(executable("<img alt=\"x onerror=alert(1) javascript:\">").is_none());
    assert!(executable("<a href = 'java script:x' class=c>").is_some());
    assert!(executable("<svg/onload=x>").is_some());
}

#[test]
fn fuzz_markdown_never_emits_executable_markup() {
    fuzz_for("markdown", text_of(HTML_PIECES, 24), |body| {
        let out = render::render(&body, 1, "track");
        if let Some(what) = executable(out.html.as_str()) {
            return Err(TestCaseError::fail(format!(
                "{what}\ninput: {body:?}\noutput: {}",
                out.html.as_str()
            )));
        }
        for entry in &out.toc {
            prop_assert!(!entry.id.contains('"') && !entry.id.contains('<'));
        }
        Ok(())
    });
}

#[test]
fn fuzz_sanitizer_alone_never_emits_executable_markup() {
    fuzz_for("sanitizer", text_of(HTML_PIECES, 16), |html| {
        let clean = render::sanitize(&html);
        prop_assert!(
            executable(clean.as_str()).is_none(),
            "input {html:?} output {}",
            clean.as_str()
        );
        Ok(())
    });
}

const FRONT_PIECES: &[&str] = &[
    "---\n",
    "+++\n",
    "id: a\n",
    "title: T\n",
    "title: \"unterminated\n",
    "summary: S\n",
    "order: 3\n",
    "order: -1\n",
    "order: 99999999999999999999\n",
    "minutes: x\n",
    "draft: true\n",
    "objectives:\n  - one\n  - two\n",
    "objectives: [a, [b]]\n",
    "further_reading:\n  - title: x\n    url: https://example.com\n",
    "unknown: 1\n",
    "id = \"a\"\n",
    "title = 'T'\n",
    "[table]\n",
    "&anchor x\n",
    "*anchor\n",
    "!!binary aGVsbG8=\n",
    "? complex\n: key\n",
    "\t",
    ":",
    "- ",
    "\u{feff}",
    "\r\n",
    "body text\n",
];

#[test]
fn fuzz_front_matter_parser_never_panics() {
    fuzz_for("front matter", text_of(FRONT_PIECES, 20), |src| {
        match front_matter::parse(&src) {
            Ok(parsed) => {
                prop_assert!(src.ends_with(parsed.body));
                prop_assert!(parsed.body_line >= 1);
            }
            Err(e) => {
                prop_assert!(e.line >= 1, "error line {} for {src:?}", e.line);
                prop_assert!(!e.message.is_empty());
            }
        }
        Ok(())
    });
}

const GIFT_PIECES: &[&str] = &[
    "::Title::",
    "::",
    "Question text ",
    "{",
    "}",
    "{T}",
    "{F#wrong#right}",
    "{TRUE}",
    "=",
    "~",
    "#",
    "####general",
    "->",
    "%50%",
    "%-100%",
    "%x%",
    "%",
    "{#",
    "3:0.5",
    "1..5",
    "=%50%2:1",
    "\\{",
    "\\}",
    "\\=",
    "\\~",
    "\\#",
    "\\:",
    "\\n",
    "\\",
    "[markdown]",
    "[html]",
    "[plain]",
    "[moodle]",
    "<img src=x onerror=alert(1)>",
    "\\(",
    "*",
    "~#any other",
    "= -> extra",
    "{}",
    "// [tag:x] [id:y]\n",
    "<script>alert(1)</script>",
    "// comment\n",
    "// no-shuffle\n",
    "$CATEGORY: x\n",
    "\n\n",
    "\n",
    " ",
    "1e400",
    "-0",
    "NaN",
    "inf",
];

#[test]
fn fuzz_gift_parser_and_grader_never_panic() {
    let form = proptest::collection::vec(("q[0-9]{1,2}(-[a-z0-9]{0,3})?", ".{0,12}"), 0..8);
    fuzz_for("gift", (text_of(GIFT_PIECES, 30), form), |(src, form)| {
        match gift::parse(&src) {
            Ok(quiz) => {
                let view = grade::view(&quiz, b"key", "attempt");
                for q in &view.questions {
                    prop_assert!(executable(q.text.as_str()).is_none());
                    // Choice and item labels are HTML too (formats).
                    let labels = match &q.input {
                        app::quiz::model::InputView::Single(l)
                        | app::quiz::model::InputView::Multiple(l) => l.clone(),
                        app::quiz::model::InputView::Matching { items, .. } => items.clone(),
                        _ => Vec::new(),
                    };
                    for (_, label) in labels {
                        prop_assert!(executable(label.as_str()).is_none());
                    }
                }
                if let Ok(result) = grade::grade(&quiz, b"key", "attempt", &form, 70) {
                    prop_assert!(result.percent <= 100, "{} %", result.percent);
                    prop_assert!(result.points.is_finite());
                    prop_assert!(result.points <= result.max_points + 1e-9);
                    for q in &result.questions {
                        for html in q.feedback.iter().chain(&q.general_feedback) {
                            prop_assert!(executable(html.as_str()).is_none());
                        }
                    }
                }
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert!(e.line >= 1 && !e.message.is_empty());
                }
            }
        }
        Ok(())
    });
}

/// One question of every kind, with partial and negative weights.
const EVERY_KIND: &str = "TF {T}\n\nPick {=right ~%50%half ~wrong}\n\nMulti {~%50%a ~%50%b ~%100%c ~%-100%d}\n\nShort {=Four =4 =%50%three}\n\nNum {#=3:0.5 =%50%3:2}\n\nMatch {=a -> 1 =b -> 2 =c -> 1 =d -> 3}\n\nPairs {=x -> y =z -> w}";

/// Issue 13, finding 4: no form post scores above the maximum. Fields are
/// drawn from the quiz's own valid names and tokens (any question, slot and
/// index, repeated at will: every option for every item, the right answer
/// twice, both truth values) mixed with arbitrary ones; the key's weights
/// are also scaled (an author's `%n%` is bounded, a future parser's may
/// not be). Every graded question scores within [0, 1] and the quiz within
/// 100 %.
#[test]
fn fuzz_grader_never_scores_above_the_maximum() {
    const ATTEMPT: &str = "attempt";
    let base = gift::parse(EVERY_KIND).expect("the fixture quiz parses");
    let count = base.questions.len();
    // Every field a browser could post for question n, right or wrong.
    let plausible: Vec<Vec<(String, String)>> = base
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let n = i + 1;
            let bare = |v: &str| (format!("q{n}"), v.to_string());
            match &q.kind {
                Kind::TrueFalse { .. } => vec![bare("true"), bare("false")],
                Kind::MultipleChoice { choices, .. } => (0..choices.len())
                    .map(|c| bare(&grade::token(b"key", ATTEMPT, n, "c", c)))
                    .collect(),
                Kind::ShortAnswer { answers } => answers
                    .iter()
                    .map(|a| bare(&a.text))
                    .chain([bare("nope")])
                    .collect(),
                Kind::Numerical { .. } => ["3", "3.4", "4,9", "x"].map(bare).to_vec(),
                Kind::Matching { pairs } => {
                    let mut options: Vec<&String> = pairs.iter().map(|p| &p.answer).collect();
                    options.sort();
                    options.dedup();
                    (0..pairs.len())
                        .flat_map(|item| {
                            (0..options.len()).map(move |o| {
                                (
                                    format!("q{n}-{}", grade::token(b"key", ATTEMPT, n, "i", item)),
                                    grade::token(b"key", ATTEMPT, n, "o", o),
                                )
                            })
                        })
                        .collect()
                }
                Kind::Essay => vec![bare("an essay")],
                Kind::Description => vec![],
            }
        })
        .collect();
    // Any name about question n (one past the last too) with any of the
    // quiz's tokens (item tokens posted as options, choices of another
    // question) or typed text.
    let typed = ["true", "false", "four", "3", "", " "];
    let mixed = (
        1..=count + 1,
        1..=count,
        0..5usize,
        0..3usize,
        0..5usize,
        0..8usize,
    )
        .prop_map(move |(n, m, item, slot, index, how)| {
            let name = if how % 2 == 0 {
                format!("q{n}")
            } else {
                format!("q{n}-{}", grade::token(b"key", ATTEMPT, n, "i", item))
            };
            let value = match typed.get(how) {
                Some(t) if how >= 2 => t.to_string(),
                _ => grade::token(b"key", ATTEMPT, m, ["c", "i", "o"][slot], index),
            };
            (name, value)
        });
    let arbitrary = prop_oneof![
        ("q[0-9]{1,2}(-[a-f0-9]{0,12})?", ".{0,12}"),
        (Just("attempt".to_string()), ".{0,24}"),
        (any::<String>(), any::<String>()),
    ];
    // Valid fields of one question, repeated at will: the attack is a form
    // a browser could send, only more of it.
    let aimed = (0..count).prop_flat_map(move |q| {
        proptest::collection::vec(proptest::sample::select(plausible[q].clone()), 0..16)
    });
    let form = prop_oneof![
        4 => aimed.clone(),
        2 => (aimed.clone(), aimed).prop_map(|(a, b)| [a, b].concat()),
        2 => proptest::collection::vec(prop_oneof![9 => mixed, 1 => arbitrary], 0..40),
    ];
    let scale = proptest::sample::select(vec![1.0, 0.5, 3.0, -2.0, f64::NAN, f64::INFINITY]);
    fuzz_for("grader maximum", (form, scale), |(form, scale)| {
        let mut quiz = base.clone();
        for q in &mut quiz.questions {
            match &mut q.kind {
                Kind::MultipleChoice { choices, .. } | Kind::ShortAnswer { answers: choices } => {
                    choices.iter_mut().for_each(|c| c.fraction *= scale)
                }
                Kind::Numerical { answers } => answers.iter_mut().for_each(|a| a.fraction *= scale),
                _ => {}
            }
        }
        let Ok(result) = grade::grade(&quiz, b"key", ATTEMPT, &form, 70) else {
            return Ok(());
        };
        for q in &result.questions {
            prop_assert!(
                (0.0..=1.0).contains(&q.score),
                "question {} scored {} for {form:?}",
                q.n,
                q.score
            );
        }
        prop_assert!(result.percent <= 100, "{} % for {form:?}", result.percent);
        prop_assert!(result.points <= result.max_points, "{form:?}");
        Ok(())
    });
}

/// The attack of finding 4 itself, always tried (the fuzzer may not draw it).
#[test]
fn every_option_for_every_item_is_refused() {
    const ATTEMPT: &str = "attempt";
    let quiz = gift::parse(EVERY_KIND).unwrap();
    let mut form = Vec::new();
    for (i, q) in quiz.questions.iter().enumerate() {
        let n = i + 1;
        if let Kind::Matching { pairs } = &q.kind {
            let mut options: Vec<&String> = pairs.iter().map(|p| &p.answer).collect();
            options.sort();
            options.dedup();
            for item in 0..pairs.len() {
                for option in 0..options.len() {
                    form.push((
                        format!("q{n}-{}", grade::token(b"key", ATTEMPT, n, "i", item)),
                        grade::token(b"key", ATTEMPT, n, "o", option),
                    ));
                }
            }
        }
    }
    match grade::grade(&quiz, b"key", ATTEMPT, &form, 70) {
        Ok(result) => panic!("graded {} % without knowing anything", result.percent),
        Err(e) => assert_eq!(
            e.to_string(),
            "Question 6 was answered twice. Reload the quiz and try again."
        ),
    }
}
