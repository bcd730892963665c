//! `academy migrate-data --from … --to …`: moves a whole install between
//! databases (typically one SQLite file to PostgreSQL), then proves it by
//! counting every table on both sides.
//!
//! The target is migrated first and must hold no data, so a copy can never
//! merge two installs. Rows are copied table by table in foreign-key order,
//! each table in one transaction, with ids kept (progress, attempts and
//! revisions keep pointing at the same accounts); PostgreSQL's identity
//! counters are then moved past the copied ids. The quiz secret is copied
//! too, so quiz forms already open in a browser still grade. The search
//! index is not data: each instance rebuilds it from its content.

use sqlx::Row;

use super::{Db, DbError, DbUrl};

/// Every table, parents before children.
pub const TABLES: &[&str] = &[
    "users",
    "app_secrets",
    "sessions",
    "login_failures",
    "lesson_progress",
    "activity_days",
    "cohorts",
    "cohort_members",
    "quiz_attempts",
    "quiz_essay_marks",
    "lesson_revisions",
    "lab_tokens",
    "lab_items",
    "lab_idempotency",
    "lab_requests",
    "exercise_progress",
    "exercise_runs",
    "published_files",
    "recovery_codes",
    "password_resets",
    "audit_log",
];

/// Tables whose `id` PostgreSQL numbers (identity columns).
const IDENTITY: &[&str] = &[
    "users",
    "cohorts",
    "quiz_attempts",
    "lesson_revisions",
    "lab_idempotency",
    "lab_requests",
    "exercise_runs",
    "published_files",
    "audit_log",
];

/// How a column is read and written, from the target's declared type.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Int,
    Real,
    Text,
    Blob,
    Bool,
}

#[derive(Debug)]
enum Value {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Blob(Option<Vec<u8>>),
    Bool(Option<bool>),
}

/// Copies `from` into `to` and returns each table's row count (equal on
/// both sides, or an error saying which table differs).
pub async fn copy_install(from: &DbUrl, to: &DbUrl) -> Result<Vec<(String, u64)>, DbError> {
    if from == to {
        return Err(DbError::Copy("--from and --to are the same database".into()));
    }
    let source = Db::open(from).await?;
    let target = Db::open(to).await?;
    // The source must be at the binary's schema: migrating it is the same
    // step `academy serve` would take, and it adds no rows.
    source.migrate().await?;
    target.migrate().await?;
    for table in TABLES {
        let rows = count(&target, table).await?;
        // The target's own migration drew a quiz secret; the source's wins.
        if rows > 0 && *table != "app_secrets" {
            return Err(DbError::Copy(format!(
                "{to} already holds data ({rows} rows in {table}); migrate-data only fills an empty database"
            )));
        }
    }
    let mut report = Vec::new();
    for table in TABLES {
        let columns = columns(&target, table).await?;
        let rows = read(&source, table, &columns).await?;
        write(&target, table, &columns, &rows).await?;
        let (a, b) = (count(&source, table).await?, count(&target, table).await?);
        if a != b {
            return Err(DbError::Copy(format!(
                "{table}: {a} rows in {from} but {b} in {to} after copying"
            )));
        }
        tracing::info!(table, rows = a, "copied");
        report.push((table.to_string(), a));
    }
    if let Db::Postgres(p) = &target {
        for table in IDENTITY {
            // `format!` of a name from the fixed list above, never input.
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM {table}"
            );
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(p).await?;
        }
    }
    source.close().await;
    target.close().await;
    Ok(report)
}

async fn count(db: &Db, table: &str) -> Result<u64, DbError> {
    let sql = format!("SELECT count(*) FROM {table}");
    let n: i64 = on_db!(db, |p| sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
        .fetch_one(p)
        .await)?;
    Ok(n as u64)
}

/// The target's columns of `table` with how to copy each.
async fn columns(db: &Db, table: &str) -> Result<Vec<(String, Kind)>, DbError> {
    let declared: Vec<(String, String)> = match db {
        Db::Sqlite(p) => {
            sqlx::query_as("SELECT name, upper(type) FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(p)
                .await?
        }
        Db::Postgres(p) => {
            sqlx::query_as(
                "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(p)
            .await?
        }
    };
    declared
        .into_iter()
        .map(|(name, ty)| {
            let ty = ty.to_lowercase();
            let kind = if ty.contains("int") {
                Kind::Int
            } else if ty.contains("bool") {
                Kind::Bool
            } else if ty.contains("real") || ty.contains("double") {
                Kind::Real
            } else if ty.contains("blob") || ty.contains("bytea") {
                Kind::Blob
            } else if ty.contains("text") || ty.contains("char") {
                Kind::Text
            } else {
                return Err(DbError::Copy(format!("{table}.{name}: unknown type {ty}")));
            };
            Ok((name, kind))
        })
        .collect()
}

async fn read(db: &Db, table: &str, columns: &[(String, Kind)]) -> Result<Vec<Vec<Value>>, DbError> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    let sql = format!("SELECT {} FROM {table}", names.join(", "));
    let rows = on_db!(db, |p| {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).fetch_all(p).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut values = Vec::with_capacity(columns.len());
            for (i, (_, kind)) in columns.iter().enumerate() {
                values.push(match kind {
                    Kind::Int => Value::Int(row.try_get(i)?),
                    Kind::Real => Value::Real(row.try_get(i)?),
                    Kind::Text => Value::Text(row.try_get(i)?),
                    Kind::Blob => Value::Blob(row.try_get(i)?),
                    Kind::Bool => Value::Bool(row.try_get(i)?),
                });
            }
            out.push(values);
        }
        Ok::<_, sqlx::Error>(out)
    })?;
    Ok(rows)
}

async fn write(
    db: &Db,
    table: &str,
    columns: &[(String, Kind)],
    rows: &[Vec<Value>],
) -> Result<(), DbError> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    );
    let mut tx = db.begin().await?;
    if table == "app_secrets" {
        on_tx!(&mut tx, |c| sqlx::query("DELETE FROM app_secrets")
            .execute(&mut *c)
            .await
            .map(|d| d.rows_affected()))?;
    }
    for row in rows {
        on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for v in row {
                q = match v {
                    Value::Int(x) => q.bind(*x),
                    Value::Real(x) => q.bind(*x),
                    Value::Text(x) => q.bind(x.clone()),
                    Value::Blob(x) => q.bind(x.clone()),
                    Value::Bool(x) => q.bind(*x),
                };
            }
            q.execute(&mut *c).await.map(|d| d.rows_affected())
        })?;
    }
    tx.commit().await?;
    Ok(())
}
