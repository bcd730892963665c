//! Progress and cohorts over real HTTP: marking, dashboards, isolation
//! between learners and instructors, concurrency, CSV.

mod common;

use common::TestApp;

const PW: &str = "a long enough passphrase";

async fn mark(
    client: &reqwest::Client,
    app: &TestApp,
    lesson: &str,
    done: &str,
) -> reqwest::Response {
    client
        .post(app.url("/progress/complete"))
        .form(&[("lesson_id", lesson), ("done", done)])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marking_complete_moves_the_dashboard_and_is_private() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    app.create_user("ada@example.com", "Ada", "learner", PW)
        .await;
    app.create_user("bo@example.com", "Bo", "learner", PW).await;
    let ada = app.signed_in("ada@example.com", PW).await;
    let bo = app.signed_in("bo@example.com", PW).await;

    let resp = mark(&ada, &app, "lesson-one", "1").await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/lessons/alpha/one#progress");
    // Twice is the same as once.
    assert_eq!(mark(&ada, &app, "lesson-one", "1").await.status(), 303);

    let dash = ada
        .get(app.url("/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dash.contains("1 of 3"), "{dash}");
    assert!(dash.contains("Continue where you left off"));
    let lesson = ada
        .get(app.url("/lessons/alpha/one"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(lesson.contains("You completed this lesson"));
    let index = ada
        .get(app.url("/lessons"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(index.contains("1 of 2"), "track bar on /lessons");

    // Bo sees nothing of Ada's progress.
    let dash = bo
        .get(app.url("/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dash.contains("0 of 3"), "{dash}");
    let lesson = bo
        .get(app.url("/lessons/alpha/one"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!lesson.contains("You completed this lesson"));

    // Undo.
    assert_eq!(mark(&ada, &app, "lesson-one", "0").await.status(), 303);
    let dash = ada
        .get(app.url("/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dash.contains("0 of 3"));

    let pool = app.pool().await;
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT u.display_name, p.completed_at FROM lesson_progress p JOIN users u ON u.id = p.user_id
         WHERE p.lesson_id = 'lesson-one' ORDER BY u.display_name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    // One row each (Bo only visited); marking twice did not add rows.
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1], ("Bo".to_string(), None));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visitors_are_asked_to_sign_in_and_bad_input_is_refused() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let resp = mark(&app.new_client(), &app, "lesson-one", "1").await;
    assert_eq!(resp.status(), 303);
    assert!(resp.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login"));
    let html = app.get("/lessons/alpha/one").await.text().await.unwrap();
    assert!(html.contains("to mark lessons complete"));

    app.create_user("c@example.com", "C", "learner", PW).await;
    let c = app.signed_in("c@example.com", PW).await;
    let resp = mark(&c, &app, "no-such-lesson", "1").await;
    assert_eq!(resp.status(), 400);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("There is no such lesson."));
    let resp = mark(&c, &app, "lesson-one", "maybe").await;
    assert_eq!(resp.status(), 400);
    let resp = c
        .post(app.url("/progress/complete"))
        .body("%%%")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    // The server function checks the caller too.
    let resp = app
        .new_client()
        .post(app.url("/api/progress/complete"))
        .header("accept", "application/json")
        .form(&[("lesson_id", "lesson-one"), ("done", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let pool = app.pool().await;
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM lesson_progress")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_marks_lose_nothing() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    app.create_user("many@example.com", "Many", "learner", PW)
        .await;
    let client = app.signed_in("many@example.com", PW).await;
    let lessons = ["lesson-one", "lesson-two", "lesson-three"];
    let mut tasks = vec![];
    for i in 0..50 {
        let client = client.clone();
        let url = app.url("/api/progress/complete");
        let lesson = lessons[i % 3];
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .header("accept", "application/json")
                .form(&[("lesson_id", lesson), ("done", "true")])
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let pool = app.pool().await;
    let done: i64 =
        sqlx::query_scalar("SELECT count(*) FROM lesson_progress WHERE completed_at IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(done, 3);
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cohort_invite_matrix_and_csv() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    app.create_user("teach@example.com", "Tea", "instructor", PW)
        .await;
    app.create_user("other@example.com", "Oth", "instructor", PW)
        .await;
    app.create_user("=cmd@example.com", "=HYPERLINK(\"x\")", "learner", PW)
        .await;
    let teacher = app.signed_in("teach@example.com", PW).await;
    let other = app.signed_in("other@example.com", PW).await;
    let learner = app.signed_in("=cmd@example.com", PW).await;

    let resp = teacher
        .post(app.url("/instructor/cohorts"))
        .form(&[("name", "Evening class")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let page = resp.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let html = teacher
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let code = html
        .split("Invite code <code>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 8);

    // A bad code says so; the right one joins.
    let resp = learner
        .post(app.url("/account/cohorts"))
        .form(&[("code", "WRONG123")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = learner
        .post(app.url("/account/cohorts"))
        .form(&[("code", code.to_lowercase().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(mark(&learner, &app, "lesson-two", "1").await.status(), 303);

    let html = teacher
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("1/3"), "matrix shows the learner's progress");
    let sorted = teacher
        .get(app.url(&format!("{page}?sort=idle")))
        .send()
        .await
        .unwrap();
    assert_eq!(sorted.status(), 200);

    let csv = teacher
        .get(app.url(&format!("{page}/export.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "one row per learner × lesson");
    let two = rows.iter().find(|r| &r[3] == "lesson-two").unwrap();
    assert_eq!(&two[6], "done");
    assert!(
        two[9].ends_with('Z') && two[9].len() == 20,
        "timestamp: {}",
        &two[9]
    );
    assert!(two[1].starts_with("'="), "formula neutralised: {}", &two[1]);
    assert!(two[2].starts_with("'="), "formula neutralised: {}", &two[2]);

    // Another instructor and the learner see nothing of this cohort.
    for (who, client, want) in [
        ("other instructor", &other, 404),
        ("learner", &learner, 403),
    ] {
        let resp = client
            .get(app.url(&format!("{page}/export.csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), want, "CSV as {who}");
        let resp = client
            .post(app.url("/api/instructor/cohort"))
            .header("accept", "application/json")
            .form(&[("id", id.to_string()), ("sort", String::new())])
            .send()
            .await
            .unwrap();
        assert!(
            resp.status() == 404 || resp.status() == 403,
            "matrix as {who}: {}",
            resp.status()
        );
        let html = client.get(app.url(&page)).send().await.unwrap();
        assert!(
            html.status() == 404 || html.status() == 403,
            "page as {who}"
        );
    }
    let list = other
        .get(app.url("/instructor"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!list.contains("Evening class"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invite_only_registration_needs_a_code() {
    let app = TestApp::spawn_fixture(|c| {
        c.settings.registration = app::auth::model::RegistrationMode::InviteOnly;
    })
    .await;
    let owner = app
        .create_user("t@example.com", "T", "instructor", PW)
        .await;
    let pool = app.pool().await;
    let cohort = app::progress::db::create_cohort(&pool, "C", owner)
        .await
        .unwrap();
    let resp = app
        .new_client()
        .post(app.url("/register"))
        .form(&[("email", "n@example.com"), ("name", "N"), ("password", PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("needs an invite code"));
    let resp = app
        .new_client()
        .post(app.url("/register"))
        .form(&[
            ("email", "n@example.com"),
            ("name", "N"),
            ("password", PW),
            ("code", cohort.invite_code.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let members: i64 = sqlx::query_scalar("SELECT count(*) FROM cohort_members")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(members, 1);
    app.stop().await;
}

/// True when `s`, ignoring leading spaces, starts with a character that
/// makes a spreadsheet read a formula.
fn formula_start(s: &str) -> bool {
    s.trim_start_matches(' ')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Issue 13, finding 11: a display name with a formula after a `;` (a
/// semicolon-delimited spreadsheet splits the cell there) or at the start
/// must reach the instructor's CSV neutralised (`'`) and quoted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_export_neutralises_formulas_in_every_segment() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let owner = app
        .create_user("teach@example.com", "Tea", "instructor", PW)
        .await;
    let names = [
        ("ada@example.com", "Ada;=HYPERLINK(\"http://evil.example\")"),
        ("sum@example.com", "@SUM(1)"),
        ("tab@example.com", "Tab; \t=1+1,-2"),
    ];
    let pool = app.pool().await;
    let cohort = app::progress::db::create_cohort(&pool, "Evening class", owner)
        .await
        .unwrap();
    for (email, name) in names {
        app.create_user(email, name, "learner", PW).await;
        let learner = app.signed_in(email, PW).await;
        let resp = learner
            .post(app.url("/account/cohorts"))
            .header("origin", &app.base)
            .form(&[("code", cohort.invite_code.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "{email} joins");
    }
    let teacher = app.signed_in("teach@example.com", PW).await;
    let resp = teacher
        .get(app.url(&format!("/instructor/cohorts/{}/export.csv", cohort.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body = resp.text().await.unwrap();

    // Each hostile field is quoted as a whole, its formulas neutralised.
    for want in [
        r#""Ada;'=HYPERLINK(""http://evil.example"")""#,
        r#""'@SUM(1)""#,
    ] {
        assert!(body.contains(want), "{want} missing from\n{body}");
    }
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3 * 3, "one row per learner × lesson");
    // The names survive, apostrophes aside.
    for (_, name) in names {
        assert!(
            rows.iter().any(|r| r[1].replace('\'', "") == name),
            "{name:?} lost"
        );
    }
    for row in &rows {
        for cell in row {
            for segment in cell.split([';', ',', '\t', '\n', '\r']) {
                assert!(!formula_start(segment), "{segment:?} of {cell:?}");
            }
            assert!(!formula_start(cell), "{cell:?}");
        }
    }
    // A semicolon-delimited reader that ignores quotes sees no formula either.
    for line in body.lines() {
        for field in line.split(';') {
            let field = field.trim_start_matches('"');
            assert!(!formula_start(field), "{field:?} in {line:?}");
        }
    }
    app.stop().await;
}
