//! Loads `content/` into a [`ContentStore`]: tracks (`<slug>/track.toml`),
//! lessons (`<slug>/<lesson>.md`), each rendered once. Every problem is
//! collected as `file:line: message`; a broken file never stops the rest,
//! and when a previous store is given, a lesson that broke keeps serving its
//! last good version.

use std::hash::{Hash, Hasher};
use std::{
    collections::{HashMap, HashSet},
    path::Path,
    sync::Arc,
};

use serde::Deserialize;

use super::{
    front_matter,
    model::{ContentStore, Lesson, LessonSummary, Problem, Track},
    render,
};
use crate::common::slug::is_slug;

/// Image types lessons may embed (served from content by `/media`).
pub const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackFile {
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    order: u32,
}

/// A rendered lesson plus what it points at, for cross-file checks.
#[derive(Debug, Clone)]
pub struct LoadedLesson {
    pub lesson: Lesson,
    pub links: Vec<(usize, String)>,
    pub images: Vec<(usize, String)>,
    /// Problems in the lesson's GIFT quiz and exercise blocks.
    pub block_problems: Vec<Problem>,
}

fn problem(file: &str, line: usize, message: impl Into<String>) -> Problem {
    Problem {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// Parses and renders one lesson file (`source` is its path for messages).
pub fn lesson_from_source(
    src: &str,
    track: &str,
    slug: &str,
    source: &str,
) -> Result<LoadedLesson, Problem> {
    let parsed = front_matter::parse(src).map_err(|e| problem(source, e.line, e.message))?;
    let mut rendered = render::render(parsed.body, parsed.body_line, track);
    let href = format!("/lessons/{track}/{slug}");
    let words = rendered.text.split_whitespace().count() as u32;
    let fm = parsed.front;
    // A quiz that does not parse is reported; the lesson serves without it.
    let mut block_problems = Vec::new();
    let quiz =
        rendered
            .quiz
            .as_ref()
            .and_then(|(src, start)| match crate::quiz::gift::parse(src) {
                Ok(q) => Some(q),
                Err(errors) => {
                    block_problems = errors
                        .into_iter()
                        .map(|e| {
                            problem(source, start + e.line - 1, format!("quiz: {}", e.message))
                        })
                        .collect();
                    None
                }
            });
    // Exercises: each block becomes a card where it stood; a block that does
    // not parse is reported and its card says so.
    let mut exercises: Vec<crate::labs::model::Exercise> = Vec::new();
    let mut html = rendered.html.as_str().to_string();
    for (n, (block, line)) in rendered.exercises.iter().enumerate() {
        let markdown = |md: &str| render::render(md, *line, track).html;
        let card = match crate::labs::parse::parse(block, *line, markdown) {
            Ok(ex) if exercises.iter().any(|e| e.id == ex.id) => {
                block_problems.push(problem(source, *line, format!("duplicate exercise id `{}`", ex.id)));
                String::new()
            }
            Ok(ex) => {
                let card = crate::labs::parse::card_html(&ex, &href);
                exercises.push(ex);
                card
            }
            Err(e) => {
                block_problems.push(problem(source, *line, e));
                String::new()
            }
        };
        html = html.replacen(&render::exercise_slot(n), &card, 1);
    }
    rendered.html = crate::common::html::SafeHtml::from_sanitized(html);
    for (line, url) in &rendered.remote_images {
        block_problems.push(problem(
            source,
            *line,
            format!("image on another site: {url} (the site's content security policy lets browsers show this site's images only: save it next to the lesson)"),
        ));
    }

    // A draw from a category the quiz lacks, or larger than it, would give
    // short attempts: a content problem, found when the lesson loads.
    for d in &fm.quiz_draw {
        let have = quiz.as_ref().map_or(0, |q| {
            q.questions.iter().filter(|q| d.matches(q.category.as_deref())).count()
        });
        if d.count == 0 || have < d.count as usize {
            block_problems.push(problem(
                source,
                1,
                format!(
                    "quiz_draw asks for {} question(s) from category `{}`, which has {have}",
                    d.count, d.category
                ),
            ));
        }
    }
    if fm.requires_exercises && exercises.is_empty() {
        block_problems.push(problem(source, 1, "requires_exercises is set but the lesson has no exercises"));
    }
    Ok(LoadedLesson {
        block_problems,
        lesson: Lesson {
            meta: LessonSummary {
                id: fm.id,
                track: track.to_string(),
                slug: slug.to_string(),
                title: fm.title,
                summary: fm.summary,
                order: fm.order,
                // ~200 words a minute when the author gave no estimate.
                minutes: fm.minutes.unwrap_or_else(|| words.div_ceil(200).max(1)),
                tags: fm.tags,
                draft: fm.draft,
                kind: fm.kind,
            },
            objectives: fm.objectives,
            toc: rendered.toc,
            html: rendered.html,
            text: rendered.text,
            quiz_source: rendered.quiz,
            quiz,
            exercises,
            requires_exercises: fm.requires_exercises,
            anchors: rendered.anchors.clone(),
            quiz_rules: crate::quiz::model::QuizRules {
                reveal: fm.quiz_reveal,
                max_attempts: fm.quiz_max_attempts,
                pass_mark: fm.quiz_pass_mark,
                draw: fm.quiz_draw,
            },
            source: source.to_string(),
        },
        links: rendered.links,
        images: rendered.images,
    })
}

/// Paths of this site a lesson may link to besides lessons.
const SITE_PATHS: &[&str] = &[
    "/", "/lessons", "/search", "/salaries", "/login", "/register", "/dashboard", "/account",
];

/// What is wrong with `url` in a lesson whose ids are `own`, beyond a link
/// to a lesson that does not exist (see [`lesson_link_ok`]): a `#fragment`
/// that names no heading or id (here or in the linked lesson, whose ids
/// `anchors_of` gives), or a root-relative link that is no page of the site.
pub fn link_problem<'a>(
    url: &str,
    own: &[String],
    anchors_of: impl Fn(&str, &str) -> Option<&'a [String]>,
) -> Option<String> {
    let has = |ids: &[String], id: &str| ids.iter().any(|a| a == id);
    if let Some(frag) = url.strip_prefix('#') {
        let prefixed = format!("{}{frag}", render::USER_CONTENT);
        return (!frag.is_empty() && !has(own, frag) && !has(own, &prefixed))
            .then(|| format!("link to #{frag}: no heading or id of that name in this lesson"));
    }
    if !url.starts_with('/') || url.starts_with("//") {
        return None;
    }
    let (path, frag) = match url.split_once('#') {
        Some((p, f)) => (p.split('?').next().unwrap_or(p), Some(f)),
        None => (url.split('?').next().unwrap_or(url), None),
    };
    if let Some(rest) = path.strip_prefix("/lessons/") {
        let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        if let ([t, s], Some(frag)) = (parts.as_slice(), frag) {
            let ids = anchors_of(t, s)?;
            if !frag.is_empty() && !has(ids, frag) {
                let prefixed = format!("{}{frag}", render::USER_CONTENT);
                return Some(if has(ids, &prefixed) {
                    format!("link to {url}: that id is an author's; write #{prefixed}")
                } else {
                    format!("link to {url}: no heading or id #{frag} in that lesson")
                });
            }
        }
        return None;
    }
    let known = SITE_PATHS.contains(&path.trim_end_matches('/').max("/"))
        || path.starts_with("/media/")
        || path.starts_with("/lab/");
    (!known).then(|| format!("link to {url}: not a page of this site"))
}

/// Whether a `/lessons/…` link points at the index, a track or a lesson
/// that exists; `None` for links that do not go into the curriculum.
pub fn lesson_link_ok(
    url: &str,
    has_track: impl Fn(&str) -> bool,
    has_lesson: impl Fn(&str, &str) -> bool,
) -> Option<bool> {
    let rest = url.strip_prefix("/lessons/")?;
    let path = rest.split(['#', '?']).next().unwrap_or("");
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    Some(match parts.as_slice() {
        [""] => true,
        [t] => has_track(t),
        [t, s] => has_lesson(t, s),
        _ => false,
    })
}

/// A file or folder name as text (lossy: a non-UTF-8 name then fails
/// [`check_slug`] with a readable message).
fn os_name(name: Option<&std::ffi::OsStr>) -> String {
    name.unwrap_or_default().to_string_lossy().to_string()
}

/// `name` as a slug, or the problem (at `source`) that says what to rename.
fn check_slug(name: &str, source: &str, what: &str) -> Result<(), Problem> {
    if is_slug(name) {
        Ok(())
    } else {
        Err(problem(
            source,
            1,
            format!("{what} `{name}` must match ^[a-z0-9][a-z0-9-]{{0,63}}$"),
        ))
    }
}

/// Loads everything under `root`. `previous` supplies last good versions of
/// lessons that fail to parse now (hot reload of a broken edit).
pub fn load(root: &Path, previous: Option<&ContentStore>) -> ContentStore {
    // The version: every file read, with its path, in sorted order. Not a
    // counter, so that instances serving the same files agree on it (the
    // std hasher: fast, and the same in every process of one build).
    let mut digest = std::hash::DefaultHasher::new();
    let mut problems = Vec::new();
    let mut tracks = Vec::new();
    let mut loaded: Vec<LoadedLesson> = Vec::new();

    let mut dirs: Vec<_> = match std::fs::read_dir(root) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => {
            problems.push(problem(
                &root.display().to_string(),
                0,
                format!("cannot read the content folder: {e}"),
            ));
            vec![]
        }
    };
    dirs.sort();

    for dir in dirs {
        let slug = os_name(dir.file_name());
        let track_file = dir.join("track.toml");
        if !track_file.exists() {
            continue; // a folder of images or notes, not a track
        }
        let track_path = format!("{slug}/track.toml");
        if let Err(p) = check_slug(&slug, &track_path, "track folder") {
            problems.push(p);
            continue;
        }
        let meta: TrackFile = match std::fs::read_to_string(&track_file)
            .map_err(|e| problem(&track_path, 1, format!("cannot read: {e}")))
            .and_then(|s| {
                (&track_path, &s).hash(&mut digest);
                toml::from_str(&s).map_err(|e| {
                    let line = e
                        .span()
                        .map(|sp| s[..sp.start].lines().count().max(1))
                        .unwrap_or(1);
                    problem(&track_path, line, e.message().to_string())
                })
            }) {
            Ok(m) => m,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "md"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        for file in files {
            let lesson_slug = os_name(file.file_stem());
            let source = format!("{slug}/{lesson_slug}.md");
            if let Err(p) = check_slug(&lesson_slug, &source, "file name") {
                problems.push(p);
                continue;
            }
            let result = std::fs::read_to_string(&file)
                .map_err(|e| problem(&source, 1, format!("cannot read: {e}")))
                .and_then(|src| {
                    (&source, &src).hash(&mut digest);
                    lesson_from_source(&src, &slug, &lesson_slug, &source)
                });
            match result {
                Ok(l) => loaded.push(l),
                Err(p) => {
                    problems.push(p);
                    if let Some(old) = previous.and_then(|s| s.lesson(&slug, &lesson_slug)) {
                        tracing::warn!(file = %source, "keeping the last good version");
                        loaded.push(LoadedLesson {
                            lesson: (**old).clone(),
                            links: vec![],
                            images: vec![],
                            block_problems: vec![],
                        });
                    }
                }
            }
        }
        tracks.push(Track {
            slug,
            title: meta.title,
            summary: meta.summary,
            order: meta.order,
            lessons: vec![],
        });
    }

    // Duplicate ids: the first file (in path order) keeps the id.
    let mut seen: HashMap<String, String> = HashMap::new();
    loaded.retain(|l| match seen.get(&l.lesson.meta.id) {
        Some(first) => {
            problems.push(problem(
                &l.lesson.source,
                2,
                format!(
                    "duplicate id `{}` (already used by {first})",
                    l.lesson.meta.id
                ),
            ));
            false
        }
        None => {
            seen.insert(l.lesson.meta.id.clone(), l.lesson.source.clone());
            true
        }
    });

    // Cross-file checks: lesson links and images must exist.
    let known: HashSet<(String, String)> = loaded
        .iter()
        .map(|l| (l.lesson.meta.track.clone(), l.lesson.meta.slug.clone()))
        .collect();
    let anchors: HashMap<(String, String), &[String]> = loaded
        .iter()
        .map(|l| {
            (
                (l.lesson.meta.track.clone(), l.lesson.meta.slug.clone()),
                l.lesson.anchors.as_slice(),
            )
        })
        .collect();
    for l in &loaded {
        problems.extend(l.block_problems.iter().cloned());
        for (line, url) in &l.links {
            let ok = lesson_link_ok(
                url,
                |t| tracks.iter().any(|tr| tr.slug == t),
                |t, s| known.contains(&(t.to_string(), s.to_string())),
            );
            if ok == Some(false) {
                problems.push(problem(
                    &l.lesson.source,
                    *line,
                    format!("link to a lesson that does not exist: {url}"),
                ));
            } else if let Some(message) = link_problem(url, &l.lesson.anchors, |t, s| {
                anchors.get(&(t.to_string(), s.to_string())).copied()
            }) {
                problems.push(problem(&l.lesson.source, *line, message));
            }
        }
        for (line, img) in &l.images {
            let ext_ok = Path::new(img)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            let path = root.join(&l.lesson.meta.track).join(img);
            if img.contains("..") || !ext_ok {
                problems.push(problem(
                    &l.lesson.source,
                    *line,
                    format!(
                        "image must be a png, jpg, gif or webp file inside the track folder: {img}"
                    ),
                ));
            } else if !path.is_file() {
                problems.push(problem(
                    &l.lesson.source,
                    *line,
                    format!("image does not exist: {img}"),
                ));
            }
        }
    }

    let mut lessons = HashMap::new();
    for l in loaded {
        let lesson = Arc::new(l.lesson);
        if let Some(track) = tracks.iter_mut().find(|t| t.slug == lesson.meta.track) {
            if !lesson.meta.draft {
                track.lessons.push(lesson.meta.clone());
            }
        }
        lessons.insert(
            (lesson.meta.track.clone(), lesson.meta.slug.clone()),
            lesson,
        );
    }
    for t in &mut tracks {
        t.lessons
            .sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    }
    tracks.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    // The salary dataset: broken rows are reported and left out; if the
    // file cannot be read at all, the previous rows keep serving.
    let salaries_path = root.join(crate::salaries::load::FILE);
    let salaries = match std::fs::read_to_string(&salaries_path) {
        Ok(text) => {
            text.hash(&mut digest);
            let (rows, salary_problems) = crate::salaries::load::parse(&text);
            problems.extend(salary_problems);
            rows
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => vec![],
        Err(e) => {
            problems.push(problem(
                crate::salaries::load::FILE,
                1,
                format!("cannot read: {e}"),
            ));
            previous.map(|p| p.salaries.clone()).unwrap_or_default()
        }
    };
    let (datasets, dataset_problems) = crate::labs::parse::datasets(root);
    problems.extend(dataset_problems.into_iter().map(|(f, m)| problem(&f, 1, m)));
    for lesson in lessons.values() {
        for ex in &lesson.exercises {
            if let Some(name) = ex.sql.as_ref().and_then(|s| s.dataset.as_ref()) {
                if !datasets.contains_key(name) {
                    problems.push(problem(
                        &lesson.source,
                        ex.line,
                        format!("exercise `{}`: no dataset `{name}` in datasets/ (.sql file or folder of .csv)", ex.id),
                    ));
                }
            }
        }
    }
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));

    ContentStore {
        tracks,
        lessons,
        problems,
        salaries,
        datasets,
        version: digest.finish(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// Writes `files` under `dir` and returns the root to load.
    fn write_all<'a>(dir: &'a tempfile::TempDir, files: &[(&str, &str)]) -> &'a Path {
        for (rel, text) in files {
            write(dir.path(), rel, text);
        }
        dir.path()
    }

    fn lesson(id: &str, order: u32, body: &str) -> String {
        format!("---\nid: {id}\ntitle: Title {id}\nsummary: S\norder: {order}\n---\n{body}\n")
    }

    #[test]
    fn loads_tracks_and_lessons_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let first = lesson("a1", 1, "One [next](/lessons/a-track/second)");
        let root = write_all(
            &dir,
            &[
                ("b-track/track.toml", "title = \"B\"\norder = 2\n"),
                ("a-track/track.toml", "title = \"A\"\norder = 1\n"),
                ("a-track/second.md", &lesson("a2", 2, "Two")),
                ("a-track/first.md", &first),
                ("a-track/hidden.md", "---\nid: h\ntitle: H\ndraft: true\n---\nx"),
                ("b-track/only.md", &lesson("b1", 1, "B")),
                ("images/README.txt", "not a track"),
            ],
        );
        let store = load(root, None);
        assert_eq!(store.problems, vec![]);
        let slugs: Vec<_> = store.reading_order().map(|l| l.slug.as_str()).collect();
        assert_eq!(slugs, ["first", "second", "only"]);
        assert!(
            store.lesson("a-track", "hidden").unwrap().meta.draft,
            "drafts loaded, not listed"
        );
        assert_eq!(store.version, load(root, None).version, "same files, same version");
    }

    #[test]
    fn problems_point_at_file_and_line_and_the_rest_serves() {
        let dir = tempfile::tempdir().unwrap();
        // Track `t`: a good lesson with a dead link and a missing image, its
        // id used twice, unknown front matter, a bad file name; track `u`:
        // a title that is not text.
        let lessons = [
            ("good", lesson("good", 1, "ok\n\n[gone](/lessons/t/missing)\n\n![x](nope.png)")),
            ("zdup", lesson("good", 2, "dup")),
            ("bad", "---\nid: bad\ntitle: Bad\nminuts: 3\n---\n".to_string()),
            ("Bad_Name", lesson("x", 1, "")),
        ];
        write(dir.path(), "t/track.toml", "title = \"T\"\n");
        write(dir.path(), "u/track.toml", "title = 5\n");
        for (slug, text) in &lessons {
            write(dir.path(), &format!("t/{slug}.md"), text);
        }
        let root = dir.path();
        let store = load(root, None);
        let msgs: Vec<String> = store.problems.iter().map(|p| p.to_string()).collect();
        let has = |needle: &str| msgs.iter().any(|m| m.contains(needle));
        assert!(
            has("t/bad.md:4: front matter: unknown field `minuts`"),
            "{msgs:#?}"
        );
        assert!(has("t/zdup.md:2: duplicate id `good`"), "{msgs:#?}");
        assert!(
            has("t/good.md:9: link to a lesson that does not exist: /lessons/t/missing"),
            "{msgs:#?}"
        );
        assert!(
            has("t/good.md:11: image does not exist: nope.png"),
            "{msgs:#?}"
        );
        assert!(has("t/Bad_Name.md:1: file name"), "{msgs:#?}");
        assert!(has("u/track.toml:1:"), "{msgs:#?}");
        assert!(
            store.lesson("t", "good").is_some(),
            "a lesson with a broken link still serves"
        );
        assert!(store.lesson("t", "bad").is_none());
    }

    #[test]
    fn a_broken_edit_keeps_the_last_good_version() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "t/track.toml", "title = \"T\"\n");
        write(root, "t/l.md", &lesson("l", 1, "## First version"));
        let first = load(root, None);
        write(root, "t/l.md", "---\nid: l\ntitle: [unclosed\n---\n");
        let second = load(root, Some(&first));
        assert_ne!(second.version, first.version);
        assert_eq!(second.problems.len(), 1);
        assert!(second
            .lesson("t", "l")
            .unwrap()
            .html
            .as_str()
            .contains("First version"));
    }
}
