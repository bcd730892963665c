//! A lesson's text in the editor, as pure functions: the checks and the
//! preview (the learners' own pipeline: no second renderer anywhere), line
//! diffs, and putting a GIFT bank into the text. Nothing here reads or
//! writes files or the database; `service` does.

use std::collections::HashSet;

use similar::{ChangeTag, TextDiff};

use crate::common::html::SafeHtml;
use crate::lessons::{
    load::{lesson_from_source, lesson_link_ok},
    model::{ContentStore, Problem},
    render::escape,
};

/// The result of checking an edited file.
pub struct Checked {
    pub problems: Vec<Problem>,
    /// Problems that would stop the file from loading (front matter, quiz,
    /// duplicate id): saving is refused while there are any.
    pub fatal: bool,
    pub preview: Option<SafeHtml>,
}

/// Checks `text` as `track/slug.md` against the rest of `store`.
pub fn check(
    store: &ContentStore,
    root: &std::path::Path,
    track: &str,
    slug: &str,
    text: &str,
) -> Checked {
    let source = format!("{track}/{slug}.md");
    let loaded = match lesson_from_source(text, track, slug, &source) {
        Ok(l) => l,
        Err(p) => {
            return Checked {
                problems: vec![p],
                fatal: true,
                preview: None,
            }
        }
    };
    let mut problems = loaded.block_problems.clone();
    let mut fatal = !problems.is_empty();
    if let Some(other) = store.lessons.values().find(|l| {
        l.meta.id == loaded.lesson.meta.id && !(l.meta.track == track && l.meta.slug == slug)
    }) {
        problems.push(Problem {
            file: source.clone(),
            line: 2,
            message: format!(
                "duplicate id `{}` (already used by {})",
                loaded.lesson.meta.id, other.source
            ),
        });
        fatal = true;
    }
    let known: HashSet<(String, String)> = store.lessons.keys().cloned().collect();
    for (line, url) in &loaded.links {
        let ok = lesson_link_ok(
            url,
            |t| store.track(t).is_some(),
            |t, s| known.contains(&(t.to_string(), s.to_string())) || (t == track && s == slug),
        );
        if ok == Some(false) {
            problems.push(Problem {
                file: source.clone(),
                line: *line,
                message: format!("link to a lesson that does not exist: {url}"),
            });
        } else if let Some(message) =
            crate::lessons::load::link_problem(url, &loaded.lesson.anchors, |t, s| {
                if t == track && s == slug {
                    Some(loaded.lesson.anchors.as_slice())
                } else {
                    store.lesson(t, s).map(|l| l.anchors.as_slice())
                }
            })
        {
            problems.push(Problem {
                file: source.clone(),
                line: *line,
                message,
            });
        }
    }
    for (line, img) in &loaded.images {
        if img.contains("..") || !root.join(track).join(img).is_file() {
            problems.push(Problem {
                file: source.clone(),
                line: *line,
                message: format!("image does not exist: {img}"),
            });
        }
    }
    problems.sort_by_key(|p| p.line);
    Checked {
        problems,
        fatal,
        preview: Some(loaded.lesson.html),
    }
}

/// A line diff of `old` → `new` as escaped HTML (`<ins>` / `<del>` lines).
pub fn diff_html(old: &str, new: &str) -> SafeHtml {
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::from("<pre class=\"diff\">");
    for change in diff.iter_all_changes() {
        let (tag, sign) = match change.tag() {
            ChangeTag::Delete => ("del", "-"),
            ChangeTag::Insert => ("ins", "+"),
            ChangeTag::Equal => ("span", " "),
        };
        out.push_str(&format!("<{tag}>{sign} {}</{tag}>", escape(change.value())));
        if change.missing_newline() {
            out.push('\n');
        }
    }
    out.push_str("</pre>");
    crate::lessons::render::sanitize(&out)
}

/// Puts a GIFT question bank into a lesson's text: it replaces the
/// lesson's ```gift block, or is appended as a new one.
pub fn with_quiz(text: &str, gift: &str) -> String {
    let block = format!("```gift\n{}\n```\n", gift.trim_end());
    if let Some(start) = text.find("```gift") {
        if let Some(end_rel) = text[start + 7..].find("```") {
            let end = start + 7 + end_rel + 3;
            let end = if text[end..].starts_with('\n') {
                end + 1
            } else {
                end
            };
            return format!("{}{}{}", &text[..start], block, &text[end..]);
        }
    }
    let sep = if text.ends_with("\n\n") {
        ""
    } else if text.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    format!("{text}{sep}{block}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiz_import_replaces_or_appends() {
        let with = "---\nid: a\ntitle: A\n---\nBody\n\n```gift\nOld {T}\n```\nAfter\n";
        let out = with_quiz(with, "New {F}\n");
        assert!(out.contains("```gift\nNew {F}\n```\nAfter"), "{out}");
        assert!(!out.contains("Old"));
        let without = "---\nid: a\ntitle: A\n---\nBody\n";
        assert!(with_quiz(without, "Q {T}").ends_with("Body\n\n```gift\nQ {T}\n```\n"));
    }

    #[test]
    fn diffs_mark_lines_and_escape() {
        let d = diff_html("a\n<b>\n", "a\n<c>\n");
        assert!(d.as_str().contains("<del>- &lt;b&gt;"), "{}", d.as_str());
        assert!(d.as_str().contains("<ins>+ &lt;c&gt;"));
    }

    #[test]
    fn checks_find_fatal_and_soft_problems() {
        let store = ContentStore::default();
        let root = std::path::Path::new("/nonexistent");
        let bad = check(
            &store,
            root,
            "t",
            "l",
            "---\nid: x\ntitle: X\nbogus: 1\n---\n",
        );
        assert!(bad.fatal && bad.preview.is_none());
        assert_eq!(bad.problems[0].line, 4);
        let soft = check(
            &store,
            root,
            "t",
            "l",
            "---\nid: x\ntitle: X\n---\n## Hi\n\n[x](/lessons/t/gone)\n",
        );
        assert!(!soft.fatal);
        assert_eq!(soft.problems[0].line, 7);
        assert!(soft
            .preview
            .unwrap()
            .as_str()
            .contains("<h2 id=\"hi\">Hi</h2>"));
        let quiz = check(
            &store,
            root,
            "t",
            "l",
            "---\nid: x\ntitle: X\n---\n\n```gift\nOpen {=a ~b\n```\n",
        );
        assert!(quiz.fatal);
        assert_eq!(quiz.problems[0].line, 7);
    }
}
