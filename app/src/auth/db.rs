//! Every query of the accounts feature.

use crate::{common::time::now, db::Db};

use super::model::{Role, User};

/// Failed sign-ins before an email is locked, and for how long.
pub const MAX_FAILURES: i64 = 10;
pub const LOCK_SECONDS: i64 = 15 * 60;

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// An account with its stored password hash (never leaves the server).
#[derive(Debug, sqlx::FromRow)]
pub struct Credentials {
    #[sqlx(flatten)]
    pub user: User,
    pub password_hash: String,
    /// An admin disabled the account (sign-in refused until enabled).
    pub disabled: bool,
}

pub async fn create_user(
    db: &Db,
    email: &str,
    display_name: &str,
    password_hash: &str,
    role: Role,
) -> Result<i64, CreateUserError> {
    let result: Result<i64, _> = on_db!(db, |p| sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash, role, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(email.to_lowercase())
    .bind(display_name)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now())
    .fetch_one(p)
    .await);
    match result {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(CreateUserError::EmailTaken)
        }
        Err(e) => Err(e.into()),
    }
}

/// The user and their stored hash, for signing in.
pub async fn by_email_with_hash(
    db: &Db,
    email: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    on_db!(db, |p| sqlx::query_as(
        "SELECT id, email, display_name, role, password_hash, disabled_at IS NOT NULL AS disabled
         FROM users WHERE email = $1",
    )
    .bind(email.to_lowercase())
    .fetch_optional(p)
    .await)
}

pub async fn password_hash(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, |p| sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(p)
        .await)
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<User>, sqlx::Error> {
    on_db!(db, |p| sqlx::query_as("SELECT id, email, display_name, role FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(p)
        .await)
}

/// What one request needs of its session: the signed-in user (if the
/// account still exists) and the session's own data.
#[derive(Debug)]
pub struct SessionUser {
    pub user: Option<User>,
    pub data: serde_json::Map<String, serde_json::Value>,
    /// When the session expires (unix seconds).
    pub expiry: i64,
}

/// The live (unexpired) session `session_id` joined with its user, in one
/// query: signed-in pages pay for one SQLite round trip here instead of
/// two (the session store's load, then the user).
pub async fn session_user(
    db: &Db,
    session_id: &str,
) -> Result<Option<SessionUser>, sqlx::Error> {
    type Row = (
        String,
        i64,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = on_db!(db, |p| sqlx::query_as(
        "SELECT s.data, s.expiry_date, u.id, u.email, u.display_name, u.role
         FROM sessions s LEFT JOIN users u ON u.id = s.user_id
         WHERE s.id = $1 AND s.expiry_date > $2",
    )
    .bind(session_id)
    .bind(now())
    .fetch_optional(p)
    .await)?;
    Ok(
        row.map(|(data, expiry, id, email, name, role)| SessionUser {
            expiry,
            user: match (id, email, name, role.map(Role::try_from)) {
                (Some(id), Some(email), Some(display_name), Some(Ok(role))) => Some(User {
                    id,
                    email,
                    display_name,
                    role,
                }),
                _ => None,
            },
            data: serde_json::from_str(&data).unwrap_or_default(),
        }),
    )
}

pub async fn list(db: &Db) -> Result<Vec<User>, sqlx::Error> {
    on_db!(db, |p| sqlx::query_as(
        "SELECT id, email, display_name, role FROM users ORDER BY role DESC, display_name, id",
    )
    .fetch_all(p)
    .await)
}

pub async fn set_password_hash(db: &Db, id: i64, hash: &str) -> Result<(), sqlx::Error> {
    on_db!(db, |p| sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
    Ok(())
}

/// Returns whether a user was changed.
pub async fn set_role(db: &Db, id: i64, role: Role) -> Result<bool, sqlx::Error> {
    let done = on_db!(db, |p| sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role.as_str())
        .bind(id)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
    Ok(done == 1)
}


/// Seconds left on this email's sign-in lock, if it is locked.
pub async fn locked_for(db: &Db, email: &str) -> Result<Option<i64>, sqlx::Error> {
    let left: Option<i64> = on_db!(db, |p| sqlx::query_scalar(
        "SELECT locked_until - $2 FROM login_failures WHERE email = $1 AND locked_until > $2",
    )
    .bind(email.to_lowercase())
    .bind(now())
    .fetch_optional(p)
    .await)?;
    Ok(left)
}

/// Counts a failed sign-in; the tenth in a row locks the email. One
/// statement, so concurrent failures cannot lose a count.
pub async fn record_failure(db: &Db, email: &str) -> Result<(), sqlx::Error> {
    on_db!(db, |p| sqlx::query(
        "INSERT INTO login_failures (email, failures, locked_until, last_failed_at)
         VALUES ($1, 1, 0, $4)
         ON CONFLICT (email) DO UPDATE SET
           locked_until   = CASE WHEN login_failures.failures + 1 >= $2
                                 THEN $4 + $3 ELSE login_failures.locked_until END,
           failures       = CASE WHEN login_failures.failures + 1 >= $2
                                 THEN 0 ELSE login_failures.failures + 1 END,
           last_failed_at = $4",
    )
    .bind(email.to_lowercase())
    .bind(MAX_FAILURES)
    .bind(LOCK_SECONDS)
    .bind(now())
    .execute(p)
    .await
    .map(|d| d.rows_affected()))?;
    Ok(())
}

/// How long a failed sign-in is remembered when no lock is running.
pub const FAILURE_MEMORY_SECONDS: i64 = 24 * 3600;

/// Deletes failure counts with no failure for a day and no running lock
/// (the table would otherwise grow with every email ever tried).
pub async fn purge_login_failures(db: &Db) -> Result<u64, sqlx::Error> {
    on_db!(db, |p| sqlx::query(
        "DELETE FROM login_failures WHERE locked_until <= $2 AND last_failed_at < $2 - $1",
    )
    .bind(FAILURE_MEMORY_SECONDS)
    .bind(now())
    .execute(p)
    .await
    .map(|d| d.rows_affected()))
}

pub async fn clear_failures(db: &Db, email: &str) -> Result<(), sqlx::Error> {
    on_db!(db, |p| sqlx::query("DELETE FROM login_failures WHERE email = $1")
        .bind(email.to_lowercase())
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pool() -> (Db, tempfile::TempDir) {
        crate::db::test_pool(99).await
    }

    #[tokio::test]
    async fn users_are_unique_by_email_case_insensitively() {
        let (pool, _d) = pool().await;
        let id = create_user(&pool, "ada@example.com", "Ada", "h", Role::Learner)
            .await
            .unwrap();
        assert!(matches!(
            create_user(&pool, "ADA@example.com", "Ada 2", "h", Role::Learner).await,
            Err(CreateUserError::EmailTaken)
        ));
        let Credentials {
            user,
            password_hash: hash,
            ..
        } = by_email_with_hash(&pool, "ada@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(user.id, id);
        assert_eq!(hash, "h");
        assert!(set_role(&pool, id, Role::Instructor).await.unwrap());
        assert_eq!(
            by_id(&pool, id).await.unwrap().unwrap().role,
            Role::Instructor
        );
    }

    #[tokio::test]
    async fn ten_failures_lock_for_fifteen_minutes() {
        let (pool, _d) = pool().await;
        for _ in 0..9 {
            record_failure(&pool, "x@y.io").await.unwrap();
        }
        assert_eq!(locked_for(&pool, "x@y.io").await.unwrap(), None);
        record_failure(&pool, "x@y.io").await.unwrap();
        let left = locked_for(&pool, "X@y.io").await.unwrap().unwrap();
        assert!((LOCK_SECONDS - 5..=LOCK_SECONDS).contains(&left), "{left}");
        clear_failures(&pool, "x@y.io").await.unwrap();
        assert_eq!(locked_for(&pool, "x@y.io").await.unwrap(), None);
    }
}
