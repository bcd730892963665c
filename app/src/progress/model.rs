//! Progress and cohorts as plain data, and the pure calculations behind the
//! dashboards (percentages, the activity heatmap, the cohort matrix, CSV
//! cell safety). Unit tested here; the database lives in `db`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Cohort {
    pub id: i64,
    pub name: String,
    pub invite_code: String,
    pub owner_id: i64,
}

/// "3 of 8" for one track (or overall when `slug` is empty).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackProgress {
    pub slug: String,
    pub title: String,
    pub done: u32,
    pub total: u32,
}

impl TrackProgress {
    pub fn percent(&self) -> u32 {
        percent(self.done, self.total)
    }
}

/// Whole percent, rounded down so 99.6 % never shows as 100 %.
pub fn percent(done: u32, total: u32) -> u32 {
    (done.min(total) * 100).checked_div(total).unwrap_or(0)
}

/// A learner's status on one lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    NotStarted,
    Visited,
    Done,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::Visited => "visited",
            Status::Done => "done",
        }
    }
}

/// One day cell of the activity heatmap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayCell {
    /// `YYYY-MM-DD`
    pub date: String,
    pub active: bool,
}

/// Lays out `weeks` weeks ending with the week of `today` (days since the
/// Unix epoch, UTC), Monday first, as columns of 7. Days after today are
/// left out of the last column.
pub fn heatmap_days(today: i64, weeks: i64) -> Vec<i64> {
    // 1970-01-01 was a Thursday: weekday index with Monday = 0.
    let weekday = (today + 3).rem_euclid(7);
    let start = today - weekday - 7 * (weeks - 1);
    (start..=today).collect()
}

/// Everything `/dashboard` shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DashboardData {
    pub name: String,
    pub overall: TrackProgress,
    pub tracks: Vec<TrackProgress>,
    /// The lesson to continue with: (title, href).
    pub resume: Option<(String, String)>,
    pub heatmap: Vec<DayCell>,
    pub active_days: u32,
    pub cohorts: Vec<String>,
    pub quiz_scores: Vec<QuizScore>,
    /// Exercises solved and in all, and per lesson with any solved.
    pub exercises: TrackProgress,
    /// Per track with exercises: solved of all.
    pub exercise_tracks: Vec<TrackProgress>,
    pub practice: Vec<QuizScore>,
}

/// A learner's best result on one lesson's quiz.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuizScore {
    pub title: String,
    pub href: String,
    pub best: u32,
    pub attempts: u32,
}

/// A cohort with its number of learners.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CohortSummary {
    #[cfg_attr(feature = "ssr", sqlx(flatten))]
    pub cohort: Cohort,
    pub members: i64,
}

/// A lesson column of the cohort matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonColumn {
    pub id: String,
    pub title: String,
    pub href: String,
}

/// One learner's row in the instructor's matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LearnerRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// Per lesson, in the matrix's lesson order: status and best quiz percent.
    pub cells: Vec<(Status, Option<u32>)>,
    pub done: u32,
    /// Exercises solved, across the curriculum.
    pub exercises: u32,
    /// Days since the last activity; `None` if never active.
    pub idle_days: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortMatrix {
    pub cohort: Cohort,
    pub lessons: Vec<LessonColumn>,
    /// Exercises in the curriculum (the learners' column is out of this).
    pub exercise_total: u32,
    pub learners: Vec<LearnerRow>,
    /// Per lesson: percent of learners who completed it.
    pub completion: Vec<u32>,
}

/// Sort orders of the matrix (a query parameter, so it works without JS).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Name,
    Progress,
    Idle,
}

impl SortBy {
    pub fn parse(s: &str) -> SortBy {
        match s {
            "progress" => SortBy::Progress,
            "idle" => SortBy::Idle,
            _ => SortBy::Name,
        }
    }
}

pub fn sort_learners(rows: &mut [LearnerRow], by: SortBy) {
    match by {
        SortBy::Name => rows.sort_by_key(|r| r.name.to_lowercase()),
        SortBy::Progress => rows.sort_by(|a, b| b.done.cmp(&a.done).then(a.name.cmp(&b.name))),
        // Longest idle first; never-active learners first of all.
        SortBy::Idle => rows.sort_by(|a, b| {
            b.idle_days
                .unwrap_or(i64::MAX)
                .cmp(&a.idle_days.unwrap_or(i64::MAX))
                .then(a.name.cmp(&b.name))
        }),
    }
}

/// Percent of rows whose cell `i` is done.
pub fn completion_rates(rows: &[LearnerRow], lessons: usize) -> Vec<u32> {
    (0..lessons)
        .map(|i| {
            let done = rows
                .iter()
                .filter(|r| r.cells.get(i).is_some_and(|c| c.0 == Status::Done))
                .count();
            percent(done as u32, rows.len() as u32)
        })
        .collect()
}

/// Characters that make a spreadsheet read a cell as a formula when they
/// come first (OWASP CSV injection).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Where a spreadsheet may start a new cell inside one CSV field: a
/// semicolon or comma (locales and import dialogs that use them as the
/// delimiter, some ignoring quotes), a tab (TSV import) and line breaks.
const SPLIT_AT: [char; 5] = [';', ',', '\t', '\n', '\r'];

/// Neutralises spreadsheet formulas: every piece of the cell a spreadsheet
/// might read as a cell of its own (the whole cell, and each piece after a
/// [`SPLIT_AT`] character) that starts, after spaces, with `= + - @`, a tab
/// or a carriage return gets an apostrophe in front. Checking only the
/// first character let `Ada;=HYPERLINK(…)` through to semicolon-delimited
/// spreadsheets. The CSV writer quotes every field as well.
pub fn csv_safe(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len() + 2);
    let mut piece_start = true;
    for (i, c) in cell.char_indices() {
        if piece_start && cell[i..].trim_start_matches(' ').starts_with(FORMULA_START) {
            out.push('\'');
        }
        out.push(c);
        piece_start = SPLIT_AT.contains(&c);
    }
    out
}

/// A random invite code: 8 characters without look-alikes (no 0/O, 1/I).
pub fn invite_code(random: impl FnMut() -> u32) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut random = random;
    (0..8)
        .map(|_| ALPHABET[(random() as usize) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_down_and_survive_zero() {
        assert_eq!(percent(3, 8), 37);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(199, 200), 99);
        assert_eq!(percent(9, 8), 100);
    }

    #[test]
    fn heatmap_starts_on_a_monday_and_ends_today() {
        // 2026-11-29 is a Sunday: 20,786 days after 1970-01-01.
        let today = 20_786;
        let days = heatmap_days(today, 12);
        assert_eq!(*days.last().unwrap(), today);
        assert_eq!(days.len(), 84);
        assert_eq!((days[0] + 3).rem_euclid(7), 0, "first day is a Monday");
        // On a Wednesday, the last column has three days.
        assert_eq!(heatmap_days(today - 4, 12).len(), 77 + 3);
    }

    fn row(name: &str, done: u32, idle: Option<i64>, cells: Vec<Status>) -> LearnerRow {
        LearnerRow {
            user_id: 0,
            name: name.into(),
            email: String::new(),
            cells: cells.into_iter().map(|s| (s, None)).collect(),
            done,
            exercises: 0,
            idle_days: idle,
        }
    }

    #[test]
    fn matrix_sorts_and_rates() {
        let mut rows = vec![
            row("bo", 1, Some(3), vec![Status::Done, Status::Visited]),
            row("Ada", 2, Some(0), vec![Status::Done, Status::Done]),
            row("cy", 0, None, vec![Status::NotStarted, Status::NotStarted]),
        ];
        sort_learners(&mut rows, SortBy::Name);
        assert_eq!(
            rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["Ada", "bo", "cy"]
        );
        sort_learners(&mut rows, SortBy::Progress);
        assert_eq!(rows[0].name, "Ada");
        sort_learners(&mut rows, SortBy::Idle);
        assert_eq!(
            rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["cy", "bo", "Ada"]
        );
        assert_eq!(completion_rates(&rows, 2), vec![66, 33]);
        assert_eq!(SortBy::parse("idle"), SortBy::Idle);
        assert_eq!(SortBy::parse("<script>"), SortBy::Name);
    }

    #[test]
    fn csv_cells_cannot_be_formulas() {
        // A tab starts a formula and a new TSV cell: both get one.
        for (cell, safe) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("Ada", "Ada"),
            ("", ""),
            ("\t=1", "'\t'=1"),
            ("  =1", "'  =1"),
            ("Ada - Lovelace", "Ada - Lovelace"),
        ] {
            assert_eq!(csv_safe(cell), safe, "{cell:?}");
        }
    }

    #[test]
    fn formulas_after_a_separator_are_neutralised_too() {
        assert_eq!(
            csv_safe("Ada;=HYPERLINK(\"http://evil.example\")"),
            "Ada;'=HYPERLINK(\"http://evil.example\")"
        );
        assert_eq!(csv_safe("a; @SUM(1),-2"), "a;' @SUM(1),'-2");
        assert_eq!(csv_safe("a\t=1\n+2"), "a\t'=1\n'+2");
        assert_eq!(csv_safe(";;"), ";;");
        assert_eq!(csv_safe("=;="), "'=;'=");
        // Every piece a splitting reader could see starts harmlessly.
        for cell in ["x;=1", "x,=1", "x\t-1", "x\r\n@1", "=a;+b,-c\t@d", "é;=1"] {
            let safe = csv_safe(cell);
            for piece in std::iter::once(safe.as_str()).chain(safe.split(SPLIT_AT)) {
                assert!(
                    !piece.trim_start_matches(' ').starts_with(FORMULA_START),
                    "{piece:?} of {safe:?}"
                );
            }
            assert_eq!(safe.replace('\'', ""), cell);
        }
    }

    #[test]
    fn invite_codes_use_the_unambiguous_alphabet() {
        let mut n = 0;
        let code = invite_code(|| {
            n += 7;
            n
        });
        assert_eq!(code.len(), 8);
        assert!(code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        assert!(!code.contains(['0', 'O', '1', 'I']));
    }
}

/// A learner's state on one track's page: completed lesson ids, and solved
/// exercises per lesson id (both empty for a visitor).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrackStatus {
    pub done: Vec<String>,
    pub solved: Vec<(String, crate::labs::model::Solved)>,
}
