//! A second language over real HTTP: the interface and lessons in Spanish
//! from `Accept-Language` or the switcher (a plain form), English fallback
//! with a notice, search per language, one quiz and one progress across
//! languages, the page cache kept apart per language, and `check-content`
//! catching translations that drifted from their originals.

mod common;

use app::i18n::{text, Lang};
use common::{check_content, fixture_content, input_value, write_file, TestApp};

const ES: (&str, &str) = ("accept-language", "es-ES,es;q=0.9,en;q=0.5");
const EN: (&str, &str) = ("accept-language", "en-US,en;q=0.9");

/// The Spanish `alpha/one`: same id, same quiz shape, Spanish text.
fn spanish_one(original: &str, translation_of: &str, q2: &str) -> String {
    let _ = original;
    format!(
        "---\nid: lesson-one\ntitle: Uno\nsummary: Sobre Uno.\norder: 1\nobjectives:\n  - Aprender Uno\ntranslation_of: \"{translation_of}\"\n---\n\n## Parte\n\nTexto sobre murciélagos y Uno.\n\n```gift\n::P1:: ¿Es Uno divertido? {{T#MAL#BIEN}}\n\n::P2:: Elige la correcta. {q2}\n\n::P3:: ¿La palabra secreta? {{=SHORTKEY}}\n\n::P4:: ¿El número? {{#4242:1}}\n```\n"
    )
}

/// A fixture curriculum with `alpha/one` translated into Spanish.
fn content_with_translation() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fixture_content(dir.path());
    let original = std::fs::read_to_string(dir.path().join("alpha/one.md")).unwrap();
    let hash = app::lessons::load::short_hash(&original);
    write_file(
        dir.path(),
        "alpha/one.es.md",
        &spanish_one(&original, &hash, "{=correcta ~incorrecta ~otra}"),
    );
    write_file(
        dir.path(),
        "alpha/track.es.toml",
        "title = \"Alfa\"\nsummary = \"La primera ruta.\"\n",
    );
    dir
}

async fn page_as(app: &TestApp, path: &str, header: (&str, &str)) -> String {
    let resp = app.get_with_header(&app.new_client(), path, header).await;
    assert_eq!(resp.status(), 200, "{path}");
    resp.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spanish_readers_get_spanish_pages_and_an_english_fallback() {
    let content = content_with_translation();
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;

    let es = page_as(&app, "/lessons/alpha/one", ES).await;
    assert!(es.contains(r#"<html lang="es""#), "html lang");
    assert!(es.contains("<h1>Uno</h1>"), "the translation");
    assert!(es.contains(">Lecciones<"), "Spanish navigation");
    assert!(es.contains("Alfa"), "the track's Spanish title");
    assert!(
        !es.contains("translation-fallback"),
        "no notice on a translation"
    );

    // Not translated: English text, marked as English, with a notice.
    let two = page_as(&app, "/lessons/alpha/two", ES).await;
    assert!(two.contains("<h1>Two</h1>"));
    assert!(
        two.contains(r#"<article lang="en" class="lesson">"#),
        "{two}"
    );
    assert!(two.contains("aún no está traducida al español"));

    let en = page_as(&app, "/lessons/alpha/one", EN).await;
    assert!(en.contains(r#"<html lang="en""#));
    assert!(en.contains("<h1>One</h1>") && !en.contains("Uno"));
    // No preference at all is English.
    let (_, none) = app.page("/lessons/alpha/one").await;
    assert!(none.contains("<h1>One</h1>"));

    // The lists show Spanish titles in the original order, with the
    // untranslated lesson in English.
    let index = page_as(&app, "/lessons", ES).await;
    let (uno, two) = (index.find(">Uno<").unwrap(), index.find(">Two<").unwrap());
    assert!(uno < two, "reading order kept");
}

/// The anonymous page cache serves each language its own copy: a Spanish
/// request never gets the cached English page, nor the reverse.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_cache_keeps_languages_apart() {
    let content = content_with_translation();
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;
    for round in 0..2 {
        for (header, want, not) in [(EN, "<h1>One</h1>", "Uno"), (ES, "<h1>Uno</h1>", ">One<")] {
            let resp = app
                .get_with_header(&app.new_client(), "/lessons/alpha/one", header)
                .await;
            let hit = resp.headers().get("x-page-cache").is_some();
            let vary = resp.headers()["vary"].to_str().unwrap().to_string();
            let html = resp.text().await.unwrap();
            assert!(html.contains(want) && !html.contains(not), "round {round}");
            assert_eq!(hit, round == 1, "second round served from the cache");
            assert!(vary.contains("Accept-Language"), "{vary}");
        }
    }
    // A cookie choice beats the header, and is cached under its outcome.
    let resp = app
        .get_with_header(
            &app.new_client(),
            "/lessons/alpha/one",
            ("cookie", "lang=es"),
        )
        .await;
    assert!(resp.text().await.unwrap().contains("<h1>Uno</h1>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_switcher_works_without_javascript_and_refuses_bad_input() {
    let content = content_with_translation();
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;
    let client = app.new_client();
    let resp = client
        .post(app.url("/lang"))
        .header("referer", app.url("/lessons/alpha/one"))
        .form(&[("lang", "es")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/lessons/alpha/one");
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("lang=es;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    // The cookie wins over the browser's English.
    let html = app
        .get_with_header(&client, "/lessons/alpha/one", EN)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<h1>Uno</h1>") && html.contains(r#"lang="es""#));
    // The switcher itself is on every page, with the current choice marked.
    assert!(html.contains(r#"action="/lang""#) && html.contains(r#"aria-current="true""#));

    // Back to English, with a Referer naming another site: sent back to a
    // path of this site, never away.
    let resp = client
        .post(app.url("/lang"))
        .header("referer", "https://evil.example/phish")
        .form(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["location"], "/phish");
    let html = app
        .get_with_header(&client, "/lessons/alpha/one", ES)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<h1>One</h1>"),
        "explicit English beats Accept-Language"
    );

    // Unknown, missing or malformed: 400 with a sentence, no cookie.
    let client = app.new_client();
    for body in ["lang=fr", "", "lang=%ZZ", "lang=es-XX-\u{1F600}"] {
        let resp = client
            .post(app.url("/lang"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept-language", "es")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        if body == "lang=es-XX-\u{1F600}" {
            // A regional tag of a language we have is that language.
            assert_eq!(resp.status(), 303, "{body}");
            continue;
        }
        assert_eq!(resp.status(), 400, "{body}");
        assert!(resp.headers().get("set-cookie").is_none());
        let text = resp.text().await.unwrap();
        assert!(text.contains("Ese idioma no está disponible"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_searches_the_readers_language() {
    let content = content_with_translation();
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;
    // A word only the Spanish text has.
    let es = page_as(&app, "/search?q=murci%C3%A9lagos", ES).await;
    assert!(es.contains(r#"href="/lessons/alpha/one""#), "{es}");
    assert!(es.contains("1 lección coincide"), "{es}");
    let en = page_as(&app, "/search?q=murci%C3%A9lagos", EN).await;
    assert!(!en.contains(r#"href="/lessons/alpha/one""#));
    assert!(en.contains("No lessons match"));
    // An untranslated lesson is found by Spanish readers too (in English);
    // the translated one is found in Spanish only once.
    let es = page_as(&app, "/search?q=two", ES).await;
    assert!(es.contains(r#"href="/lessons/alpha/two""#), "{es}");
    let es = page_as(&app, "/search?q=uno", ES).await;
    assert_eq!(
        es.matches(r#"<li><a href="/lessons/alpha/one""#).count(),
        1,
        "{es}"
    );
    // The server function answers in the caller's language too.
    let resp = app
        .client
        .post(app.url("/api/search"))
        .header("accept", "application/json")
        .header("accept-language", "es")
        .form(&[("q", "murciélagos")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body = resp.text().await.unwrap();
    assert!(body.contains("/lessons/alpha/one"), "{body}");
}

/// One quiz and one progress across languages: a Spanish attempt is graded
/// against the Spanish quiz and shows in English afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spanish_attempt_is_graded_and_shared_across_languages() {
    let content = content_with_translation();
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;
    let (client, _) = app.sign_in_as("learner").await;
    let quiz = "/lessons/alpha/one/quiz";
    let html = app
        .get_with_header(&client, quiz, ES)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Elige la correcta"), "the Spanish quiz");
    // The radio whose label is "correcta".
    let marker = r#"type="radio" name="q2" value=""#;
    let pick = html
        .split(marker)
        .skip(1)
        .find(|rest| {
            let label = rest.split("</label>").next().unwrap();
            label.contains(">correcta<")
        })
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .expect("the right choice");
    let form = [
        ("attempt", input_value(&html, "attempt")),
        ("q1", "true".to_string()),
        ("q2", pick),
        ("q3", "shortkey".to_string()),
        ("q4", "4242".to_string()),
    ];
    let resp = client
        .post(app.url(quiz))
        .header("accept-language", "es")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let url = resp.headers()["location"].to_str().unwrap().to_string();
    let es = app
        .get_with_header(&client, &url, ES)
        .await
        .text()
        .await
        .unwrap();
    assert!(es.contains("Tu puntuación: 100 %"), "{es}");
    let en = app
        .get_with_header(&client, &url, EN)
        .await
        .text()
        .await
        .unwrap();
    assert!(en.contains("Your score: 100 %"), "{en}");
    assert_eq!(app.count("quiz_attempts").await, 1);
    // Passing completes the lesson, whichever language it was read in.
    let dash = app
        .get_with_header(&client, "/dashboard", EN)
        .await
        .text()
        .await
        .unwrap();
    assert!(dash.contains("1 of 3"), "{dash}");
    // In Spanish the dashboard names the lesson by its Spanish title.
    let dash = app
        .get_with_header(&client, "/dashboard", ES)
        .await
        .text()
        .await
        .unwrap();
    assert!(dash.contains(">Uno<") && dash.contains("Alfa"), "{dash}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_speak_the_readers_language() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    app.create_user("ana@example.com", "Ana", "learner", common::PW)
        .await;
    let resp = app
        .new_client()
        .post(app.url("/login"))
        .header("accept-language", "es")
        .header("origin", &app.base)
        .form(&[
            ("email", "ana@example.com"),
            ("password", "wrong password here"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let html = resp.text().await.unwrap();
    let spanish = text(Lang::Es, "err-bad-credentials", &[]);
    assert!(!spanish.is_empty() && spanish != "err-bad-credentials");
    assert!(html.contains(&spanish), "{html}");
    assert!(!html.contains("That email and password do not match"));
    // A page that is not there, in Spanish.
    let resp = app
        .get_with_header(&app.new_client(), "/no/such/page", ES)
        .await;
    assert_eq!(resp.status(), 404);
    assert!(resp.text().await.unwrap().contains("Página no encontrada"));
}

#[test]
fn check_content_reports_outdated_and_mismatched_translations() {
    let content = content_with_translation();
    let root = content.path();
    let (code, out) = check_content(root);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("1 translations"), "{out}");

    // The original changes: the translation is outdated.
    let original = std::fs::read_to_string(root.join("alpha/one.md")).unwrap();
    write_file(
        root,
        "alpha/one.md",
        &original.replace("Text about", "New text about"),
    );
    let (code, out) = check_content(root);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("alpha/one.es.md:1: outdated translation"),
        "{out}"
    );

    // A quiz of another shape, and another order: both named.
    let now = std::fs::read_to_string(root.join("alpha/one.md")).unwrap();
    let hash = app::lessons::load::short_hash(&now);
    let drifted =
        spanish_one(&now, &hash, "{~correcta =incorrecta ~otra}").replace("order: 1", "order: 5");
    write_file(root, "alpha/one.es.md", &drifted);
    let (code, out) = check_content(root);
    assert_eq!(code, Some(1), "{out}");
    assert!(!out.contains("outdated"), "{out}");
    assert!(
        out.contains("front matter differs from the original alpha/one.md: order"),
        "{out}"
    );
    assert!(
        out.contains("quiz structure differs from the original alpha/one.md: question 2"),
        "{out}"
    );

    // The shipped curriculum's translations are complete and current.
    let (code, out) = check_content(&common::repo_content());
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("5 translations"), "{out}");
}
