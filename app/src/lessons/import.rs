//! `academy import SRC DEST`: existing markdown in, a content tree out.
//!
//! Two kinds of source:
//! - a folder of plain markdown files (no front matter): each sub-folder is
//!   a track (files at the top form one track named after SRC); numeric
//!   prefixes (`01-intro.md`, `2_setup`) give the order and are stripped
//!   from slugs;
//! - an mdBook (`book.toml` and `src/SUMMARY.md`): part titles (`# Part`),
//!   or else top-level chapters that have children, give the tracks; the
//!   chapters, in SUMMARY order, the lessons. `{{#include file}}` (with
//!   `:anchor` and line ranges) is resolved relative to the chapter; draft
//!   chapters (`- [Title]()`) are reported and skipped.
//!
//! Each lesson gets front matter: an id from its source path (never from a
//! title, so it survives re-imports), the first `# heading` as title (removed
//! from the body: the page shows the title), the first paragraph as summary,
//! and its position as order. Relative images are copied into the track
//! folder, links between imported files become `/lessons/{track}/{slug}`,
//! and fence languages are mapped to what the highlighter knows
//! ([`super::fences::fence_language`]). What could not be mapped is
//! reported as `file:line: why`.
//!
//! Re-importing is idempotent: the same files with the same bytes. A lesson
//! already in DEST with the same id is overwritten where it is (even if it
//! was moved or renamed); other files are kept, and a `track.toml` that
//! exists is never rewritten.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    fmt, fs,
    ops::Range,
    path::{Component, Path, PathBuf},
};

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::{fences, front_matter, load::IMAGE_EXTENSIONS};
use crate::common::slug::ascii_slug;

/// Something the import could not carry over as it was, at a source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The source file, relative to SRC.
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// `an mdBook` or `a folder of markdown`.
    pub source_kind: &'static str,
    /// Track slug → lessons written into it, in track order.
    pub tracks: Vec<(String, usize)>,
    pub lessons: usize,
    pub images: usize,
    /// `(from, to)` fence language → how many fences.
    pub fences_mapped: BTreeMap<(String, String), usize>,
    pub notes: Vec<Note>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.notes {
            writeln!(f, "{n}")?;
        }
        if !self.fences_mapped.is_empty() {
            let mapped: Vec<String> = self
                .fences_mapped
                .iter()
                .map(|((from, to), n)| format!("{from} → {to} ({n})"))
                .collect();
            writeln!(f, "fence languages mapped: {}", mapped.join(", "))?;
        }
        let tracks: Vec<String> = self
            .tracks
            .iter()
            .map(|(t, n)| format!("{t}: {n}"))
            .collect();
        write!(
            f,
            "imported {} lesson(s) in {} track(s) ({}) and {} image(s) from {}; {} note(s)",
            self.lessons,
            self.tracks.len(),
            tracks.join(", "),
            self.images,
            self.source_kind,
            self.notes.len()
        )
    }
}

/// A problem that stops the import (nothing usable to read or write).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError(pub String);

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ImportError {}

fn fail(what: impl fmt::Display, e: impl fmt::Display) -> ImportError {
    ImportError(format!("{what}: {e}"))
}

/// A lesson to import, before its final place in DEST is known.
#[derive(Debug, Clone)]
struct PlannedLesson {
    /// Canonical path of the source file.
    source: PathBuf,
    id: String,
    slug: String,
    /// Used when `slug` is taken in the track (path-based, unique).
    alt_slug: String,
    /// When the file has no `# heading`: the SUMMARY title or the file name.
    fallback_title: String,
}

#[derive(Debug, Clone)]
struct PlannedTrack {
    slug: String,
    title: String,
    /// Where images are looked up relative to, to keep their layout.
    asset_root: PathBuf,
    lessons: Vec<PlannedLesson>,
}

#[derive(Debug, Default)]
struct Plan {
    kind: &'static str,
    tracks: Vec<PlannedTrack>,
    notes: Vec<Note>,
    /// mdBook: resolve `{{#include}}`.
    includes: bool,
}

/// Imports `src` into the content folder `dest` (created if missing).
pub fn import(src: &Path, dest: &Path) -> Result<Report, ImportError> {
    let src = src
        .canonicalize()
        .map_err(|e| fail(format!("cannot read {}", src.display()), e))?;
    if !src.is_dir() {
        return Err(ImportError(format!("{} is not a folder", src.display())));
    }
    fs::create_dir_all(dest).map_err(|e| fail(format!("cannot create {}", dest.display()), e))?;
    let dest = dest
        .canonicalize()
        .map_err(|e| fail(format!("cannot read {}", dest.display()), e))?;
    if src.starts_with(&dest) {
        return Err(ImportError(
            "SRC is inside DEST: import into a folder outside the source".into(),
        ));
    }
    let mut ctx = Ctx {
        src: src.clone(),
        dest: dest.clone(),
        notes: Vec::new(),
        images: HashMap::new(),
        fences_mapped: BTreeMap::new(),
        links: HashMap::new(),
        anchors: None,
    };
    let plan = if src.join("book.toml").is_file() {
        plan_mdbook(&ctx, &src)?
    } else {
        plan_folder(&ctx, &src)?
    };
    ctx.notes.extend(plan.notes.iter().cloned());
    let existing = scan_dest(&dest);

    // Final places: where the id already lives, else the planned slug (or
    // its path-based alternative, or a numbered one) if nothing else has it.
    let mut taken: HashSet<(String, String)> = existing.by_place.keys().cloned().collect();
    let mut placed: Vec<(usize, PlannedLesson, String, String)> = Vec::new();
    for (ti, track) in plan.tracks.iter().enumerate() {
        for lesson in &track.lessons {
            let (t, s) = match existing.by_id.get(&lesson.id) {
                Some(place) => place.clone(),
                None => {
                    let free = |s: &str| !taken.contains(&(track.slug.clone(), s.to_string()));
                    let slug = [lesson.slug.clone(), lesson.alt_slug.clone()]
                        .into_iter()
                        .chain((2..).map(|n| numbered(&lesson.slug, n)))
                        .find(|s| free(s))
                        .unwrap_or_default();
                    if slug != lesson.slug {
                        ctx.note(
                            &lesson.source,
                            1,
                            format!(
                                "the slug `{}` is taken in track `{}`: imported as `{slug}`",
                                lesson.slug, track.slug
                            ),
                        );
                    }
                    (track.slug.clone(), slug)
                }
            };
            taken.insert((t.clone(), s.clone()));
            ctx.links
                .insert(lesson.source.clone(), (t.clone(), s.clone()));
            placed.push((ti, lesson.clone(), t, s));
        }
    }

    // Two passes: the first finds the anchors each lesson will have (so a
    // `#fragment` into another lesson is kept only if it exists there), the
    // second converts for real.
    let notes_before = ctx.notes.clone();
    let first = convert_all(&mut ctx, &plan, &placed)?;
    let mut anchors = HashMap::new();
    for ((_, _, track, slug), converted) in placed.iter().zip(&first) {
        let html = super::render::render(&converted.body, 1, track).html;
        anchors.insert((track.clone(), slug.clone()), html_ids(html.as_str()));
    }
    ctx.anchors = Some(anchors);
    ctx.notes = notes_before;
    ctx.fences_mapped.clear();
    let converted_all = convert_all(&mut ctx, &plan, &placed)?;

    // Lessons, in plan order; order = position in the planned track.
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut position: HashMap<usize, u32> = HashMap::new();
    for ((ti, lesson, track, slug), converted) in placed.iter().zip(converted_all) {
        let order = position.entry(*ti).or_insert(0);
        *order += 1;
        let title = converted
            .title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| lesson.fallback_title.clone());
        let file = render_lesson(
            &ctx.shown(&lesson.source),
            &lesson.id,
            &title,
            &converted.summary,
            *order,
            &converted.body,
        );
        let path = dest.join(track).join(format!("{slug}.md"));
        write_if_changed(&path, file.as_bytes())?;
        match counts.iter_mut().find(|(t, _)| t == track) {
            Some((_, n)) => *n += 1,
            None => counts.push((track.clone(), 1)),
        }
    }

    // track.toml for folders that lack one; an existing one is the
    // author's (or a previous import's) and is kept.
    let mut next_order = existing.max_order;
    for track in &plan.tracks {
        if !counts.iter().any(|(t, _)| *t == track.slug) {
            continue;
        }
        let file = dest.join(&track.slug).join("track.toml");
        if file.exists() {
            continue;
        }
        next_order += 1;
        let toml = toml::to_string(&TrackToml {
            title: &track.title,
            summary: "",
            order: next_order,
        })
        .map_err(|e| fail("track.toml", e))?;
        let text = format!(
            "# Written by `academy import` from {}; kept as it is by later imports.\n{toml}",
            ctx.shown(&ctx.src)
        );
        write_if_changed(&file, text.as_bytes())?;
    }

    Ok(Report {
        source_kind: plan.kind,
        lessons: placed.len(),
        tracks: counts,
        images: ctx.images.len(),
        fences_mapped: ctx.fences_mapped,
        notes: ctx.notes,
    })
}

/// Reads (with includes resolved) and converts every placed lesson.
fn convert_all(
    ctx: &mut Ctx,
    plan: &Plan,
    placed: &[(usize, PlannedLesson, String, String)],
) -> Result<Vec<Converted>, ImportError> {
    let mut out = Vec::with_capacity(placed.len());
    for (ti, lesson, track, _) in placed {
        let asset_root = plan.tracks[*ti].asset_root.clone();
        let text = fs::read_to_string(&lesson.source)
            .map_err(|e| fail(format!("cannot read {}", lesson.source.display()), e))?;
        let (text, origins) = if plan.includes {
            ctx.expand_file(&lesson.source, &text)
        } else {
            let lines = text.split_inclusive('\n').count().max(1);
            let origins = (1..=lines).map(|l| (lesson.source.clone(), l)).collect();
            (text, origins)
        };
        out.push(ctx.convert(&text, &origins, track, &asset_root));
    }
    Ok(out)
}

/// Every `id="…"` in rendered HTML.
fn html_ids(html: &str) -> HashSet<String> {
    html.match_indices(" id=\"")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

#[derive(Serialize)]
struct TrackToml<'a> {
    title: &'a str,
    summary: &'a str,
    order: u32,
}

#[derive(Serialize)]
struct Front<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    summary: &'a str,
    order: u32,
}

/// A lesson file: front matter (with where it came from) and body.
fn render_lesson(
    source: &str,
    id: &str,
    title: &str,
    summary: &str,
    order: u32,
    body: &str,
) -> String {
    let yaml = serde_yaml_ng::to_string(&Front {
        id,
        title,
        summary,
        order,
    })
    .unwrap_or_default();
    let body = body.trim_end();
    format!(
        "---\n# Imported by `academy import` from {source}: the next import overwrites this file.\n{yaml}---\n\n{body}\n"
    )
}

fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), ImportError> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create {}", dir.display()), e))?;
    }
    fs::write(path, bytes).map_err(|e| fail(format!("cannot write {}", path.display()), e))
}

/// `slug` with `-n` appended, kept within 64 characters.
fn numbered(slug: &str, n: usize) -> String {
    let suffix = format!("-{n}");
    let base: String = slug.chars().take(64 - suffix.len()).collect();
    format!("{}{suffix}", base.trim_end_matches('-'))
}

// ---------------------------------------------------------------- DEST ---

#[derive(Debug, Default)]
struct Existing {
    by_id: HashMap<String, (String, String)>,
    by_place: HashMap<(String, String), Option<String>>,
    max_order: u32,
}

/// The lessons and track orders already in DEST.
fn scan_dest(dest: &Path) -> Existing {
    let mut out = Existing::default();
    let Ok(rd) = fs::read_dir(dest) else {
        return out;
    };
    let mut dirs: Vec<PathBuf> = rd.filter_map(Result::ok).map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        let Ok(track_toml) = fs::read_to_string(dir.join("track.toml")) else {
            continue;
        };
        let track = name_of(&dir);
        if let Some(order) = toml::from_str::<toml::Table>(&track_toml)
            .ok()
            .and_then(|t| t.get("order").and_then(toml::Value::as_integer))
        {
            out.max_order = out.max_order.max(u32::try_from(order).unwrap_or(0));
        }
        let Ok(rd) = fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        files.sort();
        for file in files {
            let slug = file
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let id = fs::read_to_string(&file).ok().and_then(|s| lesson_id(&s));
            if let Some(id) = &id {
                out.by_id
                    .entry(id.clone())
                    .or_insert_with(|| (track.clone(), slug.clone()));
            }
            out.by_place.insert((track.clone(), slug), id);
        }
    }
    out
}

/// A lesson file's id: from its front matter, or (if that does not parse)
/// from an `id:` line in it.
fn lesson_id(src: &str) -> Option<String> {
    if let Ok(p) = front_matter::parse(src) {
        return Some(p.front.id);
    }
    src.lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.strip_prefix("id:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .filter(|v| !v.is_empty())
}

// --------------------------------------------------------------- names ---

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn stem_of(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// A leading number and the rest: `01-intro` → (1, `intro`), `2_setup` →
/// (2, `setup`), `1.2-more` → (1, `more`). No separator after the digits
/// (`3d-graphics`) or nothing after them (`01`): no number taken.
fn split_number(name: &str) -> (Option<u64>, &str) {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return (None, name);
    }
    let number = name[..digits].parse().ok();
    let mut rest = &name[digits..];
    // `1.2`, `1-2`: further numbers of the same prefix.
    loop {
        let trimmed = rest.trim_start_matches(['.', '-', '_']);
        let more = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        let after = &trimmed[more..];
        if more > 0 && trimmed.len() < rest.len() && after.starts_with(['.', '-', '_', ' ']) {
            rest = after;
        } else {
            break;
        }
    }
    let trimmed = rest.trim_start_matches(['.', '-', '_', ' ']);
    if trimmed.len() == rest.len() || trimmed.is_empty() {
        return (None, name);
    }
    (number, trimmed)
}

fn is_index(stem: &str) -> bool {
    stem.eq_ignore_ascii_case("readme") || stem.eq_ignore_ascii_case("index")
}

/// Sorting key for files and folders: README/index first, then by number,
/// then by name.
fn sort_key(name: &str) -> (u8, u64, String, String) {
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let (n, rest) = split_number(&stem);
    (
        u8::from(!is_index(&stem)),
        n.unwrap_or(u64::MAX),
        rest.to_lowercase(),
        name.to_string(),
    )
}

/// A slug from a file or folder name (its number stripped).
fn slug_of(name: &str, fallback: &str) -> String {
    let s = ascii_slug(split_number(name).1);
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// `02_http-basics` → `Http basics`.
fn humanize(name: &str) -> String {
    let words = split_number(name).1.replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

/// A path-based slug: the components of `rel` (numbers stripped) joined by
/// dashes, without the file extension; no length limit (for ids).
fn path_slug(rel: &Path) -> String {
    let mut parts = Vec::new();
    let count = rel.components().count();
    for (i, c) in rel.components().enumerate() {
        if let Component::Normal(os) = c {
            let name = os.to_string_lossy();
            let name = if i + 1 == count {
                stem_of(Path::new(name.as_ref()))
            } else {
                name.to_string()
            };
            let s = ascii_slug(split_number(&name).1);
            if !s.is_empty() {
                parts.push(s);
            }
        }
    }
    parts.join("-")
}

/// A lesson slug: the file's name; README/index take their folder's name
/// (`introduction` at the top).
fn lesson_slug(rel: &Path) -> String {
    let stem = stem_of(rel);
    if is_index(&stem) {
        return rel
            .parent()
            .and_then(Path::file_name)
            .map(|n| slug_of(&n.to_string_lossy(), "introduction"))
            .unwrap_or_else(|| "introduction".to_string());
    }
    slug_of(&stem, "lesson")
}

fn limit64(s: &str) -> String {
    let s: String = s.chars().take(64).collect();
    s.trim_end_matches('-').to_string()
}

// ------------------------------------------------------- plain folders ---

fn is_hidden(p: &Path) -> bool {
    name_of(p).starts_with('.')
}

fn is_markdown(p: &Path) -> bool {
    p.is_file()
        && p.extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("md") || x.eq_ignore_ascii_case("markdown"))
}

/// Sorted entries of a folder (hidden ones and `skip` left out).
fn entries(dir: &Path, skip: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| fail(format!("cannot read {}", dir.display()), e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| !is_hidden(p) && p.canonicalize().map_or(true, |c| c != skip))
        .collect();
    out.sort_by_cached_key(|p| sort_key(&name_of(p)));
    Ok(out)
}

/// Markdown files under `dir`, depth first in sorted order.
fn markdown_under(dir: &Path, skip: &Path, out: &mut Vec<PathBuf>) -> Result<(), ImportError> {
    for p in entries(dir, skip)? {
        if p.is_dir() {
            markdown_under(&p, skip, out)?;
        } else if is_markdown(&p) {
            out.push(p);
        }
    }
    Ok(())
}

fn plan_folder(ctx: &Ctx, src: &Path) -> Result<Plan, ImportError> {
    let mut plan = Plan {
        kind: "a folder of markdown",
        ..Plan::default()
    };
    let top = entries(src, &ctx.dest)?;
    let top_files: Vec<PathBuf> = top.iter().filter(|p| is_markdown(p)).cloned().collect();
    let mut groups: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    if !top_files.is_empty() {
        groups.push((src.to_path_buf(), top_files));
    }
    for dir in top.iter().filter(|p| p.is_dir()) {
        let mut files = Vec::new();
        markdown_under(dir, &ctx.dest, &mut files)?;
        if !files.is_empty() {
            groups.push((dir.clone(), files));
        }
    }
    if groups.is_empty() {
        return Err(ImportError(format!(
            "no markdown files in {} (and no book.toml)",
            src.display()
        )));
    }
    let mut ids = HashSet::new();
    let mut track_slugs = HashSet::new();
    for (dir, files) in groups {
        let dir = dir.canonicalize().unwrap_or(dir);
        let name = name_of(&dir);
        let mut slug = limit64(&slug_of(&name, "imported"));
        let base = slug.clone();
        let mut n = 1;
        while !track_slugs.insert(slug.clone()) {
            n += 1;
            slug = numbered(&base, n);
        }
        let mut lessons = Vec::new();
        for file in files {
            let Ok(source) = file.canonicalize() else {
                continue;
            };
            let rel = source.strip_prefix(&dir).unwrap_or(&source).to_path_buf();
            let nested = rel.components().count() > 1;
            let lslug = if nested {
                let s = lesson_slug(&rel);
                let parent = rel.parent().map(path_slug).unwrap_or_default();
                if is_index(&stem_of(&rel)) || parent.is_empty() {
                    limit64(&s)
                } else {
                    limit64(&format!("{parent}-{s}"))
                }
            } else {
                lesson_slug(&rel)
            };
            let id = unique_id(&mut ids, format!("{slug}-{lslug}"));
            lessons.push(PlannedLesson {
                fallback_title: humanize(&stem_of(&rel)),
                alt_slug: limit64(&path_slug(&rel)),
                slug: lslug,
                id,
                source,
            });
        }
        plan.tracks.push(PlannedTrack {
            title: humanize(&name),
            slug,
            asset_root: dir,
            lessons,
        });
    }
    Ok(plan)
}

fn unique_id(ids: &mut HashSet<String>, id: String) -> String {
    let mut candidate = id.clone();
    let mut n = 1;
    while !ids.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{id}-{n}");
    }
    candidate
}

// -------------------------------------------------------------- mdBook ---

#[derive(Debug, Clone, PartialEq)]
enum SummaryItem {
    Part {
        title: String,
    },
    Chapter {
        title: String,
        /// Empty for a draft chapter.
        path: String,
        /// 0 for top-level (and prefix/suffix) chapters.
        depth: usize,
        line: usize,
    },
}

/// SUMMARY.md as mdBook reads it: an optional title heading, prefix
/// chapters, part titles, nested numbered chapters, separators, suffix
/// chapters. Lines it cannot read are returned with their line number.
fn parse_summary(text: &str) -> (Vec<SummaryItem>, Vec<(usize, String)>) {
    let mut items = Vec::new();
    let mut problems = Vec::new();
    let mut seen_content = false;
    let mut indents: Vec<usize> = Vec::new();
    let mut in_comment = false;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let t = line.trim();
        if in_comment {
            in_comment = !t.contains("-->");
            continue;
        }
        if t.starts_with("<!--") {
            in_comment = !t.contains("-->");
            continue;
        }
        if t.is_empty() {
            continue;
        }
        if t.starts_with('#') {
            let title = t.trim_start_matches('#').trim().to_string();
            if seen_content {
                items.push(SummaryItem::Part { title });
            }
            seen_content = true;
            indents.clear();
            continue;
        }
        seen_content = true;
        if t.len() >= 3 && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '*')) {
            continue; // separator
        }
        let indent: usize = line
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum();
        let marker = ["- ", "* ", "+ "]
            .iter()
            .find_map(|m| t.strip_prefix(m))
            .or_else(|| {
                let digits = t.bytes().take_while(u8::is_ascii_digit).count();
                (digits > 0)
                    .then(|| t[digits..].strip_prefix(". "))
                    .flatten()
            });
        let (rest, depth) = match marker {
            Some(rest) => {
                while indents.last().is_some_and(|&top| top > indent) {
                    indents.pop();
                }
                if indents.last() != Some(&indent) {
                    indents.push(indent);
                }
                (rest.trim(), indents.len() - 1)
            }
            None => {
                indents.clear();
                (t, 0)
            }
        };
        match parse_link(rest) {
            Some((title, path)) => items.push(SummaryItem::Chapter {
                title,
                path,
                depth,
                line: line_no,
            }),
            None => problems.push((
                line_no,
                format!("SUMMARY line not understood (expected `- [Title](file.md)`): {t}"),
            )),
        }
    }
    (items, problems)
}

/// `[Title](path)` → (title, path), brackets and escapes allowed in the title.
fn parse_link(s: &str) -> Option<(String, String)> {
    let s = s.strip_prefix('[')?;
    let mut depth = 1;
    let mut title = String::new();
    let mut chars = s.char_indices();
    let mut end = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, n)) = chars.next() {
                    title.push(n);
                }
            }
            '[' => {
                depth += 1;
                title.push(c);
            }
            ']' => {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
                title.push(c);
            }
            _ => title.push(c),
        }
    }
    let rest = s[end? + 1..].strip_prefix('(')?;
    let mut depth = 1;
    let close = rest.char_indices().find_map(|(i, c)| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        (depth == 0).then_some(i)
    })?;
    let path = rest[..close]
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>');
    Some((title.trim().to_string(), path.to_string()))
}

fn plan_mdbook(ctx: &Ctx, root: &Path) -> Result<Plan, ImportError> {
    let mut plan = Plan {
        kind: "an mdBook",
        includes: true,
        ..Plan::default()
    };
    let book: toml::Table = fs::read_to_string(root.join("book.toml"))
        .map_err(|e| fail("cannot read book.toml", e))
        .and_then(|s| toml::from_str(&s).map_err(|e| fail("book.toml", e.message())))?;
    let section = book.get("book").and_then(toml::Value::as_table);
    let get = |key: &str| {
        section
            .and_then(|b| b.get(key))
            .and_then(toml::Value::as_str)
    };
    let src_dir = root.join(get("src").unwrap_or("src"));
    let src_dir = src_dir
        .canonicalize()
        .map_err(|e| fail(format!("cannot read {}", src_dir.display()), e))?;
    let summary_path = src_dir.join("SUMMARY.md");
    let summary = fs::read_to_string(&summary_path)
        .map_err(|e| fail(format!("cannot read {}", summary_path.display()), e))?;
    let folder = name_of(root);
    let book_slug = limit64(&slug_of(&folder, "book"));
    let book_title = get("title")
        .map(str::to_string)
        .unwrap_or_else(|| humanize(&folder));
    let (items, problems) = parse_summary(&summary);
    for (line, message) in problems {
        plan.notes.push(ctx.note_at(&summary_path, line, message));
    }

    // Tracks: (title, chapters) in SUMMARY order.
    type Chapter = (String, String, usize);
    let mut groups: Vec<(String, Vec<Chapter>)> = Vec::new();
    let mut pending: Vec<Chapter> = Vec::new();
    let has_parts = items.iter().any(|i| matches!(i, SummaryItem::Part { .. }));
    let depth_at = |k: usize| match items.get(k) {
        Some(SummaryItem::Chapter { depth, .. }) => Some(*depth),
        _ => None,
    };
    let has_children = |k: usize| depth_at(k) == Some(0) && depth_at(k + 1).is_some_and(|d| d > 0);
    let nested = !has_parts && (0..items.len()).any(has_children);
    for (k, item) in items.iter().enumerate() {
        match item {
            SummaryItem::Part { title } => groups.push((title.clone(), Vec::new())),
            SummaryItem::Chapter {
                title, path, line, ..
            } => {
                let chapter = (title.clone(), path.clone(), *line);
                if nested && has_children(k) {
                    groups.push((title.clone(), vec![chapter]));
                } else if let Some((_, chapters)) = groups.last_mut() {
                    chapters.push(chapter);
                } else {
                    pending.push(chapter);
                }
            }
        }
    }
    if groups.is_empty() {
        groups.push((book_title, Vec::new()));
    }
    if let Some((_, first)) = groups.first_mut() {
        pending.append(first);
        *first = pending;
    }

    let mut ids = HashSet::new();
    let mut track_slugs = HashSet::new();
    let mut seen_files = HashSet::new();
    for (n, (title, chapters)) in groups.into_iter().enumerate() {
        let base = if has_parts || nested {
            limit64(&ascii_slug(&title))
        } else {
            book_slug.clone()
        };
        let base = if base.is_empty() {
            format!("part-{}", n + 1)
        } else {
            base
        };
        let mut slug = base.clone();
        let mut k = 1;
        while !track_slugs.insert(slug.clone()) {
            k += 1;
            slug = numbered(&base, k);
        }
        let mut lessons = Vec::new();
        for (chapter_title, path, line) in chapters {
            if path.is_empty() {
                plan.notes.push(ctx.note_at(
                    &summary_path,
                    line,
                    format!("draft chapter \"{chapter_title}\" has no file yet: skipped"),
                ));
                continue;
            }
            let file = src_dir.join(percent_decode(&path));
            let Ok(source) = file.canonicalize() else {
                plan.notes.push(ctx.note_at(
                    &summary_path,
                    line,
                    format!("chapter \"{chapter_title}\": {path} does not exist: skipped"),
                ));
                continue;
            };
            if !seen_files.insert(source.clone()) {
                plan.notes.push(ctx.note_at(
                    &summary_path,
                    line,
                    format!("chapter \"{chapter_title}\": {path} is listed twice: imported once"),
                ));
                continue;
            }
            let rel = source
                .strip_prefix(&src_dir)
                .unwrap_or(&source)
                .to_path_buf();
            let id = unique_id(&mut ids, format!("{book_slug}-{}", path_slug(&rel)));
            lessons.push(PlannedLesson {
                fallback_title: if chapter_title.is_empty() {
                    humanize(&stem_of(&rel))
                } else {
                    chapter_title
                },
                slug: limit64(&lesson_slug(&rel)),
                alt_slug: limit64(&path_slug(&rel)),
                id,
                source,
            });
        }
        plan.tracks.push(PlannedTrack {
            slug,
            title,
            asset_root: src_dir.clone(),
            lessons,
        });
    }
    Ok(plan)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(Ok(b)) = s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16)) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

// ------------------------------------------------------------ context ---

/// One source line: the file it came from and its 1-based line there.
type Origin = (PathBuf, usize);

struct Ctx {
    src: PathBuf,
    dest: PathBuf,
    notes: Vec<Note>,
    /// (track, path in the track) → the source image copied there.
    images: HashMap<(String, String), PathBuf>,
    fences_mapped: BTreeMap<(String, String), usize>,
    /// Canonical source file → (track, slug).
    links: HashMap<PathBuf, (String, String)>,
    /// (track, slug) → the ids its page will have (second pass only).
    anchors: Option<HashMap<(String, String), HashSet<String>>>,
}

/// A lesson body after conversion.
struct Converted {
    body: String,
    title: Option<String>,
    summary: String,
}

const SUMMARY_CHARS: usize = 200;
const INCLUDE_DEPTH: usize = 10;

impl Ctx {
    /// `path` relative to SRC, with `/`.
    fn shown(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.src).unwrap_or(path);
        let s = rel.to_string_lossy().replace('\\', "/");
        if s.is_empty() {
            name_of(&self.src)
        } else {
            s
        }
    }

    fn note_at(&self, file: &Path, line: usize, message: impl Into<String>) -> Note {
        Note {
            file: self.shown(file),
            line,
            message: message.into(),
        }
    }

    fn note(&mut self, file: &Path, line: usize, message: impl Into<String>) {
        let n = self.note_at(file, line, message);
        self.notes.push(n);
    }

    /// A chapter with its `{{#include}}`s resolved, and each line's origin.
    fn expand_file(&mut self, file: &Path, text: &str) -> (String, Vec<Origin>) {
        let lines: Vec<usize> = (1..=text.split_inclusive('\n').count().max(1)).collect();
        let mut out = Expanded::default();
        self.expand(file, text, &lines, 0, &mut out);
        (out.text, out.origins)
    }

    /// Expands mdBook directives in `text` (lines numbered by `lines`).
    fn expand(
        &mut self,
        file: &Path,
        text: &str,
        lines: &[usize],
        depth: usize,
        out: &mut Expanded,
    ) {
        for (k, line) in text.split_inclusive('\n').enumerate() {
            let line_no = lines.get(k).copied().unwrap_or(1);
            let origin = (file.to_path_buf(), line_no);
            let mut rest = line;
            while let Some(start) = rest.find("{{#") {
                let escaped = rest[..start].ends_with('\\');
                let Some(len) = rest[start..].find("}}") else {
                    break;
                };
                let directive = &rest[start + 3..start + len];
                if escaped {
                    out.push(&rest[..start - 1], &origin);
                    out.push(&rest[start..start + len + 2], &origin);
                    rest = &rest[start + len + 2..];
                    continue;
                }
                out.push(&rest[..start], &origin);
                let directive_text = rest[start..start + len + 2].to_string();
                rest = &rest[start + len + 2..];
                let (name, arg) = directive
                    .trim()
                    .split_once(char::is_whitespace)
                    .unwrap_or((directive.trim(), ""));
                let arg = arg.split_whitespace().next().unwrap_or("");
                match name {
                    "include" | "rustdoc_include" | "playground" if !arg.is_empty() => {
                        if depth >= INCLUDE_DEPTH {
                            self.note(file, line_no, format!("{{{{#{name} {arg}}}}}: includes nested more than {INCLUDE_DEPTH} deep: left out"));
                            continue;
                        }
                        match self.include(file, arg) {
                            Ok((target, body, numbers)) => {
                                if name == "playground" {
                                    out.push("```rust\n", &origin);
                                }
                                let mut inner = Expanded::default();
                                self.expand(&target, &body, &numbers, depth + 1, &mut inner);
                                out.append(inner);
                                if name == "playground" {
                                    if !out.text.ends_with('\n') {
                                        out.push("\n", &origin);
                                    }
                                    out.push("```", &origin);
                                }
                            }
                            Err(why) => self.note(
                                file,
                                line_no,
                                format!("{{{{#{name} {arg}}}}}: {why}: left out"),
                            ),
                        }
                    }
                    "title" => {}
                    // As mdBook does: anything else (`{{#toc}}` of a theme,
                    // `{{#include}}` named in prose) stays as written.
                    _ => out.push(&directive_text, &origin),
                }
            }
            out.push(rest, &origin);
        }
    }

    /// Reads an include target: `file`, `file:anchor`, `file:3`, `file:3:9`,
    /// `file:3:`, `file::9`. Returns the file, the text and its line numbers.
    fn include(&self, from: &Path, arg: &str) -> Result<(PathBuf, String, Vec<usize>), String> {
        let (path, selector) = match arg.split_once(':') {
            Some((p, s)) => (p, Some(s)),
            None => (arg, None),
        };
        let dir = from.parent().unwrap_or(Path::new("."));
        let target = dir
            .join(path)
            .canonicalize()
            .map_err(|_| format!("{path} does not exist"))?;
        let text = fs::read_to_string(&target).map_err(|e| format!("cannot read {path}: {e}"))?;
        let all: Vec<(usize, &str)> = text
            .split_inclusive('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .collect();
        let chosen: Vec<(usize, &str)> = match selector {
            None | Some("") => all,
            Some(sel) if sel.bytes().all(|b| b.is_ascii_digit() || b == b':') => {
                let (a, b) = match sel.split_once(':') {
                    Some((a, b)) => (a, Some(b)),
                    None => (sel, None),
                };
                let first: usize = a.parse().unwrap_or(1).max(1);
                let last = match b {
                    None => first,
                    Some("") => usize::MAX,
                    Some(b) => b.parse().map_err(|_| format!("bad line range `{sel}`"))?,
                };
                all.into_iter()
                    .filter(|(n, _)| *n >= first && *n <= last)
                    .collect()
            }
            Some(anchor) => {
                let marker = |line: &str, tag: &str| {
                    line.find(tag).is_some_and(|i| {
                        let after = line[i + tag.len()..].trim_start();
                        after.strip_prefix(anchor).is_some_and(|rest| {
                            !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                        })
                    })
                };
                let start = all
                    .iter()
                    .position(|(_, l)| marker(l, "ANCHOR:"))
                    .ok_or_else(|| format!("no `ANCHOR: {anchor}` in {path}"))?;
                let end = all[start..]
                    .iter()
                    .position(|(_, l)| marker(l, "ANCHOR_END:"))
                    .map_or(all.len(), |e| start + e);
                all[start + 1..end]
                    .iter()
                    .filter(|(_, l)| !l.contains("ANCHOR:") && !l.contains("ANCHOR_END:"))
                    .copied()
                    .collect()
            }
        };
        let numbers = chosen.iter().map(|(n, _)| *n).collect();
        let mut body: String = chosen.iter().map(|(_, l)| *l).collect();
        // mdBook drops the last line's newline; the directive's line keeps its own.
        if body.ends_with('\n') {
            body.pop();
        }
        Ok((target, body, numbers))
    }

    /// Rewrites one lesson's markdown: title out, links and images mapped,
    /// fences renamed. `origins[i]` is where line `i + 1` of `text` came from.
    fn convert(
        &mut self,
        text: &str,
        origins: &[Origin],
        track: &str,
        asset_root: &Path,
    ) -> Converted {
        let text_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
        let (fm_end, fm_title) = existing_front_matter(&text[text_start..]);
        if fm_end > 0 {
            let (f, l) = origins.first().cloned().unwrap_or_default();
            self.note(&f, l, "front matter found: replaced by the import's own");
        }
        let start = text_start + fm_end;
        let newlines: Vec<usize> = text
            .char_indices()
            .filter(|(_, c)| *c == '\n')
            .map(|(i, _)| i)
            .collect();
        let origin = |offset: usize| -> Origin {
            let line = newlines.partition_point(|&n| n < offset);
            origins
                .get(line)
                .cloned()
                .unwrap_or_else(|| origins.last().cloned().unwrap_or_default())
        };
        let md = &text[start..];
        let mut options = Options::empty();
        options.insert(Options::ENABLE_TABLES);
        options.insert(Options::ENABLE_FOOTNOTES);
        options.insert(Options::ENABLE_STRIKETHROUGH);
        options.insert(Options::ENABLE_TASKLISTS);
        options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
        let parser = Parser::new_ext(md, options);
        let defs: HashMap<String, Range<usize>> = parser
            .reference_definitions()
            .iter()
            .map(|(label, def)| (label.to_lowercase(), def.span.clone()))
            .collect();
        let mut edits: Vec<(Range<usize>, String)> = Vec::new();
        let mut done_defs: HashSet<String> = HashSet::new();
        let mut title: Option<(Range<usize>, String)> = None;
        let mut in_title: Option<(Range<usize>, String)> = None;
        let mut summary: Option<String> = None;
        let mut paragraph: Option<String> = None;
        let mut nesting = 0usize;
        // An image being read: its range, alt text, and whether it must go.
        let mut image: Option<(Range<usize>, String, bool)> = None;

        for (event, range) in parser.into_offset_iter() {
            let at = origin(start + range.start);
            match &event {
                Event::Start(Tag::Heading {
                    level: HeadingLevel::H1,
                    ..
                }) if title.is_none() && nesting == 0 => {
                    in_title = Some((range.clone(), String::new()));
                }
                Event::End(TagEnd::Heading(HeadingLevel::H1)) if in_title.is_some() => {
                    title = in_title.take();
                }
                Event::Start(Tag::Paragraph) if nesting == 0 && summary.is_none() => {
                    paragraph = Some(String::new());
                }
                Event::End(TagEnd::Paragraph) => {
                    if let Some(p) = paragraph.take() {
                        let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !p.is_empty() {
                            summary = Some(cut(&p, SUMMARY_CHARS));
                        }
                    }
                }
                Event::Start(
                    Tag::List(_)
                    | Tag::BlockQuote(_)
                    | Tag::Table(_)
                    | Tag::FootnoteDefinition(_)
                    | Tag::HtmlBlock,
                ) => nesting += 1,
                Event::End(
                    TagEnd::List(_)
                    | TagEnd::BlockQuote(_)
                    | TagEnd::Table
                    | TagEnd::FootnoteDefinition
                    | TagEnd::HtmlBlock,
                ) => nesting = nesting.saturating_sub(1),
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, s)) = &mut in_title {
                        s.push_str(t);
                    }
                    if let Some(p) = &mut paragraph {
                        p.push_str(t);
                    }
                    if let Some((_, alt, _)) = &mut image {
                        alt.push_str(t);
                    }
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some(p) = &mut paragraph {
                        p.push(' ');
                    }
                    if let Some((_, s)) = &mut in_title {
                        s.push(' ');
                    }
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    self.fence(md, &range, info, &at, &mut edits);
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    id,
                    ..
                }) => {
                    let action = self.link_target(dest_url, &at, track, asset_root);
                    if let LinkAction::Unlink = action {
                        edits.push((range.clone(), link_text(md, &range, *link_type)));
                    }
                    if let LinkAction::Rewrite(new) = action {
                        url_edit(
                            md,
                            &range,
                            *link_type,
                            id,
                            &defs,
                            &mut done_defs,
                            new,
                            &mut edits,
                        );
                    }
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    id,
                    ..
                }) => {
                    let drop = match self.image_target(dest_url, &at, track, asset_root) {
                        ImageTarget::Keep => false,
                        ImageTarget::Drop => true,
                        ImageTarget::Link => {
                            edits.push((range.start..range.start + 1, String::new()));
                            false
                        }
                        ImageTarget::Rewrite(new) => {
                            url_edit(
                                md,
                                &range,
                                *link_type,
                                id,
                                &defs,
                                &mut done_defs,
                                new,
                                &mut edits,
                            );
                            false
                        }
                    };
                    image = Some((range.clone(), String::new(), drop));
                }
                Event::End(TagEnd::Image) => {
                    if let Some((r, alt, true)) = image.take() {
                        edits.push((r, alt));
                    }
                }
                Event::Html(h) | Event::InlineHtml(h) => {
                    for attr in ["src=", "href="] {
                        if let Some(value) = html_attr(h, attr) {
                            if is_relative(value) {
                                self.note(&at.0, at.1, format!("relative {attr}\"{value}\" in raw HTML is not rewritten: use markdown for links and images"));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let title_text = title.as_ref().map(|(_, t)| t.trim().to_string());
        if let Some((range, _)) = &title {
            // The heading and the blank lines after it.
            let mut end = range.end;
            while md[end..].starts_with(['\n', '\r']) {
                end += 1;
            }
            edits.retain(|(r, _)| r.end <= range.start || r.start >= end);
            edits.push((range.start..end, String::new()));
        }
        edits.sort_by_key(|(r, _)| (r.start, r.end));
        let mut body = String::with_capacity(md.len());
        let mut pos = 0;
        for (r, new) in edits {
            if r.start < pos {
                continue; // overlapping: the first edit wins
            }
            body.push_str(&md[pos..r.start]);
            body.push_str(&new);
            pos = r.end;
        }
        body.push_str(&md[pos..]);
        // No blank lines at the top.
        let body = body.trim_start_matches(['\n', '\r']).to_string();
        Converted {
            body,
            title: title_text.or(fm_title),
            summary: summary.unwrap_or_default(),
        }
    }

    /// Maps a fence's language, or reports that it cannot.
    fn fence(
        &mut self,
        md: &str,
        range: &Range<usize>,
        info: &str,
        at: &Origin,
        edits: &mut Vec<(Range<usize>, String)>,
    ) {
        let token = fences::fence_token(info);
        let lower = token.to_ascii_lowercase();
        let mapped = fences::fence_language(info);
        let replacement = if fences::SPECIAL.contains(&lower.as_str()) {
            self.note(
                &at.0,
                at.1,
                format!("a `{lower}` fence is a quiz or exercise on this site: renamed to `text`"),
            );
            Some("text".to_string())
        } else if !mapped.eq_ignore_ascii_case(token) {
            *self
                .fences_mapped
                .entry((lower.clone(), mapped.to_string()))
                .or_default() += 1;
            Some(mapped.to_string())
        } else {
            if !fences::knows(mapped) && !fences::is_plain_on_purpose(mapped) {
                self.note(&at.0, at.1, format!("fence language `{token}`: the highlighter has no syntax for it or a close one; shown as plain text"));
            }
            None
        };
        let Some(new) = replacement else { return };
        // The info string: after the fence characters on the first line.
        let first = &md[range.start..];
        let line_end = first.find('\n').unwrap_or(first.len());
        let line = &first[..line_end];
        let Some(fence_at) = line.find("```").or_else(|| line.find("~~~")) else {
            return;
        };
        let fence_char = line.as_bytes()[fence_at];
        let info_start = fence_at
            + line[fence_at..]
                .bytes()
                .take_while(|&b| b == fence_char)
                .count();
        let info_end = line.trim_end().len().max(info_start);
        edits.push((range.start + info_start..range.start + info_end, new));
    }

    /// A link's new URL, or `None` to leave it as it is.
    /// What to do with a link: rewrite it to a lesson or an image, keep it,
    /// or (when it cannot resolve on the site) keep only its text.
    fn link_target(
        &mut self,
        url: &str,
        at: &Origin,
        track: &str,
        asset_root: &Path,
    ) -> LinkAction {
        let unlink = |ctx: &mut Self, why: String| {
            ctx.note(
                &at.0,
                at.1,
                format!("{why}: the link text stays, without the link"),
            );
            LinkAction::Unlink
        };
        if url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/lessons/") {
            return unlink(
                self,
                format!("root-relative link {url} points into the old site"),
            );
        }
        if !is_relative(url) {
            return LinkAction::Keep;
        }
        let (path, fragment) = split_fragment(url);
        if path.is_empty() {
            return LinkAction::Keep;
        }
        let dir = at.0.parent().unwrap_or(Path::new("."));
        let raw = dir.join(percent_decode(path));
        let is_html = raw.extension().is_some_and(|e| e == "html");
        // mdBook links may name the rendered page (`x.html`) or a folder.
        let candidates = if is_html {
            let mut c = vec![raw.with_extension("md")];
            if raw.file_stem().is_some_and(|s| s == "index") {
                c.push(raw.with_file_name("README.md"));
            }
            c.push(raw.clone());
            c
        } else {
            vec![raw.clone(), raw.join("README.md"), raw.join("index.md")]
        };
        let Some(file) = candidates
            .iter()
            .filter(|c| c.is_file())
            .find_map(|c| c.canonicalize().ok())
        else {
            return unlink(self, format!("link to {path}, which does not exist"));
        };
        if let Some((t, s)) = self.links.get(&file).cloned() {
            let frag = fragment.trim_start_matches('#');
            let known = self.anchors.as_ref().is_none_or(|a| {
                frag.is_empty()
                    || a.get(&(t.clone(), s.clone())).is_some_and(|ids| {
                        ids.contains(frag) || ids.contains(&percent_decode(frag))
                    })
            });
            if known {
                return LinkAction::Rewrite(format!("/lessons/{t}/{s}{fragment}"));
            }
            self.note(
                &at.0,
                at.1,
                format!("link to {path}{fragment}: the imported lesson has no such heading or id; it links to the lesson's top"),
            );
            return LinkAction::Rewrite(format!("/lessons/{t}/{s}"));
        }
        if is_markdown(&file) {
            return unlink(
                self,
                format!("link to {path}, which was not imported (not in SUMMARY.md, a draft, or outside SRC)"),
            );
        }
        if is_image(&file) {
            let rel = self.place_image(&file, track, asset_root);
            return LinkAction::Rewrite(format!("/media/{track}/{rel}"));
        }
        unlink(
            self,
            format!("link to {path}, which is not a lesson or an image"),
        )
    }

    fn image_target(
        &mut self,
        url: &str,
        at: &Origin,
        track: &str,
        asset_root: &Path,
    ) -> ImageTarget {
        if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//") {
            self.note(&at.0, at.1, format!("remote image {url}: browsers show only this site's images (Content-Security-Policy), so it became a link; save it next to the lesson to show it"),
            );
            return ImageTarget::Link;
        }
        if url.starts_with('/') {
            self.note(
                &at.0,
                at.1,
                format!(
                    "root-relative image {url} points into the old site: replaced by its alt text"
                ),
            );
            return ImageTarget::Drop;
        }
        if !is_relative(url) {
            return ImageTarget::Keep;
        }
        let (path, _) = split_fragment(url);
        let dir = at.0.parent().unwrap_or(Path::new("."));
        let Ok(file) = dir.join(percent_decode(path)).canonicalize() else {
            self.note(
                &at.0,
                at.1,
                format!("image {path} does not exist: replaced by its alt text"),
            );
            return ImageTarget::Drop;
        };
        if !is_image(&file) {
            self.note(&at.0, at.1, format!("image {path}: only png, jpg, gif and webp are served; replaced by its alt text (convert it and link it again)"));
            return ImageTarget::Drop;
        }
        let rel = self.place_image(&file, track, asset_root);
        if rel == path {
            ImageTarget::Keep
        } else {
            ImageTarget::Rewrite(rel)
        }
    }

    /// Copies an image into the track folder, keeping its layout under
    /// `asset_root` when it can; returns its path in the track.
    fn place_image(&mut self, file: &Path, track: &str, asset_root: &Path) -> String {
        let safe = |s: &str| -> String {
            let s: String = s
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            s.trim_start_matches('.').to_string()
        };
        let inside = file
            .strip_prefix(asset_root)
            .ok()
            .filter(|r| r.components().all(|c| matches!(c, Component::Normal(_))))
            .map(|r| {
                r.components()
                    .map(|c| safe(&c.as_os_str().to_string_lossy()))
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .filter(|r| !r.split('/').any(str::is_empty));
        let base = inside.unwrap_or_else(|| format!("images/{}", safe(&name_of(file))));
        let mut rel = base.clone();
        let mut n = 1;
        loop {
            match self.images.get(&(track.to_string(), rel.clone())) {
                Some(existing) if existing != file => {
                    n += 1;
                    let p = Path::new(&base);
                    let ext = p
                        .extension()
                        .map(|e| e.to_string_lossy().to_string())
                        .unwrap_or_default();
                    let stem = base.strip_suffix(&format!(".{ext}")).unwrap_or(&base);
                    rel = format!("{stem}-{n}.{ext}");
                }
                Some(_) => return rel,
                None => break,
            }
        }
        let target = self.dest.join(track).join(&rel);
        let copied = fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| write_if_changed(&target, &bytes).map_err(|e| e.0));
        if let Err(e) = copied {
            self.note(file, 1, format!("cannot copy the image: {e}"));
        }
        self.images
            .insert((track.to_string(), rel.clone()), file.to_path_buf());
        rel
    }
}

enum ImageTarget {
    Keep,
    /// Replaced by its alt text.
    Drop,
    /// `![alt](url)` becomes `[alt](url)`.
    Link,
    Rewrite(String),
}

enum LinkAction {
    Keep,
    /// Replaced by its text.
    Unlink,
    Rewrite(String),
}

/// The text of a link, as markdown: `[text](url)`, `[text][ref]`,
/// `[text][]`, `[text]` → `text`.
fn link_text(md: &str, range: &Range<usize>, link_type: LinkType) -> String {
    let s = &md[range.clone()];
    let end = match link_type {
        LinkType::Inline => s.rfind("]("),
        LinkType::Reference | LinkType::Collapsed => s.rfind("]["),
        LinkType::Shortcut => s.len().checked_sub(1),
        _ => None,
    };
    match end {
        Some(end) if s.starts_with('[') && end >= 1 => s[1..end].to_string(),
        _ => s.to_string(),
    }
}

/// Output text with the origin of every line.
#[derive(Debug, Default)]
struct Expanded {
    text: String,
    origins: Vec<Origin>,
    mid_line: bool,
}

impl Expanded {
    fn push(&mut self, s: &str, origin: &Origin) {
        for piece in s.split_inclusive('\n') {
            if !self.mid_line {
                self.origins.push(origin.clone());
            }
            self.text.push_str(piece);
            self.mid_line = !piece.ends_with('\n');
        }
    }

    fn append(&mut self, other: Expanded) {
        let mut origins = other.origins.into_iter();
        for piece in other.text.split_inclusive('\n') {
            let o = origins.next().unwrap_or_default();
            if !self.mid_line {
                self.origins.push(o);
            }
            self.text.push_str(piece);
            self.mid_line = !piece.ends_with('\n');
        }
    }
}

/// A first block of `---` front matter: its length and its `title`.
fn existing_front_matter(text: &str) -> (usize, Option<String>) {
    if !text.starts_with("---\n") && !text.starts_with("---\r\n") {
        return (0, None);
    }
    let first = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = first;
    for line in text[first..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &text[first..offset];
            let title = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(yaml)
                .ok()
                .and_then(|v| v.get("title").and_then(|t| t.as_str()).map(str::to_string));
            return (offset + line.len(), title);
        }
        offset += line.len();
    }
    (0, None)
}

fn is_relative(url: &str) -> bool {
    !url.is_empty() && !url.starts_with('/') && !url.starts_with('#') && !url.contains(':')
}

fn is_image(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// `a.md#x` → (`a.md`, `#x`); a query is dropped with the path.
fn split_fragment(url: &str) -> (&str, &str) {
    let (path, fragment) = match url.find('#') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    (path.split('?').next().unwrap_or(""), fragment)
}

/// The value of `attr` (`src=`) in an HTML fragment, quoted either way.
fn html_attr<'a>(html: &'a str, attr: &str) -> Option<&'a str> {
    let lower = html.to_ascii_lowercase();
    let i = lower.find(attr)? + attr.len();
    let rest = &html[i..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    rest.find(quote).map(|end| &rest[..end])
}

/// `text` cut at a word boundary to at most `max` characters, with `…`.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max).collect();
    let head = match head.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &head[..i],
        _ => head.as_str(),
    };
    format!(
        "{}…",
        head.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ':')
    )
}

/// Replaces a link's or image's URL: inline in the link itself, reference
/// style in its definition (once).
#[allow(clippy::too_many_arguments)]
fn url_edit(
    md: &str,
    range: &Range<usize>,
    link_type: LinkType,
    id: &str,
    defs: &HashMap<String, Range<usize>>,
    done_defs: &mut HashSet<String>,
    new: String,
    edits: &mut Vec<(Range<usize>, String)>,
) {
    let span = match link_type {
        LinkType::Inline => {
            let s = &md[range.clone()];
            match s.rfind("](") {
                Some(i) => range.start + i + 2..range.end,
                None => return,
            }
        }
        LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
            let label = id.to_lowercase();
            let Some(def) = defs.get(&label) else { return };
            if !done_defs.insert(label) {
                return;
            }
            let s = &md[def.clone()];
            match s.find("]:") {
                Some(i) => def.start + i + 2..def.end,
                None => return,
            }
        }
        _ => return,
    };
    let s = &md[span.clone()];
    let lead = s.len() - s.trim_start().len();
    let s = &s[lead..];
    let (start, len) = if let Some(inner) = s.strip_prefix('<') {
        (lead + 1, inner.find('>').unwrap_or(inner.len()))
    } else {
        let mut depth = 0i32;
        let len = s
            .char_indices()
            .find(|&(_, c)| {
                if c == '(' {
                    depth += 1;
                } else if c == ')' {
                    if depth == 0 {
                        return true;
                    }
                    depth -= 1;
                }
                c.is_whitespace()
            })
            .map_or(s.len(), |(i, _)| i);
        (lead, len)
    };
    let at = span.start + start;
    edits.push((at..at + len, new));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn read(root: &Path, rel: &str) -> String {
        fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    #[test]
    fn numbers_are_split_from_names() {
        assert_eq!(split_number("01-intro"), (Some(1), "intro"));
        assert_eq!(split_number("2_setup"), (Some(2), "setup"));
        assert_eq!(split_number("1.2-more"), (Some(1), "more"));
        assert_eq!(split_number("3d-graphics"), (None, "3d-graphics"));
        assert_eq!(split_number("01"), (None, "01"));
        assert_eq!(split_number("intro"), (None, "intro"));
        assert_eq!(humanize("02_http-basics"), "Http basics");
        assert_eq!(lesson_slug(Path::new("10-Wrap Up.md")), "wrap-up");
        assert_eq!(lesson_slug(Path::new("README.md")), "introduction");
        assert_eq!(lesson_slug(Path::new("http/README.md")), "http");
        assert_eq!(path_slug(Path::new("ch_1/01-nested.md")), "ch-1-nested");
        let mut names = vec!["10-end.md", "2_b.md", "01-a.md", "README.md", "zeta.md"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            ["README.md", "01-a.md", "2_b.md", "10-end.md", "zeta.md"]
        );
        assert_eq!(numbered(&"a".repeat(64), 2).len(), 64);
    }

    #[test]
    fn summary_is_parsed_like_mdbook() {
        let (items, problems) = parse_summary(
            "# Summary\n\n[Intro](README.md)\n\n# Basics\n\n- [One](one.md)\n    - [Nested \\[x\\]](a/nested.md)\n        - [Deeper](a/deep.md)\n- [Draft]()\n\n---\n\n# Advanced\n\n* [Two](two%20x.md)\n\n[Appendix](appendix.md)\nwhat is this\n",
        );
        let chapters: Vec<(String, String, usize)> = items
            .iter()
            .map(|i| match i {
                SummaryItem::Part { title } => (format!("part {title}"), String::new(), 0),
                SummaryItem::Chapter {
                    title, path, depth, ..
                } => (title.clone(), path.clone(), *depth),
            })
            .collect();
        let expect = |t: &str, p: &str, d| (t.to_string(), p.to_string(), d);
        assert_eq!(
            chapters,
            vec![
                expect("Intro", "README.md", 0),
                expect("part Basics", "", 0),
                expect("One", "one.md", 0),
                expect("Nested [x]", "a/nested.md", 1),
                expect("Deeper", "a/deep.md", 2),
                expect("Draft", "", 0),
                expect("part Advanced", "", 0),
                expect("Two", "two%20x.md", 0),
                expect("Appendix", "appendix.md", 0),
            ]
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 19);
    }

    #[test]
    fn cut_keeps_words() {
        let long = "word ".repeat(100);
        let s = cut(long.trim(), 200);
        assert!(s.ends_with("word…") && s.chars().count() <= 201, "{s}");
        assert_eq!(cut("short", 200), "short");
    }

    #[test]
    fn plain_folder_becomes_tracks_with_front_matter() {
        let src = tempfile::tempdir().unwrap();
        let dest = tempfile::tempdir().unwrap();
        let s = src.path().join("course");
        write(&s, "01-basics/01-intro.md", "# Intro to it\n\nFirst paragraph, with `code` and\na line break.\n\nSee [setup](2_setup.md#install) and ![diagram](img/d.png).\n\n```ejs\n<%= x %>\n```\n\n```kotlin\nval x = 1\n```\n");
        write(
            &s,
            "01-basics/2_setup.md",
            "Setup without a heading.\n\n## Install\n\n[back](01-intro.md) [gone](missing.md)\n",
        );
        write(&s, "01-basics/img/d.png", "PNG");
        write(
            &s,
            "02-more/topic.md",
            "# Topic\n\n```scss\na { b: c }\n```\n",
        );
        let report = import(&s, dest.path()).unwrap();
        let d = dest.path();
        let intro = read(d, "basics/intro.md");
        assert!(intro.contains("\nid: basics-intro\ntitle: Intro to it\nsummary: First paragraph, with code and a line break.\norder: 1\n---\n"), "{intro}");
        assert!(
            !intro.contains("# Intro to it"),
            "title removed from the body: {intro}"
        );
        assert!(
            intro.contains("[setup](/lessons/basics/setup#install)"),
            "{intro}"
        );
        assert!(intro.contains("![diagram](img/d.png)"), "{intro}");
        assert!(intro.contains("```erb\n"), "{intro}");
        assert_eq!(read(d, "basics/img/d.png"), "PNG");
        let setup = read(d, "basics/setup.md");
        assert!(
            setup.contains("title: Setup\n") && setup.contains("order: 2\n"),
            "{setup}"
        );
        assert!(setup.contains("[back](/lessons/basics/intro)"), "{setup}");
        assert!(read(d, "more/topic.md").contains("```css\n"));
        assert_eq!(
            read(d, "basics/track.toml")
                .lines()
                .skip(1)
                .collect::<Vec<_>>(),
            ["title = \"Basics\"", "summary = \"\"", "order = 1"]
        );
        assert!(read(d, "more/track.toml").contains("order = 2"));
        let notes: Vec<String> = report.notes.iter().map(ToString::to_string).collect();
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("01-basics/01-intro.md:12: fence language `kotlin`")),
            "{notes:#?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("01-basics/2_setup.md:5: link to missing.md")),
            "{notes:#?}"
        );
        assert_eq!(
            report.fences_mapped.get(&("ejs".into(), "erb".into())),
            Some(&1)
        );
        assert_eq!(report.lessons, 3);
        assert_eq!(report.images, 1);
        // The result loads without problems.
        let store = super::super::load::load(d, None);
        assert_eq!(store.problems, vec![]);
        // Again: same bytes; a renamed lesson keeps its place and id.
        let before = read(d, "basics/intro.md");
        fs::rename(d.join("basics/setup.md"), d.join("basics/installing.md")).unwrap();
        write(
            &s,
            "01-basics/2_setup.md",
            "# Setup, renamed title\n\nNew text.\n\n## Install\n",
        );
        import(&s, dest.path()).unwrap();
        assert_eq!(
            read(d, "basics/intro.md").replace("/setup#", "/installing#"),
            before.replace("/setup#", "/installing#")
        );
        assert!(!d.join("basics/setup.md").exists());
        let moved = read(d, "basics/installing.md");
        assert!(
            moved.contains("id: basics-setup\ntitle: Setup, renamed title\n"),
            "{moved}"
        );
        assert!(read(d, "basics/intro.md").contains("(/lessons/basics/installing#install)"));
    }

    #[test]
    fn top_level_files_form_one_track_and_others_are_kept() {
        let src = tempfile::tempdir().unwrap();
        let dest = tempfile::tempdir().unwrap();
        let s = src.path().join("Notes");
        write(&s, "a.md", "# A\n\ntext\n");
        write(
            dest.path(),
            "notes/track.toml",
            "title = \"Mine\"\norder = 7\n",
        );
        write(
            dest.path(),
            "notes/a.md",
            "---\nid: mine\ntitle: Mine\n---\nmine\n",
        );
        write(
            dest.path(),
            "other/track.toml",
            "title = \"Other\"\norder = 9\n",
        );
        let report = import(&s, dest.path()).unwrap();
        assert_eq!(
            read(dest.path(), "notes/a.md"),
            "---\nid: mine\ntitle: Mine\n---\nmine\n",
            "another lesson is kept"
        );
        assert!(read(dest.path(), "notes/a-2.md").contains("id: notes-a\n"));
        assert_eq!(
            read(dest.path(), "notes/track.toml"),
            "title = \"Mine\"\norder = 7\n"
        );
        assert!(
            report.notes[0].message.contains("imported as `a-2`"),
            "{report}"
        );
        let again = import(&s, dest.path()).unwrap();
        assert!(again.notes.is_empty(), "{again}");
        assert!(!dest.path().join("notes/a-3.md").exists());
    }

    #[test]
    fn references_html_links_and_images() {
        let src = tempfile::tempdir().unwrap();
        let dest = tempfile::tempdir().unwrap();
        let s = src.path().join("guide");
        write(&s, "a.md", "\u{feff}---\ntitle: From front matter\n---\n\nSee [b][ref], [the page](b.html#x) and [pic](img/p.png).\n\n![remote](https://example.org/x.png) ![svg](img/d.svg) ![gone](nope.png)\n\n<img src=\"img/p.png\">\n\n[ref]: ./b.md\n");
        write(
            &s,
            "b.md",
            "Multi-line\nsetext title\n============\n\nBody.\n",
        );
        write(&s, "img/p.png", "PNG");
        write(&s, "img/d.svg", "<svg/>");
        let report = import(&s, dest.path()).unwrap();
        let a = read(dest.path(), "guide/a.md");
        assert!(a.contains("title: From front matter\n"), "{a}");
        assert!(a.contains("[the page](/lessons/guide/b)"), "{a}");
        assert!(a.contains("[pic](/media/guide/img/p.png)"), "{a}");
        assert!(a.contains("[ref]: /lessons/guide/b\n"), "{a}");
        assert!(
            a.contains("\n[remote](https://example.org/x.png) svg gone"),
            "{a}"
        );
        let b = read(dest.path(), "guide/b.md");
        assert!(b.contains("title: Multi-line setext title\n"), "{b}");
        let notes: Vec<String> = report.notes.iter().map(ToString::to_string).collect();
        for expected in [
            "a.md:1: front matter found",
            "a.md:5: link to b.html#x: the imported lesson has no such heading",
            "a.md:7: remote image https://example.org/x.png",
            "a.md:7: image img/d.svg: only png",
            "a.md:7: image nope.png does not exist",
            "a.md:9: relative src=\"img/p.png\" in raw HTML",
        ] {
            assert!(
                notes.iter().any(|n| n.starts_with(expected)),
                "{expected}: {notes:#?}"
            );
        }
        assert_eq!(super::super::load::load(dest.path(), None).problems, vec![]);
    }

    #[test]
    fn includes_anchors_and_ranges() {
        let src = tempfile::tempdir().unwrap();
        let b = src.path();
        write(b, "book.toml", "[book]\ntitle = \"The Book\"\n");
        write(b, "src/SUMMARY.md", "# Summary\n\n- [Ch](ch.md)\n");
        write(
            b,
            "src/code.rs",
            "// ANCHOR: main\nfn main() {}\n// ANCHOR_END: main\nfn other() {}\n",
        );
        write(b, "src/ch.md", "# Ch\n\n```rust\n{{#include code.rs:main}}\n```\n\n```rust\n{{#include code.rs:4}}\n```\n\n\\{{#include code.rs}}\n{{#include nope.rs}}\nKeep `{{#include}}` and {{#toc}}.{{#title X}}\n");
        let mut ctx = Ctx {
            src: b.canonicalize().unwrap(),
            dest: b.to_path_buf(),
            notes: vec![],
            images: HashMap::new(),
            fences_mapped: BTreeMap::new(),
            links: HashMap::new(),
            anchors: None,
        };
        let file = b.join("src/ch.md").canonicalize().unwrap();
        let (text, origins) = ctx.expand_file(&file, &read(b, "src/ch.md"));
        assert_eq!(text, "# Ch\n\n```rust\nfn main() {}\n```\n\n```rust\nfn other() {}\n```\n\n{{#include code.rs}}\n\nKeep `{{#include}}` and {{#toc}}.\n");
        assert_eq!(origins.len(), text.lines().count());
        assert_eq!(origins[3].1, 2, "the included line is line 2 of code.rs");
        assert!(origins[3].0.ends_with("code.rs"));
        assert_eq!(origins[11].1, 12);
        assert_eq!(ctx.notes.len(), 1);
        assert_eq!(
            ctx.notes[0].to_string(),
            "src/ch.md:12: {{#include nope.rs}}: nope.rs does not exist: left out"
        );
    }
}
