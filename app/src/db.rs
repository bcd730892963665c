//! Opening the SQLite database: pragmas, the version check, migrations.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// SQLite releases before this have the WAL-reset corruption bug that a
/// connection pool (concurrent writers and checkpointers) can trigger.
pub const MIN_SQLITE: (u32, u32, u32) = (3, 51, 3);

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot create the database directory {dir}: {source}")]
    CreateDir { dir: String, source: std::io::Error },
    #[error("cannot open the database {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error(
        "SQLite {found} is too old: Backend Academy needs {}.{}.{} or newer (older versions can corrupt a WAL database). Rebuild with the bundled libsqlite3-sys pinned in Cargo.toml.",
        MIN_SQLITE.0, MIN_SQLITE.1, MIN_SQLITE.2
    )]
    TooOld { found: String },
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("backup failed: {0}")]
    Backup(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
}

/// Parses `"3.51.3"` into a comparable triple.
pub fn parse_version(v: &str) -> Option<(u32, u32, u32)> {
    let mut it = v.trim().split('.').map(|p| p.parse::<u32>().ok());
    let major = it.next()??;
    let minor = it.next().flatten().unwrap_or(0);
    let patch = it.next().flatten().unwrap_or(0);
    Some((major, minor, patch))
}

/// Whether this SQLite version is safe to run on.
pub fn version_ok(v: &str) -> bool {
    parse_version(v).is_some_and(|found| found >= MIN_SQLITE)
}

/// Opens (creating if needed) the database at `path` with the pragmas the
/// app relies on: WAL, foreign keys, a busy timeout, `synchronous=FULL` so an
/// acknowledged write survives power loss. Refuses an unsafe SQLite.
pub async fn open(path: &Path) -> Result<SqlitePool, DbError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| DbError::CreateDir {
            dir: dir.display().to_string(),
            source,
        })?;
    }
    let options = SqliteConnectOptions::from_str("sqlite:")
        .map_err(|source| DbError::Open {
            path: path.display().to_string(),
            source,
        })?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|source| DbError::Open {
            path: path.display().to_string(),
            source,
        })?;
    let found = sqlite_version(&pool).await?;
    if !version_ok(&found) {
        return Err(DbError::TooOld { found });
    }
    Ok(pool)
}

/// Applies the migrations embedded in the binary.
pub async fn migrate(pool: &SqlitePool) -> Result<(), DbError> {
    sqlx::migrate!("../migrations").run(pool).await?;
    Ok(())
}

/// Writes a consistent copy of the database to `target` with `VACUUM INTO`
/// (safe while the server writes: it reads one snapshot), then checks the
/// copy with `PRAGMA integrity_check`. Returns the copy's size.
pub async fn backup(pool: &SqlitePool, target: &Path) -> Result<u64, DbError> {
    if target.exists() {
        return Err(DbError::Backup(format!(
            "{} already exists; choose a new file",
            target.display()
        )));
    }
    let path = target
        .to_str()
        .ok_or_else(|| DbError::Backup("the path is not valid UTF-8".into()))?;
    sqlx::query("VACUUM INTO ?")
        .bind(path)
        .execute(pool)
        .await?;
    let copy = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::new().filename(target).read_only(true))
        .await?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&copy)
        .await?;
    copy.close().await;
    if check != "ok" {
        return Err(DbError::Backup(format!(
            "the copy failed its integrity check: {check}"
        )));
    }
    Ok(std::fs::metadata(target).map(|m| m.len()).unwrap_or(0))
}

pub async fn sqlite_version(pool: &SqlitePool) -> Result<String, DbError> {
    Ok(sqlx::query_scalar("select sqlite_version()")
        .fetch_one(pool)
        .await?)
}

/// For unit tests: a migrated database in a fresh temp dir with one account
/// (`user_id`, `a@b.io`), so each test starts from the same known state.
#[cfg(test)]
pub async fn test_pool(user_id: i64) -> (SqlitePool, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pool = open(&dir.path().join("test.db")).await.expect("open");
    migrate(&pool).await.expect("migrate");
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash) VALUES (?, 'a@b.io', 'A', 'x')",
    )
    .bind(user_id)
    .execute(&pool)
    .await
    .expect("test user");
    (pool, dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        for (v, ok) in [
            ("3.51.3", true),
            ("3.52.0", true),
            ("4.0", true),
            ("3.51.2", false),
            ("3.46.0", false),
            ("3.9.99", false),
            ("garbage", false),
        ] {
            assert_eq!(version_ok(v), ok, "{v}");
        }
    }

    #[tokio::test]
    async fn opens_migrates_and_reports_a_safe_version() {
        let dir = std::env::temp_dir().join(format!("academy-db-test-{}", std::process::id()));
        let path = dir.join("nested/test.db");
        let pool = open(&path).await.expect("open");
        migrate(&pool).await.expect("migrate");
        assert!(version_ok(&sqlite_version(&pool).await.unwrap()));
        let mode: String = sqlx::query_scalar("pragma journal_mode")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("pragma foreign_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(fk, 1);
        let copy = dir.join("copy.db");
        assert!(backup(&pool, &copy).await.unwrap() > 0);
        assert!(backup(&pool, &copy).await.is_err(), "never overwrites");
        pool.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
