//! `POST /lessons/{track}/{lesson}/exercises/{id}`: the exercise form
//! without JavaScript. The outcome is stored, then the page is shown again
//! (303), with the run's result where the form is.

use axum::{
    extract::{Path, Request, State},
    response::Response,
};
use serde::Deserialize;

use super::service::{act, Action, MAX_ANSWER};
use crate::{auth::session::Access, state::AppState, ui::form::server::FormRoute};

#[derive(Deserialize)]
pub struct ExerciseForm {
    action: String,
    #[serde(default)]
    answer: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Path((track, lesson, id)): Path<(String, String, String)>,
    req: Request,
) -> Response {
    let page = req.uri().path().to_string();
    FormRoute::new(page.clone())
        .keep(&["answer"])
        .limit(MAX_ANSWER + 4096)
        .run(&state, req, Access::SignedIn, async |user, form: ExerciseForm| {
            let action = Action::parse(&form.action)?;
            act(&state, &user, &track, &lesson, &id, action, &form.answer).await?;
            Ok(match action {
                Action::Hint => format!("{page}#hints"),
                Action::Reset => format!("{page}#lab"),
                _ => format!("{page}#result"),
            })
        })
        .await
}
