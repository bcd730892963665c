//! A quiz written out again: the JSON `academy gift FILE` prints, so an
//! instructor can check a Moodle export before importing it (type, title,
//! text and format, category, tags, id number, answers with fraction and
//! feedback, tolerance, general feedback), and GIFT text that Moodle and
//! [`super::gift::parse`] read back to the same quiz (the round trip is a
//! test over every shipped quiz).

use serde_json::{json, Value};

use super::model::{Format, Kind, NumKey, Question, Quiz, Rich};

fn rich_json(r: &Option<Rich>) -> Value {
    match r {
        Some(r) => json!({ "text": r.text, "format": r.format.name() }),
        None => Value::Null,
    }
}

pub fn to_json(quiz: &Quiz) -> Value {
    let questions: Vec<Value> = quiz
        .questions
        .iter()
        .map(|q| {
            let answers: Vec<Value> = match &q.kind {
                Kind::TrueFalse { answer, feedback_wrong, feedback_right } => vec![
                    json!({ "text": "true", "fraction": if *answer { 1.0 } else { 0.0 },
                            "feedback": rich_json(if *answer { feedback_right } else { feedback_wrong }) }),
                    json!({ "text": "false", "fraction": if *answer { 0.0 } else { 1.0 },
                            "feedback": rich_json(if *answer { feedback_wrong } else { feedback_right }) }),
                ],
                Kind::MultipleChoice { choices, .. } | Kind::ShortAnswer { answers: choices } => choices
                    .iter()
                    .map(|c| json!({ "text": c.text, "format": c.format.name(), "fraction": c.fraction,
                                     "feedback": rich_json(&c.feedback) }))
                    .collect(),
                Kind::Numerical { answers } => answers
                    .iter()
                    .map(|a| match a.key {
                        NumKey::Exact { value, tolerance } => json!({ "text": value.to_string(), "value": value,
                            "tolerance": tolerance, "fraction": a.fraction, "feedback": rich_json(&a.feedback) }),
                        NumKey::Range { min, max } => json!({ "text": format!("{min}..{max}"), "min": min,
                            "max": max, "fraction": a.fraction, "feedback": rich_json(&a.feedback) }),
                        NumKey::Any => json!({ "text": "*", "any": true, "fraction": a.fraction,
                            "feedback": rich_json(&a.feedback) }),
                    })
                    .collect(),
                Kind::Matching { pairs } => pairs
                    .iter()
                    .map(|p| json!({ "text": p.item.text, "format": p.item.format.name(), "match": p.answer,
                                     "distractor": p.item.text.is_empty(),
                                     "fraction": if p.item.text.is_empty() { 0.0 } else { 1.0 }, "feedback": null }))
                    .collect(),
                Kind::Essay | Kind::Description => Vec::new(),
            };
            json!({
                "line": q.line,
                "type": q.kind.name(),
                "title": q.title,
                "text": q.text,
                "format": q.format.name(),
                "category": q.category,
                "tags": q.tags,
                "id_number": q.id_number,
                "text_after": q.text_after,
                "answers": answers,
                "general_feedback": rich_json(&q.general_feedback),
            })
        })
        .collect();
    json!({ "questions": questions })
}

/// Escapes text for GIFT: the characters Moodle's escapes cover, and line
/// breaks as `\n` (a blank line would end the question).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// `[format]` when `format` is not what the text defaults to.
fn marker(format: Format, default: Format) -> String {
    if format == default {
        String::new()
    } else {
        format!("[{}]", format.name())
    }
}

fn rich(r: &Rich, default: Format) -> String {
    format!("{}{}", marker(r.format, default), esc(&r.text))
}

fn feedback(r: &Option<Rich>, default: Format) -> String {
    r.as_ref()
        .map(|r| format!("#{}", rich(r, default)))
        .unwrap_or_default()
}

/// A weight as Moodle writes it (at most five decimals, so 1/3 is
/// 33.33333 and reads back to the same fraction).
fn weight(fraction: f64) -> String {
    let pct = (fraction * 100.0 * 1e5).round() / 1e5;
    format!("%{pct}%")
}

fn num_key(key: &NumKey) -> String {
    match *key {
        NumKey::Exact {
            value,
            tolerance: 0.0,
        } => format!("{value}"),
        NumKey::Exact { value, tolerance } => format!("{value}:{tolerance}"),
        NumKey::Range { min, max } => format!("{min}..{max}"),
        NumKey::Any => String::new(),
    }
}

fn answers(q: &Question) -> Option<String> {
    let f = q.format;
    let lines: Vec<String> = match &q.kind {
        Kind::Description => return None,
        Kind::Essay => Vec::new(),
        Kind::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        } => {
            let mut s = if *answer { "TRUE" } else { "FALSE" }.to_string();
            if feedback_wrong.is_some() || feedback_right.is_some() {
                s.push_str(&feedback(feedback_wrong, f));
                if feedback_wrong.is_none() {
                    s.push('#');
                }
                s.push_str(&feedback(feedback_right, f));
            }
            vec![s]
        }
        Kind::MultipleChoice { choices, multiple } => {
            let full = choices.iter().any(|c| c.fraction == 1.0);
            let first_best = choices.iter().map(|c| c.fraction).fold(f64::MIN, f64::max);
            let mut first_marked = false;
            choices
                .iter()
                .map(|c| {
                    let equals = !multiple
                        && (c.fraction == 1.0
                            || (!full && c.fraction == first_best && !first_marked));
                    first_marked |= equals;
                    let w = if (equals && c.fraction == 1.0) || (!equals && c.fraction == 0.0) {
                        String::new()
                    } else {
                        weight(c.fraction)
                    };
                    format!(
                        "{}{w}{}{}",
                        if equals { '=' } else { '~' },
                        rich(
                            &Rich {
                                text: c.text.clone(),
                                format: c.format
                            },
                            f
                        ),
                        feedback(&c.feedback, f)
                    )
                })
                .collect()
        }
        Kind::ShortAnswer { answers } => answers
            .iter()
            .map(|c| {
                let w = if c.fraction == 1.0 {
                    String::new()
                } else {
                    weight(c.fraction)
                };
                format!(
                    "={w}{}{}",
                    rich(
                        &Rich {
                            text: c.text.clone(),
                            format: c.format
                        },
                        f
                    ),
                    feedback(&c.feedback, f)
                )
            })
            .collect(),
        Kind::Numerical { answers } => {
            let mut lines: Vec<String> = answers
                .iter()
                .map(|a| {
                    let (m, w) = match a.fraction {
                        0.0 => ('~', String::new()),
                        1.0 => ('=', String::new()),
                        x => ('=', weight(x)),
                    };
                    let fb = feedback(&a.feedback, f);
                    // "Any other answer" without feedback still needs its `#`.
                    let fb = if a.key == NumKey::Any && fb.is_empty() {
                        "#".into()
                    } else {
                        fb
                    };
                    format!("{m}{w}{}{fb}", num_key(&a.key))
                })
                .collect();
            lines.insert(0, "#".into());
            lines
        }
        Kind::Matching { pairs } => pairs
            .iter()
            .map(|p| format!("={} -> {}", rich(&p.item, f), esc(&p.answer)))
            .collect(),
    };
    let mut lines = lines;
    if let Some(g) = &q.general_feedback {
        lines.push(format!("####{}", rich(g, f)));
    }
    Some(lines.join("\n"))
}

/// The quiz as GIFT text.
pub fn to_gift(quiz: &Quiz) -> String {
    let mut out = String::new();
    let mut category: Option<&str> = None;
    for q in &quiz.questions {
        if let Some(c) = q.category.as_deref().filter(|c| Some(*c) != category) {
            out.push_str(&format!("$CATEGORY: {c}\n\n"));
            category = Some(c);
        }
        let mut labels: Vec<String> = q.tags.iter().map(|t| format!("[tag:{t}]")).collect();
        labels.extend(q.id_number.iter().map(|i| format!("[id:{i}]")));
        if !labels.is_empty() {
            out.push_str(&format!("// {}\n", labels.join(" ")));
        }
        if q.fixed_order {
            out.push_str("// no-shuffle\n");
        }
        if let Some(t) = &q.title {
            out.push_str(&format!("::{}::", esc(t)));
        }
        out.push_str(&marker(q.format, Format::Moodle));
        let text = if q.text == "…" && q.title.is_some() {
            ""
        } else {
            &q.text
        };
        out.push_str(&esc(text));
        match answers(q) {
            Some(inner) if inner.is_empty() => out.push_str(" {}"),
            Some(inner) => out.push_str(&format!(" {{\n{inner}\n}}")),
            None => {}
        }
        if let Some(after) = &q.text_after {
            out.push_str(&format!(" {}", esc(after)));
        }
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::gift::parse;

    /// The quiz with source lines set aside (they move when written out).
    fn without_lines(mut quiz: Quiz) -> Quiz {
        quiz.questions.iter_mut().for_each(|q| q.line = 0);
        quiz
    }

    pub(crate) fn round_trips(src: &str) {
        let quiz = parse(src).unwrap_or_else(|e| panic!("{e:?}\n{src}"));
        let gift = to_gift(&quiz);
        let back = parse(&gift).unwrap_or_else(|e| panic!("{e:?}\n{gift}"));
        assert_eq!(without_lines(back), without_lines(quiz), "{gift}");
    }

    #[test]
    fn json_shape() {
        let quiz = parse("$CATEGORY: top/x\n\n// [tag:net] [id:Q-1]\n::T:: [html]1+1? {=2 #yes ~3 ####math}\n\nN {#5:1}").unwrap();
        let v = to_json(&quiz);
        let q = &v["questions"][0];
        assert_eq!(q["type"], "multichoice");
        assert_eq!(q["format"], "html");
        assert_eq!(q["category"], "top/x");
        assert_eq!(q["tags"][0], "net");
        assert_eq!(q["id_number"], "Q-1");
        assert_eq!(q["answers"][0]["fraction"], 1.0);
        assert_eq!(q["answers"][0]["feedback"]["text"], "yes");
        assert_eq!(q["general_feedback"]["text"], "math");
        assert_eq!(v["questions"][1]["answers"][0]["tolerance"], 1.0);
    }

    #[test]
    fn every_kind_round_trips() {
        round_trips(concat!(
            "$CATEGORY: $course$/top/Bank\n\n",
            "// [tag:a] [tag:b] [id:x1]\n// no-shuffle\n::T\\:1:: [html]<b>Pick</b> \\{1\\} {=%50%a #[plain]<half> ~%-33.33333%b ~c\\=d ####[markdown]**gf**}\n\n",
            "TF {FALSE##right}\n\nTF2 {T#wrong}\n\nShort {=abc* =%50%ab#close}\n\n",
            "Num {#=%100%3:2#good ~#Completely wrong}\n\nNum2 {#1..5}\n\n",
            "Match {=a -> 1 =[markdown]*b* -> 2 = -> 3}\n\nEssay {####Think.}\n\n",
            "::Just text:: Read this.\n\nA \\(\\frac\\{1\\}\\{2\\}\\) b {~x =y} after\n\nMulti {~%50%a ~%50%b ~%-100%c}"
        ));
    }

    /// Every quiz shipped in `content/` reads back identical after export.
    #[test]
    fn every_shipped_quiz_round_trips() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "md") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let mut files = Vec::new();
        walk(&root, &mut files);
        let mut quizzes = 0;
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let Some((_, rest)) = text.split_once("```gift\n") else {
                continue;
            };
            let src = rest.split("\n```").next().unwrap();
            round_trips(src);
            quizzes += 1;
        }
        assert!(quizzes > 50, "only {quizzes} quizzes found");
    }
}
