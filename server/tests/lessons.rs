//! Lessons over real HTTP: every lesson serves, unknown ones 404, search,
//! sanitizing, hot reload, and `academy check-content`.

mod common;

use std::{fs, path::Path, time::Duration};

use common::{repo_content, TestApp};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn lesson(id: &str, title: &str, body: &str) -> String {
    format!("---\nid: {id}\ntitle: {title}\nsummary: About {title}.\norder: 1\n---\n{body}\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipped_curriculum_is_valid_and_large_enough() {
    let store = app::lessons::load::load(&repo_content(), None);
    assert_eq!(store.problems, vec![], "content problems");
    assert!(store.tracks.len() >= 6, "{} tracks", store.tracks.len());
    assert!(
        store.lesson_count() >= 24,
        "{} lessons",
        store.lesson_count()
    );
    for l in store.lessons.values() {
        assert!(
            l.quiz.as_ref().is_some_and(|q| !q.questions.is_empty()),
            "{} has no quiz",
            l.source
        );
        assert!(!l.objectives.is_empty(), "{} has no objectives", l.source);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_lists_every_lesson_and_each_opens() {
    let app = TestApp::spawn().await;
    let store = app::lessons::load::load(&repo_content(), None);
    let index = app.get("/lessons").await;
    assert_eq!(index.status(), 200);
    let index = index.text().await.unwrap();
    for summary in store.reading_order() {
        let href = summary.href();
        assert!(
            index.contains(&format!(r#"href="{href}""#)),
            "{href} not listed"
        );
        let resp = app.get(&href).await;
        assert_eq!(resp.status(), 200, "{href}");
        let html = resp.text().await.unwrap();
        let title = summary.title.replace('&', "&amp;").replace('\'', "&#x27;");
        assert!(html.contains("<h1>"), "{href} has no h1");
        assert!(html.contains("Breadcrumb"), "{href} has no breadcrumbs");
        assert!(html.contains(r#"<meta name="description""#), "{href}");
        assert!(
            html.contains(&title) || html.contains(&summary.title),
            "{href} lacks its title"
        );
        // The quiz source (answer keys) never reaches the page.
        assert!(!html.contains("```gift"), "{href} leaks the quiz");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_lessons_and_bad_slugs_are_404() {
    let app = TestApp::spawn().await;
    for path in [
        "/lessons/backend-basics/no-such-lesson",
        "/lessons/no-such-track/intro",
        "/lessons/..%2F..%2Fetc/passwd",
        "/lessons/backend-basics",
        "/media/backend-basics/..%2F..%2FCargo.toml",
        "/media/backend-basics/what-backend-developers-do.md",
    ] {
        let resp = app.get(path).await;
        assert_eq!(resp.status(), 404, "{path}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_lessons_with_highlighted_snippets() {
    let app = TestApp::spawn().await;
    let resp = app.get("/search?q=database").await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("/lessons/databases/"),
        "no database lesson found"
    );
    assert!(html.contains("<mark>"), "no highlighted snippet");
    // The server function the search box uses answers the same.
    let hits: serde_json::Value = app
        .client
        .post(app.url("/api/search"))
        .form(&[("q", "index")])
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first = hits.as_array().unwrap().first().expect("a hit");
    assert!(first["href"].as_str().unwrap().starts_with("/lessons/"));
    // FTS syntax in the input is harmless.
    let resp = app.get("/search?q=%22NEAR(%20OR%20*").await;
    assert_eq!(resp.status(), 200);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_payloads_render_inert() {
    let content = tempfile::tempdir().unwrap();
    write(content.path(), "evil/track.toml", "title = \"Evil\"\n");
    let body = "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n<svg onload=alert(1)></svg>\n\n<iframe src=\"https://example.com\"></iframe>\n\n<a href=\"data:text/html,hi\">d</a>\n\n## Fine heading\n";
    write(
        content.path(),
        "evil/payloads.md",
        &lesson("evil", "Payloads", body),
    );
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;
    let resp = app.get("/lessons/evil/payloads").await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    let start = html.find(r#"class="lesson-body""#).unwrap();
    let body = &html[start..];
    let end = body.find("</article>").unwrap();
    let body = body[..end].to_lowercase();
    for bad in [
        "<script",
        "onerror",
        "javascript:",
        "<svg",
        "onload",
        "<iframe",
        "data:",
    ] {
        assert!(!body.contains(bad), "{bad} survived: {body}");
    }
    assert!(body.contains(r#"id="fine-heading""#));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_on_disk_are_served_without_restart() {
    let content = tempfile::tempdir().unwrap();
    write(content.path(), "t/track.toml", "title = \"T\"\n");
    write(
        content.path(),
        "t/l.md",
        &lesson("l", "Live", "## Before the edit"),
    );
    let app = TestApp::spawn_with(content.path().to_path_buf(), true).await;
    assert!(app
        .get("/lessons/t/l")
        .await
        .text()
        .await
        .unwrap()
        .contains("Before the edit"));

    write(
        content.path(),
        "t/l.md",
        &lesson("l", "Live", "## After the edit"),
    );
    let mut seen = false;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if app
            .get("/lessons/t/l")
            .await
            .text()
            .await
            .unwrap()
            .contains("After the edit")
        {
            seen = true;
            break;
        }
    }
    assert!(seen, "edit not served within 4 s");
    // The search index follows too.
    let html = app.get("/search?q=after").await.text().await.unwrap();
    assert!(html.contains("/lessons/t/l"));

    // A broken edit keeps the last good version serving.
    write(
        content.path(),
        "t/l.md",
        "---\nid: l\ntitle: [broken\n---\n",
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let resp = app.get("/lessons/t/l").await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("After the edit"));
    app.stop().await;
}

#[test]
fn check_content_reports_problems_and_exit_codes() {
    let bin = env!("CARGO_BIN_EXE_academy");
    let ok = std::process::Command::new(bin)
        .args(["check-content", repo_content().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );

    let broken = tempfile::tempdir().unwrap();
    write(broken.path(), "t/track.toml", "title = \"T\"\n");
    write(
        broken.path(),
        "t/a.md",
        "---\nid: a\ntitle: A\nminuts: 4\n---\nx\n",
    );
    write(
        broken.path(),
        "t/b.md",
        &lesson("b", "B", "[x](/lessons/t/nope)"),
    );
    let out = std::process::Command::new(bin)
        .args(["check-content", broken.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("t/a.md:4: front matter: unknown field `minuts`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("t/b.md:7: link to a lesson that does not exist"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_pages_are_cached_per_version_with_script_hashes() {
    let content = tempfile::tempdir().unwrap();
    write(content.path(), "t/track.toml", "title = \"T\"\n");
    write(
        content.path(),
        "t/l.md",
        &lesson("l", "Cached", "## Version one"),
    );
    let app = TestApp::spawn_with(content.path().to_path_buf(), true).await;
    let first = app.get("/lessons/t/l").await;
    assert!(first.headers().get("x-page-cache").is_none());
    let second = app.get("/lessons/t/l").await;
    assert_eq!(second.headers()["x-page-cache"], "hit");
    // A shared page cannot carry a per-response nonce: its policy names each
    // inline script by hash, and nothing else inline may run.
    let csp = second.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        !csp.contains("'nonce-") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let body = second.text().await.unwrap();
    let mut scripts = 0;
    for piece in body.split("<script").skip(1) {
        let (attrs, rest) = piece.split_once('>').unwrap();
        if attrs.contains(" src=") {
            continue;
        }
        let code = rest.split("</script>").next().unwrap();
        use base64::Engine;
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(code));
        assert!(
            csp.contains(&format!("'sha256-{hash}'")),
            "script {code:?} not allowed by {csp}"
        );
        scripts += 1;
    }
    assert!(scripts >= 1, "the page hydrates with an inline script");
    assert!(body.contains("Version one"));

    // A content change empties the cache.
    write(
        content.path(),
        "t/l.md",
        &lesson("l", "Cached", "## Version two"),
    );
    let mut seen = false;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if app
            .get("/lessons/t/l")
            .await
            .text()
            .await
            .unwrap()
            .contains("Version two")
        {
            seen = true;
            break;
        }
    }
    assert!(seen, "stale cached page after a content change");
    // Signed-in readers never get the shared copy.
    app.create_user("c@example.com", "C", "learner", "a long enough passphrase")
        .await;
    let signed = app
        .signed_in("c@example.com", "a long enough passphrase")
        .await;
    let resp = signed.get(app.url("/lessons/t/l")).send().await.unwrap();
    assert!(resp.headers().get("x-page-cache").is_none());
    app.stop().await;
}
