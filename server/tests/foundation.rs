//! The foundation over real HTTP: health, the shell, 404, migrations, theme.

mod common;

use common::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_reports_ok_and_a_safe_database() {
    let app = TestApp::spawn().await;
    let resp = app.get("/healthz").await;
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    let version = body["database"].as_str().unwrap();
    match version.strip_prefix("SQLite ") {
        Some(v) => assert!(app::db::version_ok(v), "unsafe sqlite {version}"),
        None => assert!(
            common::on_postgres() && version.starts_with("PostgreSQL "),
            "{version}"
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_is_server_rendered_with_hydration_script() {
    let app = TestApp::spawn().await;
    let html = app.expect_page("/", 200).await;
    assert!(html.contains("<title>Learn backend development · Backend Academy</title>"));
    assert!(html.contains("Learn backend development, one lesson at a time"));
    assert!(html.contains(r#"href="/lessons""#));
    assert!(html.contains("Skip to content"));
    // The islands hydration script loads the WASM bundle from the hashed pkg dir.
    assert!(
        html.contains("/pkg/dev/academy.js"),
        "no hydration script: {html}"
    );
    assert!(
        html.contains("<leptos-island"),
        "theme toggle island missing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_path_is_a_real_404_page() {
    let app = TestApp::spawn().await;
    let html = app.expect_page("/no/such/page", 404).await;
    assert!(html.contains("Page not found"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_are_applied_on_start() {
    let app = TestApp::spawn().await;
    if let app::db::DbUrl::Sqlite(path) = &app.db_path {
        assert!(path.exists(), "database file created on first start");
    }
    let applied: i64 = app
        .scalar("select count(*) from _sqlx_migrations where success")
        .await;
    assert_eq!(applied, 13, "every migration of the engine");
    // Both users and sessions exist and are empty.
    assert_eq!(app.count("users").await + app.count("sessions").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn theme_toggle_without_js_sets_cookie_and_redirects_back() {
    let app = TestApp::spawn().await;
    let resp = app
        .client
        .post(app.url("/theme"))
        .header("referer", app.url("/some/page?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/some/page?x=1");
    // The cookie jar now carries theme=dark: the next page renders dark.
    let (_, html) = app.page("/").await;
    assert!(html.contains(r#"data-theme="dark""#), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_is_compressed_and_hardened() {
    let app = TestApp::spawn().await;
    let brotli = ("accept-encoding", "br");
    let resp = app.get_with_header(&app.client, "/", brotli).await;
    assert_eq!(resp.headers()["content-encoding"], "br");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_body_is_refused() {
    let app = TestApp::spawn().await;
    // Announce a body over the limit and send only its start: the server must
    // answer 413 from the header alone, without reading (or buffering) it.
    let head = format!(
        "POST /theme HTTP/1.1\r\nContent-Length: {}",
        academy_server::BODY_LIMIT + 1
    );
    let reply = app.raw_request(&head, "aaaa").await;
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_server_function_payloads_are_400_not_500() {
    let app = TestApp::spawn().await;
    for (path, body) in [
        ("/api/search", "x=1"),
        ("/api/progress/complete", "lesson_id"),
        ("/api/salaries/results", ""),
    ] {
        let resp = app
            .client
            .post(app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{path}");
        assert!(
            resp.text()
                .await
                .unwrap()
                .contains("The request was malformed"),
            "{path}"
        );
    }
}
