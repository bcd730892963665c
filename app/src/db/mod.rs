//! The database: SQLite (one file, the default) or PostgreSQL (several
//! instances on one server), behind one [`Db`] handle.
//!
//! **Why an enum and one SQL text, not a trait with a crate per engine.**
//! atuin's server keeps a `Database` trait with a PostgreSQL and a SQLite
//! implementation, so every query is written twice; lemmy has one engine.
//! Our queries are plain SQL that both engines accept once placeholders
//! are `$1, $2, …` (SQLite reads `$N` as the N-th argument), times come
//! from the application rather than `unixepoch()`/`now()`, and upserts use
//! `ON CONFLICT` (both). So each query is written once, in its feature's
//! `db` module, and [`on_db!`]/[`on_tx!`] compile the same statement against
//! both pools: types are checked for each engine at compile time, rows
//! decode into the same typed structs, and there is no runtime `Any`
//! driver (which maps SQLite integers to no `bool`, and adds a copy per
//! value). The few statements that differ pick their text with
//! [`Db::sql`] next to each other, in the same function, so a reader sees
//! both. Search is not in either database: it is an SQLite FTS5 index that
//! each instance keeps over its own content (see [`search_index`]).
//!
//! Schemas: `migrations/*.sql` (SQLite) and `migrations/postgres/*.sql`,
//! the same versions and names, applied at start.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    postgres::{PgConnectOptions, PgPool, PgPoolOptions},
    sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
        SqliteSynchronous,
    },
    Postgres, Sqlite, Transaction,
};

pub mod copy;
pub mod notify;
mod url;

pub use url::DbUrl;

/// SQLite releases before this have the WAL-reset corruption bug that a
/// connection pool (concurrent writers and checkpointers) can trigger.
pub const MIN_SQLITE: (u32, u32, u32) = (3, 51, 3);
/// The oldest PostgreSQL supported (`server_version_num`): 14 is the
/// oldest release its developers still support.
pub const MIN_POSTGRES: i64 = 140_000;

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
    #[error("PostgreSQL {found} is too old: Backend Academy needs PostgreSQL 14 or newer.")]
    PostgresTooOld { found: String },
    #[error("{0}")]
    Url(String),
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("backup failed: {0}")]
    Backup(String),
    #[error("{0}")]
    Copy(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
}

/// A pool on one of the two engines. Cheap to clone (a pool is an `Arc`).
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open transaction on either engine; dropped without [`Tx::commit`],
/// it rolls back.
#[derive(Debug)]
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Which engine a [`Db`] is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// The statement text for this engine, where the two differ: both are
    /// written side by side at the call.
    pub fn sql(&self, sqlite: &'static str, postgres: &'static str) -> &'static str {
        match self {
            Db::Sqlite(_) => sqlite,
            Db::Postgres(_) => postgres,
        }
    }

    /// Opens (creating an SQLite file if needed) and checks the engine's
    /// version. Migrations are separate ([`Db::migrate`]).
    pub async fn open(url: &DbUrl) -> Result<Db, DbError> {
        match url {
            DbUrl::Sqlite(path) => open_sqlite(path).await.map(Db::Sqlite),
            DbUrl::Postgres(url) => open_postgres(url).await.map(Db::Postgres),
        }
    }

    /// Applies the migrations embedded in the binary, then makes sure the
    /// server-side secrets exist (drawn here from the OS, not by SQL).
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(p) => sqlx::migrate!("../migrations").run(p).await?,
            Db::Postgres(p) => sqlx::migrate!("../migrations/postgres").run(p).await?,
        }
        let secret = crate::common::random::bytes::<32>().to_vec();
        on_db!(self, |p| sqlx::query(
            "INSERT INTO app_secrets (name, value) VALUES ('quiz', $1) ON CONFLICT DO NOTHING"
        )
        .bind(&secret)
        .execute(p)
        .await
        .map(|d| d.rows_affected()))?;
        Ok(())
    }

    /// Starts a transaction. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`), so concurrent writers queue instead of failing
    /// halfway with SQLITE_BUSY; PostgreSQL locks rows as it goes.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// "SQLite 3.51.3" or "PostgreSQL 15.18 (…)": for `/health` and logs.
    pub async fn version(&self) -> Result<String, DbError> {
        Ok(match self {
            Db::Sqlite(p) => format!("SQLite {}", sqlite_version(p).await?),
            Db::Postgres(p) => {
                let v: String = sqlx::query_scalar("SHOW server_version")
                    .fetch_one(p)
                    .await?;
                format!("PostgreSQL {v}")
            }
        })
    }

    pub async fn close(&self) {
        on_db!(self, |p| p.close().await)
    }
}

impl Tx {
    /// Itself: lets [`on_tx!`] take a `Tx` or a `&mut Tx` alike.
    pub fn tx_mut(&mut self) -> &mut Tx {
        self
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}

/// Opens (creating if needed) the database at `path` with the pragmas the
/// app relies on: WAL, foreign keys, a busy timeout, `synchronous=FULL` so an
/// acknowledged write survives power loss. Refuses an unsafe SQLite.
async fn open_sqlite(path: &Path) -> Result<SqlitePool, DbError> {
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

/// Connects to PostgreSQL and refuses a server older than 14. The pool is
/// sized for one instance among several (`max_connections` is shared by
/// all of them on the server: 100 by default).
async fn open_postgres(url: &str) -> Result<PgPool, DbError> {
    let shown = url::redacted(url);
    let options = PgConnectOptions::from_str(url).map_err(|source| DbError::Open {
        path: shown.clone(),
        source,
    })?;
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|source| DbError::Open {
            path: shown.clone(),
            source,
        })?;
    let num: String = sqlx::query_scalar("SHOW server_version_num")
        .fetch_one(&pool)
        .await?;
    if num.trim().parse::<i64>().unwrap_or(0) < MIN_POSTGRES {
        let found: String = sqlx::query_scalar("SHOW server_version")
            .fetch_one(&pool)
            .await?;
        return Err(DbError::PostgresTooOld { found });
    }
    Ok(pool)
}

/// The per-instance search index: an SQLite file in a temporary folder
/// (removed with the returned guard), holding only `lessons_fts`. Every
/// instance holds the whole content, so each indexes its own and the
/// results are the same on either engine. With SQLite as the database the
/// index lives in the database file itself (one file to back up).
pub async fn search_index() -> Result<(SqlitePool, tempfile::TempDir), DbError> {
    let dir = tempfile::Builder::new()
        .prefix("academy-search-")
        .tempdir()
        .map_err(|source| DbError::CreateDir {
            dir: std::env::temp_dir().display().to_string(),
            source,
        })?;
    let pool = open_sqlite(&dir.path().join("search.db")).await?;
    for sql in [
        include_str!("../../../migrations/0002_search.sql"),
        include_str!("../../../migrations/0013_search_languages.sql"),
    ] {
        sqlx::raw_sql(sql).execute(&pool).await?;
    }
    Ok((pool, dir))
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

/// What `academy backup` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Backup {
    /// A copy of this many bytes was written and checked.
    Written(u64),
    /// PostgreSQL without `pg_dump` on this machine: the command to run
    /// where it is installed (nothing was written).
    Command(String),
}

/// Backs up the database to `target`, never overwriting a file.
/// - SQLite: `VACUUM INTO` (safe while the server writes: it reads one
///   snapshot), then `PRAGMA integrity_check` on the copy.
/// - PostgreSQL: `pg_dump --format=custom` (a consistent snapshot too),
///   when `pg_dump` is installed; otherwise the command to use.
pub async fn backup(db: &Db, url: &DbUrl, target: &Path) -> Result<Backup, DbError> {
    if target.exists() {
        return Err(DbError::Backup(format!(
            "{} already exists; choose a new file",
            target.display()
        )));
    }
    let path = target
        .to_str()
        .ok_or_else(|| DbError::Backup("the path is not valid UTF-8".into()))?;
    let pool = match (db, url) {
        (Db::Sqlite(pool), _) => pool,
        (Db::Postgres(_), DbUrl::Postgres(url)) => return pg_dump(url, path).await,
        (Db::Postgres(_), DbUrl::Sqlite(_)) => {
            return Err(DbError::Backup("the URL and the pool disagree".into()))
        }
    };
    sqlx::query("VACUUM INTO $1")
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
    Ok(Backup::Written(
        std::fs::metadata(target).map(|m| m.len()).unwrap_or(0),
    ))
}

/// Runs `pg_dump` (from PATH, else Debian's newest under
/// /usr/lib/postgresql) into `target`, or returns the command to run.
async fn pg_dump(url: &str, target: &str) -> Result<Backup, DbError> {
    let found = find_pg_binary("pg_dump");
    let Some(bin) = found else {
        return Ok(Backup::Command(format!(
            "pg_dump --format=custom --file '{target}' '{}'",
            url::redacted(url)
        )));
    };
    let out = tokio::process::Command::new(&bin)
        .arg("--format=custom")
        .arg("--file")
        .arg(target)
        .arg("--dbname")
        .arg(url)
        .output()
        .await
        .map_err(|e| DbError::Backup(format!("cannot run {}: {e}", bin.display())))?;
    if !out.status.success() {
        let _ = std::fs::remove_file(target);
        return Err(DbError::Backup(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(Backup::Written(
        std::fs::metadata(target).map(|m| m.len()).unwrap_or(0),
    ))
}

/// A PostgreSQL client program: on PATH, else the newest of Debian's
/// `/usr/lib/postgresql/<version>/bin` (not on PATH by default).
pub fn find_pg_binary(name: &str) -> Option<std::path::PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        let mut versions: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let v = e.file_name().to_str()?.parse::<u32>().ok()?;
                Some((v, e.path().join("bin").join(name)))
            })
            .filter(|(_, p)| p.is_file())
            .collect();
        versions.sort();
        versions.pop().map(|(_, p)| p)
    })
}

pub async fn sqlite_version(pool: &SqlitePool) -> Result<String, DbError> {
    Ok(sqlx::query_scalar("select sqlite_version()")
        .fetch_one(pool)
        .await?)
}

/// For unit tests: a migrated database in a fresh temp dir with one account
/// (`user_id`, `a@b.io`), so each test starts from the same known state.
#[cfg(test)]
pub async fn test_pool(user_id: i64) -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&DbUrl::Sqlite(dir.path().join("test.db")))
        .await
        .expect("open");
    db.migrate().await.expect("migrate");
    on_db!(&db, |p| sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, 'a@b.io', 'A', 'x')",
    )
    .bind(user_id)
    .execute(p)
    .await
    .map(|_| ())
    .expect("test user"));
    (db, dir)
}

#[cfg(test)]
impl Db {
    /// The SQLite pool of a unit test's database ([`test_pool`]).
    pub fn sqlite(&self) -> &SqlitePool {
        match self {
            Db::Sqlite(p) => p,
            Db::Postgres(_) => panic!("unit tests run on SQLite"),
        }
    }
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
        let url = DbUrl::Sqlite(path.clone());
        let db = Db::open(&url).await.expect("open");
        db.migrate().await.expect("migrate");
        let pool = db.sqlite();
        assert!(version_ok(&sqlite_version(pool).await.unwrap()));
        let mode: String = sqlx::query_scalar("pragma journal_mode")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = sqlx::query_scalar("pragma foreign_keys")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(fk, 1);
        let copy = dir.join("copy.db");
        assert!(matches!(backup(&db, &url, &copy).await.unwrap(), Backup::Written(n) if n > 0));
        assert!(backup(&db, &url, &copy).await.is_err(), "never overwrites");
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}
