//! Server functions of the accounts feature. Each checks the caller first:
//! server functions are public endpoints.

use leptos::prelude::*;

use super::model::User;

/// Every account (admins only). Hashes never leave the server: `User` has none.
#[server(endpoint = "admin/users")]
pub async fn admin_list_users() -> Result<Vec<User>, ServerFnError> {
    use super::{model::Role, session::require_role};
    use crate::error::AppError;
    require_role(&[Role::Admin]).map_err(AppError::into_server_fn)?;
    let state = crate::state::app_state().map_err(AppError::into_server_fn)?;
    super::db::list(&state.pool)
        .await
        .map_err(|e| AppError::from(e).into_server_fn())
}
