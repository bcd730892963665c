//! Composes the dashboards from the database and the content store.

use std::collections::HashSet;

use super::{
    db,
    model::{
        completion_rates, date_of_day, heatmap_days, sort_learners, Cohort, CohortMatrix,
        DashboardData, DayCell, LearnerRow, SortBy, Status, TrackProgress,
    },
};
use crate::{
    auth::model::{Role, User},
    error::AppError,
    lessons::model::ContentStore,
    state::AppState,
};

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
    let store = state.content.get();
    let done = state.progress.completed(user.id).await?;
    let recent = db::recent_lessons(&state.pool, user.id).await?;
    let days = heatmap_days(db::today(), HEATMAP_WEEKS);
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
        .filter_map(|(lesson_id, best, attempts)| {
            store
                .reading_order()
                .find(|l| l.id == lesson_id)
                .map(|l| (l.title.clone(), l.href(), best, attempts))
        })
        .collect();
    Ok(DashboardData {
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

/// The cohort if `user` may see it: its owner, or an admin. Anyone else
/// gets "not found", so cohort ids reveal nothing.
pub async fn visible_cohort(state: &AppState, user: &User, id: i64) -> Result<Cohort, AppError> {
    let not_found = || AppError::NotFound("There is no such cohort.".into());
    if !user.role.can_teach() {
        return Err(AppError::Forbidden);
    }
    let cohort = db::cohort_by_id(&state.pool, id)
        .await?
        .ok_or_else(not_found)?;
    if cohort.owner_id == user.id || user.role == Role::Admin {
        Ok(cohort)
    } else {
        Err(not_found())
    }
}

pub async fn matrix(
    state: &AppState,
    cohort: Cohort,
    sort: SortBy,
) -> Result<CohortMatrix, AppError> {
    let store = state.content.get();
    let lessons: Vec<_> = store.reading_order().cloned().collect();
    let members = db::members(&state.pool, cohort.id).await?;
    let progress = db::cohort_progress(&state.pool, cohort.id).await?;
    let scores = crate::quiz::db::best_scores_in_cohort(&state.pool, cohort.id).await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let mut rows: Vec<LearnerRow> = members
        .into_iter()
        .map(|(user_id, name, email)| {
            let mut last_active: Option<i64> = None;
            let cells: Vec<(Status, Option<u32>)> = lessons
                .iter()
                .map(|l| {
                    let entry = progress.get(&(user_id, l.id.clone()));
                    let status = match entry {
                        Some((_, _, Some(_))) => Status::Done,
                        Some(_) => Status::Visited,
                        None => Status::NotStarted,
                    };
                    if let Some((_, last, done)) = entry {
                        last_active = last_active.max(*last).max(*done);
                    }
                    (status, scores.get(&(user_id, l.id.clone())).copied())
                })
                .collect();
            LearnerRow {
                user_id,
                name,
                email,
                done: cells.iter().filter(|c| c.0 == Status::Done).count() as u32,
                cells,
                idle_days: last_active.map(|t| (now - t).max(0) / 86_400),
            }
        })
        .collect();
    sort_learners(&mut rows, sort);
    let completion = completion_rates(&rows, lessons.len());
    Ok(CohortMatrix {
        cohort,
        lessons: lessons
            .iter()
            .map(|l| (l.id.clone(), l.title.clone(), l.href()))
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
    let store = state.content.get();
    let members = db::members(&state.pool, cohort.id).await?;
    let progress = db::cohort_progress(&state.pool, cohort.id).await?;
    let scores = crate::quiz::db::best_scores_in_cohort(&state.pool, cohort.id).await?;
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
    ];
    let fail = |e: csv::Error| AppError::internal("csv export failed", e);
    out.write_record(header).map_err(fail)?;
    let iso = |t: &Option<i64>| t.map(iso_time).unwrap_or_default();
    for (user_id, name, email) in &members {
        for lesson in store.reading_order() {
            let entry = progress.get(&(*user_id, lesson.id.clone()));
            let status = match entry {
                Some((_, _, Some(_))) => Status::Done,
                Some(_) => Status::Visited,
                None => Status::NotStarted,
            };
            let (first, last, done) = entry.cloned().unwrap_or_default();
            let score = scores
                .get(&(*user_id, lesson.id.clone()))
                .map(|s| s.to_string())
                .unwrap_or_default();
            let record = [
                user_id.to_string(),
                super::model::csv_safe(name),
                super::model::csv_safe(email),
                super::model::csv_safe(&lesson.id),
                super::model::csv_safe(&lesson.track),
                super::model::csv_safe(&lesson.title),
                status.label().to_string(),
                iso(&first),
                iso(&last),
                iso(&done),
                score,
            ];
            out.write_record(&record).map_err(fail)?;
        }
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::internal("csv export failed", e))?;
    String::from_utf8(bytes).map_err(|e| AppError::internal("csv export failed", e))
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso_time(t: i64) -> String {
    let day = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date_of_day(day),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
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

    #[test]
    fn iso_times() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_time(1_764_377_045), "2025-11-29T00:44:05Z");
    }
}
