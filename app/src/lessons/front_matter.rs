//! Lesson front matter: YAML between `---` lines or TOML between `+++`.
//! Unknown keys and wrong types are errors with the file's line number.

use serde::Deserialize;

use super::model::LessonKind;

/// The keys a lesson may set. `deny_unknown_fields` turns a typo
/// (`minuts: 5`) into an error instead of a silently ignored key.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub order: u32,
    /// Estimated reading time in minutes; estimated from the text if absent.
    #[serde(default)]
    pub minutes: Option<u32>,
    #[serde(default)]
    pub objectives: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub draft: bool,
    /// `project` for a track's project brief (no quiz needed), else a lesson.
    #[serde(default)]
    pub kind: LessonKind,
    /// Marking the lesson complete needs all its exercises solved.
    #[serde(default)]
    pub requires_exercises: bool,
    /// When the quiz shows right answers and feedback: `after-attempt`,
    /// `after-pass` or `never`. Absent: the site's default (`after-pass`
    /// unless `--quiz-reveal` says otherwise). Per lesson, because a
    /// practice quiz and an assessment want different answers.
    #[serde(default)]
    pub quiz_reveal: Option<crate::quiz::model::Reveal>,
    /// Stored attempts a signed-in learner may make at the quiz (at least
    /// 1). Absent: the site's default (unlimited unless
    /// `--quiz-max-attempts`). Limits guessing one answer at a time.
    #[serde(default)]
    pub quiz_max_attempts: Option<u32>,
    /// Percent that passes this quiz (0–100). Absent: `--pass-mark`.
    #[serde(default)]
    pub quiz_pass_mark: Option<u32>,
    /// Random questions per attempt: a list of `{category, count}`, each
    /// drawing `count` questions from the quiz's `$CATEGORY:` of that name
    /// (Moodle's random question). Questions of other categories are in
    /// every attempt. Absent: every question, every time.
    #[serde(default)]
    pub quiz_draw: Vec<crate::quiz::model::QuizDraw>,
    /// In a translation (`indexes.es.md`): the first 12 hex digits of the
    /// SHA-256 of the original file it was translated from. When the
    /// original changes, `check-content` flags the translation as outdated.
    #[serde(default)]
    pub translation_of: Option<String>,
}


/// A lesson file split into its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<'a> {
    pub front: FrontMatter,
    pub body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

/// An error at a 1-based line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> LineError {
    LineError {
        line,
        message: message.into(),
    }
}

/// Splits and parses a lesson file.
pub fn parse(src: &str) -> Result<Parsed<'_>, LineError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let first = src.lines().next().unwrap_or("").trim_end();
    let fence = match first {
        "---" => "---",
        "+++" => "+++",
        _ => {
            return Err(err(
                1,
                "missing front matter: a lesson starts with `---` (YAML) or `+++` (TOML)",
            ))
        }
    };
    // Find the closing fence on a line of its own.
    let mut offset = first.len() + 1;
    let mut close = None;
    for (line_no, line) in (2..).zip(src.get(offset..).unwrap_or("").split_inclusive('\n')) {
        if line.trim_end() == fence {
            close = Some((offset, offset + line.len(), line_no));
            break;
        }
        offset += line.len();
    }
    let Some((fm_end, body_start, close_line)) = close else {
        return Err(err(
            1,
            format!("front matter opened with `{fence}` is never closed"),
        ));
    };
    let raw = &src[first.len() + 1..fm_end];
    let front: FrontMatter = if fence == "---" {
        serde_yaml_ng::from_str(raw).map_err(|e| {
            let line = e.location().map(|l| l.line() + 1).unwrap_or(1);
            err(
                line,
                format!("front matter: {}", strip_location(&e.to_string())),
            )
        })?
    } else {
        toml::from_str(raw).map_err(|e| {
            let line = e
                .span()
                .map(|s| raw[..s.start.min(raw.len())].lines().count().max(1) + 1)
                .unwrap_or(1);
            err(line, format!("front matter: {}", e.message()))
        })?
    };
    if front.id.trim().is_empty() {
        return Err(err(2, "front matter: `id` must not be empty"));
    }
    if !front
        .id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(err(
            2,
            format!(
                "front matter: id `{}` may use only lowercase letters, digits, `-` and `_`",
                front.id
            ),
        ));
    }
    if front.quiz_pass_mark.is_some_and(|p| p > 100) {
        return Err(err(2, "front matter: `quiz_pass_mark` is a percentage from 0 to 100"));
    }
    if front.quiz_max_attempts == Some(0) {
        return Err(err(2, "front matter: `quiz_max_attempts` must be at least 1 (leave it out for no limit)"));
    }
    if front.title.trim().is_empty() {
        return Err(err(2, "front matter: `title` must not be empty"));
    }
    Ok(Parsed {
        front,
        body: &src[body_start.min(src.len())..],
        body_line: close_line + 1,
    })
}

/// serde_yaml_ng appends " at line X column Y"; we print our own `file:line`.
fn strip_location(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "---\nid: http-basics\ntitle: HTTP basics\nsummary: What a request is.\norder: 2\nminutes: 10\nobjectives:\n  - Read a request\ntags: [http]\n---\n\nBody here.\n";

    #[test]
    fn parses_yaml_front_matter() {
        let p = parse(YAML).unwrap();
        assert_eq!(p.front.id, "http-basics");
        assert_eq!(p.front.order, 2);
        assert_eq!(p.front.minutes, Some(10));
        assert_eq!(p.front.objectives, vec!["Read a request"]);
        assert!(!p.front.draft);
        assert_eq!(p.body, "\nBody here.\n");
        assert_eq!(p.body_line, 11);
    }

    #[test]
    fn parses_toml_front_matter() {
        let src = "+++\nid = \"t\"\ntitle = \"T\"\ndraft = true\n+++\nbody";
        let p = parse(src).unwrap();
        assert_eq!(p.front.id, "t");
        assert!(p.front.draft);
        assert_eq!(p.body, "body");
        assert_eq!(p.body_line, 6);
    }

    #[test]
    fn unknown_fields_and_bad_types_are_errors_with_their_line() {
        for (src, says) in [
            ("---\nid: a\ntitle: A\nminuts: 5\n---\n", "unknown field `minuts`"),
            ("---\nid: a\ntitle: A\norder: first\n---\n", "order"),
            ("+++\nid = \"a\"\ntitle = \"A\"\norder = \"x\"\n+++\n", "invalid type"),
        ] {
            let e = parse(src).unwrap_err();
            assert!(e.message.contains(says), "{e:?}");
            assert_eq!(e.line, 4, "{src}");
        }
    }

    #[test]
    fn missing_id_or_fence_is_reported() {
        let e = parse("---\ntitle: A\n---\n").unwrap_err();
        assert!(e.message.contains("missing field `id`"), "{e:?}");
        let e = parse("# Just markdown\n").unwrap_err();
        assert!(e.message.contains("missing front matter"));
        assert_eq!(e.line, 1);
        let e = parse("---\nid: a\ntitle: A\n").unwrap_err();
        assert!(e.message.contains("never closed"));
        let e = parse("---\nid: ''\ntitle: A\n---\n").unwrap_err();
        assert!(e.message.contains("must not be empty"));
        let e = parse("---\nid: Bad Id\ntitle: A\n---\n").unwrap_err();
        assert!(e.message.contains("lowercase"));
    }

    #[test]
    fn quiz_policy_keys() {
        let p = parse("---\nid: a\ntitle: A\nquiz_reveal: after-attempt\nquiz_max_attempts: 3\nquiz_pass_mark: 80\nquiz_draw:\n  - category: http\n    count: 2\n---\n").unwrap();
        assert_eq!(p.front.quiz_reveal, Some(crate::quiz::model::Reveal::AfterAttempt));
        assert_eq!(p.front.quiz_max_attempts, Some(3));
        assert_eq!(p.front.quiz_pass_mark, Some(80));
        assert_eq!(p.front.quiz_draw[0].count, 2);
        for (src, says) in [
            ("quiz_reveal: sometimes", "unknown variant"),
            ("quiz_pass_mark: 101", "0 to 100"),
            ("quiz_max_attempts: 0", "at least 1"),
            ("quiz_draw:\n  - category: x\n    cuont: 1", "unknown field"),
        ] {
            let e = parse(&format!("---\nid: a\ntitle: A\n{src}\n---\n")).unwrap_err();
            assert!(e.message.contains(says), "{src}: {e:?}");
        }
    }
}

