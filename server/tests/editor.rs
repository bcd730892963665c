//! The editor over real HTTP: roles, path safety, atomic saves with
//! revisions, conflicts, restore, drafts, images, GIFT import.

mod common;

use common::TestApp;

const PW: &str = "a long enough passphrase";

fn field(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    html.split(&marker)
        .nth(1)
        .unwrap_or_else(|| panic!("no {name}"))
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

fn textarea(html: &str) -> String {
    let start = html.find(r#"name="text""#).unwrap();
    let rest = &html[start..];
    let body = &rest[rest.find('>').unwrap() + 1..];
    let raw = &body[..body.find("</textarea>").unwrap()];
    raw.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

async fn teacher(app: &TestApp, email: &str) -> reqwest::Client {
    app.create_user(email, email, "instructor", PW).await;
    app.signed_in(email, PW).await
}

fn file(app: &TestApp, rel: &str) -> String {
    std::fs::read_to_string(app.content.as_ref().unwrap().path().join(rel)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_instructors_and_admins_reach_the_editor() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    app.create_user("l@example.com", "L", "learner", PW).await;
    let learner = app.signed_in("l@example.com", PW).await;
    let before = file(&app, "alpha/one.md");
    for path in ["/editor", "/editor/alpha/one", "/editor/alpha/one/history"] {
        assert_eq!(
            learner.get(app.url(path)).send().await.unwrap().status(),
            403,
            "{path}"
        );
        assert_eq!(
            app.new_client()
                .get(app.url(path))
                .send()
                .await
                .unwrap()
                .status(),
            302,
            "{path}"
        );
    }
    let resp = learner
        .post(app.url("/editor/alpha/one"))
        .form(&[("text", "hacked"), ("base", ""), ("action", "save")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let resp = learner
        .post(app.url("/api/editor/preview"))
        .header("accept", "application/json")
        .form(&[("action", "/editor/alpha/one"), ("text", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(file(&app, "alpha/one.md"), before);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn path_traversal_payloads_are_400_and_write_nothing() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app, "t@example.com").await;
    app.create_user("raw@example.com", "Raw", "instructor", PW)
        .await;
    let before: Vec<_> = walk(app.content.as_ref().unwrap().path());
    // Sent raw: an HTTP client library would normalise `%2e%2e` away itself.
    for path in [
        "/editor/alpha/%2e%2e",
        "/editor/%2e%2e/one",
        "/editor/alpha/..%2f..%2fx",
    ] {
        let session = app.url("/").replace("http://", "");
        assert_eq!(raw_post(&session, path).await, 400, "raw {path}");
    }
    for path in [
        "/editor/alpha/..%2F..%2Fetc%2Fpasswd",
        "/editor/alpha/one%00",
        "/editor/alpha/..%5Cone",
        "/editor/alpha/%2Fetc%2Fpasswd",
        "/editor/alpha/ONE",
    ] {
        let resp = t
            .post(app.url(path))
            .form(&[
                ("text", "---\nid: x\ntitle: X\n---\n"),
                ("base", ""),
                ("action", "save"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{path}");
    }
    let resp = t
        .post(app.url("/editor/_new"))
        .form(&[("track", "../alpha"), ("title", "X")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = t
        .post(app.url("/editor/_tracks"))
        .form(&[("slug", "..%2Fx"), ("title", "X")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(
        walk(app.content.as_ref().unwrap().path()),
        before,
        "nothing written"
    );
    app.stop().await;
}

/// POSTs a form to `path` exactly as written, signed in as a fresh instructor.
async fn raw_post(host_slash: &str, path: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = host_slash.trim_end_matches('/');
    // Sign in with a raw request too, to get the session cookie.
    let login = "email=raw%40example.com&password=a+long+enough+passphrase";
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    s.write_all(format!("POST /login HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{login}", login.len()).as_bytes()).await.unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).await.unwrap();
    let cookie = buf
        .split("set-cookie: ")
        .nth(1)
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .to_string();
    let body = "text=x&base=&action=save";
    let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
    s.write_all(format!("POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).as_bytes()).await.unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).await.unwrap();
    buf.split(' ').nth(1).unwrap().parse().unwrap()
}

fn walk(root: &std::path::Path) -> Vec<(String, u64)> {
    let mut out = vec![];
    for e in std::fs::read_dir(root).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push((p.display().to_string(), p.metadata().unwrap().len()));
        }
    }
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_preview_revisions_and_restore() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app, "t@example.com").await;
    let html = t
        .get(app.url("/editor/alpha/one"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let base = field(&html, "base");
    let original = textarea(&html);
    assert_eq!(original, file(&app, "alpha/one.md"));

    // Preview renders with the learners' pipeline and saves nothing.
    let edited = original.replace("## Part", "## A brand new heading");
    let resp = t
        .post(app.url("/editor/alpha/one"))
        .form(&[
            ("text", edited.as_str()),
            ("base", &base),
            ("action", "preview"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains(r#"<h2 id="a-brand-new-heading">"#));
    assert_eq!(file(&app, "alpha/one.md"), original);

    // A fatal problem refuses the save and keeps the text.
    let broken = original.replace("title: One", "title: One\nminuts: 3");
    let resp = t
        .post(app.url("/editor/alpha/one"))
        .form(&[
            ("text", broken.as_str()),
            ("base", &base),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body = resp.text().await.unwrap();
    assert!(body.contains("unknown field `minuts`") && body.contains("minuts: 3"));
    assert_eq!(file(&app, "alpha/one.md"), original);

    // Save: on disk, served to learners at once, searchable, one revision.
    let resp = t
        .post(app.url("/editor/alpha/one"))
        .form(&[
            ("text", edited.as_str()),
            ("base", &base),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(file(&app, "alpha/one.md"), edited);
    let lesson = app
        .new_client()
        .get(app.url("/lessons/alpha/one"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(lesson.contains("A brand new heading"));
    let search = app
        .new_client()
        .get(app.url("/search?q=brand"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(search.contains("/lessons/alpha/one"));

    // A second save, then restore the first revision.
    let html = t
        .get(app.url("/editor/alpha/one"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let second = edited.replace("A brand new heading", "Second heading");
    let resp = t
        .post(app.url("/editor/alpha/one"))
        .form(&[
            ("text", second.as_str()),
            ("base", &field(&html, "base")),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let history = t
        .get(app.url("/editor/alpha/one/history"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let first_rev = history
        .split("history?rev=")
        .last()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let diff = t
        .get(app.url(&format!(
                "/editor/alpha/one/history?rev={}",
                history
                    .split("history?rev=")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
            )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(diff.contains("<ins>+ ## Second heading"), "{diff}");
    let resp = t
        .post(app.url("/editor/alpha/one/restore"))
        .form(&[("revision", first_rev.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(file(&app, "alpha/one.md"), edited);
    let pool = app.pool().await;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM lesson_revisions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 3);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflicting_save_is_409_and_overwrites_nothing() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let a = teacher(&app, "a@example.com").await;
    let b = teacher(&app, "b@example.com").await;
    let html = a
        .get(app.url("/editor/alpha/two"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let base = field(&html, "base");
    let original = textarea(&html);
    let mine = original.replace("## Part", "## Written by A");
    let theirs = original.replace("## Part", "## Written by B");
    let resp = a
        .post(app.url("/editor/alpha/two"))
        .form(&[("text", mine.as_str()), ("base", &base), ("action", "save")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let resp = b
        .post(app.url("/editor/alpha/two"))
        .form(&[
            ("text", theirs.as_str()),
            ("base", &base),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("Written by A") && body.contains("Written by B"),
        "both versions shown"
    );
    assert_eq!(file(&app, "alpha/two.md"), mine, "nothing overwritten");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_lessons_are_drafts_visible_to_teachers_only() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app, "t@example.com").await;
    let resp = t
        .post(app.url("/editor/_new"))
        .form(&[("track", "beta"), ("title", "Fresh ideas")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/editor/beta/fresh-ideas");
    assert!(file(&app, "beta/fresh-ideas.md").contains("draft: true"));
    assert_eq!(
        t.get(app.url("/lessons/beta/fresh-ideas"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        app.new_client()
            .get(app.url("/lessons/beta/fresh-ideas"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let index = app
        .new_client()
        .get(app.url("/lessons"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!index.contains("Fresh ideas"));
    let resp = t
        .post(app.url("/editor/_new"))
        .form(&[("track", "beta"), ("title", "Fresh ideas")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    let resp = t
        .post(app.url("/editor/_tracks"))
        .form(&[("slug", "gamma"), ("title", "Gamma \"quoted\"")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert!(file(&app, "gamma/track.toml").contains(r#"title = "Gamma \"quoted\"""#));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_are_checked_by_content_and_stored_safely() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app, "t@example.com").await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let form = reqwest::multipart::Form::new()
        .text("return", "/editor/alpha/one")
        .part(
            "file",
            reqwest::multipart::Part::bytes(png).file_name("../My Diagram.PNG"),
        );
    let resp = t
        .post(app.url("/editor/alpha/_images"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let loc = resp.headers()["location"].to_str().unwrap().to_string();
    let name = loc.split("image=").nth(1).unwrap();
    assert!(
        name.starts_with("my-diagram-") && name.ends_with(".png"),
        "{name}"
    );
    assert!(app
        .content
        .as_ref()
        .unwrap()
        .path()
        .join("alpha")
        .join(name)
        .is_file());
    let media = app
        .new_client()
        .get(app.url(&format!("/media/alpha/{name}")))
        .send()
        .await
        .unwrap();
    assert_eq!(media.headers()["content-type"], "image/png");

    let svg = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"<svg onload=alert(1)>".to_vec()).file_name("x.png"),
    );
    let resp = t
        .post(app.url("/editor/alpha/_images"))
        .multipart(svg)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("checked from the file"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gift_import_reports_lines_or_fills_the_quiz() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app, "t@example.com").await;
    let html = t
        .get(app.url("/editor/alpha/one"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (base, text) = (field(&html, "base"), textarea(&html));
    let resp = t
        .post(app.url("/editor/alpha/one/gift"))
        .form(&[
            ("text", text.as_str()),
            ("base", &base),
            ("gift", "Ok {T}\n\nBroken {=a ~b"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("line 3:"));
    let resp = t
        .post(app.url("/editor/alpha/one/gift"))
        .form(&[
            ("text", text.as_str()),
            ("base", &base),
            ("gift", "::Imported:: Is it? {T}\n\nAnd this? {F}"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body = resp.text().await.unwrap();
    assert!(body.contains("2 questions imported"));
    assert!(textarea(&body).contains("::Imported:: Is it? {T}"));
    app.stop().await;
}

/// Issue 13, finding 9: eight saves of one lesson opened from the same
/// version race each other. The hash check and the write used to be two
/// steps (several saves passed the check and overwrote each other) and all
/// writers shared one temp file name (a rename could find it gone: 500).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_from_one_version_let_exactly_one_win() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app, "t@example.com").await;
    let html = t
        .get(app.url("/editor/alpha/one"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let base = field(&html, "base");
    let original = textarea(&html);
    let texts: Vec<String> = (0..8)
        .map(|i| original.replace("## Part", &format!("## Written by writer {i}")))
        .collect();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(texts.len()));
    let mut tasks = Vec::new();
    for text in texts.clone() {
        let (t, url, origin, base) = (
            t.clone(),
            app.url("/editor/alpha/one"),
            app.base.clone(),
            base.clone(),
        );
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let resp = t
                .post(url)
                .header("origin", origin)
                .form(&[
                    ("text", text.as_str()),
                    ("base", base.as_str()),
                    ("action", "save"),
                ])
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            (status, text, resp.text().await.unwrap())
        }));
    }
    let mut won = Vec::new();
    for task in tasks {
        let (status, text, body) = task.await.unwrap();
        match status {
            303 => won.push(text),
            409 => assert!(
                body.contains("Not saved: this lesson changed since you opened it"),
                "{body}"
            ),
            other => panic!("a save answered {other}: {body}"),
        }
    }
    assert_eq!(won.len(), 1, "exactly one save wins");
    assert_eq!(file(&app, "alpha/one.md"), won[0]);
    let pool = app.pool().await;
    let revisions: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM lesson_revisions WHERE track = 'alpha' AND slug = 'one'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(revisions, won, "one revision, the winner's");
    let leftovers: Vec<_> = walk(app.content.as_ref().unwrap().path())
        .into_iter()
        .filter(|(p, _)| p.ends_with(".tmp"))
        .collect();
    assert_eq!(leftovers, vec![], "no temp files left");
    app.stop().await;
}

/// Issue 13, finding 9: image names hashed a lossy UTF-8 copy of the bytes,
/// so two images differing only in invalid UTF-8 got the same name and the
/// second silently replaced the first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_differing_in_invalid_utf8_keep_both() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app, "t@example.com").await;
    let mut stored = Vec::new();
    for last in [0xFF_u8, 0xFE] {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.push(last);
        let form = reqwest::multipart::Form::new()
            .text("return", "/editor/alpha/one")
            .part(
                "file",
                reqwest::multipart::Part::bytes(png.clone()).file_name("diagram.png"),
            );
        let resp = t
            .post(app.url("/editor/alpha/_images"))
            .header("origin", &app.base)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303);
        let loc = resp.headers()["location"].to_str().unwrap().to_string();
        let name = loc.split("image=").nth(1).unwrap().to_string();
        stored.push((name, png));
    }
    assert_ne!(stored[0].0, stored[1].0, "two images, two names");
    let dir = app.content.as_ref().unwrap().path().join("alpha");
    for (name, png) in &stored {
        assert_eq!(&std::fs::read(dir.join(name)).unwrap(), png, "{name}");
    }
    app.stop().await;
}
