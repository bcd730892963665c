//! Quizzes over real HTTP: nothing of the key before submitting, grading,
//! stored attempts, forged ids, double submits, the GIFT CLI.

mod common;

use common::TestApp;

const PW: &str = "a long enough passphrase";
const SECRETS: &[&str] = &[
    "FEEDBACKSECRET",
    "FEEDBACKWRONG",
    "FEEDBACKRIGHT",
    "GENERALSECRET",
    "SHORTKEY",
    "4242",
    "fraction",
];

/// (value, label) of the radio inputs named `name`.
fn radios(html: &str, name: &str) -> Vec<(String, String)> {
    let marker = format!(r#"type="radio" name="{name}" value=""#);
    html.split(&marker)
        .skip(1)
        .map(|rest| {
            let value = rest.split('"').next().unwrap().to_string();
            let label = rest
                .split_once('>')
                .unwrap()
                .1
                .split("</label>")
                .next()
                .unwrap();
            let label = label.replace("<!>", "").trim().to_string();
            (value, label)
        })
        .collect()
}

fn attempt_token(html: &str) -> String {
    html.split(r#"name="attempt" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

async fn quiz_page(client: &reqwest::Client, app: &TestApp) -> String {
    let resp = client
        .get(app.url("/lessons/alpha/one/quiz"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.text().await.unwrap()
}

fn answers(html: &str, right: bool) -> Vec<(String, String)> {
    let pick = radios(html, "q2")
        .into_iter()
        .find(|(_, l)| (l == "right") == right)
        .unwrap()
        .0;
    vec![
        ("attempt".into(), attempt_token(html)),
        ("q1".into(), if right { "true" } else { "false" }.into()),
        ("q2".into(), pick),
        ("q3".into(), if right { "shortkey" } else { "nope" }.into()),
        ("q4".into(), if right { "4242.5" } else { "1" }.into()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_part_of_the_key_reaches_the_page_before_submitting() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    app.create_user("l@example.com", "L", "learner", PW).await;
    let learner = app.signed_in("l@example.com", PW).await;
    for client in [app.new_client(), learner] {
        for path in ["/lessons/alpha/one", "/lessons/alpha/one/quiz"] {
            let html = client
                .get(app.url(path))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(html.contains("Submit answers"), "{path} has the quiz");
            for secret in SECRETS {
                assert!(!html.contains(secret), "{path} leaks {secret}");
            }
            // Choice values are opaque tokens, not source positions.
            for (value, _) in radios(&html, "q2") {
                assert_eq!(value.len(), 12, "{value}");
            }
        }
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_is_graded_with_feedback_but_nothing_is_stored() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let client = app.new_client();
    let html = quiz_page(&client, &app).await;
    let resp = client
        .post(app.url("/lessons/alpha/one/quiz"))
        .form(&answers(&html, true))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let result = resp.text().await.unwrap();
    assert!(result.contains("Your score: 100 %"), "{result}");
    assert!(
        result.contains("FEEDBACKSECRET") && result.contains("GENERALSECRET"),
        "feedback after submitting"
    );
    assert!(result.contains("Sign in to keep your scores."));
    let pool = app.pool().await;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM quiz_attempts")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_attempt_is_stored_once_and_feeds_the_dashboard() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    app.create_user("q@example.com", "Quinn", "learner", PW)
        .await;
    let client = app.signed_in("q@example.com", PW).await;
    let html = quiz_page(&client, &app).await;
    let form = answers(&html, false);
    let first = client
        .post(app.url("/lessons/alpha/one/quiz"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 303);
    let url = first.headers()["location"].to_str().unwrap().to_string();
    assert!(url.starts_with("/lessons/alpha/one/quiz/attempts/"));
    // The same form again (double click, resubmit): the same attempt.
    let again = client
        .post(app.url("/lessons/alpha/one/quiz"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(again.headers()["location"].to_str().unwrap(), url);
    let page = client
        .get(app.url(&url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Your score: 0 %"), "{page}");
    assert!(page.contains("FEEDBACKWRONG"));

    // A second, passing attempt: best score 100, two attempts, lesson done.
    let html = quiz_page(&client, &app).await;
    let resp = client
        .post(app.url("/lessons/alpha/one/quiz"))
        .form(&answers(&html, true))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let dash = client
        .get(app.url("/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        dash.contains("100 %") && dash.contains("<td>2</td>"),
        "{dash}"
    );
    assert!(dash.contains("1 of 3"), "passing marks the lesson complete");

    // Another learner cannot open this attempt.
    app.create_user("o@example.com", "Other", "learner", PW)
        .await;
    let other = app.signed_in("o@example.com", PW).await;
    let resp = other.get(app.url(&url)).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_malformed_submissions_are_400() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    app.create_user("f@example.com", "F", "learner", PW).await;
    let client = app.signed_in("f@example.com", PW).await;
    let html = quiz_page(&client, &app).await;
    let mut form = answers(&html, true);
    form[2].1 = "0".into();
    let resp = client
        .post(app.url("/lessons/alpha/one/quiz"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("not one of its choices"));
    let resp = client
        .post(app.url("/lessons/alpha/one/quiz"))
        .form(&[("q1", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400, "no attempt token");
    let resp = client
        .post(app.url("/lessons/alpha/one/quiz"))
        .form(&[("attempt", attempt_token(&html).as_str()), ("q77", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let resp = client
        .post(app.url("/lessons/alpha/nope/quiz"))
        .form(&[("q1", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    // Unanswered questions score zero.
    let resp = client
        .post(app.url("/lessons/alpha/one/quiz"))
        .form(&[("attempt", attempt_token(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let pool = app.pool().await;
    let percents: Vec<i64> = sqlx::query_scalar("SELECT percent FROM quiz_attempts")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(percents, vec![0]);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_function_grades_too() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let client = app.new_client();
    let html = quiz_page(&client, &app).await;
    let body = serde_urlencoded::to_string(answers(&html, true)).unwrap();
    let resp = client
        .post(app.url("/api/quiz/submit"))
        .header("accept", "application/json")
        .form(&[
            ("action", "/lessons/alpha/one/quiz"),
            ("body", body.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let outcome: serde_json::Value = resp.json().await.unwrap();
    assert!(outcome["html"]
        .as_str()
        .unwrap()
        .contains("Your score: 100 %"));
    app.stop().await;
}

#[test]
fn gift_cli_prints_json_and_reports_errors() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("bank.gift");
    std::fs::write(&good, "// from Moodle\n::Capital:: The capital of France? {=Paris #Yes ~Lyon}\n\nHow many? {#3:0.5}\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_academy"))
        .arg("gift")
        .arg(&good)
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["questions"][0]["type"], "multichoice");
    assert_eq!(json["questions"][0]["title"], "Capital");
    assert_eq!(json["questions"][0]["answers"][0]["fraction"], 1.0);
    assert_eq!(json["questions"][1]["answers"][0]["tolerance"], 0.5);
    let bad = dir.path().join("bad.gift");
    std::fs::write(&bad, "Fine {T}\n\nEssay {}\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_academy"))
        .arg("gift")
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.gift:3: essay"));
}

#[test]
fn check_content_reports_quiz_errors_with_file_lines() {
    let dir = tempfile::tempdir().unwrap();
    common::fixture_content(dir.path());
    std::fs::write(
        dir.path().join("alpha/bad.md"),
        "---\nid: bad-quiz\ntitle: Bad\n---\nText\n\n```gift\nGood {T}\n\nBroken {=a ~b\n```\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_academy"))
        .arg("check-content")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("alpha/bad.md:10: quiz: the answer block"),
        "{stdout}"
    );
}

/// (field name, label) of the matching selects of question `n`, and
/// (token, text) of the options of the first one (every select lists the
/// same options).
#[allow(clippy::type_complexity)]
fn matching_fields(html: &str, n: usize) -> (Vec<(String, String)>, Vec<(String, String)>) {
    let clean = |s: &str| s.replace("<!>", "").trim().to_string();
    let items = html
        .split(&format!(r#"<label for="q{n}-"#))
        .skip(1)
        .map(|rest| {
            let item = rest.split('"').next().unwrap();
            let label = rest
                .split_once('>')
                .unwrap()
                .1
                .split("</label>")
                .next()
                .unwrap();
            (format!("q{n}-{item}"), clean(label))
        })
        .collect();
    let select = html
        .split(&format!(r#"name="q{n}-"#))
        .nth(1)
        .unwrap()
        .split("</select>")
        .next()
        .unwrap();
    let options = select
        .split(r#"<option value=""#)
        .skip(1)
        .map(|o| {
            let token = o.split('"').next().unwrap().to_string();
            let text = o
                .split_once('>')
                .unwrap()
                .1
                .split("</option>")
                .next()
                .unwrap();
            (token, clean(text))
        })
        .filter(|(t, _)| !t.is_empty())
        .collect();
    (items, options)
}

/// Issue 13, finding 4: posting every option for every item of a matching
/// question used to count each right pair it happened to include, so a
/// learner who knew nothing scored 100 % (and repeats went past it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_option_for_every_matching_item_is_refused() {
    let content = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = content.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("pairs/track.toml", "title = \"Pairs\"\norder = 1\n");
    write(
        "pairs/match.md",
        "---\nid: pairs-match\ntitle: Match\nsummary: About matching.\norder: 1\n---\n\n## Part\n\nText.\n\n```gift\n::M:: Match the letters to the digits. { =a -> 1 =b -> 2 =c -> 3 }\n```\n",
    );
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;
    let client = app.new_client();
    let resp = client
        .get(app.url("/lessons/pairs/match/quiz"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    let (items, options) = matching_fields(&html, 1);
    assert_eq!((items.len(), options.len()), (3, 3), "{html}");
    let post = |form: Vec<(String, String)>| {
        client
            .post(app.url("/lessons/pairs/match/quiz"))
            .header("origin", &app.base)
            .form(&form)
            .send()
    };

    // The attack: every option for every item.
    let mut form = vec![("attempt".to_string(), attempt_token(&html))];
    for (item, _) in &items {
        for (option, _) in &options {
            form.push((item.clone(), option.clone()));
        }
    }
    let resp = post(form).await.unwrap();
    let status = resp.status();
    let body = resp.text().await.unwrap();
    assert!(!body.contains("100 %"), "scored without knowing anything");
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("Question 1 was answered twice. Reload the quiz and try again."),
        "{body}"
    );

    // One right answer per item still scores 100 %.
    let mut form = vec![("attempt".to_string(), attempt_token(&html))];
    for (item, label) in &items {
        let want = match label.as_str() {
            "a" => "1",
            "b" => "2",
            "c" => "3",
            other => panic!("item {other:?}"),
        };
        let (token, _) = options.iter().find(|(_, t)| t == want).unwrap();
        form.push((item.clone(), token.clone()));
    }
    let resp = post(form).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("Your score: 100 %"));
    app.stop().await;
}
