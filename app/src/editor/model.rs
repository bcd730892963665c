//! The editor's plain data and pure helpers.

use serde::{Deserialize, Serialize};

use crate::{common::html::SafeHtml, error::AppError, lessons::model::Problem};

/// Largest lesson text accepted (saves, previews, imports): 1 MiB.
pub const MAX_TEXT: usize = 1024 * 1024;

/// A new lesson's file: valid front matter, a heading, an example quiz.
pub fn template(id: &str, title: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: {title}\nsummary: One sentence that tells learners what this lesson gives them.\norder: 99\nminutes: 10\nobjectives:\n  - What the learner can do after this lesson\ntags: []\ndraft: true\n---\n\nStart with a paragraph that says why this matters.\n\n## First idea\n\nExplain it with an example.\n\n```text\nexample\n```\n\n## Further reading\n\n- [A stable reference](https://developer.mozilla.org/)\n\n```gift\n::Check:: This lesson has a quiz. {{T}}\n```\n"
    )
}

/// A new lesson's or track's title as typed, trimmed: 1 to 120 characters
/// on one line (it becomes one line of front matter or of `track.toml`).
/// `what` names the thing in the sentence ("lesson", "track").
pub fn checked_title<'a>(typed: &'a str, what: &str) -> Result<&'a str, AppError> {
    let title = typed.trim();
    if title.is_empty() || title.chars().count() > 120 || title.contains(['\n', '\r']) {
        return Err(AppError::BadRequest(crate::t!(
            "err-title-length",
            what = what
        )));
    }
    Ok(title)
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

/// One saved version of a lesson, as the history page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
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
    fn titles_are_one_line_of_1_to_120_characters() {
        assert_eq!(
            checked_title("  Fresh ideas \n", "lesson"),
            Ok("Fresh ideas")
        );
        assert_eq!(
            checked_title(&"é".repeat(120), "track").map(str::len),
            Ok(240)
        );
        for bad in ["", "   ", "two\nlines", "a\rb", &"x".repeat(121)] {
            let err = checked_title(bad, "track").unwrap_err();
            assert_eq!(
                err.to_string(),
                "Give the track a title of 1 to 120 characters."
            );
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_template_is_a_valid_lesson() {
        let text = template("new-lesson", "New lesson");
        let loaded =
            crate::lessons::load::lesson_from_source(&text, "t", "new-lesson", "t/new-lesson.md")
                .unwrap();
        assert!(loaded.lesson.meta.draft);
        assert!(loaded.block_problems.is_empty());
        assert!(loaded.lesson.quiz.is_some());
    }
}
