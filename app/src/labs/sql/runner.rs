//! Running a learner's SQL in a fresh in-memory SQLite, inside the worker
//! process. Every limit of the SQL sandbox is set here, in one place.
//!
//! A run starts from a prepared snapshot (`sqlite3_deserialize` of the
//! dataset, built once per worker), so the seed is never re-run per run.
//! The in-connection limits (time, lengths, authorizer, defensive mode) cut
//! every query the tests know of; the worker process adds the two bounds a
//! connection cannot set for itself: SQLite's heap (process-wide) and the
//! address space (see `pool`).

use std::time::{Duration, Instant};

use rusqlite::{
    fallible_iterator::FallibleIterator,
    hooks::{AuthAction, AuthContext, Authorization},
    limits::Limit,
    types::ValueRef,
    Batch, Connection, ErrorCode, MAIN_DB,
};
use serde::{Deserialize, Serialize};

use crate::labs::model::{Cell, Table, MAX_ROWS};

/// Work one run may do (the learner's script and the probe together).
pub const TIME_LIMIT: Duration = Duration::from_millis(250);
/// Bytes of values one result may hold.
pub const MAX_RESULT_BYTES: usize = 512 * 1024;
/// Longest string or blob a run may build (SQLite's `SQLITE_LIMIT_LENGTH`).
pub const MAX_VALUE_BYTES: i32 = 1_000_000;
/// Longest SQL text a learner may send.
pub const MAX_SQL_BYTES: i32 = 100_000;
/// SQLite's heap in a worker; a run that needs more gets "out of memory".
pub const HEAP_LIMIT: i64 = 64 * 1024 * 1024;

/// PRAGMAs a learner may use: they only read the schema or check the data
/// (`ALTER TABLE … ADD COLUMN` with a constraint runs `quick_check` itself).
const SAFE_PRAGMAS: &[&str] = &[
    "quick_check",
    "integrity_check",
    "foreign_key_check",
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
];

/// What to run, against which snapshot.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    pub snapshot: u64,
    pub script: String,
    /// Run after the script in the same database.
    pub probe: Option<String>,
    /// Also report `EXPLAIN QUERY PLAN` of the probe.
    pub plan: bool,
}

/// Why a run stopped, each with the sentence the learner sees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RunError {
    TimeLimit,
    TooLarge,
    OutOfMemory,
    Refused(String),
    Sql(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // Shown to the learner (in the request, in their language);
            // `why` and `msg` come from the worker and SQLite, in English.
            RunError::TimeLimit => f.write_str(&crate::t!(
                "labs-run-time-limit",
                ms = TIME_LIMIT.as_millis() as u64
            )),
            RunError::TooLarge => f.write_str(&crate::t!(
                "labs-run-too-large",
                kb = MAX_RESULT_BYTES / 1024
            )),
            RunError::OutOfMemory => f.write_str(&crate::t!(
                "labs-run-out-of-memory",
                mb = HEAP_LIMIT / (1024 * 1024)
            )),
            RunError::Refused(why) => f.write_str(&crate::t!("labs-run-refused", why = why)),
            RunError::Sql(msg) => f.write_str(&crate::t!("labs-run-sql-error", message = msg)),
        }
    }
}

/// The answer to one [`Job`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunOutput {
    /// Rows of the script's last statement that returns rows.
    pub script: Result<Option<Table>, RunError>,
    pub probe: Option<Result<Table, RunError>>,
    /// `EXPLAIN QUERY PLAN` details of the probe, one line per step.
    pub plan: Vec<String>,
}

/// Builds a snapshot: the seed (trusted content) run on a plain in-memory
/// database, then serialized.
pub fn prepare(seed: &str) -> Result<Vec<u8>, String> {
    let conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
    conn.execute_batch(seed).map_err(|e| e.to_string())?;
    let data = conn
        .serialize(MAIN_DB)
        .map_err(|e| e.to_string())?;
    Ok(data.to_vec())
}

/// Runs `job` on a fresh copy of `snapshot`.
pub fn run(snapshot: &[u8], job: &Job) -> RunOutput {
    let conn = match open(snapshot) {
        Ok(c) => c,
        Err(e) => {
            return RunOutput {
                script: Err(e),
                probe: None,
                plan: vec![],
            }
        }
    };
    let script = execute(&conn, &job.script);
    let mut out = RunOutput {
        script,
        probe: None,
        plan: vec![],
    };
    if out.script.is_err() {
        return out;
    }
    if let Some(probe) = &job.probe {
        if job.plan {
            match execute(&conn, &format!("EXPLAIN QUERY PLAN {probe}")) {
                Ok(Some(t)) => {
                    out.plan = t
                        .rows
                        .iter()
                        .filter_map(|r| r.last().map(Cell::shown))
                        .collect()
                }
                Ok(None) => {}
                Err(e) => {
                    out.probe = Some(Err(e));
                    return out;
                }
            }
        }
        out.probe = Some(execute(&conn, probe).map(Option::unwrap_or_default));
    }
    out
}

/// A fresh connection holding a copy of `snapshot`, with every limit set.
fn open(snapshot: &[u8]) -> Result<Connection, RunError> {
    let mut conn = Connection::open_in_memory().map_err(error)?;
    conn.deserialize_read_exact(MAIN_DB, snapshot, snapshot.len(), false)
        .map_err(error)?;
    // Sorts and temporary tables stay in memory: nothing touches a file.
    conn.execute_batch("PRAGMA temp_store = MEMORY;")
        .map_err(error)?;
    for (limit, value) in [
        (Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES),
        (Limit::SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES),
        (Limit::SQLITE_LIMIT_COLUMN, 200),
        (Limit::SQLITE_LIMIT_EXPR_DEPTH, 100),
        (Limit::SQLITE_LIMIT_COMPOUND_SELECT, 50),
        (Limit::SQLITE_LIMIT_VDBE_OP, 100_000),
        (Limit::SQLITE_LIMIT_FUNCTION_ARG, 16),
        // No ATTACH, and so no VACUUM INTO (it attaches its target).
        (Limit::SQLITE_LIMIT_ATTACHED, 0),
        (Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 1000),
        (Limit::SQLITE_LIMIT_VARIABLE_NUMBER, 100),
        (Limit::SQLITE_LIMIT_TRIGGER_DEPTH, 10),
        (Limit::SQLITE_LIMIT_WORKER_THREADS, 0),
    ] {
        conn.set_limit(limit, value).map_err(error)?;
    }
    use rusqlite::config::DbConfig;
    for (flag, on) in [
        (DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true),
        (DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false),
        (DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true),
    ] {
        conn.set_db_config(flag, on).map_err(error)?;
    }
    conn.authorizer(Some(authorize)).map_err(error)?;
    let deadline = Instant::now() + TIME_LIMIT;
    conn.progress_handler(1000, Some(move || Instant::now() > deadline))
        .map_err(error)?;
    Ok(conn)
}

/// The authorizer: no files, no extensions, no settings.
fn authorize(ctx: AuthContext<'_>) -> Authorization {
    match ctx.action {
        AuthAction::Attach { .. } | AuthAction::Detach { .. } => Authorization::Deny,
        AuthAction::Pragma { pragma_name, .. } => {
            if SAFE_PRAGMAS.contains(&pragma_name.to_ascii_lowercase().as_str()) {
                Authorization::Allow
            } else {
                Authorization::Deny
            }
        }
        AuthAction::Function { function_name } => {
            if function_name.eq_ignore_ascii_case("load_extension") {
                Authorization::Deny
            } else {
                Authorization::Allow
            }
        }
        _ => Authorization::Allow,
    }
}

/// Runs every statement of `sql`; the rows of the last one that returns rows.
fn execute(conn: &Connection, sql: &str) -> Result<Option<Table>, RunError> {
    if sql.len() > MAX_SQL_BYTES as usize {
        return Err(RunError::Refused(format!(
            "the SQL is longer than {} KB",
            MAX_SQL_BYTES / 1000
        )));
    }
    let mut last = None;
    let mut batch = Batch::new(conn, sql);
    while let Some(mut stmt) = batch.next().map_err(error)? {
        let n = stmt.column_count();
        if n == 0 {
            stmt.raw_execute().map_err(error)?;
            continue;
        }
        let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
        let mut table = Table {
            columns,
            rows: Vec::new(),
            truncated: false,
        };
        let mut bytes = 0usize;
        let mut rows = stmt.raw_query();
        while let Some(row) = rows.next().map_err(error)? {
            if table.rows.len() == MAX_ROWS {
                table.truncated = true;
                break;
            }
            let mut cells = Vec::with_capacity(n);
            for i in 0..n {
                let cell = match row.get_ref(i).map_err(error)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(v) => Cell::Int(v),
                    ValueRef::Real(v) => Cell::Real(v),
                    ValueRef::Text(t) => {
                        bytes += t.len();
                        Cell::Text(String::from_utf8_lossy(t).into_owned())
                    }
                    ValueRef::Blob(b) => Cell::Blob(b.len()),
                };
                bytes += 8;
                cells.push(cell);
            }
            if bytes > MAX_RESULT_BYTES {
                return Err(RunError::TooLarge);
            }
            table.rows.push(cells);
        }
        last = Some(table);
    }
    Ok(last)
}

fn error(e: rusqlite::Error) -> RunError {
    match &e {
        rusqlite::Error::SqliteFailure(f, msg) => match f.code {
            ErrorCode::OperationInterrupted => RunError::TimeLimit,
            ErrorCode::OutOfMemory => RunError::OutOfMemory,
            ErrorCode::AuthorizationForStatementDenied => RunError::Refused(
                "the statement uses ATTACH, a PRAGMA other than the schema ones, or loads an extension"
                    .into(),
            ),
            ErrorCode::TooBig => RunError::Sql(format!(
                "a value grew past the {} KB a value may hold ({})",
                MAX_VALUE_BYTES / 1000,
                msg.as_deref().unwrap_or("string or blob too big")
            )),
            // A denied function is an ordinary error to SQLite.
            _ if msg.as_deref().is_some_and(|m| m.starts_with("not authorized")) => {
                RunError::Refused(msg.clone().unwrap_or_default())
            }
            _ => RunError::Sql(msg.clone().unwrap_or_else(|| e.to_string())),
        },
        _ => RunError::Sql(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot() -> Vec<u8> {
        prepare(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n REAL);
             INSERT INTO t (name, n) VALUES ('a', 1.5), ('b', NULL), ('c', 3);",
        )
        .unwrap()
    }

    fn go(script: &str) -> RunOutput {
        run(
            &snapshot(),
            &Job {
                snapshot: 0,
                script: script.into(),
                probe: None,
                plan: false,
            },
        )
    }

    #[test]
    fn returns_the_last_result_typed() {
        let out = go("CREATE TABLE u (x); SELECT id, name, n FROM t ORDER BY id;");
        let t = out.script.unwrap().unwrap();
        assert_eq!(t.columns, vec!["id", "name", "n"]);
        assert_eq!(t.rows[0], vec![Cell::Int(1), Cell::Text("a".into()), Cell::Real(1.5)]);
        assert_eq!(t.rows[1][2], Cell::Null);
    }

    #[test]
    fn each_run_starts_fresh() {
        let snap = snapshot();
        let job = |s: &str| Job {
            snapshot: 0,
            script: s.into(),
            probe: None,
            plan: false,
        };
        run(&snap, &job("DELETE FROM t"));
        let t = run(&snap, &job("SELECT count(*) FROM t")).script.unwrap().unwrap();
        assert_eq!(t.rows[0][0], Cell::Int(3));
    }

    #[test]
    fn hostile_sql_is_cut() {
        let bomb = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c";
        let started = Instant::now();
        assert_eq!(go(bomb).script, Err(RunError::TimeLimit));
        assert!(started.elapsed() < Duration::from_millis(400));
        assert!(matches!(go("SELECT zeroblob(1e9)").script, Err(RunError::Sql(m)) if m.contains("KB")));
        let printf = go("SELECT printf('%.*c', 1000000000, 'x')").script;
        // SQLite answers NULL (or an error) rather than build the string.
        assert!(
            matches!(&printf, Err(RunError::Sql(_))) || matches!(&printf, Ok(Some(t)) if t.rows[0][0] == Cell::Null),
            "{printf:?}"
        );
        assert!(matches!(go("ATTACH ':memory:' AS x").script, Err(RunError::Refused(_)) | Err(RunError::Sql(_))));
        assert!(matches!(go("VACUUM INTO '/tmp/academy-vacuum-test.db'").script, Err(RunError::Refused(_))));
        assert!(!std::path::Path::new("/tmp/academy-vacuum-test.db").exists());
        assert!(matches!(go("PRAGMA journal_mode = WAL").script, Err(RunError::Refused(_))));
        assert!(go("PRAGMA table_info(t)").script.is_ok());
        assert!(matches!(go("SELECT load_extension('x')").script, Err(RunError::Refused(_))));
    }

    #[test]
    fn rows_are_capped() {
        let out = go("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 5000) SELECT x FROM c");
        let t = out.script.unwrap().unwrap();
        assert_eq!(t.rows.len(), MAX_ROWS);
        assert!(t.truncated);
    }

    #[test]
    fn probe_and_plan() {
        let out = run(
            &snapshot(),
            &Job {
                snapshot: 0,
                script: "CREATE INDEX t_name ON t (name)".into(),
                probe: Some("SELECT id FROM t WHERE name = 'b'".into()),
                plan: true,
            },
        );
        assert!(out.plan.iter().any(|l| l.contains("USING COVERING INDEX t_name")), "{:?}", out.plan);
        assert_eq!(out.probe.unwrap().unwrap().rows, vec![vec![Cell::Int(2)]]);
    }
}
