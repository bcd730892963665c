//! Server functions of the accounts feature. Each checks the caller first:
//! server functions are public endpoints.

use leptos::prelude::*;

use super::model::User;
use crate::error::AppError;

/// Every account (admins only). Hashes never leave the server: `User` has none.
#[server(endpoint = "admin/users")]
pub async fn admin_list_users() -> Result<Vec<User>, AppError> {
    use super::session::{require, Access};
    require(Access::Admin)?;
    let state = crate::state::app_state()?;
    Ok(super::db::list(&state.pool).await?)
}
