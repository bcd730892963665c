//! Accounts over real HTTP with cookies: registration, sign-in, sessions,
//! roles and the baseline protections.

mod common;

use common::TestApp;

const PW: &str = "a long enough passphrase";

fn cookie_of(resp: &reqwest::Response) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("academy_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_sign_out_and_the_old_cookie_is_dead() {
    let app = TestApp::spawn().await;
    let resp = app
        .client
        .post(app.url("/register"))
        .form(&[
            ("email", "Ada@Example.com"),
            ("name", "Ada Lovelace"),
            ("password", PW),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/dashboard");
    let cookie = cookie_of(&resp).expect("session cookie");
    let set = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );

    let dash = app.get("/dashboard").await;
    assert_eq!(dash.status(), 200);
    assert!(dash.text().await.unwrap().contains("Welcome, Ada Lovelace"));

    let out = app.client.post(app.url("/logout")).send().await.unwrap();
    assert_eq!(out.status(), 303);
    // Replaying the old cookie after sign-out gets a visitor, not Ada.
    let replay = app
        .new_client()
        .get(app.url("/dashboard"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 302);
    assert_eq!(replay.headers()["location"], "/login?next=/dashboard");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_id_changes_at_sign_in() {
    let app = TestApp::spawn().await;
    app.create_user("bo@example.com", "Bo", "learner", PW).await;
    let client = app.new_client();
    // An anonymous session with data: a failed sign-in does not store one,
    // so plant a cookie the way a fixation attacker would.
    let first = client
        .post(app.url("/login"))
        .form(&[("email", "bo@example.com"), ("password", PW)])
        .send()
        .await
        .unwrap();
    let a = cookie_of(&first).unwrap();
    let second = client
        .post(app.url("/login"))
        .header("cookie", &a)
        .form(&[("email", "bo@example.com"), ("password", PW)])
        .send()
        .await
        .unwrap();
    let b = cookie_of(&second).unwrap();
    assert_ne!(a, b, "the session id must be cycled at sign-in");
    // The pre-login id is dead.
    let old = app
        .new_client()
        .get(app.url("/dashboard"))
        .header("cookie", &a)
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 302);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_email_and_wrong_password_look_the_same() {
    let app = TestApp::spawn().await;
    app.create_user("cy@example.com", "Cy", "learner", PW).await;
    let attempt = |email: &'static str| {
        let app = &app;
        async move {
            let resp = app
                .new_client()
                .post(app.url("/login"))
                .form(&[("email", email), ("password", "wrong password here")])
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let body = resp.text().await.unwrap().replace(email, "EMAIL");
            // The per-response CSP nonce is the only other difference.
            let nonce = body
                .split("nonce=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or("")
                .to_string();
            (status, body.replace(&nonce, "NONCE"))
        }
    };
    let (s1, b1) = attempt("cy@example.com").await;
    let (s2, b2) = attempt("nobody@example.com").await;
    assert_eq!(s1, 401);
    assert_eq!(s1, s2);
    assert_eq!(b1, b2);
    assert!(b1.contains("That email and password do not match an account."));
    assert!(b1.contains(r#"value="EMAIL""#), "what was typed is kept");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_registrations_get_a_status_and_a_sentence() {
    let app = TestApp::spawn().await;
    app.create_user("dup@example.com", "Dup", "learner", PW)
        .await;
    for (form, status, sentence) in [
        (
            vec![
                ("email", "x@example.com"),
                ("name", "X"),
                ("password", "short"),
            ],
            400,
            "at least 8",
        ),
        (
            vec![
                ("email", "x@example.com"),
                ("name", "X"),
                ("password", "password123"),
            ],
            400,
            "commonly used",
        ),
        (
            vec![("email", "not-an-email"), ("name", "X"), ("password", PW)],
            400,
            "email address",
        ),
        (
            vec![
                ("email", "dup@example.com"),
                ("name", "X"),
                ("password", PW),
            ],
            409,
            "already exists",
        ),
        (
            vec![("email", "x@example.com")],
            400,
            "incomplete or malformed",
        ),
        (
            vec![
                ("email", "x@example.com"),
                ("name", "X"),
                ("password", PW),
                ("code", "NOPE"),
            ],
            400,
            "invite code",
        ),
    ] {
        let resp = app
            .new_client()
            .post(app.url("/register"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), status, "{form:?}");
        let body = resp.text().await.unwrap();
        assert!(body.contains(sentence), "{form:?}: {body}");
        assert!(!body.contains(PW), "passwords are never echoed");
    }
    let pool = app.pool().await;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 1, "no partial writes");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_hashes_are_argon2id_with_owasp_parameters() {
    let app = TestApp::spawn().await;
    let resp = app
        .client
        .post(app.url("/register"))
        .form(&[("email", "h@example.com"), ("name", "H"), ("password", PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let pool = app.pool().await;
    let phc: String = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let app = TestApp::spawn().await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let resp = app
            .new_client()
            .post(app.url("/register"))
            .header(name, value)
            .form(&[("email", "e@example.com"), ("name", "E"), ("password", PW)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403);
        assert!(resp
            .text()
            .await
            .unwrap()
            .contains("sent from another website"));
    }
    let pool = app.pool().await;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_attempts_are_rate_limited_per_ip() {
    let app = TestApp::spawn().await;
    let mut statuses = vec![];
    for i in 0..12 {
        let resp = app
            .new_client()
            .post(app.url("/login"))
            .form(&[
                ("email", format!("u{i}@example.com")),
                ("password", "whatever pass".into()),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(resp.status().as_u16());
        if resp.status() == 429 {
            assert!(resp.headers().contains_key("retry-after"));
            assert!(resp.text().await.unwrap().contains("Too many"));
        }
    }
    assert_eq!(&statuses[..10], &[401; 10]);
    assert_eq!(statuses[11], 429, "{statuses:?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_failures_lock_the_account_for_a_while() {
    let app = TestApp::spawn().await;
    app.create_user("lock@example.com", "L", "learner", PW)
        .await;
    let pool = app.pool().await;
    for _ in 0..10 {
        app::auth::db::record_failure(&pool, "lock@example.com")
            .await
            .unwrap();
    }
    let resp = app
        .new_client()
        .post(app.url("/login"))
        .form(&[("email", "lock@example.com"), ("password", PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Try again in 15 minutes"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_change_ends_other_sessions() {
    let app = TestApp::spawn().await;
    app.create_user("pw@example.com", "Pat", "learner", PW)
        .await;
    let laptop = app.signed_in("pw@example.com", PW).await;
    let phone = app.signed_in("pw@example.com", PW).await;
    let wrong = laptop
        .post(app.url("/account/password"))
        .form(&[
            ("current", "not my password"),
            ("new", "another fine passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    let resp = laptop
        .post(app.url("/account/password"))
        .form(&[("current", PW), ("new", "another fine passphrase")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        laptop
            .get(app.url("/dashboard"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        phone
            .get(app.url("/dashboard"))
            .send()
            .await
            .unwrap()
            .status(),
        302
    );
    app.signed_in("pw@example.com", "another fine passphrase")
        .await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_survive_a_restart() {
    let app = TestApp::spawn().await;
    app.create_user("r@example.com", "Rae", "learner", PW).await;
    let resp = app
        .client
        .post(app.url("/login"))
        .form(&[("email", "r@example.com"), ("password", PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let app = app.restart().await;
    let dash = app.get("/dashboard").await;
    assert_eq!(dash.status(), 200);
    assert!(dash.text().await.unwrap().contains("Welcome, Rae"));
    app.stop().await;
}

/// Every protected route and server function × every kind of caller.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_control_table() {
    let app = TestApp::spawn().await;
    let learner_id = app
        .create_user("learner@example.com", "Lea", "learner", PW)
        .await;
    app.create_user("other@example.com", "Oth", "learner", PW)
        .await;
    app.create_user("teacher@example.com", "Tea", "instructor", PW)
        .await;
    app.create_user("admin@example.com", "Adm", "admin", PW)
        .await;
    let callers = [
        ("anonymous", app.new_client()),
        ("learner", app.signed_in("learner@example.com", PW).await),
        (
            "other learner",
            app.signed_in("other@example.com", PW).await,
        ),
        ("instructor", app.signed_in("teacher@example.com", PW).await),
        ("admin", app.signed_in("admin@example.com", PW).await),
    ];
    // (method, path, form, expected status per caller in the order above)
    let role_form = vec![
        ("user_id".to_string(), learner_id.to_string()),
        ("role".to_string(), "learner".to_string()),
    ];
    type Row<'a> = (&'a str, &'a str, Vec<(String, String)>, [u16; 5]);
    let table: Vec<Row> = vec![
        ("GET", "/dashboard", vec![], [302, 200, 200, 200, 200]),
        ("GET", "/account", vec![], [302, 200, 200, 200, 200]),
        ("GET", "/admin/users", vec![], [302, 403, 403, 403, 200]),
        (
            "POST",
            "/admin/users/role",
            role_form,
            [303, 403, 403, 403, 303],
        ),
        (
            "POST",
            "/api/admin/users",
            vec![],
            [401, 403, 403, 403, 200],
        ),
        ("GET", "/lessons", vec![], [200, 200, 200, 200, 200]),
    ];
    for (method, path, form, expected) in &table {
        for ((who, client), want) in callers.iter().zip(expected) {
            let req = if *method == "GET" {
                client.get(app.url(path))
            } else {
                client
                    .post(app.url(path))
                    .header("accept", "application/json")
                    .form(form)
            };
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status().as_u16(), *want, "{method} {path} as {who}");
            let body = resp.text().await.unwrap();
            assert!(!body.contains("$argon2"), "{path} leaked a hash to {who}");
        }
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_creates_an_instructor_and_sets_roles() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let bin = env!("CARGO_BIN_EXE_academy");
    let mut child = std::process::Command::new(bin)
        .args([
            "user",
            "add",
            "--email",
            "ins@example.com",
            "--name",
            "Ines",
            "--role",
            "instructor",
            "--password-stdin",
            "--db",
        ])
        .arg(&db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PW}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = std::process::Command::new(bin)
        .args([
            "user",
            "set-role",
            "--email",
            "ins@example.com",
            "--role",
            "admin",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success());
    let bad = std::process::Command::new(bin)
        .args([
            "user",
            "set-role",
            "--email",
            "nobody@example.com",
            "--role",
            "admin",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let pool = app::db::open(&db).await.unwrap();
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE email = 'ins@example.com'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(role, "admin");
}
