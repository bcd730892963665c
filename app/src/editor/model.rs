//! The editor's plain data and pure helpers.

use serde::{Deserialize, Serialize};

use crate::lessons::model::{Problem, SafeHtml};

/// A new lesson's file: valid front matter, a heading, an example quiz.
pub fn template(id: &str, title: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: {title}\nsummary: One sentence that tells learners what this lesson gives them.\norder: 99\nminutes: 10\nobjectives:\n  - What the learner can do after this lesson\ntags: []\ndraft: true\n---\n\nStart with a paragraph that says why this matters.\n\n## First idea\n\nExplain it with an example.\n\n```text\nexample\n```\n\n## Further reading\n\n- [A stable reference](https://developer.mozilla.org/)\n\n```gift\n::Check:: This lesson has a quiz. {{T}}\n```\n"
    )
}

/// A title as a lesson id / file name: `Why 401 ≠ 403?` → `why-401-403`.
pub fn slug_from_title(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(64).collect()
}

/// What the edit page shows when a form came back (preview, refused save,
/// conflict): the text as typed, never lost.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EditorState {
    pub text: String,
    /// Hash of the file the text was based on.
    pub base: String,
    pub preview: Option<SafeHtml>,
    pub problems: Vec<Problem>,
    /// On a conflict: the file as it is now on disk, and a diff to it.
    pub conflict: Option<(String, SafeHtml)>,
    pub message: Option<String>,
}

/// One line of the editor index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub track: String,
    pub slug: String,
    pub title: String,
    pub draft: bool,
    pub problems: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionInfo {
    pub id: i64,
    pub author: String,
    pub created_at: String,
    pub hash: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_titles() {
        assert_eq!(slug_from_title("Why 401 ≠ 403?"), "why-401-403");
        assert_eq!(slug_from_title("  Hello, World  "), "hello-world");
        assert_eq!(slug_from_title("!!!"), "");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_template_is_a_valid_lesson() {
        let text = template("new-lesson", "New lesson");
        let loaded =
            crate::lessons::load::lesson_from_source(&text, "t", "new-lesson", "t/new-lesson.md")
                .unwrap();
        assert!(loaded.lesson.meta.draft);
        assert!(loaded.quiz_problems.is_empty());
        assert!(loaded.lesson.quiz.is_some());
    }
}
