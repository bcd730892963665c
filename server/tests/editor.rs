//! The editor over real HTTP: roles, path safety, atomic saves with
//! revisions, conflicts, restore, drafts, images, GIFT import.

mod common;

use common::{assert_answer, input_value as field, raw_status, TestApp, PW};

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

/// A signed-in instructor.
async fn teacher(app: &TestApp) -> reqwest::Client {
    app.sign_in_as("instructor").await.0
}

/// The editor page of `lesson` (`track/slug`) as `client`: its HTML, the
/// `base` version it was opened from, and the text in its textarea.
async fn open_editor(
    app: &TestApp,
    client: &reqwest::Client,
    lesson: &str,
) -> (String, String, String) {
    let (_, html) = app.get_text(client, &format!("/editor/{lesson}")).await;
    let (base, text) = (field(&html, "base"), textarea(&html));
    (html, base, text)
}

/// Submits the editor form of `lesson` with `action` (`save`, `preview`).
async fn submit(
    app: &TestApp,
    client: &reqwest::Client,
    lesson: &str,
    text: &str,
    base: &str,
    action: &str,
) -> reqwest::Response {
    let form = [("text", text), ("base", base), ("action", action)];
    app.post_form(client, &format!("/editor/{lesson}"), &form)
        .await
}

/// Uploads `bytes` as the image `file_name` of track `alpha`.
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    bytes: Vec<u8>,
    file_name: &str,
    back_to: Option<&str>,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    if let Some(back_to) = back_to {
        form = form.text("return", back_to.to_string());
    }
    let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string());
    client
        .post(app.url("/editor/alpha/_images"))
        .multipart(form.part("file", part))
        .send()
        .await
        .unwrap()
}

/// The name an upload was stored under, from its redirect.
fn stored_name(resp: &reqwest::Response) -> String {
    let loc = resp.headers()["location"].to_str().unwrap();
    loc.split("image=").nth(1).unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_instructors_and_admins_reach_the_editor() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let (learner, _) = app.sign_in_as("learner").await;
    let before = app.content_file("alpha/one.md");
    for path in ["/editor", "/editor/alpha/one", "/editor/alpha/one/history"] {
        assert_eq!(app.status(&learner, path).await, 403, "{path}");
        assert_eq!(app.status(&app.new_client(), path).await, 302, "{path}");
    }
    let resp = submit(&app, &learner, "alpha/one", "hacked", "", "save").await;
    assert_eq!(resp.status(), 403);
    let form = [("action", "/editor/alpha/one"), ("text", "x")];
    let resp = app.call(&learner, "/api/editor/preview", &form).await;
    assert_eq!(resp.status(), 403);
    assert_eq!(app.content_file("alpha/one.md"), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn path_traversal_payloads_are_400_and_write_nothing() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app).await;
    app.create_user("raw@example.com", "Raw", "instructor", PW)
        .await;
    let before: Vec<_> = walk(app.content_dir());
    // Sent raw: an HTTP client library would normalise `%2e%2e` away itself.
    let cookie = app.session_cookie("raw@example.com").await;
    let body = "text=x&base=&action=save";
    for path in [
        "/editor/alpha/%2e%2e",
        "/editor/%2e%2e/one",
        "/editor/alpha/..%2f..%2fx",
    ] {
        let head = format!(
            "POST {path} HTTP/1.1\r\nOrigin: {}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}",
            app.base,
            body.len()
        );
        let reply = app.raw_request(&head, body).await;
        assert_eq!(raw_status(&reply), 400, "raw {path}");
    }
    for path in [
        "/editor/alpha/..%2F..%2Fetc%2Fpasswd",
        "/editor/alpha/one%00",
        "/editor/alpha/..%5Cone",
        "/editor/alpha/%2Fetc%2Fpasswd",
        "/editor/alpha/ONE",
    ] {
        let lesson = path.trim_start_matches("/editor/");
        let resp = submit(&app, &t, lesson, "---\nid: x\ntitle: X\n---\n", "", "save").await;
        assert_eq!(resp.status(), 400, "{path}");
    }
    for (path, form) in [
        ("/editor/_new", [("track", "../alpha"), ("title", "X")]),
        ("/editor/_tracks", [("slug", "..%2Fx"), ("title", "X")]),
    ] {
        let resp = app.post_form(&t, path, &form).await;
        assert_eq!(resp.status(), 400, "{path}");
    }
    assert_eq!(walk(app.content_dir()), before, "nothing written");
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
    let t = teacher(&app).await;
    let (_, base, original) = open_editor(&app, &t, "alpha/one").await;
    assert_eq!(original, app.content_file("alpha/one.md"));

    // Preview renders with the learners' pipeline and saves nothing.
    let edited = original.replace("## Part", "## A brand new heading");
    let resp = submit(&app, &t, "alpha/one", &edited, &base, "preview").await;
    assert_answer(resp, 200, r#"<h2 id="a-brand-new-heading">"#).await;
    assert_eq!(app.content_file("alpha/one.md"), original);

    // A fatal problem refuses the save and keeps the text.
    let broken = original.replace("title: One", "title: One\nminuts: 3");
    let resp = submit(&app, &t, "alpha/one", &broken, &base, "save").await;
    let body = assert_answer(resp, 400, "unknown field `minuts`").await;
    assert!(body.contains("minuts: 3"), "the text is kept");
    assert_eq!(app.content_file("alpha/one.md"), original);

    // Save: on disk, served to learners at once, searchable, one revision.
    let resp = submit(&app, &t, "alpha/one", &edited, &base, "save").await;
    assert_eq!(resp.status(), 303);
    assert_eq!(app.content_file("alpha/one.md"), edited);
    let (_, lesson) = app.get_text(&app.new_client(), "/lessons/alpha/one").await;
    assert!(lesson.contains("A brand new heading"));
    let (_, search) = app.get_text(&app.new_client(), "/search?q=brand").await;
    assert!(search.contains("/lessons/alpha/one"));

    // A second save, then restore the first revision.
    let (_, base, _) = open_editor(&app, &t, "alpha/one").await;
    let second = edited.replace("A brand new heading", "Second heading");
    let resp = submit(&app, &t, "alpha/one", &second, &base, "save").await;
    assert_eq!(resp.status(), 303);
    let (_, history) = app.get_text(&t, "/editor/alpha/one/history").await;
    let revs: Vec<&str> = history
        .split("history?rev=")
        .skip(1)
        .map(|r| r.split('"').next().unwrap())
        .collect();
    let (newest, first_rev) = (revs[0], revs[revs.len() - 1]);
    let diff_page = format!("/editor/alpha/one/history?rev={newest}");
    let (_, diff) = app.get_text(&t, &diff_page).await;
    assert!(diff.contains("<ins>+ ## Second heading"), "{diff}");
    let form = [("revision", first_rev)];
    let resp = app.post_form(&t, "/editor/alpha/one/restore", &form).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(app.content_file("alpha/one.md"), edited);
    assert_eq!(app.count("lesson_revisions").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflicting_save_is_409_and_overwrites_nothing() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let a = teacher(&app).await;
    let b = teacher(&app).await;
    let (_, base, original) = open_editor(&app, &a, "alpha/two").await;
    let mine = original.replace("## Part", "## Written by A");
    let theirs = original.replace("## Part", "## Written by B");
    let resp = submit(&app, &a, "alpha/two", &mine, &base, "save").await;
    assert_eq!(resp.status(), 303);
    let resp = submit(&app, &b, "alpha/two", &theirs, &base, "save").await;
    assert_eq!(resp.status(), 409);
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("Written by A") && body.contains("Written by B"),
        "both versions shown"
    );
    assert_eq!(
        app.content_file("alpha/two.md"),
        mine,
        "nothing overwritten"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_lessons_are_drafts_visible_to_teachers_only() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app).await;
    let new_lesson = [("track", "beta"), ("title", "Fresh ideas")];
    let resp = app.post_form(&t, "/editor/_new", &new_lesson).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/editor/beta/fresh-ideas");
    assert!(app
        .content_file("beta/fresh-ideas.md")
        .contains("draft: true"));
    let draft = "/lessons/beta/fresh-ideas";
    assert_eq!(app.status(&t, draft).await, 200);
    assert_eq!(app.status(&app.new_client(), draft).await, 404);
    let (_, index) = app.get_text(&app.new_client(), "/lessons").await;
    assert!(!index.contains("Fresh ideas"));
    let resp = app.post_form(&t, "/editor/_new", &new_lesson).await;
    assert_eq!(resp.status(), 409);
    let form = [("slug", "gamma"), ("title", "Gamma \"quoted\"")];
    let resp = app.post_form(&t, "/editor/_tracks", &form).await;
    assert_eq!(resp.status(), 303);
    // Written by the toml crate; whatever its quoting, the title reads back.
    let written: toml::Value = toml::from_str(&app.content_file("gamma/track.toml")).unwrap();
    assert_eq!(written["title"].as_str(), Some("Gamma \"quoted\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_are_checked_by_content_and_stored_safely() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let back = Some("/editor/alpha/one");
    let resp = upload(&app, &t, png, "../My Diagram.PNG", back).await;
    assert_eq!(resp.status(), 303);
    let name = stored_name(&resp);
    assert!(
        name.starts_with("my-diagram-") && name.ends_with(".png"),
        "{name}"
    );
    assert!(app.content_dir().join("alpha").join(&name).is_file());
    let media = app
        .new_client()
        .get(app.url(&format!("/media/alpha/{name}")))
        .send()
        .await
        .unwrap();
    assert_eq!(media.headers()["content-type"], "image/png");

    let svg = b"<svg onload=alert(1)>".to_vec();
    let resp = upload(&app, &t, svg, "x.png", None).await;
    assert_answer(resp, 400, "checked from the file").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gift_import_reports_lines_or_fills_the_quiz() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app).await;
    let (_, base, text) = open_editor(&app, &t, "alpha/one").await;
    let import = |gift: &'static str| {
        let form = [
            ("text", text.as_str()),
            ("base", base.as_str()),
            ("gift", gift),
        ];
        let (app, t) = (&app, &t);
        async move { app.post_form(t, "/editor/alpha/one/gift", &form).await }
    };
    let resp = import("Ok {T}\n\nBroken {=a ~b").await;
    assert_answer(resp, 400, "line 3:").await;
    let resp = import("::Imported:: Is it? {T}\n\nAnd this? {F}").await;
    let body = assert_answer(resp, 200, "2 questions imported").await;
    assert!(textarea(&body).contains("::Imported:: Is it? {T}"));
    // A weight Moodle would refuse imports, with a warning among the problems.
    let resp = import("Odd {~%34%a ~%66%b}").await;
    let body = assert_answer(resp, 200, "1 questions imported").await;
    assert!(body.contains("warning: weight 34%"), "{body}");
}

/// Issue 13, finding 9: eight saves of one lesson opened from the same
/// version race each other. The hash check and the write used to be two
/// steps (several saves passed the check and overwrote each other) and all
/// writers shared one temp file name (a rename could find it gone: 500).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_from_one_version_let_exactly_one_win() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app).await;
    let (_, base, original) = open_editor(&app, &t, "alpha/one").await;
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
    assert_eq!(app.content_file("alpha/one.md"), won[0]);
    let revisions: Vec<String> = app
        .column("SELECT body FROM lesson_revisions WHERE track = 'alpha' AND slug = 'one'")
        .await;
    assert_eq!(revisions, won, "one revision, the winner's");
    let leftovers: Vec<_> = walk(app.content_dir())
        .into_iter()
        .filter(|(p, _)| p.ends_with(".tmp"))
        .collect();
    assert_eq!(leftovers, vec![], "no temp files left");
}

/// Issue 13, finding 9: image names hashed a lossy UTF-8 copy of the bytes,
/// so two images differing only in invalid UTF-8 got the same name and the
/// second silently replaced the first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_differing_in_invalid_utf8_keep_both() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let t = teacher(&app).await;
    let mut stored = Vec::new();
    for last in [0xFF_u8, 0xFE] {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.push(last);
        let back = Some("/editor/alpha/one");
        let resp = upload(&app, &t, png.clone(), "diagram.png", back).await;
        assert_eq!(resp.status(), 303);
        stored.push((stored_name(&resp), png));
    }
    assert_ne!(stored[0].0, stored[1].0, "two images, two names");
    let dir = app.content_dir().join("alpha");
    for (name, png) in &stored {
        assert_eq!(&std::fs::read(dir.join(name)).unwrap(), png, "{name}");
    }
}
