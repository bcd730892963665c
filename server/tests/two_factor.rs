//! Two-factor sign-in (TOTP, RFC 6238) over real HTTP. The codes are
//! computed here (HMAC-SHA1, 30 s steps, 6 digits), independently of the
//! app's own implementation.

mod common;

use common::{assert_answer, text_between, TestApp, PW};
use hmac::{Hmac, Mac};
use reqwest::Client;

// ------------------------------------------------------- RFC 6238, again

fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut out, mut buffer, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = ALPHABET.iter().position(|&a| a == c).expect("base32") as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

fn code(secret: &[u8], step: i64) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).unwrap();
    mac.update(&(step as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let o = (h[19] & 0x0f) as usize;
    let n = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]);
    format!("{:06}", n % 1_000_000)
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The current step, after waiting out the last seconds of a step so that
/// the server sees the same one.
async fn fresh_step() -> i64 {
    let into = unix_now() % 30;
    if into > 24 {
        tokio::time::sleep(std::time::Duration::from_secs((31 - into) as u64)).await;
    }
    unix_now() / 30
}

/// A 6-digit code that no step within ±2 of `step` has.
fn wrong_code(secret: &[u8], step: i64) -> String {
    let near: Vec<String> = (step - 2..=step + 2).map(|s| code(secret, s)).collect();
    (0..)
        .map(|n| format!("{:06}", (n * 7919) % 1_000_000))
        .find(|c| !near.contains(c))
        .unwrap()
}

// ---------------------------------------------------------------- helpers

const NO_FIELDS: [(&str, &str); 0] = [];

/// Turns two-factor on for `client`'s account; returns the secret and the
/// ten recovery codes the answer shows.
async fn enrol(app: &TestApp, client: &Client) -> (Vec<u8>, Vec<String>) {
    let (status, page) = app.get_text(client, "/account/2fa").await;
    assert_eq!(status, 200);
    assert!(page.contains("<svg"), "a QR code as inline SVG");
    let grouped = text_between(&page, r#"class="totp-secret">"#, "<").expect("the secret");
    assert_eq!(
        grouped.split(' ').next().unwrap().len(),
        4,
        "grouped in fours"
    );
    let secret = base32_decode(grouped);
    assert_eq!(secret.len(), 20);
    let step = fresh_step().await;
    let resp = app
        .post_form(
            client,
            "/account/2fa/confirm",
            &[("code", code(&secret, step))],
        )
        .await;
    let page = assert_answer(resp, 200, "recovery codes").await;
    let list = text_between(&page, r#"class="recovery-codes">"#, "</ul>").unwrap();
    let codes: Vec<String> = list
        .split("<code>")
        .skip(1)
        .map(|c| c.split('<').next().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10, "{list}");
    (secret, codes)
}

/// Posts the password for `email` on a new client: the answer must ask for
/// the code (303 to /login/2fa), and the client is not signed in yet.
async fn password_step(app: &TestApp, email: &str) -> Client {
    let client = app.new_client();
    let resp = app
        .post_form(&client, "/login", &[("email", email), ("password", PW)])
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/login/2fa");
    assert_eq!(
        app.status(&client, "/dashboard").await,
        302,
        "not signed in yet"
    );
    let (status, page) = app.get_text(&client, "/login/2fa").await;
    assert_eq!(status, 200);
    assert!(page.contains("6-digit code"));
    client
}

async fn second_step(app: &TestApp, client: &Client, code: &str) -> reqwest::Response {
    app.post_form(client, "/login/2fa", &[("code", code)]).await
}

async fn signs_in(app: &TestApp, client: &Client, code: &str) {
    let resp = second_step(app, client, code).await;
    assert_eq!(
        resp.status(),
        303,
        "{code} refused: {}",
        resp.text().await.unwrap()
    );
    assert_eq!(resp.headers()["location"], "/dashboard");
    assert_eq!(app.status(client, "/dashboard").await, 200);
}

// ------------------------------------------------------------------ tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrol_sign_in_replay_window_recovery_and_turn_off() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let email = "tess@example.com";
    let (client, id) = app.user(email, "Tess", "learner").await;
    let (_, account) = app.get_text(&client, "/account").await;
    assert!(
        account.contains(r#"href="/account/2fa""#),
        "linked from /account"
    );

    // A wrong confirmation code is refused and changes nothing.
    let (_, page) = app.get_text(&client, "/account/2fa").await;
    let secret = base32_decode(text_between(&page, r#"class="totp-secret">"#, "<").unwrap());
    let step = fresh_step().await;
    let resp = app
        .post_form(
            &client,
            "/account/2fa/confirm",
            &[("code", wrong_code(&secret, step))],
        )
        .await;
    assert_answer(resp, 400, "That code is not right").await;
    let on = format!("users WHERE id = {id} AND totp_secret IS NOT NULL");
    assert_eq!(app.count(&on).await, 0);

    // Confirming shows the recovery codes once; only hashes are stored.
    let (secret2, recovery) = enrol(&app, &client).await;
    assert_eq!(secret, secret2, "a reload keeps the secret being enrolled");
    assert_eq!(app.count(&on).await, 1);
    assert_eq!(
        app.count_where("recovery_codes", &format!("user_id = {id}"))
            .await,
        10
    );
    let stored: Vec<String> = app.column("SELECT code_hash FROM recovery_codes").await;
    assert!(stored
        .iter()
        .all(|h| h.len() == 64 && !recovery.contains(h)));
    let (_, page) = app.get_text(&client, "/account/2fa").await;
    assert!(page.contains("Two-factor sign-in is on"));
    assert!(!page.contains(&recovery[0]), "codes are shown once");

    // The password alone does not sign in; a wrong code is refused.
    let step = fresh_step().await;
    let browser = password_step(&app, email).await;
    let resp = second_step(&app, &browser, &wrong_code(&secret, step)).await;
    assert_answer(resp, 400, "That code is not right").await;
    // The next step's code (+1) signs in.
    signs_in(&app, &browser, &code(&secret, step + 1)).await;

    // The same code again, on another sign-in: refused (replay).
    let other = password_step(&app, email).await;
    let resp = second_step(&app, &other, &code(&secret, step + 1)).await;
    assert_answer(resp, 400, "already used").await;
    // Two steps ago: outside the window.
    let step = fresh_step().await;
    app.exec(
        &format!("UPDATE users SET totp_last_step = 0 WHERE id = {id}"),
        &[],
    )
    .await;
    let resp = second_step(&app, &other, &code(&secret, step - 2)).await;
    assert_answer(resp, 400, "That code is not right").await;
    // The step before now (-1) is accepted.
    signs_in(&app, &other, &code(&secret, step - 1)).await;

    // A recovery code works once.
    let third = password_step(&app, email).await;
    signs_in(&app, &third, &recovery[0].to_uppercase()).await;
    let fourth = password_step(&app, email).await;
    let resp = second_step(&app, &fourth, &recovery[0]).await;
    assert_answer(resp, 400, "That code is not right").await;
    signs_in(&app, &fourth, &recovery[1]).await;

    // Turning it off needs the right password.
    let resp = app
        .post_form(
            &client,
            "/account/2fa/disable",
            &[("password", "not the password")],
        )
        .await;
    assert_answer(resp, 400, "password is not right").await;
    assert_eq!(app.count(&on).await, 1);
    let resp = app
        .post_form(&client, "/account/2fa/disable", &[("password", PW)])
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/account/2fa?done=off");
    assert_eq!(app.count(&on).await, 0);
    assert_eq!(app.count("recovery_codes").await, 0);
    app.signed_in(email, PW).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_wrong_codes_lock_the_account() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let email = "lou@example.com";
    let (client, _) = app.user(email, "Lou", "learner").await;
    let (secret, _) = enrol(&app, &client).await;
    let browser = password_step(&app, email).await;
    let step = fresh_step().await;
    for _ in 0..10 {
        let resp = second_step(&app, &browser, &wrong_code(&secret, step)).await;
        assert_answer(resp, 400, "That code is not right").await;
    }
    // Locked like ten wrong passwords: the right password is refused too.
    let resp = app
        .post_form(
            &app.new_client(),
            "/login",
            &[("email", email), ("password", PW)],
        )
        .await;
    assert_answer(resp, 429, "Too many failed sign-ins for this email").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_step_expires_and_needs_the_password_first() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let resp = second_step(&app, &app.new_client(), "123456").await;
    assert_answer(resp, 400, "Sign in again with your password").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn require_mfa_sends_instructors_to_enrol_first() {
    let app = TestApp::spawn_fixture(|c| {
        c.settings.require_mfa = vec![app::auth::model::Role::Instructor];
    })
    .await;
    let (instructor, _) = app.user("ines@example.com", "Ines", "instructor").await;
    let resp = instructor.get(app.url("/instructor")).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/account/2fa?required=1");
    let (_, page) = app.get_text(&instructor, "/account/2fa?required=1").await;
    assert!(page.contains("Your role must use two-factor sign-in"));
    // Server functions answer 403 with the sentence.
    let resp = app
        .call(&instructor, "/api/instructor/cohorts", &NO_FIELDS)
        .await;
    assert_answer(resp, 403, "must use two-factor").await;
    // The account, the lessons and signing out stay open.
    assert_eq!(app.status(&instructor, "/account").await, 200);
    assert_eq!(app.status(&instructor, "/lessons").await, 200);
    // Learners are not concerned.
    let (learner, _) = app.sign_in_as("learner").await;
    assert_eq!(app.status(&learner, "/dashboard").await, 200);

    enrol(&app, &instructor).await;
    assert_eq!(app.status(&instructor, "/instructor").await, 200);
    let resp = app
        .call(&instructor, "/api/instructor/cohorts", &NO_FIELDS)
        .await;
    assert_eq!(resp.status(), 200);
    let resp = app.post_form(&instructor, "/logout", &NO_FIELDS).await;
    assert_eq!(resp.status(), 303);
}
