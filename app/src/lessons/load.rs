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

use rayon::prelude::*;
use serde::Deserialize;

use super::{
    front_matter,
    model::{ContentStore, Lesson, LessonSummary, Problem, Track},
    render,
};
use crate::common::slug::is_slug;
use crate::i18n::Lang;

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

/// `track.<lang>.toml`: a track's title and summary in another language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackTranslation {
    title: String,
    #[serde(default)]
    summary: String,
}

/// The first 12 hex digits of a file's SHA-256: what a translation's
/// `translation_of` names (`sha256sum indexes.md | cut -c1-12`).
pub fn short_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks each translation against its original and keeps the ones that
/// can serve. A translation must keep the original's id, order, tags,
/// kind, draft state, exercise ids and quiz structure, because progress,
/// attempts and exercise runs are shared across languages. Front matter
/// that differs is reported and the translation still serves; a different
/// id, or a missing original, keeps it out; a quiz whose structure differs
/// is reported and replaced by the original's, so no attempt is graded
/// against a different key. A `translation_of` that is not the original's
/// current hash marks the translation outdated.
fn check_translations(
    translated: Vec<(Lang, LoadedLesson)>,
    originals: &[LoadedLesson],
    hashes: &HashMap<(String, String), String>,
    problems: &mut Vec<Problem>,
) -> HashMap<(String, String, Lang), Arc<Lesson>> {
    let mut out = HashMap::new();
    for (lang, loaded) in translated {
        let mut t = loaded.lesson;
        let source = t.source.clone();
        let key = (t.meta.track.clone(), t.meta.slug.clone());
        let Some(original) = originals
            .iter()
            .map(|l| &l.lesson)
            .find(|o| o.meta.track == key.0 && o.meta.slug == key.1)
        else {
            problems.push(problem(
                &source,
                1,
                format!("translation of `{}/{}.md`, which does not exist", key.0, key.1),
            ));
            continue;
        };
        if t.meta.id != original.meta.id {
            problems.push(problem(
                &source,
                2,
                format!(
                    "translation has id `{}` but the original `{}` has `{}`: a translation keeps the id (progress and quiz attempts are shared)",
                    t.meta.id, original.source, original.meta.id
                ),
            ));
            continue;
        }
        let mut differs = Vec::new();
        let o = &original.meta;
        if t.meta.order != o.order {
            differs.push("order");
        }
        if t.meta.tags != o.tags {
            differs.push("tags");
        }
        if t.meta.kind != o.kind {
            differs.push("kind");
        }
        if t.meta.draft != o.draft {
            differs.push("draft");
        }
        if t.requires_exercises != original.requires_exercises {
            differs.push("requires_exercises");
        }
        if t.quiz_rules != original.quiz_rules {
            differs.push("quiz rules (quiz_reveal, quiz_max_attempts, quiz_pass_mark, quiz_draw)");
        }
        if t.objectives.len() != original.objectives.len() {
            differs.push("number of objectives");
        }
        if !differs.is_empty() {
            problems.push(problem(
                &source,
                1,
                format!(
                    "front matter differs from the original {}: {}",
                    original.source,
                    differs.join(", ")
                ),
            ));
        }
        let ids = |l: &Lesson| l.exercises.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        if ids(&t) != ids(original) {
            problems.push(problem(
                &source,
                1,
                format!(
                    "exercises differ from the original {}: ids {:?} here, {:?} there",
                    original.source,
                    ids(&t),
                    ids(original)
                ),
            ));
        }
        let shape = |l: &Lesson| l.quiz.as_ref().map(|q| q.structure());
        let (mine, theirs) = (shape(&t), shape(original));
        if mine != theirs {
            let at = match (&mine, &theirs) {
                (Some(a), Some(b)) => a
                    .iter()
                    .zip(b)
                    .position(|(x, y)| x != y)
                    .map(|i| format!("question {} differs ({} here, {} there)", i + 1, a[i], b[i]))
                    .unwrap_or_else(|| format!("{} questions here, {} there", a.len(), b.len())),
                (None, Some(_)) => "the translation has no quiz".to_string(),
                (Some(_), None) => "the original has no quiz".to_string(),
                (None, None) => String::new(),
            };
            let line = t.quiz_source.as_ref().map_or(1, |(_, l)| *l);
            problems.push(problem(
                &source,
                line,
                format!(
                    "quiz structure differs from the original {}: {at}; the original's quiz is served until they match",
                    original.source
                ),
            ));
            t.quiz = original.quiz.clone();
            t.quiz_source = original.quiz_source.clone();
        }
        let current = hashes.get(&key).cloned().unwrap_or_default();
        match loaded.translation_of.as_deref() {
            None => problems.push(problem(
                &source,
                1,
                format!(
                    "translation does not say which version of {} it translates: add `translation_of: \"{current}\"` to its front matter",
                    original.source
                ),
            )),
            Some(h) if h != current => problems.push(problem(
                &source,
                1,
                format!(
                    "outdated translation: {} changed since it was translated (translation_of is {h}, the original is now {current}); update the text, then set translation_of: \"{current}\"",
                    original.source
                ),
            )),
            Some(_) => {}
        }
        out.insert((key.0, key.1, lang), Arc::new(t));
    }
    out
}

/// A rendered lesson plus what it points at, for cross-file checks.
#[derive(Debug, Clone)]
pub struct LoadedLesson {
    pub lesson: Lesson,
    pub links: Vec<(usize, String)>,
    pub images: Vec<(usize, String)>,
    /// Problems in the lesson's GIFT quiz and exercise blocks.
    pub block_problems: Vec<Problem>,
    /// A translation's `translation_of` (see [`FrontMatter`]).
    pub translation_of: Option<String>,
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
        translation_of: fm.translation_of,
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
/// A lesson file read (or not) in the sequential pass of [`load`], to be
/// parsed in the parallel one.
struct Pending {
    track: String,
    slug: String,
    /// `Some` for a translation (`x.es.md`).
    lang: Option<Lang>,
    /// `track/file.md`, for problems.
    source: String,
    src: Result<String, Problem>,
}

pub fn load(root: &Path, previous: Option<&ContentStore>) -> ContentStore {
    // Held until the lessons are rendered, then dropped with everything the
    // highlighter compiled (see `fences::syntax_set`).
    let _syntaxes = super::fences::syntax_set();
    // The version: every file read, with its path, in sorted order. Not a
    // counter, so that instances serving the same files agree on it (the
    // std hasher: fast, and the same in every process of one build).
    let mut digest = std::hash::DefaultHasher::new();
    let mut problems = Vec::new();
    let mut tracks = Vec::new();
    let mut loaded: Vec<LoadedLesson> = Vec::new();
    let mut translated: Vec<(Lang, LoadedLesson)> = Vec::new();
    let mut source_hashes: HashMap<(String, String), String> = HashMap::new();
    let mut track_texts = HashMap::new();
    let mut pending: Vec<Pending> = Vec::new();

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
            let stem = os_name(file.file_stem());
            let source = format!("{slug}/{stem}.md");
            // `indexes.es.md` is the Spanish translation of `indexes.md`.
            let (lesson_slug, lang) = match stem.rsplit_once('.') {
                Some((base, code)) => match Lang::from_code(code)
                    .filter(|l| *l != Lang::En && l.code() == code)
                {
                    Some(lang) => (base.to_string(), Some(lang)),
                    None => {
                        problems.push(problem(
                            &source,
                            1,
                            format!(
                                "`.{code}.md` is not a translation the portal can serve: translations are named `<lesson>.<language>.md`, with language one of: {}",
                                Lang::ALL.iter().filter(|l| **l != Lang::En).map(|l| l.code()).collect::<Vec<_>>().join(", ")
                            ),
                        ));
                        continue;
                    }
                },
                None => (stem.clone(), None),
            };
            if let Err(p) = check_slug(&lesson_slug, &source, "file name") {
                problems.push(p);
                continue;
            }
            // Read and hashed here, in path order (the version must not
            // depend on thread timing); parsed and rendered below, in
            // parallel.
            let src = std::fs::read_to_string(&file)
                .map_err(|e| problem(&source, 1, format!("cannot read: {e}")));
            if let Ok(src) = &src {
                (&source, src).hash(&mut digest);
                if lang.is_none() {
                    source_hashes.insert((slug.clone(), lesson_slug.clone()), short_hash(src));
                }
            }
            pending.push(Pending {
                track: slug.clone(),
                slug: lesson_slug,
                lang,
                source,
                src,
            });
        }
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
            let file = dir.join(format!("track.{}.toml", lang.code()));
            let path = format!("{slug}/track.{}.toml", lang.code());
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            (&path, &text).hash(&mut digest);
            match toml::from_str::<TrackTranslation>(&text) {
                Ok(t) => {
                    track_texts.insert((slug.clone(), lang), (t.title, t.summary));
                }
                Err(e) => problems.push(problem(&path, 1, e.message().to_string())),
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

    // Front matter, markdown, highlighting and sanitizing: each file on its
    // own, so on every core (rayon). Collected in path order.
    let results: Vec<Result<LoadedLesson, Problem>> = pending
        .par_iter()
        .map(|p| {
            p.src
                .as_ref()
                .map_err(Clone::clone)
                .and_then(|src| lesson_from_source(src, &p.track, &p.slug, &p.source))
        })
        .collect();
    for (p, result) in pending.into_iter().zip(results) {
        if let Some(lang) = p.lang {
            match result {
                Ok(l) => translated.push((lang, l)),
                Err(e) => problems.push(e),
            }
            continue;
        }
        match result {
            Ok(l) => loaded.push(l),
            Err(e) => {
                problems.push(e);
                if let Some(old) = previous.and_then(|s| s.lesson(&p.track, &p.slug)) {
                    tracing::warn!(file = %p.source, "keeping the last good version");
                    loaded.push(LoadedLesson {
                        lesson: (**old).clone(),
                        links: vec![],
                        images: vec![],
                        block_problems: vec![],
                        translation_of: None,
                    });
                }
            }
        }
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

    let translations = check_translations(translated, &loaded, &source_hashes, &mut problems);

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
        translations,
        track_texts,
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

    /// A translation serves under the original's id; one that drifts from
    /// the original is reported: outdated, different front matter, a quiz of
    /// another shape (whose original quiz then serves), a wrong id, an
    /// unknown language, a missing original.
    #[test]
    fn translations_are_checked_against_their_originals() {
        let dir = tempfile::tempdir().unwrap();
        let quiz = "\n```gift\n::Q1:: Two? {=yes ~no}\n\n::Q2:: Sure? {T}\n```\n";
        let original = format!("{}{quiz}", lesson("l1", 1, "Hello world"));
        let hash = short_hash(&original);
        let es = |id: &str, order: u32, of: &str, quiz: &str| {
            format!(
                "---\nid: {id}\ntitle: Título\nsummary: Resumen\norder: {order}\ntranslation_of: \"{of}\"\n---\nHola mundo\n{quiz}"
            )
        };
        let other_quiz = "\n```gift\n::P1:: ¿Dos? {~sí =no}\n\n::P2:: ¿Seguro? {T}\n```\n";
        let root = write_all(
            &dir,
            &[
                ("t/track.toml", "title = \"T\"\n"),
                ("t/track.es.toml", "title = \"Te\"\nsummary = \"Resumen\"\n"),
                ("t/one.md", &original),
                ("t/one.es.md", &es("l1", 1, &hash, "\n```gift\n::P1:: ¿Dos? {=sí ~no}\n\n::P2:: ¿Seguro? {T}\n```\n")),
                ("t/two.md", &format!("{}{quiz}", lesson("l2", 2, "Two"))),
                ("t/two.es.md", &es("l2", 3, "000000000000", other_quiz)),
                ("t/three.md", &lesson("l3", 3, "Three")),
                ("t/three.es.md", &es("other", 3, "x", "")),
                ("t/three.fr.md", &es("l3", 3, "x", "")),
                ("t/four.es.md", &es("l4", 4, "x", "")),
            ],
        );
        let store = load(root, None);
        let msgs: Vec<String> = store.problems.iter().map(|p| p.to_string()).collect();
        let has = |s: &str| msgs.iter().any(|m| m.contains(s));
        assert!(!msgs.iter().any(|m| m.starts_with("t/one.")), "{msgs:#?}");
        assert!(has("t/two.es.md:1: front matter differs from the original t/two.md: order"), "{msgs:#?}");
        assert!(has("t/two.es.md:1: outdated translation: t/two.md changed"), "{msgs:#?}");
        assert!(has("quiz structure differs from the original t/two.md: question 1 differs"), "{msgs:#?}");
        assert!(has("t/three.es.md:2: translation has id `other`"), "{msgs:#?}");
        assert!(has("t/three.fr.md:1: `.fr.md` is not a translation"), "{msgs:#?}");
        assert!(has("t/four.es.md:1: translation of `t/four.md`, which does not exist"), "{msgs:#?}");
        // Served: one (translated), two (with the original's quiz); not three.
        let (one, shown) = store.lesson_in("t", "one", Lang::Es).unwrap();
        assert_eq!((one.meta.title.as_str(), shown), ("Título", Lang::Es));
        assert_eq!(one.meta.id, "l1");
        assert!(one.quiz.as_ref().unwrap().questions[0].text.contains("¿Dos?"));
        let (two, _) = store.lesson_in("t", "two", Lang::Es).unwrap();
        assert!(two.quiz.as_ref().unwrap().questions[0].text.contains("Two?"));
        assert_eq!(store.lesson_in("t", "three", Lang::Es).unwrap().1, Lang::En);
        assert_eq!(store.lesson_in("t", "one", Lang::En).unwrap().0.meta.title, "Title l1");
        // Lists: translated titles, the original order, English fallback.
        let track = store.track_in(store.track("t").unwrap(), Lang::Es);
        assert_eq!(track.title, "Te");
        let titles: Vec<_> = track.lessons.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(titles, ["Título", "Título", "Title l3"]);
        assert_eq!(store.reading_order().count(), 3, "translations are not extra lessons");
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
