//! Full-text search with SQLite FTS5: bm25 ranking (titles weigh more than
//! bodies) and highlighted snippets. The index is rebuilt from the content
//! store whenever content changes; drafts are never indexed.

use sqlx::SqlitePool;

use super::model::{ContentStore, SearchHit};
use super::render::escape;

/// Characters FTS5 puts around matches; replaced by `<mark>` after escaping.
const OPEN: char = '\u{2}';
const CLOSE: char = '\u{3}';
/// Longest query honoured (characters); more is cut, not an error.
pub const MAX_QUERY: usize = 200;

/// Turns what a learner typed into a safe FTS5 query: each word quoted (so
/// FTS operators and quotes in input cannot break the syntax) and
/// prefix-matched. `None` when there is nothing to search for.
pub fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = input
        .chars()
        .take(MAX_QUERY)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Escapes the snippet and turns the match markers into `<mark>`.
pub fn snippet_html(raw: &str) -> String {
    escape(raw)
        .replace(OPEN, "<mark>")
        .replace(CLOSE, "</mark>")
}

/// Replaces the index with the store's published lessons, in one transaction.
pub async fn rebuild(pool: &SqlitePool, store: &ContentStore) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM lessons_fts")
        .execute(&mut *tx)
        .await?;
    for track in &store.tracks {
        for summary in &track.lessons {
            let Some(lesson) = store.lesson(&summary.track, &summary.slug) else {
                continue;
            };
            sqlx::query(
                "INSERT INTO lessons_fts (href, track_title, title, body) VALUES (?, ?, ?, ?)",
            )
            .bind(summary.href())
            .bind(&track.title)
            .bind(&summary.title)
            .bind(format!("{} {}", summary.summary, lesson.text))
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

/// The best matches for `input`, best first.
pub async fn search(
    pool: &SqlitePool,
    input: &str,
    limit: i64,
) -> Result<Vec<SearchHit>, sqlx::Error> {
    let Some(query) = fts_query(input) else {
        return Ok(vec![]);
    };
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT href, track_title, title,
                snippet(lessons_fts, 3, char(2), char(3), '…', 16)
         FROM lessons_fts
         WHERE lessons_fts MATCH ?
         ORDER BY bm25(lessons_fts, 0.0, 0.0, 10.0, 1.0)
         LIMIT ?",
    )
    .bind(query)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(href, track_title, title, snippet)| SearchHit {
            href,
            title,
            track_title,
            snippet: crate::common::html::SafeHtml::from_sanitized(snippet_html(&snippet)),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_quoted_prefix_terms() {
        assert_eq!(
            fts_query("database index").unwrap(),
            r#""database"* "index"*"#
        );
        assert_eq!(
            fts_query(r#"NEAR(" OR x*"#).unwrap(),
            r#""near"* "or"* "x"*"#
        );
        assert_eq!(fts_query("  ... "), None);
        assert_eq!(fts_query(""), None);
    }

    #[test]
    fn snippets_are_escaped_except_marks() {
        let raw = format!("a <b> {OPEN}match{CLOSE} & c");
        assert_eq!(snippet_html(&raw), "a &lt;b&gt; <mark>match</mark> &amp; c");
    }
}
