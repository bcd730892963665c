//! Signed-in lesson pages composed from a cached skeleton
//! (`app::lessons::compose`): the same HTML as a full render, each learner's
//! own parts, per role and language, never another learner's state.

mod common;

use common::{TestApp, PW};

const LESSON: &str = "/lessons/databases/indexes";
/// A lesson with a quiz that completes without exercises.
const PLAIN: &str = "/lessons/databases/transactions";

/// The page without its per-response nonce (a composed page keeps the one
/// of the render it was cut from; its policy names scripts by hash). Leptos
/// writes it in `nonce` and in the preload links' `crossorigin`.
fn without_nonce(html: &str) -> String {
    let mut html = html.to_string();
    for attr in [" nonce=\"", " crossorigin=\""] {
        let mut out = String::with_capacity(html.len());
        let mut rest = html.as_str();
        while let Some(i) = rest.find(attr) {
            out.push_str(&rest[..i + attr.len()]);
            rest = &rest[i + attr.len()..];
            rest = &rest[rest.find('"').unwrap_or(rest.len())..];
        }
        out.push_str(rest);
        html = out;
    }
    html
}

/// Fails with the first difference and its surroundings (pages are long).
fn assert_same(got: &str, want: &str, what: &str) {
    let (got, want) = (without_nonce(got), without_nonce(want));
    if got == want {
        return;
    }
    let at = got
        .bytes()
        .zip(want.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    let around = |s: &str| {
        let start = s.floor_char_boundary(at.saturating_sub(150));
        let end = s.ceil_char_boundary((at + 150).min(s.len()));
        s[start..end].to_string()
    };
    panic!(
        "{what}: the pages differ at byte {at}\n composed: …{}…\n     full: …{}…",
        around(&got),
        around(&want)
    );
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (String, String, String) {
    let resp = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    let h = |name: &str| {
        resp.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (cache, csp) = (h("x-page-cache"), h("content-security-policy"));
    (cache, csp, resp.text().await.unwrap())
}

#[tokio::test]
async fn a_composed_page_is_the_full_render() {
    let app = TestApp::spawn().await;
    let (learner, _) = app.sign_in_as("learner").await;
    // A query string skips composing: the page rendered whole, as before.
    let (cache, _, full) = get(&app, &learner, &format!("{LESSON}?whole")).await;
    assert_eq!(cache, "", "a page with a query is rendered whole");
    for round in ["first (cut and kept)", "second (from the skeleton)"] {
        let (cache, csp, composed) = get(&app, &learner, LESSON).await;
        assert_eq!(cache, "composed", "{round}");
        assert_same(&composed, &full, round);
        // The policy allows the shell's scripts by hash, and no nonce.
        assert!(
            csp.contains("'sha256-") && !csp.contains("'nonce-"),
            "{csp}"
        );
    }
    // The slots' markers never reach the reader.
    let (_, _, page) = get(&app, &learner, LESSON).await;
    assert!(!page.contains("data-academy-slot"));
    assert!(page.contains("name=\"attempt\""), "the quiz form is there");
    assert!(
        page.contains("Mark as complete"),
        "the progress form is there"
    );
}

#[tokio::test]
async fn each_learner_sees_only_their_own_state() {
    let app = TestApp::spawn().await;
    let (ana, _) = app.sign_in_as("learner").await;
    let (bo, _) = app.sign_in_as("learner").await;
    let (_, _, before) = get(&app, &ana, PLAIN).await;
    let token = |html: &str| common::input_value(html, "attempt");
    let ana_token = token(&before);
    // Ana completes the lesson and submits its quiz.
    let done = app
        .post_form(
            &ana,
            "/progress/complete",
            &[("lesson_id", "db-transactions"), ("done", "1")],
        )
        .await;
    assert_eq!(done.status(), 303, "{}", done.text().await.unwrap());
    let submitted = app
        .post_form(
            &ana,
            &format!("{PLAIN}/quiz"),
            &[("attempt", ana_token.as_str())],
        )
        .await;
    assert_eq!(
        submitted.status(),
        303,
        "{}",
        submitted.text().await.unwrap()
    );

    let (cache, _, ana_page) = get(&app, &ana, PLAIN).await;
    assert_eq!(cache, "composed");
    // The form flips the state it shows: "1" marks done, "0" undoes.
    let undo = "name=\"done\" value=\"0\"";
    assert!(ana_page.contains(undo), "Ana sees her lesson done");
    assert_ne!(
        token(&ana_page),
        ana_token,
        "a submitted attempt is not served again"
    );

    let (cache, _, bo_page) = get(&app, &bo, PLAIN).await;
    assert_eq!(cache, "composed");
    assert!(!bo_page.contains(undo), "Bo's lesson is not done");
    assert!(bo_page.contains("name=\"done\" value=\"1\""));
    assert_ne!(
        token(&bo_page),
        token(&ana_page),
        "each learner has their own draw"
    );
    // Both are still the full render of their own state.
    let (_, _, bo_full) = get(&app, &bo, &format!("{PLAIN}?whole")).await;
    assert_same(&bo_page, &bo_full, "Bo's page");
}

#[tokio::test]
async fn roles_and_languages_have_their_own_skeletons() {
    let app = TestApp::spawn().await;
    let (teacher, _) = app.sign_in_as("instructor").await;
    let (learner, _) = app.sign_in_as("learner").await;
    let (_, _, teacher_page) = get(&app, &teacher, LESSON).await;
    assert!(teacher_page.contains("Edit this lesson"));
    assert!(teacher_page.contains("href=\"/instructor\""));
    let (cache, _, learner_page) = get(&app, &learner, LESSON).await;
    assert_eq!(cache, "composed");
    assert!(!learner_page.contains("Edit this lesson"));
    assert!(!learner_page.contains("href=\"/instructor\""));

    // Spanish: the translated lesson, with the learner's parts in Spanish.
    let es = "/lessons/backend-basics/how-a-request-flows";
    let resp = learner
        .get(app.url(es))
        .header("Accept-Language", "es")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-page-cache"], "composed");
    let page = resp.text().await.unwrap();
    assert!(page.contains("<html lang=\"es\""));
    assert!(
        page.contains("Marcar como completada"),
        "the progress form in Spanish"
    );
    let (_, _, en) = get(&app, &learner, es).await;
    assert!(en.contains("<html lang=\"en\"") && en.contains("Mark as complete"));
}

#[tokio::test]
async fn a_visitor_and_a_signed_out_learner_never_get_a_composed_page() {
    let app = TestApp::spawn().await;
    let email = "compose-out@example.com";
    app.create_user(email, "Out", "learner", PW).await;
    let learner = app.signed_in(email, PW).await;
    let (cache, _, _) = get(&app, &learner, LESSON).await;
    assert_eq!(cache, "composed");
    let out = learner.post(app.url("/logout")).send().await.unwrap();
    assert!(out.status().is_redirection());
    let (cache, _, page) = get(&app, &learner, LESSON).await;
    assert_ne!(cache, "composed");
    assert!(
        !page.contains("name=\"lesson_id\""),
        "no progress form for a visitor"
    );
}
