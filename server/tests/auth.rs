//! Accounts over real HTTP with cookies: registration, sign-in, sessions,
//! roles and the baseline protections.

mod common;

use common::{assert_answer, session_cookie_of as cookie_of, text_between, TestApp, PW};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_sign_out_and_the_old_cookie_is_dead() {
    let app = TestApp::spawn().await;
    let form = [
        ("email", "Ada@Example.com"),
        ("name", "Ada Lovelace"),
        ("password", PW),
    ];
    let resp = app.post_form(&app.client, "/register", &form).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/dashboard");
    let cookie = cookie_of(&resp).expect("session cookie");
    let set = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );

    let dash = app.expect_page("/dashboard", 200).await;
    assert!(dash.contains("Welcome, Ada Lovelace"));

    let out = app.client.post(app.url("/logout")).send().await.unwrap();
    assert_eq!(out.status(), 303);
    // Replaying the old cookie after sign-out gets a visitor, not Ada.
    let replay = app
        .get_with_cookie(&app.new_client(), "/dashboard", &cookie)
        .await;
    assert_eq!(replay.status(), 302);
    assert_eq!(replay.headers()["location"], "/login?next=/dashboard");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_id_changes_at_sign_in() {
    let app = TestApp::spawn().await;
    app.create_user("bo@example.com", "Bo", "learner", PW).await;
    let client = app.new_client();
    // An anonymous session with data: a failed sign-in does not store one,
    // so plant a cookie the way a fixation attacker would.
    let login = [("email", "bo@example.com"), ("password", PW)];
    let first = app.post_form(&client, "/login", &login).await;
    let a = cookie_of(&first).unwrap();
    let second = client
        .post(app.url("/login"))
        .header("cookie", &a)
        .form(&login)
        .send()
        .await
        .unwrap();
    let b = cookie_of(&second).unwrap();
    assert_ne!(a, b, "the session id must be cycled at sign-in");
    // The pre-login id is dead.
    let old = app
        .get_with_cookie(&app.new_client(), "/dashboard", &a)
        .await;
    assert_eq!(old.status(), 302);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_email_and_wrong_password_look_the_same() {
    let app = TestApp::spawn().await;
    app.create_user("cy@example.com", "Cy", "learner", PW).await;
    let attempt = |email: &'static str| {
        let app = &app;
        async move {
            let form = [("email", email), ("password", "wrong password here")];
            let resp = app.post_form(&app.new_client(), "/login", &form).await;
            let status = resp.status();
            let body = resp.text().await.unwrap().replace(email, "EMAIL");
            // The per-response CSP nonce is the only other difference.
            let nonce = text_between(&body, "nonce=\"", "\"").unwrap_or("");
            let nonce = nonce.to_string();
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
        let resp = app.post_form(&app.new_client(), "/register", &form).await;
        assert_eq!(resp.status(), status, "{form:?}");
        let body = resp.text().await.unwrap();
        assert!(body.contains(sentence), "{form:?}: {body}");
        assert!(!body.contains(PW), "passwords are never echoed");
    }
    assert_eq!(app.count("users").await, 1, "no partial writes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_hashes_are_argon2id_with_owasp_parameters() {
    let app = TestApp::spawn().await;
    let form = [("email", "h@example.com"), ("name", "H"), ("password", PW)];
    let resp = app.post_form(&app.client, "/register", &form).await;
    assert_eq!(resp.status(), 303);
    let phc: String = app.scalar("SELECT password_hash FROM users").await;
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let app = TestApp::spawn().await;
    let form = [("email", "e@example.com"), ("name", "E"), ("password", PW)];
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let resp = app
            .new_client()
            .post(app.url("/register"))
            .header(name, value)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_answer(resp, 403, "sent from another website").await;
    }
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_attempts_are_rate_limited_per_ip() {
    let app = TestApp::spawn().await;
    let mut statuses = vec![];
    for i in 0..12 {
        let email = format!("u{i}@example.com");
        let form = [("email", email.as_str()), ("password", "whatever pass")];
        let resp = app.post_form(&app.new_client(), "/login", &form).await;
        statuses.push(resp.status().as_u16());
        if resp.status() == 429 {
            assert!(resp.headers().contains_key("retry-after"));
            assert!(resp.text().await.unwrap().contains("Too many"));
        }
    }
    assert_eq!(&statuses[..10], &[401; 10]);
    assert_eq!(statuses[11], 429, "{statuses:?}");
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
    let form = [("email", "lock@example.com"), ("password", PW)];
    let resp = app.post_form(&app.new_client(), "/login", &form).await;
    assert_answer(resp, 429, "Try again in 15 minutes").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_change_ends_other_sessions() {
    let app = TestApp::spawn().await;
    app.create_user("pw@example.com", "Pat", "learner", PW)
        .await;
    let laptop = app.signed_in("pw@example.com", PW).await;
    let phone = app.signed_in("pw@example.com", PW).await;
    for (current, want) in [("not my password", 400), (PW, 303)] {
        let form = [("current", current), ("new", "another fine passphrase")];
        let resp = app.post_form(&laptop, "/account/password", &form).await;
        assert_eq!(resp.status(), want, "{current}");
    }
    assert_eq!(app.status(&laptop, "/dashboard").await, 200);
    assert_eq!(app.status(&phone, "/dashboard").await, 302);
    app.signed_in("pw@example.com", "another fine passphrase")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_survive_a_restart() {
    let app = TestApp::spawn().await;
    app.create_user("r@example.com", "Rae", "learner", PW).await;
    let form = [("email", "r@example.com"), ("password", PW)];
    let resp = app.post_form(&app.client, "/login", &form).await;
    assert_eq!(resp.status(), 303);
    let app = app.restart().await;
    let dash = app.expect_page("/dashboard", 200).await;
    assert!(dash.contains("Welcome, Rae"));
}

/// Every protected route and server function × every kind of caller.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_control_table() {
    let app = TestApp::spawn().await;
    let (learner, learner_id) = app.sign_in_as("learner").await;
    let callers = [
        ("anonymous", app.new_client()),
        ("learner", learner),
        ("other learner", app.sign_in_as("learner").await.0),
        ("instructor", app.sign_in_as("instructor").await.0),
        ("admin", app.sign_in_as("admin").await.0),
    ];
    // (method, path, form, expected status per caller in the order above)
    let role_form = vec![
        ("user_id".to_string(), learner_id.to_string()),
        ("role".to_string(), "learner".to_string()),
    ];
    // Accounts the admin rows act on (one each).
    let mut targets = Vec::new();
    for i in 0..4 {
        let email = format!("target{i}@example.com");
        targets.push(app.create_user(&email, "Target", "learner", PW).await);
    }
    let target = |i: usize| vec![("user_id".to_string(), targets[i].to_string())];
    let disable = |i: usize| {
        let mut form = target(i);
        form.push(("disabled".into(), "1".into()));
        form
    };
    let delete = |i: usize| {
        let mut form = target(i);
        form.push(("confirm".into(), "yes".into()));
        form
    };
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
        // Two-factor sign-in: enrolment for any account, the second step
        // of signing in for visitors (an empty form is refused).
        ("GET", "/account/2fa", vec![], [302, 200, 200, 200, 200]),
        (
            "POST",
            "/api/account/2fa",
            vec![],
            [401, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/account/2fa/confirm",
            vec![],
            [303, 400, 400, 400, 400],
        ),
        (
            "POST",
            "/account/2fa/disable",
            vec![],
            [303, 400, 400, 400, 400],
        ),
        ("GET", "/login/2fa", vec![], [200, 302, 302, 302, 302]),
        ("POST", "/login/2fa", vec![], [400, 400, 400, 400, 400]),
        // "Sign in with the school" is not set up on this app: nobody gets
        // it (with a provider, see the table in oidc.rs).
        ("GET", "/login/oidc", vec![], [404, 404, 404, 404, 404]),
        (
            "GET",
            "/login/oidc/callback",
            vec![],
            [404, 404, 404, 404, 404],
        ),
        // Account management (see accounts.rs): each admin action on an
        // account of its own, so the rows do not depend on each other.
        ("GET", "/admin/audit", vec![], [302, 403, 403, 403, 200]),
        (
            "POST",
            "/api/admin/audit",
            vec![],
            [401, 403, 403, 403, 200],
        ),
        (
            "POST",
            "/api/admin/disabled",
            vec![],
            [401, 403, 403, 403, 200],
        ),
        (
            "POST",
            "/admin/users/reset-link",
            target(0),
            [303, 403, 403, 403, 303],
        ),
        (
            "POST",
            "/admin/users/disable",
            disable(1),
            [303, 403, 403, 403, 303],
        ),
        (
            "POST",
            "/admin/users/end-sessions",
            target(2),
            [303, 403, 403, 403, 303],
        ),
        (
            "POST",
            "/admin/users/delete",
            delete(3),
            [303, 403, 403, 403, 303],
        ),
        ("GET", "/account/export", vec![], [303, 200, 200, 200, 200]),
        (
            "POST",
            "/api/account/sessions",
            vec![],
            [401, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/account/sessions/end",
            vec![("handle".into(), "0000".into())],
            [303, 404, 404, 404, 404],
        ),
        ("POST", "/account/delete", vec![], [303, 400, 400, 400, 400]),
        ("GET", "/forgot", vec![], [200, 200, 200, 200, 200]),
        (
            "POST",
            "/forgot",
            vec![("email".into(), "x@example.com".into())],
            [404, 404, 404, 404, 404],
        ),
        ("GET", "/reset?token=00", vec![], [200, 200, 200, 200, 200]),
        ("POST", "/reset", vec![], [400, 400, 400, 400, 400]),
    ];
    for (method, path, form, expected) in &table {
        for ((who, client), want) in callers.iter().zip(expected) {
            let resp = if *method == "GET" {
                client.get(app.url(path)).send().await.unwrap()
            } else {
                app.call(client, path, form).await
            };
            assert_eq!(resp.status().as_u16(), *want, "{method} {path} as {who}");
            let body = resp.text().await.unwrap();
            assert!(!body.contains("$argon2"), "{path} leaked a hash to {who}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_creates_an_instructor_and_sets_roles() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let url = common::test_db(dir.path()).await;
    let db = match &url {
        app::db::DbUrl::Sqlite(path) => path.display().to_string(),
        app::db::DbUrl::Postgres(url) => url.clone(),
    };
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
    let make_admin = |email: &str| {
        std::process::Command::new(bin)
            .args([
                "user", "set-role", "--email", email, "--role", "admin", "--db",
            ])
            .arg(&db)
            .output()
            .unwrap()
    };
    assert!(make_admin("ins@example.com").status.success());
    assert!(!make_admin("nobody@example.com").status.success());
    let pool = app::db::Db::open(&url).await.unwrap();
    let user = app::auth::db::by_email_with_hash(&pool, "ins@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.user.role.as_str(), "admin");
}
