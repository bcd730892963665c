//! Cohorts and progress as plain data.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    pub id: i64,
    pub name: String,
    pub invite_code: String,
    pub owner_id: i64,
}
