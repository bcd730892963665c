//! "Sign in with the school" against a real OpenID Connect provider: the
//! `oidc-provider` npm package, run by `end2end/oidc-provider.mjs` on a free
//! port. The provider's own login and consent pages are driven over HTTP by
//! a cookie-keeping client that follows every redirect by hand, so each test
//! can stop at, read or tamper with any step.
//!
//! Order of start: a port is picked for the provider, the app starts with
//! that issuer (the provider is not up yet: discovery fails, is logged and
//! retried), then the provider starts with the app's callback as its
//! client's redirect URI. The first sign-in finds the provider at once.

mod common;

use std::{path::PathBuf, process::Stdio, time::Duration};

use app::auth::oidc::{Oidc, OidcSettings};
use common::*;
use reqwest::{Client, Response, Url};
use tokio::io::{AsyncBufReadExt, BufReader};

const CLIENT_ID: &str = "academy";
const SECRET: &str = "academy-test-secret";

/// The provider process (killed when dropped).
struct Provider {
    _child: tokio::process::Child,
}

fn provider_script() -> PathBuf {
    let end2end = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../end2end");
    assert!(
        end2end.join("node_modules/oidc-provider").is_dir(),
        "end2end/node_modules/oidc-provider is missing: run `npm ci --prefix end2end` first"
    );
    end2end.join("oidc-provider.mjs")
}

/// A port nobody listens on right now, for the provider.
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Starts the provider on `port` for an app at `app_base`; returns once it
/// printed "ready".
async fn start_provider(port: u16, app_base: &str) -> Provider {
    let mut child = tokio::process::Command::new("node")
        .arg(provider_script())
        .arg(port.to_string())
        .env("OIDC_CLIENT_ID", CLIENT_ID)
        .env("OIDC_CLIENT_SECRET", SECRET)
        .env(
            "OIDC_REDIRECT_URI",
            format!("{app_base}{}", app::auth::oidc::CALLBACK_PATH),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node (needed for the OpenID provider of these tests)");
    // Its errors reach the test's output; its start-up warnings (Node 20,
    // in-memory store, development pages: all intended here) do not.
    let mut errors = BufReader::new(child.stderr.take().unwrap()).lines();
    tokio::spawn(async move {
        while let Ok(Some(line)) = errors.next_line().await {
            if !line.starts_with("oidc-provider WARNING") {
                eprintln!("oidc-provider: {line}");
            }
        }
    });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if line.starts_with("ready ") {
                return line;
            }
        }
        panic!("the OpenID provider exited before it was ready")
    })
    .await
    .expect("the OpenID provider did not start in 20 s");
    assert_eq!(ready, format!("ready http://127.0.0.1:{port}"));
    // Keep reading its output so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Provider { _child: child }
}

/// The app (fixture content) with the provider as `client_id`, the
/// provider started for it, and `adjust` applied to the settings.
async fn spawn(client_id: &str, adjust: impl FnOnce(&mut OidcSettings)) -> (TestApp, Provider) {
    spawn_with(client_id, adjust, |_| {}).await
}

/// [`spawn`] with the app's other settings adjusted too.
async fn spawn_with(
    client_id: &str,
    adjust: impl FnOnce(&mut OidcSettings),
    configure: impl FnOnce(&mut academy_server::Config),
) -> (TestApp, Provider) {
    let port = free_port();
    let mut settings = OidcSettings {
        issuer: format!("http://127.0.0.1:{port}"),
        client_id: client_id.into(),
        client_secret: SECRET.into(),
        name: "Test School".into(),
        allowed_domains: vec![],
        public_origin: None,
    };
    adjust(&mut settings);
    let oidc = Oidc::new(settings).unwrap();
    let app = TestApp::spawn_fixture(|config| {
        config.settings.oidc = Some(oidc);
        configure(config);
    })
    .await;
    let provider = start_provider(port, &app.base).await;
    (app, provider)
}

/// Follows redirects from `resp` (at `at`) by hand until the provider
/// shows a page, or a redirect leads back to the app's callback: returns
/// the callback URL then (not followed), or the page's URL and HTML.
async fn follow(client: &Client, app: &TestApp, mut at: Url, mut resp: Response) -> Step {
    for _ in 0..20 {
        if resp.status().is_redirection() {
            let location = resp.headers()["location"].to_str().unwrap().to_string();
            let next = at.join(&location).unwrap();
            if next
                .as_str()
                .starts_with(&app.url(app::auth::oidc::CALLBACK_PATH))
            {
                return Step::Callback(next);
            }
            resp = client.get(next.clone()).send().await.unwrap();
            at = next;
        } else {
            let status = resp.status();
            let html = resp.text().await.unwrap();
            assert_eq!(status, 200, "the provider answered {status}: {html}");
            return Step::Page(at, html);
        }
    }
    panic!("more than 20 redirects")
}

enum Step {
    Callback(Url),
    Page(Url, String),
}

/// Signs `login` in at the provider (login form, then consent, as shown)
/// from its authorization URL, and returns the callback URL it sends the
/// browser back to.
async fn at_provider(app: &TestApp, client: &Client, auth_url: Url, login: &str) -> Url {
    let resp = client.get(auth_url.clone()).send().await.unwrap();
    let mut step = follow(client, app, auth_url, resp).await;
    for _ in 0..5 {
        match step {
            Step::Callback(url) => return url,
            Step::Page(at, html) => {
                let action = text_between(&html, "action=\"", "\"").expect("a form");
                let target = at.join(action).unwrap();
                let form: Vec<(&str, &str)> = if html.contains("name=\"login\"") {
                    vec![("prompt", "login"), ("login", login), ("password", "any")]
                } else {
                    vec![("prompt", "consent")]
                };
                let resp = client
                    .post(target.clone())
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
                step = follow(client, app, target, resp).await;
            }
        }
    }
    panic!("the provider kept asking")
}

/// `GET /login/oidc?next=…` on the app: the provider's authorization URL.
async fn start(app: &TestApp, client: &Client, next: &str) -> Url {
    let resp = client
        .get(app.url(&format!("/login/oidc?next={next}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "start: {}", resp.text().await.unwrap());
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    Url::parse(&location).unwrap()
}

/// A whole sign-in of `login` on `client`: the app's answer to the callback.
async fn sign_in(app: &TestApp, client: &Client, login: &str) -> Response {
    let auth = start(app, client, "/lessons").await;
    let callback = at_provider(app, client, auth, login).await;
    client.get(callback).send().await.unwrap()
}

async fn signed_in_as(app: &TestApp, client: &Client) -> Option<String> {
    let (status, html) = app.get_text(client, "/account").await;
    (status == 200).then_some(html)
}

fn param(url: &Url, name: &str) -> String {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no {name} in {url}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sign_in_creates_a_learner_and_the_next_one_finds_it() {
    let (app, _provider) = spawn(CLIENT_ID, |_| {}).await;
    let client = app.new_client();
    // The button shows once the provider has been discovered.
    let auth = start(&app, &client, "/lessons").await;
    assert_eq!(param(&auth, "code_challenge_method"), "S256");
    for name in ["state", "nonce", "code_challenge"] {
        assert!(param(&auth, name).len() >= 22, "{name} is long and random");
    }
    let login = app.expect_page("/login", 200).await;
    let with_next = app.expect_page("/login?next=/lessons/a%20b", 200).await;
    assert!(
        with_next.contains(r#"href="/login/oidc?next=/lessons/a%20b""#),
        "{with_next}"
    );
    assert!(login.contains("Sign in with Test School"), "{login}");
    assert!(login.contains(r#"href="/login/oidc""#), "a plain link");

    let callback = at_provider(&app, &client, auth, "Ann@School.edu").await;
    let resp = client.get(callback).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/lessons", "next is kept");
    let account = signed_in_as(&app, &client).await.expect("signed in");
    assert!(account.contains("ann@school.edu"), "stored lowercased");
    assert_eq!(
        app.scalar::<String>("SELECT role FROM users WHERE email = 'ann@school.edu'")
            .await,
        "learner"
    );
    // No usable password: "ann" cannot sign in with any password we know.
    let resp = app
        .post_form(
            &app.new_client(),
            "/login",
            &[("email", "ann@school.edu"), ("password", "any")],
        )
        .await;
    assert_eq!(resp.status(), 401);

    // Signed out, then in again (the provider remembers the person and the
    // consent, so it answers at once): the same account.
    let resp = app.post_form(&client, "/logout", &[("x", "")]).await;
    assert_eq!(resp.status(), 303);
    assert!(signed_in_as(&app, &client).await.is_none());
    let resp = sign_in(&app, &client, "ann@school.edu").await;
    assert_eq!(resp.status(), 303);
    assert!(signed_in_as(&app, &client).await.is_some());
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_password_account_is_matched_by_email() {
    let (app, _provider) = spawn(CLIENT_ID, |_| {}).await;
    let id = app
        .create_user("teacher@school.edu", "Tess", "instructor", PW)
        .await;
    let client = app.new_client();
    let resp = sign_in(&app, &client, "TEACHER@school.edu").await;
    assert_eq!(resp.status(), 303);
    let account = signed_in_as(&app, &client).await.expect("signed in");
    assert!(account.contains("Tess") && account.contains("instructor"));
    assert_eq!(app.count("users").await, 1);
    assert_eq!(
        app.scalar::<i64>("SELECT id FROM users WHERE email = 'teacher@school.edu'")
            .await,
        id
    );
    // The password still works.
    app.signed_in("teacher@school.edu", PW).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_state_is_refused_and_signs_nobody_in() {
    let (app, _provider) = spawn(CLIENT_ID, |_| {}).await;
    let client = app.new_client();
    let auth = start(&app, &client, "").await;
    let mut callback = at_provider(&app, &client, auth, "ann@school.edu").await;
    let code = param(&callback, "code");
    callback
        .query_pairs_mut()
        .clear()
        .append_pair("code", &code)
        .append_pair("state", "forged-state");
    let resp = client.get(callback.clone()).send().await.unwrap();
    assert_answer(resp, 400, "does not belong to this sign-in").await;
    assert!(signed_in_as(&app, &client).await.is_none());
    // The sign-in was used up: replaying it with the right state is refused too.
    let resp = client.get(callback).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    // A callback nobody started.
    let resp = app
        .new_client()
        .get(app.url("/login/oidc/callback?code=x&state=y"))
        .send()
        .await
        .unwrap();
    assert_answer(resp, 400, "was not started here").await;
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_token_with_another_nonce_is_refused() {
    let (app, _provider) = spawn(CLIENT_ID, |_| {}).await;
    let client = app.new_client();
    let mut auth = start(&app, &client, "").await;
    let pairs: Vec<(String, String)> = auth
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "nonce" {
                "attacker-nonce".into()
            } else {
                v
            };
            (k.into_owned(), v.into_owned())
        })
        .collect();
    auth.query_pairs_mut().clear().extend_pairs(pairs);
    let callback = at_provider(&app, &client, auth, "ann@school.edu").await;
    let resp = client.get(callback).send().await.unwrap();
    assert_answer(resp, 400, "could not be verified").await;
    assert!(signed_in_as(&app, &client).await.is_none());
    assert_eq!(app.count("users").await, 0);
}

/// The `-expiring` client's ID tokens live one second and the provider
/// holds its token answer 2.5 s (see end2end/oidc-provider.mjs): the token
/// is signed, for us, with our nonce, and expired when it arrives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_id_token_is_refused() {
    let (app, _provider) = spawn(&format!("{CLIENT_ID}-expiring"), |_| {}).await;
    let client = app.new_client();
    let resp = sign_in(&app, &client, "ann@school.edu").await;
    assert_answer(resp, 400, "could not be verified").await;
    assert!(signed_in_as(&app, &client).await.is_none());
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_allowed_domains_and_verified_emails_sign_in() {
    let (app, _provider) =
        spawn(CLIENT_ID, |s| s.allowed_domains = vec!["school.edu".into()]).await;
    let client = app.new_client();
    let resp = sign_in(&app, &client, "eve@gmail.com").await;
    assert_answer(resp, 403, "Accounts of gmail.com cannot sign in here").await;
    assert!(signed_in_as(&app, &client).await.is_none());

    // The provider's session is per client: a fresh "browser" for another person.
    let client = app.new_client();
    let resp = sign_in(&app, &client, "unverified-bob@school.edu").await;
    assert_answer(resp, 403, "no verified email address").await;
    assert!(signed_in_as(&app, &client).await.is_none());
    assert_eq!(app.count("users").await, 0);

    let client = app.new_client();
    let resp = sign_in(&app, &client, "cleo@SCHOOL.EDU").await;
    assert_eq!(resp.status(), 303, "the allowed domain, any case");
    assert_eq!(app.count("users").await, 1);
}

/// With registration closed, the school's sign-in cannot make accounts
/// (nor get around an invite code): only existing accounts sign in, and a
/// disabled one is refused even though the school vouches for the person.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_registration_and_disabled_accounts_are_kept() {
    let (app, _provider) = spawn_with(
        CLIENT_ID,
        |_| {},
        |config| {
            config.settings.registration = app::auth::model::RegistrationMode::Closed;
        },
    )
    .await;
    let client = app.new_client();
    let resp = sign_in(&app, &client, "newcomer@school.edu").await;
    assert_answer(resp, 403, "new accounts are not open").await;
    assert_eq!(app.count("users").await, 0);

    let id = app
        .create_user("kim@school.edu", "Kim", "learner", common::PW)
        .await;
    let client = app.new_client();
    assert_eq!(sign_in(&app, &client, "kim@school.edu").await.status(), 303);
    assert!(signed_in_as(&app, &client).await.is_some());

    app.exec(
        "UPDATE users SET disabled_at = 1 WHERE id = CAST($1 AS BIGINT)",
        &[&id.to_string()],
    )
    .await;
    let client = app.new_client();
    let resp = sign_in(&app, &client, "kim@school.edu").await;
    assert_answer(resp, 403, "disabled by an administrator").await;
    assert!(signed_in_as(&app, &client).await.is_none());
}

/// Who gets what from the two routes (with a provider; without one both
/// are 404, see the table in auth.rs).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_table_of_the_oidc_routes() {
    let (app, _provider) = spawn(CLIENT_ID, |_| {}).await;
    let callers = [
        ("anonymous", app.new_client()),
        ("learner", app.sign_in_as("learner").await.0),
        ("instructor", app.sign_in_as("instructor").await.0),
        ("admin", app.sign_in_as("admin").await.0),
    ];
    // Anyone may start a sign-in (a signed-in person may switch accounts);
    // a callback that no sign-in of this session started is 400 for all.
    let table = [
        ("/login/oidc", 303),
        ("/login/oidc/callback?code=x&state=y", 400),
    ];
    for (path, want) in table {
        for (who, client) in &callers {
            let resp = client.get(app.url(path)).send().await.unwrap();
            assert_eq!(resp.status().as_u16(), want, "GET {path} as {who}");
        }
    }
}
