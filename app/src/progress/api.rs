//! Server functions of the progress feature, each a few lines over
//! `service`. Each checks the caller: a learner only ever reads or writes
//! their own progress; cohort data only reaches the cohort's instructor or
//! an admin.

use leptos::prelude::*;

use super::model::{CohortMatrix, CohortSummary, DashboardData, TrackProgress};
use crate::error::AppError;

/// Marks a lesson (by its stable id) complete or not; returns the new state.
#[server(endpoint = "progress/complete")]
pub async fn set_lesson_complete(lesson_id: String, done: bool) -> Result<bool, AppError> {
    use crate::auth::session::{require, Access};
    let user = require(Access::SignedIn)?;
    let state = crate::state::app_state()?;
    super::service::set_complete(&state, &user, &lesson_id, done).await?;
    Ok(done)
}

/// Whether the caller completed this lesson (`false` for visitors).
#[server(endpoint = "progress/lesson")]
pub async fn lesson_done(lesson_id: String) -> Result<bool, AppError> {
    let state = crate::state::app_state()?;
    let user = crate::auth::session::current_user();
    let done = super::service::completed(&state, user.as_ref()).await?;
    Ok(done.contains(&lesson_id))
}

/// The caller's progress per track (empty for visitors).
#[server(endpoint = "progress/tracks")]
pub async fn my_track_progress() -> Result<Vec<TrackProgress>, AppError> {
    let Some(user) = crate::auth::session::current_user() else {
        return Ok(vec![]);
    };
    let state = crate::state::app_state()?;
    let done = super::service::completed(&state, Some(&user)).await?;
    let (overall, mut tracks) = super::service::track_progress(&state.content.get(), &done);
    tracks.insert(0, overall);
    Ok(tracks)
}

/// The caller's completed lessons and solved exercises (for a track's
/// page; empty for visitors).
#[server(endpoint = "progress/track")]
pub async fn my_track_status() -> Result<super::model::TrackStatus, AppError> {
    let Some(user) = crate::auth::session::current_user() else {
        return Ok(Default::default());
    };
    let state = crate::state::app_state()?;
    super::service::track_status(&state, &user).await
}

#[server(endpoint = "progress/dashboard")]
pub async fn load_dashboard() -> Result<DashboardData, AppError> {
    use crate::auth::session::{require, Access};
    let user = require(Access::SignedIn)?;
    let state = crate::state::app_state()?;
    super::service::dashboard(&state, &user).await
}

/// The caller's cohorts with member counts (instructors: their own; admins: all).
#[server(endpoint = "instructor/cohorts")]
pub async fn instructor_cohorts() -> Result<Vec<CohortSummary>, AppError> {
    use crate::auth::session::{require, Access};
    let user = require(Access::Teacher)?;
    let state = crate::state::app_state()?;
    super::service::cohorts(&state, &user).await
}

/// The learners × lessons matrix of one cohort the caller may see.
#[server(endpoint = "instructor/cohort")]
pub async fn load_cohort_matrix(id: i64, sort: String) -> Result<CohortMatrix, AppError> {
    use crate::auth::session::{require, Access};
    let user = require(Access::Teacher)?;
    let state = crate::state::app_state()?;
    let cohort = super::service::visible_cohort(&state, &user, id).await?;
    super::service::matrix(&state, cohort, super::model::SortBy::parse(&sort)).await
}
