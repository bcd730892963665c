//! Composes the dashboards from the database and the content store.

use std::collections::HashSet;

use super::{
    db,
    model::{
        completion_rates, heatmap_days, sort_learners, Cohort, CohortMatrix, CohortSummary,
        DashboardData, DayCell, LearnerRow, LessonColumn, QuizScore, SortBy, Status, TrackProgress,
    },
};
use crate::{
    auth::model::User,
    common::time::{date_of_day, iso_time},
    error::AppError,
    lessons::model::ContentStore,
    state::AppState,
};

/// The address of the published lesson `lesson_id` names, or a 400: only
/// lessons of the current content can be marked.
pub fn lesson_href(state: &AppState, lesson_id: &str) -> Result<String, AppError> {
    state
        .content
        .get()
        .reading_order()
        .find(|l| l.id == lesson_id)
        .map(|l| l.href())
        .ok_or_else(|| AppError::BadRequest("There is no such lesson.".into()))
}

/// Marks `lesson_id` complete (or not) for `user`, durably (through the
/// group-commit writer); returns the lesson's address.
pub async fn set_complete(
    state: &AppState,
    user: &User,
    lesson_id: &str,
    done: bool,
) -> Result<String, AppError> {
    let href = lesson_href(state, lesson_id)?;
    if done {
        crate::labs::service::completion_allowed(state, user.id, lesson_id)
            .await?
            .map_err(AppError::Conflict)?;
    }
    state
        .progress
        .set_complete(user.id, lesson_id, done)
        .await?;
    Ok(href)
}

/// `user`'s completed lessons and solved exercises, for a track's page.
pub async fn track_status(
    state: &AppState,
    user: &User,
) -> Result<super::model::TrackStatus, AppError> {
    let done = state.progress.completed(user.id).await?;
    let solved = crate::labs::service::solved_by_lesson(state, user).await?;
    Ok(super::model::TrackStatus {
        done: done.iter().cloned().collect(),
        solved: solved.into_iter().collect(),
    })
}

/// The completed lesson ids of `user` (none for a visitor).
pub async fn completed(
    state: &AppState,
    user: Option<&User>,
) -> Result<std::sync::Arc<HashSet<String>>, AppError> {
    match user {
        Some(user) => Ok(state.progress.completed(user.id).await?),
        None => Ok(Default::default()),
    }
}

/// The cohort an invite code opens, or a 400 that says so. The one home of
/// this check and its sentence (joining from the account page and
/// registering with a code both use it).
pub async fn cohort_by_invite(state: &AppState, code: &str) -> Result<Cohort, AppError> {
    db::cohort_by_code(&state.pool, code.trim())
        .await?
        .ok_or_else(|| {
            AppError::BadRequest(
                "That invite code is not valid. Check it with your instructor.".into(),
            )
        })
}

/// Adds `user` to the cohort of an invite code (joining twice is once).
pub async fn join_cohort(state: &AppState, user: &User, code: &str) -> Result<(), AppError> {
    let cohort = cohort_by_invite(state, code).await?;
    db::join_cohort(&state.pool, cohort.id, user.id).await?;
    tracing::info!(user_id = user.id, cohort = cohort.id, "joined cohort");
    Ok(())
}

/// Creates a cohort owned by `user` (an instructor or admin).
pub async fn create_cohort(state: &AppState, user: &User, name: &str) -> Result<i64, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "Give the cohort a name of 1 to 100 characters.".into(),
        ));
    }
    let cohort = db::create_cohort(&state.pool, name, user.id).await?;
    tracing::info!(owner = user.id, cohort = cohort.id, "cohort created");
    Ok(cohort.id)
}

/// The caller's cohorts with member counts (instructors: their own;
/// admins: all).
pub async fn cohorts(state: &AppState, user: &User) -> Result<Vec<CohortSummary>, AppError> {
    Ok(db::cohorts_for(&state.pool, user).await?)
}

/// Weeks shown in the activity heatmap.
pub const HEATMAP_WEEKS: i64 = 12;

/// Per-track and overall progress from a set of completed lesson ids.
/// Deleted lessons' ids are simply not counted (their rows are kept).
pub fn track_progress(
    store: &ContentStore,
    done: &HashSet<String>,
) -> (TrackProgress, Vec<TrackProgress>) {
    let tracks: Vec<TrackProgress> = store
        .tracks
        .iter()
        .map(|t| TrackProgress {
            slug: t.slug.clone(),
            title: t.title.clone(),
            done: t.lessons.iter().filter(|l| done.contains(&l.id)).count() as u32,
            total: t.lessons.len() as u32,
        })
        .collect();
    let overall = TrackProgress {
        slug: String::new(),
        title: "All lessons".into(),
        done: tracks.iter().map(|t| t.done).sum(),
        total: tracks.iter().map(|t| t.total).sum(),
    };
    (overall, tracks)
}

/// The lesson to continue with: the most recently visited one if it is not
/// done, else the first lesson after it in reading order that is not done.
pub fn resume_lesson(
    store: &ContentStore,
    recent: &[String],
    done: &HashSet<String>,
) -> Option<(String, String)> {
    let order: Vec<_> = store.reading_order().collect();
    let last = recent
        .iter()
        .find_map(|id| order.iter().position(|l| &l.id == id));
    let start = last.unwrap_or(0);
    order[start..]
        .iter()
        .chain(order[..start].iter())
        .find(|l| !done.contains(&l.id))
        .map(|l| (l.title.clone(), l.href()))
}

pub async fn dashboard(state: &AppState, user: &User) -> Result<DashboardData, AppError> {
    // The tracks with titles in the reader's language (ids and order are
    // the originals'): all the dashboard reads of the content.
    let store = ContentStore {
        tracks: state.content.get().tracks_in(crate::i18n::Lang::current()),
        ..ContentStore::default()
    };
    let done = state.progress.completed(user.id).await?;
    let recent = db::recent_lessons(&state.pool, user.id).await?;
    let days = heatmap_days(crate::common::time::today(), HEATMAP_WEEKS);
    let since = date_of_day(days[0]);
    let active = db::active_days(&state.pool, user.id, &since).await?;
    let heatmap: Vec<DayCell> = days
        .iter()
        .map(|d| {
            let date = date_of_day(*d);
            DayCell {
                active: active.contains(&date),
                date,
            }
        })
        .collect();
    let (overall, tracks) = track_progress(&store, &done);
    let quiz_scores = crate::quiz::db::best_scores_of(&state.pool, user.id)
        .await?
        .into_iter()
        .filter_map(|row| {
            store
                .reading_order()
                .find(|l| l.id == row.lesson_id)
                .map(|l| QuizScore {
                    title: l.title.clone(),
                    href: l.href(),
                    best: row.best.clamp(0, 100) as u32,
                    attempts: row.attempts.max(0) as u32,
                })
        })
        .collect();
    let solved = crate::labs::service::solved_by_lesson(state, user).await?;
    let practice = store
        .reading_order()
        .filter_map(|l| {
            let s = solved.get(&l.id).filter(|s| s.solved > 0)?;
            Some(QuizScore {
                title: l.title.clone(),
                href: l.href(),
                best: s.solved,
                attempts: s.total,
            })
        })
        .collect();
    let exercise_tracks = store
        .tracks
        .iter()
        .map(|t| {
            let (done, total) = t
                .lessons
                .iter()
                .filter_map(|l| solved.get(&l.id))
                .fold((0, 0), |(d, n), s| (d + s.solved, n + s.total));
            TrackProgress {
                slug: t.slug.clone(),
                title: t.title.clone(),
                done,
                total,
            }
        })
        .filter(|t| t.total > 0)
        .collect();
    let exercises = TrackProgress {
        slug: String::new(),
        title: "Exercises solved".into(),
        done: solved.values().map(|s| s.solved).sum(),
        total: solved.values().map(|s| s.total).sum(),
    };
    Ok(DashboardData {
        exercises,
        exercise_tracks,
        practice,
        name: user.display_name.clone(),
        resume: resume_lesson(&store, &recent, &done),
        active_days: heatmap.iter().filter(|c| c.active).count() as u32,
        heatmap,
        overall,
        tracks,
        cohorts: db::cohort_names_of(&state.pool, user.id).await?,
        quiz_scores,
    })
}

/// The cohort if `user` (a teacher: the callers checked `Access::Teacher`)
/// may see it: its owner, or an admin. Anyone else gets "not found", so
/// cohort ids reveal nothing.
pub async fn visible_cohort(state: &AppState, user: &User, id: i64) -> Result<Cohort, AppError> {
    let not_found = || AppError::NotFound("There is no such cohort.".into());
    let cohort = db::cohort_by_id(&state.pool, id)
        .await?
        .ok_or_else(not_found)?;
    if cohort.owner_id == user.id || user.role.is_admin() {
        Ok(cohort)
    } else {
        Err(not_found())
    }
}

/// What the cohort matrix and the CSV export are both made of, read once:
/// the lessons in reading order, the learners, their progress rows and
/// best quiz scores.
struct CohortData {
    lessons: Vec<crate::lessons::model::LessonSummary>,
    members: Vec<db::Member>,
    progress: db::ProgressMap,
    scores: std::collections::HashMap<(i64, String), u32>,
    /// Solved exercises per (learner, lesson) and exercises per lesson.
    solved: std::collections::HashMap<(i64, String), Vec<String>>,
    exercises: std::collections::HashMap<String, Vec<String>>,
}

impl CohortData {
    async fn load(state: &AppState, cohort: &Cohort) -> Result<CohortData, AppError> {
        let store = state.content.get();
        Ok(CohortData {
            solved: crate::labs::db::solved_in_cohort(&state.pool, cohort.id).await?,
            exercises: store
                .lessons
                .values()
                .map(|l| {
                    (
                        l.meta.id.clone(),
                        l.exercises.iter().map(|e| e.id.clone()).collect(),
                    )
                })
                .collect(),
            lessons: store
                .reading_order()
                .map(|l| store.summary_in(l, crate::i18n::Lang::current()))
                .collect(),
            members: db::members(&state.pool, cohort.id).await?,
            progress: db::cohort_progress(&state.pool, cohort.id).await?,
            scores: crate::quiz::db::best_scores_in_cohort(&state.pool, cohort.id).await?,
        })
    }

    /// One learner × lesson: status, progress row (if any) and best score.
    fn cell(
        &self,
        user_id: i64,
        lesson_id: &str,
    ) -> (Status, Option<&db::LessonProgress>, Option<u32>) {
        let key = (user_id, lesson_id.to_string());
        let entry = self.progress.get(&key);
        let status = match entry {
            Some(p) if p.completed_at.is_some() => Status::Done,
            Some(_) => Status::Visited,
            None => Status::NotStarted,
        };
        (status, entry, self.scores.get(&key).copied())
    }

    /// A learner's solved and total exercises of one lesson (solves of
    /// exercises since removed from the lesson do not count).
    fn exercises(&self, user_id: i64, lesson_id: &str) -> (u32, u32) {
        let all = self
            .exercises
            .get(lesson_id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let solved = self
            .solved
            .get(&(user_id, lesson_id.to_string()))
            .map_or(0, |ids| all.iter().filter(|e| ids.contains(e)).count());
        (solved as u32, all.len() as u32)
    }
}

/// The learners × lessons matrix of `cohort`, sorted by `sort`.
pub async fn matrix(
    state: &AppState,
    cohort: Cohort,
    sort: SortBy,
) -> Result<CohortMatrix, AppError> {
    let data = CohortData::load(state, &cohort).await?;
    let now = crate::common::time::now();
    let mut rows: Vec<LearnerRow> = data
        .members
        .iter()
        .map(|m| {
            let mut last_active: Option<i64> = None;
            let cells: Vec<(Status, Option<u32>)> = data
                .lessons
                .iter()
                .map(|l| {
                    let (status, entry, score) = data.cell(m.id, &l.id);
                    if let Some(p) = entry {
                        last_active = last_active.max(p.last_visited_at).max(p.completed_at);
                    }
                    (status, score)
                })
                .collect();
            LearnerRow {
                exercises: data
                    .lessons
                    .iter()
                    .map(|l| data.exercises(m.id, &l.id).0)
                    .sum(),
                user_id: m.id,
                name: m.display_name.clone(),
                email: m.email.clone(),
                done: cells.iter().filter(|c| c.0 == Status::Done).count() as u32,
                cells,
                idle_days: last_active.map(|t| (now - t).max(0) / 86_400),
            }
        })
        .collect();
    sort_learners(&mut rows, sort);
    let completion = completion_rates(&rows, data.lessons.len());
    let exercise_total = data
        .lessons
        .iter()
        .map(|l| data.exercises.get(&l.id).map_or(0, Vec::len) as u32)
        .sum();
    Ok(CohortMatrix {
        exercise_total,
        cohort,
        lessons: data
            .lessons
            .iter()
            .map(|l| LessonColumn {
                id: l.id.clone(),
                title: l.title.clone(),
                href: l.href(),
            })
            .collect(),
        learners: rows,
        completion,
    })
}

/// The cohort as CSV (RFC 4180 via the `csv` crate): one row per learner ×
/// lesson, formula-looking cells neutralised. Every field is quoted, so a
/// spreadsheet that splits on `;` (or `,`) inside a field does not when it
/// honours quotes, and the apostrophes of `csv_safe` stay part of the text.
pub async fn cohort_csv(state: &AppState, cohort: &Cohort) -> Result<String, AppError> {
    let data = CohortData::load(state, cohort).await?;
    let mut out = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(Vec::new());
    let header = [
        "learner_id",
        "learner_name",
        "learner_email",
        "lesson_id",
        "track",
        "lesson_title",
        "status",
        "first_visited_at",
        "last_visited_at",
        "completed_at",
        "quiz_best_percent",
        "exercises_solved",
        "exercises_total",
    ];
    let fail = |e: csv::Error| AppError::internal("csv export failed", e);
    out.write_record(header).map_err(fail)?;
    let iso = |t: Option<i64>| t.map(iso_time).unwrap_or_default();
    for m in &data.members {
        for lesson in &data.lessons {
            let (status, entry, score) = data.cell(m.id, &lesson.id);
            let (solved, total) = data.exercises(m.id, &lesson.id);
            let entry = entry.cloned().unwrap_or_default();
            let record = [
                m.id.to_string(),
                super::model::csv_safe(&m.display_name),
                super::model::csv_safe(&m.email),
                super::model::csv_safe(&lesson.id),
                super::model::csv_safe(&lesson.track),
                super::model::csv_safe(&lesson.title),
                status.label().to_string(),
                iso(entry.first_visited_at),
                iso(entry.last_visited_at),
                iso(entry.completed_at),
                score.map(|s| s.to_string()).unwrap_or_default(),
                solved.to_string(),
                total.to_string(),
            ];
            out.write_record(&record).map_err(fail)?;
        }
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::internal("csv export failed", e))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal("csv export failed", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::model::{LessonSummary, Track};

    fn store() -> ContentStore {
        let l = |slug: &str| LessonSummary {
            id: format!("id-{slug}"),
            track: "t".into(),
            slug: slug.into(),
            title: slug.to_uppercase(),
            summary: String::new(),
            order: 0,
            minutes: 1,
            tags: vec![],
            draft: false,
            kind: Default::default(),
        };
        ContentStore {
            tracks: vec![Track {
                slug: "t".into(),
                title: "T".into(),
                summary: String::new(),
                order: 1,
                lessons: vec![l("a"), l("b"), l("c")],
            }],
            ..Default::default()
        }
    }

    #[test]
    fn progress_counts_only_existing_lessons() {
        let done: HashSet<String> = ["id-a".to_string(), "id-deleted".to_string()].into();
        let (overall, tracks) = track_progress(&store(), &done);
        assert_eq!((overall.done, overall.total), (1, 3));
        assert_eq!(tracks[0].percent(), 33);
    }

    #[test]
    fn resume_picks_the_next_unfinished_lesson() {
        let s = store();
        let none = HashSet::new();
        assert_eq!(resume_lesson(&s, &[], &none).unwrap().0, "A");
        assert_eq!(resume_lesson(&s, &["id-b".into()], &none).unwrap().0, "B");
        let done: HashSet<String> = ["id-b".to_string()].into();
        assert_eq!(resume_lesson(&s, &["id-b".into()], &done).unwrap().0, "C");
        let all: HashSet<String> = ["id-a", "id-b", "id-c"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(resume_lesson(&s, &["id-b".into()], &all), None);
    }
}
