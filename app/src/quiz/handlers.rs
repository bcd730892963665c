//! `POST /lessons/{track}/{lesson}/quiz`: grading a quiz form without
//! JavaScript, and the grading both paths share.

use axum::{
    body::to_bytes,
    extract::{Request, State},
    response::Response,
};
use leptos::prelude::provide_context;

use super::{grade, model::QuizResult, pages::ShownResult};
use crate::{
    auth::{model::User, session::CurrentUser},
    error::AppError,
    lessons::model::is_slug,
    progress::writer::QuizAttempt,
    state::AppState,
    ui::form::{
        server::{render_with_context, render_with_feedback, see_other},
        FormFeedback,
    },
};

pub struct Graded {
    pub result: QuizResult,
    pub attempt_url: Option<String>,
}

/// Grades `fields` for the quiz at `action` and stores a signed-in
/// learner's attempt (once per submitted form).
pub async fn grade_submission(
    state: &AppState,
    user: Option<&User>,
    action: &str,
    fields: &[(String, String)],
) -> Result<Graded, AppError> {
    let not_found = || AppError::NotFound("There is no such quiz.".into());
    let parts: Vec<&str> = action.trim_matches('/').split('/').collect();
    let [_lessons @ "lessons", track, slug, "quiz"] = parts.as_slice() else {
        return Err(not_found());
    };
    if !is_slug(track) || !is_slug(slug) {
        return Err(not_found());
    }
    let store = state.content.get();
    let lesson = store
        .lesson(track, slug)
        .filter(|l| !l.meta.draft)
        .ok_or_else(not_found)?;
    let quiz = lesson.quiz.as_ref().ok_or_else(not_found)?;
    let attempt = fields
        .iter()
        .find(|(k, _)| k == "attempt")
        .map(|(_, v)| v.clone())
        .filter(|a| a.len() == 24 && a.chars().all(|c| c.is_ascii_hexdigit()))
        .ok_or_else(|| {
            AppError::BadRequest(
                "The quiz form is missing its attempt token. Reload the quiz and try again.".into(),
            )
        })?;
    let result = grade::grade(
        quiz,
        &state.quiz_key,
        &attempt,
        fields,
        state.settings.pass_mark,
        super::pages::question_html,
    )
    .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let attempt_url = match user {
        Some(user) => {
            let id = state
                .progress
                .record_attempt(QuizAttempt {
                    user_id: user.id,
                    lesson_id: lesson.meta.id.clone(),
                    submission: attempt.clone(),
                    result: result.clone(),
                })
                .await
                .map_err(|e| AppError::internal("cannot store the quiz attempt", e))?;
            tracing::info!(user_id = user.id, lesson = %lesson.meta.id, percent = result.percent, "quiz attempt");
            Some(format!("{}/quiz/attempts/{id}", lesson.meta.href()))
        }
        None => None,
    };
    Ok(Graded {
        result,
        attempt_url,
    })
}

pub async fn submit(State(state): State<AppState>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let page = parts.uri.path().to_string();
    let user = parts
        .extensions
        .get::<CurrentUser>()
        .and_then(|c| c.0.clone());
    let fields: Result<Vec<(String, String)>, AppError> = match to_bytes(body, 256 * 1024).await {
        Ok(b) => serde_urlencoded::from_bytes(&b).map_err(|_| {
            AppError::BadRequest(
                "The quiz form arrived malformed. Reload the quiz and try again.".into(),
            )
        }),
        Err(_) => Err(AppError::BadRequest("The quiz form is too large.".into())),
    };
    let graded = match fields {
        Ok(f) => grade_submission(&state, user.as_ref(), &page, &f).await,
        Err(e) => Err(e),
    };
    match graded {
        Ok(Graded {
            attempt_url: Some(url),
            ..
        }) => see_other(&url),
        Ok(Graded {
            result,
            attempt_url: None,
        }) => {
            let shown = ShownResult(result);
            render_with_context(&state, parts, &page, move || provide_context(shown.clone())).await
        }
        Err(e) => {
            tracing::info!(path = %page, status = e.status().as_u16(), error = %e, "quiz submission refused");
            render_with_feedback(
                &state,
                parts,
                &page,
                FormFeedback::from_error(&e, Default::default()),
            )
            .await
        }
    }
}
