//! The curriculum as plain data: tracks, lessons, problems found while
//! loading, and the in-memory store pages read from. Pure types shared by
//! both builds; loading and rendering live in `load` / `render` (server).

use std::{collections::HashMap, fmt, sync::Arc};

use serde::{Deserialize, Serialize};

use crate::common::html::SafeHtml;

/// A lesson as lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonSummary {
    /// Stable id from front matter: progress is keyed on it, not the path.
    pub id: String,
    pub track: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub order: u32,
    pub minutes: u32,
    pub tags: Vec<String>,
    pub draft: bool,
    pub kind: LessonKind,
}

/// What a content file is: a lesson, or a track's project brief.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LessonKind {
    #[default]
    Lesson,
    Project,
}

impl LessonSummary {
    pub fn href(&self) -> String {
        format!("/lessons/{}/{}", self.track, self.slug)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Track {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub order: u32,
    /// Published lessons in reading order (drafts are kept out of lists).
    pub lessons: Vec<LessonSummary>,
}

/// One entry of a lesson's table of contents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A fully rendered lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub meta: LessonSummary,
    pub objectives: Vec<String>,
    pub toc: Vec<TocEntry>,
    pub html: SafeHtml,
    /// Body as plain text, for the search index; empty once indexed (see
    /// `store::without_search_text`). A lesson kept at its last good
    /// version while its file is broken is indexed without its body until
    /// the file is fixed.
    pub text: String,
    /// The GIFT quiz source of the lesson and the line it starts on.
    pub quiz_source: Option<(String, usize)>,
    /// The parsed quiz (with its answer key: never sent to the browser).
    pub quiz: Option<crate::quiz::model::Quiz>,
    /// Hands-on exercises written in the lesson (with their solutions:
    /// never sent to the browser as they are).
    pub exercises: Vec<crate::labs::model::Exercise>,
    /// Completion needs every exercise solved (front matter).
    pub requires_exercises: bool,
    /// Every id in `html` (headings, footnotes, authors' `user-content-`
    /// ids), for checking `#fragment` links into this lesson.
    pub anchors: Vec<String>,
    /// The quiz's reveal policy, attempts and pass mark (front matter).
    pub quiz_rules: crate::quiz::model::QuizRules,
    /// Path relative to the content root, for messages and the editor.
    pub source: String,
}

impl Lesson {
    pub fn exercise(&self, id: &str) -> Option<&crate::labs::model::Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }
}

/// Something wrong in the content, pointing at `file:line`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Everything loaded from `content/`, swapped whole when content changes.
#[derive(Clone, Debug, Default)]
pub struct ContentStore {
    pub tracks: Vec<Track>,
    pub lessons: HashMap<(String, String), Arc<Lesson>>,
    pub problems: Vec<Problem>,
    /// The salary dataset (`salaries.csv`).
    pub salaries: Vec<crate::salaries::model::SalaryRow>,
    /// Exercise datasets (`datasets/`) as seed SQL, by name.
    pub datasets: HashMap<String, Arc<str>>,
    /// Translated lessons, by (track, slug, language): same id, progress
    /// and quiz attempts as the original (see `load`).
    pub translations: HashMap<(String, String, crate::i18n::Lang), Arc<Lesson>>,
    /// Translated track titles and summaries (`track.<lang>.toml`).
    pub track_texts: HashMap<(String, crate::i18n::Lang), (String, String)>,
    /// A digest of the files this store was loaded from (see
    /// `load::load`): caches key on it, and instances serving the same
    /// files agree on it, so it names the same content everywhere.
    pub version: u64,
}

impl ContentStore {
    pub fn lesson(&self, track: &str, slug: &str) -> Option<&Arc<Lesson>> {
        self.lessons.get(&(track.to_string(), slug.to_string()))
    }

    pub fn track(&self, slug: &str) -> Option<&Track> {
        self.tracks.iter().find(|t| t.slug == slug)
    }

    /// The lesson as a reader of `lang` sees it, and the language it is in:
    /// the translation when there is one, else the original (English).
    pub fn lesson_in(
        &self,
        track: &str,
        slug: &str,
        lang: crate::i18n::Lang,
    ) -> Option<(&Arc<Lesson>, crate::i18n::Lang)> {
        if lang != crate::i18n::Lang::En {
            if let Some(t) = self
                .translations
                .get(&(track.to_string(), slug.to_string(), lang))
            {
                return Some((t, lang));
            }
        }
        self.lesson(track, slug).map(|l| (l, crate::i18n::Lang::En))
    }

    /// A lesson's list entry in `lang` (title and summary translated when
    /// the lesson is).
    pub fn summary_in(&self, s: &LessonSummary, lang: crate::i18n::Lang) -> LessonSummary {
        if lang == crate::i18n::Lang::En {
            return s.clone();
        }
        match self
            .translations
            .get(&(s.track.clone(), s.slug.clone(), lang))
        {
            Some(t) => t.meta.clone(),
            None => s.clone(),
        }
    }

    /// A track as a reader of `lang` sees it: title, summary and lesson
    /// entries translated where translations exist.
    pub fn track_in(&self, track: &Track, lang: crate::i18n::Lang) -> Track {
        if lang == crate::i18n::Lang::En {
            return track.clone();
        }
        let (title, summary) = self
            .track_texts
            .get(&(track.slug.clone(), lang))
            .cloned()
            .unwrap_or_else(|| (track.title.clone(), track.summary.clone()));
        Track {
            slug: track.slug.clone(),
            title,
            summary,
            order: track.order,
            lessons: track
                .lessons
                .iter()
                .map(|l| self.summary_in(l, lang))
                .collect(),
        }
    }

    /// Every track in `lang`, in reading order.
    pub fn tracks_in(&self, lang: crate::i18n::Lang) -> Vec<Track> {
        self.tracks.iter().map(|t| self.track_in(t, lang)).collect()
    }

    /// Published lessons across the whole curriculum, in reading order.
    pub fn reading_order(&self) -> impl Iterator<Item = &LessonSummary> {
        self.tracks.iter().flat_map(|t| t.lessons.iter())
    }

    pub fn lesson_count(&self) -> usize {
        self.reading_order().count()
    }

    /// The lessons before and after this one in reading order (crossing tracks).
    pub fn neighbours(
        &self,
        track: &str,
        slug: &str,
    ) -> (Option<&LessonSummary>, Option<&LessonSummary>) {
        let all: Vec<&LessonSummary> = self.reading_order().collect();
        match all.iter().position(|l| l.track == track && l.slug == slug) {
            Some(i) => (i.checked_sub(1).map(|p| all[p]), all.get(i + 1).copied()),
            None => (None, None),
        }
    }
}

/// One page of search results, with the true number of matches.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Lessons matching in all (not only on this page).
    pub total: u32,
    /// 1-based page shown, and how many pages there are.
    pub page: u32,
    pub pages: u32,
    /// The query searched instead when no lesson matched what was typed
    /// ("databse" → "database").
    pub corrected: Option<String>,
    /// A sentence when the search could not run as asked (too broad).
    pub note: Option<String>,
}

/// A search result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub href: String,
    pub title: String,
    pub track_title: String,
    /// Escaped text with `<mark>` around matches; built by the search module.
    pub snippet: SafeHtml,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(track: &str, slug: &str) -> LessonSummary {
        LessonSummary {
            id: format!("{track}-{slug}"),
            track: track.into(),
            slug: slug.into(),
            title: slug.into(),
            summary: String::new(),
            order: 0,
            minutes: 5,
            tags: vec![],
            draft: false,
            kind: Default::default(),
        }
    }

    #[test]
    fn neighbours_cross_tracks() {
        let store = ContentStore {
            tracks: vec![
                Track {
                    slug: "a".into(),
                    title: "A".into(),
                    summary: String::new(),
                    order: 1,
                    lessons: vec![summary("a", "one"), summary("a", "two")],
                },
                Track {
                    slug: "b".into(),
                    title: "B".into(),
                    summary: String::new(),
                    order: 2,
                    lessons: vec![summary("b", "three")],
                },
            ],
            ..Default::default()
        };
        let (prev, next) = store.neighbours("a", "two");
        assert_eq!(prev.unwrap().slug, "one");
        assert_eq!(next.unwrap().slug, "three");
        let (prev, next) = store.neighbours("a", "one");
        assert!(prev.is_none());
        assert_eq!(next.unwrap().slug, "two");
        assert_eq!(store.neighbours("b", "three").1, None);
        assert_eq!(store.neighbours("x", "y"), (None, None));
        assert_eq!(store.lesson_count(), 3);
    }
}
