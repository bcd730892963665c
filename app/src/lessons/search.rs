//! Full-text search with SQLite FTS5: bm25 ranking (titles weigh more than
//! bodies), highlighted snippets, true totals with pages, and a typo
//! tolerated. The index is rebuilt from the content store whenever content
//! changes; drafts are never indexed.
//!
//! Cost is bounded for any input: terms are de-duplicated and capped,
//! a one-letter term is matched whole (a one-letter prefix matches most of
//! the vocabulary), and every query runs under a time budget (a progress
//! handler interrupts it).

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use sqlx::SqlitePool;

use super::model::{ContentStore, SearchHit, SearchResults};
use crate::i18n::Lang;
use super::render::escape;

/// Characters FTS5 puts around matches; replaced by `<mark>` after escaping.
const OPEN: char = '\u{2}';
const CLOSE: char = '\u{3}';
/// Longest query honoured (characters); more is cut, not an error.
pub const MAX_QUERY: usize = 200;
/// Distinct terms honoured.
const MAX_TERMS: usize = 8;
/// Results per page.
pub const PAGE: u32 = 20;
/// Work one search may do before it is interrupted: a safety net far above
/// what a shaped query takes (the bench measures p99 on 10,000 lessons), so
/// a busy machine does not cut ordinary searches.
pub const BUDGET: Duration = Duration::from_millis(200);

/// The distinct words of the indexed text with how many lessons use them:
/// the dictionary a mistyped word is corrected against.
pub type Vocabulary = Arc<RwLock<HashMap<String, u32>>>;

/// The terms of what a learner typed: lowercased words, each once.
fn terms(input: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in input
        .chars()
        .take(MAX_QUERY)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = w.to_lowercase();
        if !out.contains(&w) {
            out.push(w);
        }
        if out.len() == MAX_TERMS {
            break;
        }
    }
    out
}

/// Turns what a learner typed into a safe FTS5 query: each distinct word
/// quoted (so FTS operators and quotes in input cannot break the syntax),
/// prefix-matched from two characters on. `None` when there is nothing to
/// search for.
pub fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = terms(input)
        .into_iter()
        .map(|w| {
            if w.chars().count() >= 2 {
                format!("\"{w}\"*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Escapes the snippet and turns the match markers into `<mark>`.
pub fn snippet_html(raw: &str) -> String {
    escape(raw)
        .replace(OPEN, "<mark>")
        .replace(CLOSE, "</mark>")
}

/// Replaces the index with the store's published lessons, in one
/// transaction, and refills `vocabulary`.
pub async fn rebuild(
    pool: &SqlitePool,
    store: &ContentStore,
    vocabulary: &Vocabulary,
) -> Result<(), sqlx::Error> {
    let mut words: HashMap<String, u32> = HashMap::new();
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM lessons_fts")
        .execute(&mut *tx)
        .await?;
    // One row per original, serving English readers and the readers of
    // every language it is not translated into (they read it in English,
    // with a notice); one row per translation, serving its language.
    let others: Vec<Lang> = Lang::ALL.into_iter().filter(|l| *l != Lang::En).collect();
    for track in &store.tracks {
        for summary in &track.lessons {
            let Some(lesson) = store.lesson(&summary.track, &summary.slug) else {
                continue;
            };
            // (lesson, its track's title, the languages the row serves)
            let mut langs = vec![Lang::En.code()];
            let mut rows = Vec::new();
            for lang in &others {
                match store
                    .translations
                    .get(&(summary.track.clone(), summary.slug.clone(), *lang))
                {
                    Some(t) => rows.push((
                        t.clone(),
                        store.track_in(track, *lang).title,
                        lang.code().to_string(),
                    )),
                    None => langs.push(lang.code()),
                }
            }
            rows.push((lesson.clone(), track.title.clone(), langs.join(" ")));
            for (lesson, track_title, serves) in rows {
                let meta = &lesson.meta;
                let body = format!("{} {}", meta.summary, lesson.text);
                let mut seen = std::collections::HashSet::new();
                for w in format!("{} {body}", meta.title)
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.chars().count() >= 3 && w.chars().count() <= 30)
                {
                    let w = w.to_lowercase();
                    if seen.insert(w.clone()) {
                        *words.entry(w).or_default() += 1;
                    }
                }
                sqlx::query(
                    "INSERT INTO lessons_fts (href, track_title, title, body, langs) VALUES (?, ?, ?, ?, ?)",
                )
                .bind(summary.href())
                .bind(track_title)
                .bind(&meta.title)
                .bind(body)
                .bind(serves)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    match vocabulary.write() {
        Ok(mut v) => *v = words,
        Err(poisoned) => *poisoned.into_inner() = words,
    }
    Ok(())
}

/// Page `page` of the matches for `input`, best first. When nothing
/// matches and a word looks mistyped, searches the corrected words instead.
pub async fn search(
    pool: &SqlitePool,
    vocabulary: &Vocabulary,
    input: &str,
    page: u32,
    lang: Lang,
) -> Result<SearchResults, sqlx::Error> {
    let Some(query) = fts_query(input) else {
        return Ok(SearchResults::default());
    };
    let first = run(pool, &query, page, lang).await?;
    if first.total > 0 || first.note.is_some() {
        return Ok(first);
    }
    let Some(corrected) = correct(vocabulary, input) else {
        return Ok(first);
    };
    let Some(query) = fts_query(&corrected) else {
        return Ok(first);
    };
    let mut second = run(pool, &query, page, lang).await?;
    if second.total > 0 {
        second.corrected = Some(corrected);
        return Ok(second);
    }
    Ok(first)
}

/// One query under the time budget: the total, then one page of hits.
async fn run(
    pool: &SqlitePool,
    query: &str,
    page: u32,
    lang: Lang,
) -> Result<SearchResults, sqlx::Error> {
    // The rows serving this reader's language (see `rebuild`).
    let serves = format!("% {} %", lang.code());
    let mut conn = pool.acquire().await?;
    let deadline = Instant::now() + BUDGET;
    conn.lock_handle()
        .await?
        .set_progress_handler(1_000, move || Instant::now() < deadline);
    let result = async {
        let total: i64 =
            sqlx::query_scalar(
                "SELECT count(*) FROM lessons_fts WHERE lessons_fts MATCH ? AND ' ' || langs || ' ' LIKE ?",
            )
            .bind(query)
            .bind(&serves)
                .fetch_one(&mut *conn)
                .await?;
        let total = total.max(0) as u32;
        let pages = total.div_ceil(PAGE).max(1);
        let page = page.clamp(1, pages);
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT href, track_title, title,
                    snippet(lessons_fts, 3, char(2), char(3), '…', 16)
             FROM lessons_fts
             WHERE lessons_fts MATCH ? AND ' ' || langs || ' ' LIKE ?
             ORDER BY bm25(lessons_fts, 0.0, 0.0, 10.0, 1.0, 0.0)
             LIMIT ? OFFSET ?",
        )
        .bind(query)
        .bind(&serves)
        .bind(i64::from(PAGE))
        .bind(i64::from((page - 1) * PAGE))
        .fetch_all(&mut *conn)
        .await?;
        Ok::<_, sqlx::Error>(SearchResults {
            hits: rows
                .into_iter()
                .map(|(href, track_title, title, snippet)| SearchHit {
                    href,
                    title,
                    track_title,
                    snippet: crate::common::html::SafeHtml::from_sanitized(snippet_html(&snippet)),
                })
                .collect(),
            total,
            page,
            pages,
            corrected: None,
            note: None,
        })
    }
    .await;
    if let Ok(mut handle) = conn.lock_handle().await {
        handle.remove_progress_handler();
    }
    match result {
        Err(sqlx::Error::Database(e)) if e.message().contains("interrupt") => {
            tracing::info!(query, "search stopped at its time budget");
            Ok(SearchResults {
                note: Some(
                    "That search is too broad to finish quickly. Add or lengthen a word.".into(),
                ),
                ..Default::default()
            })
        }
        other => other,
    }
}

/// `input` with each word the index does not know replaced by the closest
/// word it does (edit distance ≤ 2, the most used on a tie); `None` when
/// nothing was replaced.
pub fn correct(vocabulary: &Vocabulary, input: &str) -> Option<String> {
    let words = vocabulary.read().ok()?;
    let mut changed = false;
    let fixed: Vec<String> = terms(input)
        .into_iter()
        .map(|t| {
            if t.chars().count() < 4 || words.contains_key(&t) {
                return t;
            }
            let best = words
                .iter()
                .filter(|(w, _)| w.len().abs_diff(t.len()) <= 2)
                .filter_map(|(w, n)| {
                    let d = distance(&t, w);
                    (d <= 2).then_some((d, std::cmp::Reverse(*n), w))
                })
                .min();
            match best {
                Some((_, _, w)) => {
                    changed = true;
                    w.clone()
                }
                None => t,
            }
        })
        .collect();
    changed.then(|| fixed.join(" "))
}

/// Damerau–Levenshtein (optimal string alignment) distance: a swapped
/// pair of letters counts as one typo.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_quoted_distinct_prefix_terms() {
        assert_eq!(
            fts_query("database index").unwrap(),
            r#""database"* "index"*"#
        );
        assert_eq!(
            fts_query(r#"NEAR(" OR x*"#).unwrap(),
            r#""near"* "or"* "x""#
        );
        assert_eq!(fts_query("a a a a a a a a a a a").unwrap(), r#""a""#);
        assert_eq!(fts_query("  ... "), None);
        assert_eq!(fts_query(""), None);
        let many = (0..30).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        assert_eq!(fts_query(&many).unwrap().matches('"').count(), MAX_TERMS * 2);
    }

    #[test]
    fn snippets_are_escaped_except_marks() {
        let raw = format!("a <b> {OPEN}match{CLOSE} & c");
        assert_eq!(snippet_html(&raw), "a &lt;b&gt; <mark>match</mark> &amp; c");
    }

    #[test]
    fn a_typo_is_corrected_against_the_vocabulary() {
        let vocabulary: Vocabulary = Arc::default();
        vocabulary.write().unwrap().extend([
            ("database".to_string(), 9),
            ("databases".to_string(), 3),
            ("index".to_string(), 5),
        ]);
        assert_eq!(correct(&vocabulary, "databse index").as_deref(), Some("database index"));
        assert_eq!(correct(&vocabulary, "dtaabase").as_deref(), Some("database"));
        assert_eq!(correct(&vocabulary, "database"), None);
        assert_eq!(correct(&vocabulary, "zebra"), None);
        assert_eq!(distance("databse", "database"), 1);
        assert_eq!(distance("ab", "ba"), 1);
    }
}
