//! Server functions of the progress feature. Each checks the caller: a
//! learner only ever reads or writes their own progress; cohort data only
//! reaches the cohort's instructor or an admin.

use leptos::prelude::*;

use super::model::{Cohort, CohortMatrix, DashboardData, TrackProgress};

/// Marks a lesson (by its stable id) complete or not; returns the new state.
#[server(endpoint = "progress/complete")]
pub async fn set_lesson_complete(lesson_id: String, done: bool) -> Result<bool, ServerFnError> {
    use crate::{auth::session::require_user, error::AppError};
    let user = require_user().map_err(AppError::into_server_fn)?;
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    super::handlers::check_lesson_id(&state, &lesson_id).map_err(AppError::into_server_fn)?;
    state
        .progress
        .set_complete(user.id, &lesson_id, done)
        .await
        .map_err(|e| AppError::internal("cannot save progress", e).into_server_fn())?;
    Ok(done)
}

/// Whether the caller completed this lesson (`false` for visitors).
#[server(endpoint = "progress/lesson")]
pub async fn lesson_done(lesson_id: String) -> Result<bool, ServerFnError> {
    use crate::error::AppError;
    let Some(user) = crate::auth::session::current_user() else {
        return Ok(false);
    };
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    state
        .progress
        .completed(user.id)
        .await
        .map(|done| done.contains(&lesson_id))
        .map_err(|e| AppError::from(e).into_server_fn())
}

/// The caller's progress per track (empty for visitors).
#[server(endpoint = "progress/tracks")]
pub async fn my_track_progress() -> Result<Vec<TrackProgress>, ServerFnError> {
    use crate::error::AppError;
    let Some(user) = crate::auth::session::current_user() else {
        return Ok(vec![]);
    };
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    let done = state
        .progress
        .completed(user.id)
        .await
        .map_err(|e| AppError::from(e).into_server_fn())?;
    let (overall, mut tracks) = super::service::track_progress(&state.content.get(), &done);
    tracks.insert(0, overall);
    Ok(tracks)
}

#[server(endpoint = "progress/dashboard")]
pub async fn load_dashboard() -> Result<DashboardData, ServerFnError> {
    use crate::{auth::session::require_user, error::AppError};
    let user = require_user().map_err(AppError::into_server_fn)?;
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    super::service::dashboard(&state, &user)
        .await
        .map_err(AppError::into_server_fn)
}

/// The caller's cohorts with member counts (instructors: their own; admins: all).
#[server(endpoint = "instructor/cohorts")]
pub async fn instructor_cohorts() -> Result<Vec<(Cohort, i64)>, ServerFnError> {
    use crate::{
        auth::{model::Role, session::require_role},
        error::AppError,
    };
    let user = require_role(&[Role::Instructor, Role::Admin]).map_err(AppError::into_server_fn)?;
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    super::db::cohorts_for(&state.pool, &user)
        .await
        .map_err(|e| AppError::from(e).into_server_fn())
}

/// The learners × lessons matrix of one cohort the caller may see.
#[server(endpoint = "instructor/cohort")]
pub async fn load_cohort_matrix(id: i64, sort: String) -> Result<CohortMatrix, ServerFnError> {
    use crate::{auth::session::require_user, error::AppError};
    let user = require_user().map_err(AppError::into_server_fn)?;
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    let cohort = super::service::visible_cohort(&state, &user, id)
        .await
        .map_err(AppError::into_server_fn)?;
    super::service::matrix(&state, cohort, super::model::SortBy::parse(&sort))
        .await
        .map_err(AppError::into_server_fn)
}
