//! Every query of the progress feature.

use sqlx::SqlitePool;

use super::model::Cohort;

pub async fn cohort_by_code(pool: &SqlitePool, code: &str) -> Result<Option<Cohort>, sqlx::Error> {
    let row: Option<(i64, String, String, i64)> =
        sqlx::query_as("SELECT id, name, invite_code, owner_id FROM cohorts WHERE invite_code = ?")
            .bind(code.trim().to_uppercase())
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, name, invite_code, owner_id)| Cohort {
        id,
        name,
        invite_code,
        owner_id,
    }))
}

/// Idempotent: joining twice keeps one membership.
pub async fn join_cohort(
    pool: &SqlitePool,
    cohort_id: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cohort_members (cohort_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(cohort_id)
    .bind(user_id)
    .execute(pool)
    .await?;
    Ok(())
}
