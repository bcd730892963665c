//! Lessons over real HTTP: every lesson serves, unknown ones 404, search,
//! sanitizing, hot reload, and `academy check-content`.

mod common;

use std::{path::Path, time::Duration};

use common::{check_content, repo_content, write_file as write, TestApp};

fn lesson(id: &str, title: &str, body: &str) -> String {
    format!("---\nid: {id}\ntitle: {title}\nsummary: About {title}.\norder: 1\n---\n{body}\n")
}

/// A watched content folder with one track `t` and its lesson `l`
/// (`title`, `body`), and the app serving it: for the hot-reload tests.
async fn watched_lesson(title: &str, body: &str) -> (tempfile::TempDir, TestApp) {
    let content = tempfile::tempdir().unwrap();
    write(content.path(), "t/track.toml", "title = \"T\"\n");
    write(content.path(), "t/l.md", &lesson("l", title, body));
    let app = TestApp::spawn_with(content.path().to_path_buf(), true).await;
    (content, app)
}

/// Rewrites lesson `l` of [`watched_lesson`] with the heading `heading`
/// and says whether the app serves it within about 4 s (the watcher
/// reloads edited content in the background).
async fn edit_served(app: &TestApp, content: &Path, title: &str, heading: &str) -> bool {
    let body = format!("## {heading}");
    write(content, "t/l.md", &lesson("l", title, &body));
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if app.page("/lessons/t/l").await.1.contains(heading) {
            return true;
        }
    }
    false
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
    use app::{
        labs::model::{ExerciseKind, SqlCheck},
        lessons::model::LessonKind,
        quiz::model::Kind,
    };
    // Fractions Moodle's question editor offers (and so imports unchanged).
    const MOODLE: [f64; 21] = [
        100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0, 25.0,
        20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0,
    ];
    let moodle = |f: f64| MOODLE.iter().any(|m| ((f * 100.0).abs() - m).abs() < 1e-4);
    let lessons: Vec<_> = store
        .lessons
        .values()
        .filter(|l| l.meta.kind == LessonKind::Lesson)
        .collect();
    assert!(lessons.len() >= 53, "{} lessons", lessons.len());
    for l in &lessons {
        let quiz = l
            .quiz
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no quiz", l.source));
        assert!(
            quiz.questions.len() >= 6,
            "{} has {} questions",
            l.source,
            quiz.questions.len()
        );
        assert!(
            quiz.questions.iter().any(|q| matches!(
                q.kind,
                Kind::ShortAnswer { .. } | Kind::Numerical { .. } | Kind::Matching { .. }
            )),
            "{}: every quiz needs a question that is not multiple choice",
            l.source
        );
        for q in &quiz.questions {
            let fractions: Vec<f64> = match &q.kind {
                Kind::MultipleChoice { choices, .. } => {
                    choices.iter().map(|c| c.fraction).collect()
                }
                Kind::ShortAnswer { answers } => answers.iter().map(|c| c.fraction).collect(),
                Kind::Numerical { answers } => answers.iter().map(|a| a.fraction).collect(),
                _ => vec![],
            };
            for f in fractions {
                assert!(
                    moodle(f),
                    "{}:{}: weight {} % Moodle would refuse",
                    l.source,
                    q.line,
                    f * 100.0
                );
            }
        }
        assert!(!l.objectives.is_empty(), "{} has no objectives", l.source);
    }
    // Every track ends with its project brief.
    for track in &store.tracks {
        let last = track.lessons.last().expect("a track has lessons");
        assert_eq!(
            last.kind,
            LessonKind::Project,
            "track {} does not end with a project",
            track.slug
        );
    }
    // Practice: SQL exercises in every databases lesson (plan ones for
    // indexes), HTTP ones across HTTP and APIs, some for performance.
    let exercises = |track: &str, kind: ExerciseKind| -> Vec<(String, usize)> {
        lessons
            .iter()
            .filter(|l| l.meta.track == track)
            .map(|l| {
                (
                    l.source.clone(),
                    l.exercises.iter().filter(|e| e.kind == kind).count(),
                )
            })
            .collect()
    };
    for (source, n) in exercises("databases", ExerciseKind::Sql) {
        assert!(n >= 3, "{source} has {n} SQL exercises");
    }
    let indexes = store
        .lesson("databases", "indexes")
        .expect("indexes lesson");
    let plans = indexes
        .exercises
        .iter()
        .filter(|e| e.sql.as_ref().is_some_and(|s| s.check == SqlCheck::Plan))
        .count();
    assert!(plans >= 2, "{plans} plan exercises in the indexes lesson");
    let http: usize = exercises("http-and-apis", ExerciseKind::Http)
        .iter()
        .map(|e| e.1)
        .sum();
    assert!(http >= 8, "{http} HTTP exercises");
    let perf: usize = exercises("performance", ExerciseKind::Sql)
        .iter()
        .map(|e| e.1)
        .sum();
    assert!(perf >= 3, "{perf} performance exercises");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_lists_every_lesson_and_each_opens() {
    let app = TestApp::spawn().await;
    let store = app::lessons::load::load(&repo_content(), None);
    let index = app.expect_page("/lessons", 200).await;
    for summary in store.reading_order() {
        let href = summary.href();
        assert!(
            index.contains(&format!(r#"href="{href}""#)),
            "{href} not listed"
        );
        let html = app.expect_page(&href, 200).await;
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_lessons_and_bad_slugs_are_404() {
    let app = TestApp::spawn().await;
    for path in [
        "/lessons/backend-basics/no-such-lesson",
        "/lessons/no-such-track/intro",
        "/lessons/..%2F..%2Fetc/passwd",
        "/lessons/no-such-track",
        "/media/backend-basics/..%2F..%2FCargo.toml",
        "/media/backend-basics/what-backend-developers-do.md",
    ] {
        let resp = app.get(path).await;
        assert_eq!(resp.status(), 404, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_lessons_with_highlighted_snippets() {
    let app = TestApp::spawn().await;
    let html = app.expect_page("/search?q=database", 200).await;
    assert!(
        html.contains("/lessons/databases/"),
        "no database lesson found"
    );
    assert!(html.contains("<mark>"), "no highlighted snippet");
    // The server function the search box uses answers the same.
    let resp = app
        .call(&app.client, "/api/search", &[("q", "index")])
        .await;
    let found: serde_json::Value = resp.json().await.unwrap();
    let first = found["hits"].as_array().unwrap().first().expect("a hit");
    assert!(first["href"].as_str().unwrap().starts_with("/lessons/"));
    // FTS syntax in the input is harmless.
    let resp = app.get("/search?q=%22NEAR(%20OR%20*").await;
    assert_eq!(resp.status(), 200);
    // Every lesson is found by its title (the curriculum v2 tracks included).
    let store = app::lessons::load::load(&repo_content(), None);
    let mut missing = vec![];
    for lesson in store.reading_order() {
        let resp = app
            .call(&app.client, "/api/search", &[("q", lesson.title.as_str())])
            .await;
        let results: serde_json::Value = resp.json().await.unwrap();
        let found = results["hits"]
            .as_array()
            .is_some_and(|h| h.iter().any(|hit| hit["href"] == lesson.href().as_str()));
        if !found {
            missing.push(lesson.href());
        }
    }
    assert_eq!(
        missing,
        Vec::<String>::new(),
        "lessons search does not find by title"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_is_bounded_counts_pages_and_tolerates_a_typo() {
    let app = TestApp::spawn().await;
    let store = app::lessons::load::load(&repo_content(), None);
    // The old stall: repeated one-letter prefixes. Now one whole-word term.
    let started = std::time::Instant::now();
    let html = app
        .expect_page("/search?q=a+a+a+a+a+a+a+a+a+a+a", 200)
        .await;
    assert!(started.elapsed() < std::time::Duration::from_millis(1500));
    assert!(html.contains("search-count"));
    // The true total, and pages that work without JavaScript.
    let all = store.lesson_count();
    let html = app.expect_page("/search?q=the", 200).await;
    assert!(
        html.contains(&format!("{all} lessons match “the”.")),
        "{all}"
    );
    let pages = all.div_ceil(20);
    assert!(html.contains(&format!("Page 1 of {pages}.")));
    assert!(html.contains("/search?q=the&amp;page=2") || html.contains("/search?q=the&page=2"));
    let html = app.expect_page("/search?q=the&page=2", 200).await;
    assert!(
        html.contains(&format!("Page 2 of {pages}.")),
        "{}",
        common::text_between(&html, "search-count", "</p>").unwrap_or("")
    );
    assert_eq!(html.matches("class=\"search-track\"").count(), 20);
    // A typo finds what was meant.
    let html = app.expect_page("/search?q=databse", 200).await;
    assert!(
        html.contains("showing") && html.contains("“database”"),
        "no correction"
    );
    assert!(html.contains("/lessons/databases/"));
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
    let html = app.expect_page("/lessons/evil/payloads", 200).await;
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_on_disk_are_served_without_restart() {
    let (content, app) = watched_lesson("Live", "## Before the edit").await;
    assert!(app.page("/lessons/t/l").await.1.contains("Before the edit"));

    let seen = edit_served(&app, content.path(), "Live", "After the edit").await;
    assert!(seen, "edit not served within 4 s");
    // The search index follows too.
    let (_, html) = app.page("/search?q=after").await;
    assert!(html.contains("/lessons/t/l"));

    // A broken edit keeps the last good version serving.
    write(
        content.path(),
        "t/l.md",
        "---\nid: l\ntitle: [broken\n---\n",
    );
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let html = app.expect_page("/lessons/t/l", 200).await;
    assert!(html.contains("After the edit"));
}

#[test]
fn check_content_reports_problems_and_exit_codes() {
    let (code, stdout) = check_content(&repo_content());
    assert_eq!(code, Some(0), "{stdout}");

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
    let (code, stdout) = check_content(broken.path());
    assert_eq!(code, Some(1));
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
    let (content, app) = watched_lesson("Cached", "## Version one").await;
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
    let seen = edit_served(&app, content.path(), "Cached", "Version two").await;
    assert!(seen, "stale cached page after a content change");
    // Signed-in readers never get the visitors' copy: theirs is composed
    // with their own parts (see server/tests/perf_compose.rs).
    let (signed, _) = app.sign_in_as("learner").await;
    let resp = signed.get(app.url("/lessons/t/l")).send().await.unwrap();
    assert_eq!(resp.headers()["x-page-cache"], "composed");
    assert!(resp.text().await.unwrap().contains("name=\"lesson_id\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anchors_follow_github_and_check_content_checks_fragments_and_site_links() {
    let content = tempfile::tempdir().unwrap();
    let root = content.path();
    write(root, "t/track.toml", "title = \"T\"\n");
    let a = "---\nid: a\ntitle: A\norder: 1\n---\n\n## A request's journey\n\nBack to [the journey](#a-requests-journey).\n\n<span id=\"kc\">Knowledge check</span>\n\nSee [the check](#kc) and [setup](/lessons/t/b#setup).\n\n- outer\n  - inner [search](/search?q=x)\n\n[bad](#nope)\n\n[bad too](/lessons/t/b#nope)\n\n[pricing](/pricing)\n\n![remote](https://example.com/a.png)\n";
    write(root, "t/a.md", a);
    write(
        root,
        "t/b.md",
        "---\nid: b\ntitle: B\norder: 2\n---\n\n## Setup\n\nText.\n",
    );
    let (code, out) = check_content(root);
    assert_eq!(code, Some(1), "{out}");
    let problems: Vec<&str> = out.lines().filter(|l| l.starts_with("t/")).collect();
    assert_eq!(
        problems,
        vec![
            "t/a.md:18: link to #nope: no heading or id of that name in this lesson",
            "t/a.md:20: link to /lessons/t/b#nope: no heading or id #nope in that lesson",
            "t/a.md:22: link to /pricing: not a page of this site",
            "t/a.md:24: image on another site: https://example.com/a.png (the site's content security policy lets browsers show this site's images only: save it next to the lesson)",
        ],
        "{out}"
    );
    let app = TestApp::spawn_with(root.to_path_buf(), false).await;
    let html = app.expect_page("/lessons/t/a", 200).await;
    assert!(
        html.contains(r#"<h2 id="a-requests-journey">"#),
        "GitHub's slug"
    );
    assert!(html.contains(r##"href="#a-requests-journey""##));
    assert!(
        html.contains(r#"<span id="user-content-kc">"#),
        "the author's id, prefixed"
    );
    assert!(
        html.contains(r##"href="#user-content-kc""##),
        "and the link follows it"
    );
}
