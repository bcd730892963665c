//! Quizzes over real HTTP: nothing of the key before submitting, grading,
//! stored attempts, forged ids, double submits, the GIFT CLI.

mod common;

use common::{assert_answer, check_content, input_value, write_file, TestApp};

const SECRETS: &[&str] = &[
    "FEEDBACKSECRET",
    "FEEDBACKWRONG",
    "FEEDBACKRIGHT",
    "GENERALSECRET",
    "SHORTKEY",
    "4242",
    "fraction",
];

/// For each place `marker` (which ends inside a quoted attribute) stands
/// in `html`: the rest of that attribute, and the text after the end of
/// its tag up to `close`, without Leptos' `<!>` markers. The radios, labels
/// and options of a quiz all read this way.
fn tagged(html: &str, marker: &str, close: &str) -> Vec<(String, String)> {
    html.split(marker)
        .skip(1)
        .map(|rest| {
            let value = rest.split('"').next().unwrap().to_string();
            let text = rest.split_once('>').unwrap().1;
            let text = text.split(close).next().unwrap();
            (value, text.replace("<!>", "").trim().to_string())
        })
        .collect()
}

/// (value, label) of the radio inputs named `name`.
fn radios(html: &str, name: &str) -> Vec<(String, String)> {
    let marker = format!(r#"type="radio" name="{name}" value=""#);
    tagged(html, &marker, "</label>")
}

fn attempt_token(html: &str) -> String {
    input_value(html, "attempt")
}

const QUIZ: &str = "/lessons/alpha/one/quiz";

async fn quiz_page(client: &reqwest::Client, app: &TestApp) -> String {
    let (status, html) = app.get_text(client, QUIZ).await;
    assert_eq!(status, 200);
    html
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
    let (learner, _) = app.sign_in_as("learner").await;
    for client in [app.new_client(), learner] {
        for path in ["/lessons/alpha/one", QUIZ] {
            let (_, html) = app.get_text(&client, path).await;
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
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_is_graded_with_feedback_but_nothing_is_stored() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let client = app.new_client();
    let html = quiz_page(&client, &app).await;
    let resp = app.post_form(&client, QUIZ, &answers(&html, true)).await;
    let result = assert_answer(resp, 200, "Your score: 100 %").await;
    assert!(
        result.contains("FEEDBACKSECRET") && result.contains("GENERALSECRET"),
        "feedback after submitting"
    );
    assert!(result.contains("Sign in to keep your scores."));
    assert_eq!(app.count("quiz_attempts").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_attempt_is_stored_once_and_feeds_the_dashboard() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let (client, _) = app.sign_in_as("learner").await;
    let html = quiz_page(&client, &app).await;
    let form = answers(&html, false);
    let first = app.post_form(&client, QUIZ, &form).await;
    assert_eq!(first.status(), 303);
    let url = first.headers()["location"].to_str().unwrap().to_string();
    assert!(url.starts_with("/lessons/alpha/one/quiz/attempts/"));
    // The same form again (double click, resubmit): the same attempt.
    let again = app.post_form(&client, QUIZ, &form).await;
    assert_eq!(again.headers()["location"].to_str().unwrap(), url);
    let (_, page) = app.get_text(&client, &url).await;
    assert!(page.contains("Your score: 0 %"), "{page}");
    assert!(page.contains("FEEDBACKWRONG"));

    // A second, passing attempt: best score 100, two attempts, lesson done.
    let html = quiz_page(&client, &app).await;
    let resp = app.post_form(&client, QUIZ, &answers(&html, true)).await;
    assert_eq!(resp.status(), 303);
    let (_, dash) = app.get_text(&client, "/dashboard").await;
    assert!(
        dash.contains("100 %") && dash.contains("<td>2</td>"),
        "{dash}"
    );
    assert!(dash.contains("1 of 3"), "passing marks the lesson complete");

    // Another learner cannot open this attempt.
    let (other, _) = app.sign_in_as("learner").await;
    assert_eq!(app.status(&other, &url).await, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_malformed_submissions_are_400() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let (client, _) = app.sign_in_as("learner").await;
    let html = quiz_page(&client, &app).await;
    let mut form = answers(&html, true);
    form[2].1 = "0".into();
    let resp = app.post_form(&client, QUIZ, &form).await;
    assert_answer(resp, 400, "not one of its choices").await;
    let token = attempt_token(&html);
    for (path, form, want, why) in [
        (QUIZ, vec![("q1", "true")], 400, "no attempt token"),
        (
            QUIZ,
            vec![("attempt", token.as_str()), ("q77", "x")],
            400,
            "unknown question",
        ),
        (
            "/lessons/alpha/nope/quiz",
            vec![("q1", "true")],
            404,
            "no such lesson",
        ),
        // Unanswered questions score zero.
        (
            QUIZ,
            vec![("attempt", token.as_str())],
            303,
            "nothing answered",
        ),
    ] {
        let resp = app.post_form(&client, path, &form).await;
        assert_eq!(resp.status(), want, "{why}");
    }
    let percents: Vec<i64> = app.column("SELECT percent FROM quiz_attempts").await;
    assert_eq!(percents, vec![0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_function_grades_too() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let client = app.new_client();
    let html = quiz_page(&client, &app).await;
    let body = serde_urlencoded::to_string(answers(&html, true)).unwrap();
    let form = [("action", QUIZ), ("body", body.as_str())];
    let resp = app.call(&client, "/api/quiz/submit", &form).await;
    assert_eq!(resp.status(), 200);
    let outcome: serde_json::Value = resp.json().await.unwrap();
    assert!(outcome["html"]
        .as_str()
        .unwrap()
        .contains("Your score: 100 %"));
}

#[test]
fn gift_cli_prints_json_and_reports_errors() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("bank.gift");
    std::fs::write(&good, "// from Moodle\n::Capital:: The capital of France? {=Paris #Yes ~Lyon}\n\nHow many? {#3:0.5}\n").unwrap();
    let gift = |path: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_academy"))
            .arg("gift")
            .arg(path)
            .output()
            .unwrap()
    };
    let out = gift(&good);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["questions"][0]["type"], "multichoice");
    assert_eq!(json["questions"][0]["title"], "Capital");
    assert_eq!(json["questions"][0]["answers"][0]["fraction"], 1.0);
    assert_eq!(json["questions"][1]["answers"][0]["tolerance"], 0.5);
    let bad = dir.path().join("bad.gift");
    std::fs::write(&bad, "Fine {T}\n\nEssay {}\n").unwrap();
    let out = gift(&bad);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.gift:3: essay"));
}

#[test]
fn check_content_reports_quiz_errors_with_file_lines() {
    let dir = tempfile::tempdir().unwrap();
    common::fixture_content(dir.path());
    write_file(
        dir.path(),
        "alpha/bad.md",
        "---\nid: bad-quiz\ntitle: Bad\n---\nText\n\n```gift\nGood {T}\n\nBroken {=a ~b\n```\n",
    );
    let (code, stdout) = check_content(dir.path());
    assert_eq!(code, Some(1));
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
    let items = tagged(html, &format!(r#"<label for="q{n}-"#), "</label>")
        .into_iter()
        .map(|(item, label)| (format!("q{n}-{item}"), label))
        .collect();
    let select = html
        .split(&format!(r#"name="q{n}-"#))
        .nth(1)
        .unwrap()
        .split("</select>")
        .next()
        .unwrap();
    let options = tagged(select, r#"<option value=""#, "</option>")
        .into_iter()
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
    let write = |rel: &str, text: &str| write_file(content.path(), rel, text);
    write("pairs/track.toml", "title = \"Pairs\"\norder = 1\n");
    write(
        "pairs/match.md",
        "---\nid: pairs-match\ntitle: Match\nsummary: About matching.\norder: 1\n---\n\n## Part\n\nText.\n\n```gift\n::M:: Match the letters to the digits. { =a -> 1 =b -> 2 =c -> 3 }\n```\n",
    );
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;
    let client = app.new_client();
    let quiz = "/lessons/pairs/match/quiz";
    let (status, html) = app.get_text(&client, quiz).await;
    assert_eq!(status, 200);
    let (items, options) = matching_fields(&html, 1);
    assert_eq!((items.len(), options.len()), (3, 3), "{html}");
    let post = |form: Vec<(String, String)>| {
        let (app, client) = (&app, &client);
        async move { app.post_form(client, quiz, &form).await }
    };

    // The attack: every option for every item.
    let mut form = vec![("attempt".to_string(), attempt_token(&html))];
    for (item, _) in &items {
        for (option, _) in &options {
            form.push((item.clone(), option.clone()));
        }
    }
    let resp = post(form).await;
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
    let resp = post(form).await;
    assert_answer(resp, 200, "Your score: 100 %").await;
}
