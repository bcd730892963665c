//! Accounts v2: recovery (admin reset links, "forgot password" mailed
//! through a real SMTP server), admins disabling, signing out and deleting
//! accounts, the audit log, a learner's export and deletion, and "your
//! sessions". Each flow with its refusals.

mod common;

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use common::{assert_answer, input_value, new_client, text_between, TestApp, PW};

const NEW_PW: &str = "a brand new passphrase";

/// The reset link in an admin's notice (`/admin/users?done=link&link=…`).
async fn admin_link(app: &TestApp, admin: &reqwest::Client, user_id: i64) -> String {
    let form = [("user_id", user_id.to_string())];
    let resp = app.post_form(admin, "/admin/users/reset-link", &form).await;
    assert_eq!(resp.status(), 303);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let (_, page) = app.get_text(admin, &location).await;
    let link = text_between(&page, "<code>", "</code>").expect("the link is shown once");
    link.replace("&amp;", "&")
}

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_string()
}

async fn reset(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    let form = [("token", token), ("password", password)];
    app.post_form(&app.new_client(), "/reset", &form).await
}

/// Whether `client` is still signed in (its dashboard opens).
async fn signed_in(app: &TestApp, client: &reqwest::Client) -> bool {
    app.status(client, "/dashboard").await == 200
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_reset_link_works_once_for_a_day_and_ends_every_session() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let (admin, _) = app.sign_in_as("admin").await;
    let (ada, ada_id) = app.user("ada@example.com", "Ada", "learner").await;
    let link = admin_link(&app, &admin, ada_id).await;
    let token = token_of(&link);
    assert_eq!(token.len(), 64);
    // Only the hash is stored.
    assert_eq!(
        app.count_where("password_resets", &format!("token_hash = '{token}'"))
            .await,
        0
    );
    assert_eq!(app.count("password_resets").await, 1);

    // The form opens; a weak password is refused and uses nothing up.
    let page = app.expect_page(&format!("/reset?token={token}"), 200).await;
    assert_eq!(input_value(&page, "token"), token);
    assert_answer(reset(&app, &token, "short").await, 400, "at least").await;
    let resp = reset(&app, &token, NEW_PW).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/login?done=reset");
    assert!(
        !signed_in(&app, &ada).await,
        "the reset ended Ada's sessions"
    );
    app.signed_in("ada@example.com", NEW_PW).await;
    let old = [("email", "ada@example.com"), ("password", PW)];
    assert_eq!(
        app.post_form(&app.new_client(), "/login", &old)
            .await
            .status(),
        401
    );

    // Used once: the second use and the page both say so.
    assert_answer(
        reset(&app, &token, "yet another passphrase").await,
        400,
        "used already",
    )
    .await;
    let page = app.expect_page(&format!("/reset?token={token}"), 200).await;
    assert!(page.contains("cannot be used"));
    // A day later a fresh link is dead too; a made-up one never worked.
    let link = admin_link(&app, &admin, ada_id).await;
    app.exec(
        "UPDATE password_resets SET expires_at = expires_at - 86401 WHERE used_at IS NULL",
        &[],
    )
    .await;
    assert_answer(
        reset(&app, &token_of(&link), NEW_PW).await,
        400,
        "older than 24 hours",
    )
    .await;
    assert_answer(
        reset(&app, &"0".repeat(64), NEW_PW).await,
        400,
        "cannot be used",
    )
    .await;
    // Admins cannot make one for themselves, learners for anybody.
    let (learner, _) = app.sign_in_as("learner").await;
    let form = [("user_id", ada_id.to_string())];
    let resp = app
        .post_form(&learner, "/admin/users/reset-link", &form)
        .await;
    assert_eq!(resp.status(), 403);
    let audit = app.expect_page("/admin/audit", 302).await;
    assert!(!audit.contains("reset link made"));
    let (_, audit) = app.get_text(&admin, "/admin/audit").await;
    assert!(audit.contains("reset link made") && audit.contains("ada@example.com"));
    assert!(audit.contains("password reset with a link"));
    assert!(
        audit.contains("127.0.0.1"),
        "the audit log names the address"
    );
}

/// A real SMTP server: Debian's aiosmtpd writing each message into a maildir.
struct SmtpSink {
    child: Child,
    port: u16,
    maildir: tempfile::TempDir,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        let python = ["/usr/bin/python3", "python3"]
            .into_iter()
            .find(|p| {
                Command::new(p)
                    .args(["-c", "import aiosmtpd"])
                    .status()
                    .is_ok_and(|s| s.success())
            })
            .expect(
                "aiosmtpd is missing: apt-get install python3-aiosmtpd (make test installs it)",
            );
        let maildir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the SMTP server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpSink {
            child,
            port,
            maildir,
        }
    }

    fn messages(&self) -> Vec<String> {
        let new = self.maildir.path().join("box/new");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&new)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect()
    }

    /// Waits until `n` messages have arrived.
    fn wait_for(&self, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "only {} of {n} mails arrived",
                got.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The reset link of a mail (its body may be quoted-printable: soft line
/// breaks and `=3D` for `=` are undone first).
fn link_in(mail: &str) -> String {
    let mail = mail
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    mail.lines()
        .find(|l| l.contains("/reset?token="))
        .expect("a link in the mail")
        .trim()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgot_password_mails_a_link_answers_alike_and_is_limited() {
    let smtp = SmtpSink::start();
    let port = smtp.port;
    let app = TestApp::spawn_fixture(move |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.mail_from = "Academy <academy@example.org>".into();
        c.settings.public_url = Some("https://learn.example.org".into());
    })
    .await;
    let (ada, _) = app.user("ada@example.com", "Ada", "learner").await;

    // The same answer whether or not the address has an account.
    let ask = |email: &'static str| {
        let app = &app;
        async move {
            let started = Instant::now();
            let resp = app
                .post_form(&app.new_client(), "/forgot", &[("email", email)])
                .await;
            let location = resp.headers()["location"].to_str().unwrap().to_string();
            (resp.status().as_u16(), location, started.elapsed())
        }
    };
    let (known, unknown) = (
        ask("ada@example.com").await,
        ask("nobody@example.com").await,
    );
    assert_eq!((known.0, &known.1), (303, &"/forgot?done=sent".to_string()));
    assert_eq!((known.0, &known.1), (unknown.0, &unknown.1));
    let page = app.expect_page("/forgot?done=sent", 200).await;
    assert!(page.contains("If an account has this address"));
    eprintln!(
        "answered in {:?} (account) and {:?} (none)",
        known.2, unknown.2
    );

    // One mail, to Ada only, with a link on the public URL (never the Host).
    let mails = smtp.wait_for(1);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        smtp.messages().len(),
        1,
        "no mail for an address without an account"
    );
    assert!(mails[0].contains("To: ada@example.com"), "{}", mails[0]);
    let link = link_in(&mails[0]);
    assert!(
        link.starts_with("https://learn.example.org/reset?token="),
        "{link}"
    );
    let token = token_of(&link);
    assert_eq!(reset(&app, &token, NEW_PW).await.status(), 303);
    assert!(!signed_in(&app, &ada).await);
    app.signed_in("ada@example.com", NEW_PW).await;

    // At most three mails an address an hour: the fourth ask sends nothing
    // (and still answers the same).
    for _ in 0..3 {
        assert_eq!(ask("ada@example.com").await.1, "/forgot?done=sent");
    }
    smtp.wait_for(3);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(smtp.messages().len(), 3, "the per-address limit held");
    // A malformed address is a 400 with a sentence, not a mail.
    let bad = app
        .post_form(&app.new_client(), "/forgot", &[("email", "not an email")])
        .await;
    assert_answer(bad, 400, "email").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_forgot_password_says_to_ask_an_admin() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let page = app.expect_page("/forgot", 200).await;
    assert!(page.contains("Ask an administrator"));
    let resp = app
        .post_form(
            &app.new_client(),
            "/forgot",
            &[("email", "ada@example.com")],
        )
        .await;
    assert_answer(resp, 404, "not set up here").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_disable_sign_out_and_delete_accounts_and_it_is_audited() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let (admin, admin_id) = app.sign_in_as("admin").await;
    let (bo, bo_id) = app.user("bo@example.com", "Bo", "learner").await;

    // Disable: Bo is signed out and cannot sign in (with the reason).
    let form = [("user_id", bo_id.to_string()), ("disabled", "1".into())];
    assert_eq!(
        app.post_form(&admin, "/admin/users/disable", &form)
            .await
            .status(),
        303
    );
    assert!(!signed_in(&app, &bo).await);
    let login = [("email", "bo@example.com"), ("password", PW)];
    let resp = app.post_form(&app.new_client(), "/login", &login).await;
    assert_answer(resp, 403, "disabled by an administrator").await;
    // A wrong password still gets the usual answer (nothing revealed).
    let wrong = [
        ("email", "bo@example.com"),
        ("password", "not the password at all"),
    ];
    assert_eq!(
        app.post_form(&app.new_client(), "/login", &wrong)
            .await
            .status(),
        401
    );
    let form = [("user_id", bo_id.to_string()), ("disabled", "0".into())];
    assert_eq!(
        app.post_form(&admin, "/admin/users/disable", &form)
            .await
            .status(),
        303
    );
    let bo = app.signed_in("bo@example.com", PW).await;

    // End all of Bo's sessions.
    let form = [("user_id", bo_id.to_string())];
    assert_eq!(
        app.post_form(&admin, "/admin/users/end-sessions", &form)
            .await
            .status(),
        303
    );
    assert!(!signed_in(&app, &bo).await);

    // Delete needs the tick; then Bo is gone and the email is free again.
    let resp = app.post_form(&admin, "/admin/users/delete", &form).await;
    assert_answer(resp, 400, "Tick the box").await;
    let form = [("user_id", bo_id.to_string()), ("confirm", "yes".into())];
    assert_eq!(
        app.post_form(&admin, "/admin/users/delete", &form)
            .await
            .status(),
        303
    );
    let resp = app.post_form(&app.new_client(), "/login", &login).await;
    assert_eq!(resp.status(), 401);
    app.user("bo@example.com", "Bo again", "learner").await;
    // Not on oneself, and not by anyone but an admin.
    let form = [("user_id", admin_id.to_string()), ("confirm", "yes".into())];
    assert_answer(
        app.post_form(&admin, "/admin/users/delete", &form).await,
        400,
        "your own account",
    )
    .await;
    let (instructor, _) = app.sign_in_as("instructor").await;
    let form = [("user_id", bo_id.to_string()), ("disabled", "1".into())];
    assert_eq!(
        app.post_form(&instructor, "/admin/users/disable", &form)
            .await
            .status(),
        403
    );

    let (_, audit) = app.get_text(&admin, "/admin/audit").await;
    for action in [
        "account disabled",
        "account enabled",
        "sessions ended",
        "account deleted",
    ] {
        assert!(audit.contains(action), "{action} not in the audit log");
    }
    assert_eq!(app.count("audit_log").await, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_exports_their_data_and_deletes_their_account() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let (teacher, teacher_id) = app.sign_in_as("instructor").await;
    let cohort = app::progress::db::create_cohort(&app.pool().await, "Evening", teacher_id)
        .await
        .unwrap();
    let (ada, ada_id) = app.user("ada@example.com", "Ada Lovelace", "learner").await;
    let form = [("code", cohort.invite_code.as_str())];
    assert_eq!(
        app.post_form(&ada, "/account/cohorts", &form)
            .await
            .status(),
        303
    );
    let form = [("lesson_id", "lesson-one"), ("done", "1")];
    assert_eq!(
        app.post_form(&ada, "/progress/complete", &form)
            .await
            .status(),
        303
    );
    let (_, quiz) = app.get_text(&ada, "/lessons/alpha/two/quiz").await;
    let attempt = input_value(&quiz, "attempt");
    let form = [("attempt", attempt.as_str())];
    assert_eq!(
        app.post_form(&ada, "/lessons/alpha/two/quiz", &form)
            .await
            .status(),
        303
    );

    // The export: everything about Ada, no secrets.
    let resp = ada.get(app.url("/account/export")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let text = resp.text().await.unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["profile"]["email"], "ada@example.com");
    assert_eq!(json["lesson_progress"][0]["lesson_id"], "lesson-one");
    assert_eq!(json["quiz_attempts"].as_array().unwrap().len(), 1);
    assert_eq!(json["cohorts"][0], "Evening");
    assert!(!json["sessions"].as_array().unwrap().is_empty());
    for secret in ["$argon2", "password_hash", "totp", "academy_session"] {
        assert!(!text.contains(secret), "{secret} leaked into the export");
    }
    let session_ids: Vec<String> = app.column("SELECT id FROM sessions").await;
    assert!(
        session_ids.iter().all(|id| !text.contains(id.as_str())),
        "no session id"
    );
    // Nobody else's export, and visitors are sent to sign in.
    let resp = new_client()
        .get(app.url("/account/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);

    // Deleting takes the password and the tick.
    let form = [("password", "not my password at all"), ("confirm", "yes")];
    let resp = app.post_form(&ada, "/account/delete", &form).await;
    assert_answer(resp, 400, "nothing was deleted").await;
    let form = [("password", PW), ("confirm", "")];
    assert_answer(
        app.post_form(&ada, "/account/delete", &form).await,
        400,
        "Tick the box",
    )
    .await;
    let form = [("password", PW), ("confirm", "yes")];
    assert_eq!(
        app.post_form(&ada, "/account/delete", &form).await.status(),
        303
    );
    assert!(!signed_in(&app, &ada).await);

    // Personal data gone; completions kept for the cohort, anonymously.
    let id = ada_id.to_string();
    assert_eq!(
        app.count_where("users", "email = 'ada@example.com'").await,
        0
    );
    assert_eq!(
        app.count_where("quiz_attempts", &format!("user_id = {id}"))
            .await,
        0
    );
    assert_eq!(
        app.count_where("sessions", &format!("user_id = {id}"))
            .await,
        0
    );
    assert_eq!(
        app.count_where("lesson_progress", &format!("user_id = {id}"))
            .await,
        1
    );
    let (_, matrix) = app
        .get_text(&teacher, &format!("/instructor/cohorts/{}", cohort.id))
        .await;
    assert!(matrix.contains("deleted learner"), "{matrix}");
    assert!(!matrix.contains("Ada Lovelace"));
    let (_, audit) = app
        .get_text(&app.sign_in_as("admin").await.0, "/admin/audit")
        .await;
    assert!(audit.contains("own account deleted"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn your_sessions_are_listed_and_can_be_ended_one_by_one() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    app.create_user("ada@example.com", "Ada", "learner", PW)
        .await;
    let phone = browser(
        &app,
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
    );
    let laptop = browser(
        &app,
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    );
    for client in [&phone, &laptop] {
        let form = [("email", "ada@example.com"), ("password", PW)];
        assert_eq!(app.post_form(client, "/login", &form).await.status(), 303);
    }
    let (_, page) = app.get_text(&laptop, "/account").await;
    assert!(
        page.contains("Chrome on Android") && page.contains("Firefox on Linux"),
        "{page}"
    );
    assert!(page.contains("127.0.0.1"));
    assert!(page.contains("(this one)"));
    // The page names sessions by a handle, never by their id.
    let ids: Vec<String> = app.column("SELECT id FROM sessions").await;
    assert!(ids.iter().all(|id| !page.contains(id.as_str())));
    let handle = input_value(&page, "handle");
    let resp = app
        .post_form(
            &laptop,
            "/account/sessions/end",
            &[("handle", handle.as_str())],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert!(!signed_in(&app, &phone).await, "the phone's session ended");
    assert!(signed_in(&app, &laptop).await, "this one stays");
    // Someone else's handle (or a stale one) is a 404 with a sentence.
    let (other, _) = app.sign_in_as("learner").await;
    let resp = app
        .post_form(
            &other,
            "/account/sessions/end",
            &[("handle", handle.as_str())],
        )
        .await;
    assert_answer(resp, 404, "not yours").await;
}

fn browser(app: &TestApp, agent: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, app.base.parse().unwrap());
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(agent)
        .default_headers(headers)
        .build()
        .unwrap()
}
