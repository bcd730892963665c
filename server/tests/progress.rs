//! Progress and cohorts over real HTTP: marking, dashboards, isolation
//! between learners and instructors, concurrency, CSV.

mod common;

use common::{assert_answer, text_between, TestApp, PW};

async fn mark(
    client: &reqwest::Client,
    app: &TestApp,
    lesson: &str,
    done: &str,
) -> reqwest::Response {
    let form = [("lesson_id", lesson), ("done", done)];
    app.post_form(client, "/progress/complete", &form).await
}

/// Whether the lesson's status line says it is complete (the island's
/// props carry both sentences for everyone; the line shows one).
fn says_completed(html: &str) -> bool {
    text_between(html, r#"class="mark-status""#, "</p>")
        .is_some_and(|status| status.contains("You completed this lesson"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marking_complete_moves_the_dashboard_and_is_private() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let (ada, _) = app.user("ada@example.com", "Ada", "learner").await;
    let (bo, _) = app.user("bo@example.com", "Bo", "learner").await;

    let resp = mark(&ada, &app, "lesson-one", "1").await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/lessons/alpha/one#progress");
    // Twice is the same as once.
    assert_eq!(mark(&ada, &app, "lesson-one", "1").await.status(), 303);

    let (_, dash) = app.get_text(&ada, "/dashboard").await;
    assert!(dash.contains("1 of 3"), "{dash}");
    assert!(dash.contains("Continue where you left off"));
    let (_, lesson) = app.get_text(&ada, "/lessons/alpha/one").await;
    assert!(says_completed(&lesson), "{lesson}");
    let (_, index) = app.get_text(&ada, "/lessons").await;
    assert!(index.contains("1 of 2"), "track bar on /lessons");

    // Bo sees nothing of Ada's progress.
    let (_, dash) = app.get_text(&bo, "/dashboard").await;
    assert!(dash.contains("0 of 3"), "{dash}");
    let (_, lesson) = app.get_text(&bo, "/lessons/alpha/one").await;
    assert!(!says_completed(&lesson));

    // Undo.
    assert_eq!(mark(&ada, &app, "lesson-one", "0").await.status(), 303);
    let (_, dash) = app.get_text(&ada, "/dashboard").await;
    assert!(dash.contains("0 of 3"));

    let names: Vec<String> = app
        .column(
            "SELECT u.display_name FROM lesson_progress p JOIN users u ON u.id = p.user_id
             WHERE p.lesson_id = 'lesson-one' ORDER BY u.display_name",
        )
        .await;
    // One row each (Bo only visited); marking twice did not add rows.
    assert_eq!(names, ["Ada", "Bo"]);
    let bo: Vec<Option<i64>> = app
        .column(
            "SELECT p.completed_at FROM lesson_progress p JOIN users u ON u.id = p.user_id
             WHERE p.lesson_id = 'lesson-one' AND u.display_name = 'Bo'",
        )
        .await;
    assert_eq!(bo, [None]);
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
    let (_, html) = app.page("/lessons/alpha/one").await;
    assert!(html.contains("to mark lessons complete"));

    let (c, _) = app.sign_in_as("learner").await;
    let resp = mark(&c, &app, "no-such-lesson", "1").await;
    assert_answer(resp, 400, "There is no such lesson.").await;
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
    let form = [("lesson_id", "lesson-one"), ("done", "true")];
    let resp = app
        .call(&app.new_client(), "/api/progress/complete", &form)
        .await;
    assert_eq!(resp.status(), 401);
    assert_eq!(app.count("lesson_progress").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_marks_lose_nothing() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let (client, _) = app.sign_in_as("learner").await;
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
    let done = app
        .count_where("lesson_progress", "completed_at IS NOT NULL")
        .await;
    assert_eq!(done, 3);
    // SQLite checks its file; PostgreSQL checks its pages itself (there is
    // no integrity_check), so there every row must read back instead.
    let check: String = app
        .scalar(if common::on_postgres() {
            "SELECT CASE WHEN count(*) >= 0 THEN 'ok' END FROM lesson_progress"
        } else {
            "PRAGMA integrity_check"
        })
        .await;
    assert_eq!(check, "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cohort_invite_matrix_and_csv() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let (teacher, _) = app.sign_in_as("instructor").await;
    let (other, _) = app.sign_in_as("instructor").await;
    let name = "=HYPERLINK(\"x\")";
    let (learner, _) = app.user("=cmd@example.com", name, "learner").await;

    let form = [("name", "Evening class")];
    let resp = app.post_form(&teacher, "/instructor/cohorts", &form).await;
    assert_eq!(resp.status(), 303);
    let page = resp.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let (_, html) = app.get_text(&teacher, &page).await;
    let code = text_between(&html, "Invite code <code>", "<").unwrap();
    let code = code.to_string();
    assert_eq!(code.len(), 8);

    // A bad code says so; the right one joins.
    for (code, want) in [("WRONG123".to_string(), 400), (code.to_lowercase(), 303)] {
        let form = [("code", code.as_str())];
        let resp = app.post_form(&learner, "/account/cohorts", &form).await;
        assert_eq!(resp.status(), want, "{code}");
    }
    assert_eq!(mark(&learner, &app, "lesson-two", "1").await.status(), 303);

    let (_, html) = app.get_text(&teacher, &page).await;
    assert!(html.contains("1/3"), "matrix shows the learner's progress");
    let sorted = format!("{page}?sort=idle");
    assert_eq!(app.status(&teacher, &sorted).await, 200);

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
        let form = [("id", id.to_string()), ("sort", String::new())];
        let resp = app.call(client, "/api/instructor/cohort", &form).await;
        assert!(
            resp.status() == 404 || resp.status() == 403,
            "matrix as {who}: {}",
            resp.status()
        );
        let html = app.status(client, &page).await;
        assert!(html == 404 || html == 403, "page as {who}");
    }
    let (_, list) = app.get_text(&other, "/instructor").await;
    assert!(!list.contains("Evening class"));
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
    let mut form = vec![("email", "n@example.com"), ("name", "N"), ("password", PW)];
    let resp = app.post_form(&app.new_client(), "/register", &form).await;
    assert_answer(resp, 400, "needs an invite code").await;
    form.push(("code", cohort.invite_code.as_str()));
    let resp = app.post_form(&app.new_client(), "/register", &form).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(app.count("cohort_members").await, 1);
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
        let (learner, _) = app.user(email, name, "learner").await;
        let form = [("code", cohort.invite_code.as_str())];
        let resp = app.post_form(&learner, "/account/cohorts", &form).await;
        assert_eq!(resp.status(), 303, "{email} joins");
    }
    let teacher = app.signed_in("teach@example.com", PW).await;
    let csv = format!("/instructor/cohorts/{}/export.csv", cohort.id);
    let (status, body) = app.get_text(&teacher, &csv).await;
    assert_eq!(status, 200);

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
}
