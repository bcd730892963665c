//! Choosing and moving between the two engines: what `--db` accepts, and
//! `academy migrate-data` from an SQLite install to PostgreSQL.

mod common;

use std::process::Command;

use app::db::DbUrl;
use common::{input_value, PgServer, TestApp, PW};

fn academy(args: &[&str], cwd: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_academy"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `academy migrate --db postgres:/x` once made an SQLite file in a folder
/// named `postgres:`. A URL of an unknown scheme, or a path that looks like
/// a URL, is refused with a sentence and creates nothing.
#[test]
fn urls_of_unknown_schemes_are_refused_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for db in [
        "postgres:/x",
        "mysql://root@localhost/academy",
        "pg://h/db",
        "sqlite::memory:",
    ] {
        let (code, _, err) = academy(&["migrate", "--db", db], dir.path());
        assert_eq!(code, 2, "{db}: {err}");
        assert!(
            err.contains("postgres://") && err.contains("sqlite://"),
            "{db}: the refusal says what to write instead: {err}"
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing was created"
    );
    // A path and an sqlite:// URL are files, as before.
    let (code, out, err) = academy(&["migrate", "--db", "sqlite://data/a.db"], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("up to date"));
    assert!(dir.path().join("data/a.db").is_file());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_data_moves_an_sqlite_install_to_postgres_with_nothing_lost() {
    // An SQLite install with accounts, progress, a quiz attempt, a cohort
    // and an editor revision.
    let sqlite_dir = tempfile::tempdir().unwrap();
    let sqlite = DbUrl::Sqlite(sqlite_dir.path().join("academy.db"));
    let from = sqlite.clone();
    let old = TestApp::spawn_fixture(move |c| c.db = from).await;
    let (ada, ada_id) = old.user("ada@example.com", "Ada", "learner").await;
    let (ted, ted_id) = old.user("ted@example.com", "Ted", "instructor").await;
    let form = [("lesson_id", "lesson-one"), ("done", "1")];
    assert_eq!(
        old.post_form(&ada, "/progress/complete", &form)
            .await
            .status(),
        303
    );
    let (_, quiz) = old.get_text(&ada, "/lessons/alpha/two/quiz").await;
    let attempt = input_value(&quiz, "attempt");
    let form = [("attempt", attempt.as_str())];
    let resp = old.post_form(&ada, "/lessons/alpha/two/quiz", &form).await;
    assert_eq!(resp.status(), 303, "quiz submitted");
    let result_page = resp.headers()["location"].to_str().unwrap().to_string();
    let cohort = app::progress::db::create_cohort(&old.pool().await, "Evening", ted_id)
        .await
        .unwrap();
    app::progress::db::join_cohort(&old.pool().await, cohort.id, ada_id)
        .await
        .unwrap();
    let (_, editor) = old.get_text(&ted, "/editor/alpha/one").await;
    let base = input_value(&editor, "base");
    let text = old
        .content_file("alpha/one.md")
        .replace("Text about One.", "Edited once.");
    let form = [
        ("text", text.as_str()),
        ("base", base.as_str()),
        ("action", "save"),
    ];
    assert_eq!(
        old.post_form(&ted, "/editor/alpha/one", &form)
            .await
            .status(),
        303
    );
    let counts: Vec<i64> = {
        let mut v = vec![];
        for t in app::db::copy::TABLES {
            v.push(old.count(t).await);
        }
        v
    };
    drop(old);

    let pg = PgServer::get();
    let target = pg.database("migrated").await;
    let from = format!(
        "sqlite://{}",
        sqlite_dir.path().join("academy.db").display()
    );
    let (code, out, err) = academy(
        &["migrate-data", "--from", &from, "--to", &target],
        sqlite_dir.path(),
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("every table's count matches"), "{out}");
    assert!(out.contains("quiz_attempts"), "{out}");

    // A second copy into the now non-empty target is refused.
    let (code, _, err) = academy(
        &["migrate-data", "--from", &from, "--to", &target],
        sqlite_dir.path(),
    );
    assert_ne!(code, 0);
    assert!(err.contains("only fills an empty database"), "{err}");

    // The PostgreSQL install serves the same people and the same progress.
    let to: DbUrl = target.parse().unwrap();
    let moved = TestApp::spawn_fixture(move |c| c.db = to).await;
    for (t, n) in app::db::copy::TABLES.iter().zip(&counts) {
        assert_eq!(moved.count(t).await, *n, "{t}");
    }
    let ada = moved.signed_in("ada@example.com", PW).await;
    let (_, dash) = moved.get_text(&ada, "/dashboard").await;
    assert!(dash.contains("1 of 3"), "{dash}");
    let (status, _) = moved.get_text(&ada, &result_page).await;
    assert_eq!(status, 200, "the stored quiz result opens");
    let ted = moved.signed_in("ted@example.com", PW).await;
    let (_, history) = moved.get_text(&ted, "/editor/alpha/one/history").await;
    assert!(history.contains("Ted"), "the revision kept its author");
    // New rows get fresh ids (the identity counters moved past the copy).
    let (_, new_id) = moved.sign_in_as("learner").await;
    assert!(new_id > ted_id);
    let form = [("name", "Second class")];
    let resp = moved.post_form(&ted, "/instructor/cohorts", &form).await;
    assert!(resp.status().is_redirection(), "{}", resp.status());
}
