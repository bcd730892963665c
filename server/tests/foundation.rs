//! The foundation over real HTTP: health, the shell, 404, migrations, theme.

mod common;

use common::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_reports_ok_and_a_safe_sqlite() {
    let app = TestApp::spawn().await;
    let resp = app.get("/healthz").await;
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    let version = body["sqlite_version"].as_str().unwrap();
    assert!(app::db::version_ok(version), "unsafe sqlite {version}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_page_is_server_rendered_with_hydration_script() {
    let app = TestApp::spawn().await;
    let resp = app.get("/").await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
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
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_path_is_a_real_404_page() {
    let app = TestApp::spawn().await;
    let resp = app.get("/no/such/page").await;
    assert_eq!(resp.status(), 404);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Page not found"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_are_applied_on_start() {
    let app = TestApp::spawn().await;
    assert!(app.db_path.exists(), "database file created on first start");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", app.db_path.display()))
        .await
        .unwrap();
    let applied: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(applied >= 1);
    let tables: i64 = sqlx::query_scalar(
        "select count(*) from sqlite_master where type='table' and name in ('users','sessions')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(tables, 2);
    pool.close().await;
    app.stop().await;
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
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains(r#"data-theme="dark""#), "{html}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_is_compressed_and_hardened() {
    let app = TestApp::spawn().await;
    let resp = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-encoding"], "br");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_body_is_refused() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn().await;
    // Announce a body over the limit and send only its start: the server must
    // answer 413 from the header alone, without reading (or buffering) it.
    let host = app.base.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&host).await.unwrap();
    let head = format!(
        "POST /theme HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\naaaa",
        academy_server::BODY_LIMIT + 1
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut reply = vec![0u8; 64];
    let n = s.read(&mut reply).await.unwrap();
    let reply = String::from_utf8_lossy(&reply[..n]).to_string();
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    app.stop().await;
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
    app.stop().await;
}
