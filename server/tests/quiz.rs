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
            (value, strip_tags(text).trim().to_string())
        })
        .collect()
}

/// `html` without its tags (choice labels are sanitized HTML in a span).
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
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
    // The default policy (after-pass) keeps the key of a failed attempt.
    assert!(
        !page.contains("FEEDBACKWRONG") && !page.contains("SHORTKEY"),
        "{page}"
    );

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

    // Once passed, the earlier attempt shows its right answers and feedback.
    let (_, page) = app.get_text(&client, &url).await;
    assert!(
        page.contains("FEEDBACKWRONG") && page.contains("SHORTKEY"),
        "{page}"
    );

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
    std::fs::write(&bad, "Fine {T}\n\nOpen {=a ~b\n").unwrap();
    let out = gift(&bad);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.gift:3: the answer block"));

    // A bank as Moodle's exporter writes it: category, tags and id, [html]
    // text, "any other answer", an essay, a description; a weight Moodle
    // would refuse is a warning, not an error.
    let moodle = dir.path().join("moodle.gift");
    std::fs::write(
        &moodle,
        "// question: 0  name: Switch category\n$CATEGORY: $course$/top/Networking\n\n// question: 7  name: Port\n// [tag:http] [id:NET-7]\n::Port::[html]<p>Which port?</p>{#\n\t=%100%80:0#\n\t~#Completely wrong\n}\n\n::Essay::[html]Explain. {}\n\n::Intro::[html]<p>Read this.</p>\n\nOdd {~%34%a ~%66%b}\n",
    )
    .unwrap();
    let out = gift(&moodle);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let q = &json["questions"][0];
    assert_eq!(q["type"], "numerical");
    assert_eq!(q["format"], "html");
    assert_eq!(q["category"], "$course$/top/Networking");
    assert_eq!(q["tags"][0], "http");
    assert_eq!(q["id_number"], "NET-7");
    assert_eq!(q["answers"][1]["any"], true);
    assert_eq!(json["questions"][1]["type"], "essay");
    assert_eq!(json["questions"][2]["type"], "description");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("moodle.gift:15: warning: weight 34%"),
        "{stderr}"
    );
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
    // A random draw larger than its category is a problem too.
    write_file(
        dir.path(),
        "alpha/bad.md",
        "---\nid: bad-quiz\ntitle: Bad\nquiz_draw:\n  - category: pool\n    count: 3\n---\nText\n\n```gift\n$CATEGORY: pool\n\nOne {T}\n\nTwo {F}\n```\n",
    );
    let (code, stdout) = check_content(dir.path());
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains("quiz_draw asks for 3 question(s) from category `pool`, which has 2"),
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

/// Issue 17: any visitor could submit a blank form and read every right
/// answer and all feedback in the result, then pass while signed in. Under
/// the default policy (`after-pass`) a result that did not pass shows no
/// key: not to a visitor (form or server function), not to a learner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blank_form_reveals_no_right_answers() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let no_key = |page: &str, who: &str| {
        assert!(page.contains("Your score: 0 %"), "{who}: {page}");
        for secret in SECRETS.iter().chain(&["Right answer: ", "FEEDBACKWRONG"]) {
            assert!(!page.contains(secret), "{who}: the result leaks {secret}");
        }
        assert!(
            page.contains("not shown for this attempt"),
            "{who}: says why"
        );
    };
    // A visitor, without JavaScript.
    let visitor = app.new_client();
    let html = quiz_page(&visitor, &app).await;
    let blank = vec![("attempt".to_string(), attempt_token(&html))];
    let resp = app.post_form(&visitor, QUIZ, &blank).await;
    no_key(&resp.text().await.unwrap(), "visitor form");
    // A visitor through the server function.
    let body = serde_urlencoded::to_string(&blank).unwrap();
    let resp = app
        .call(
            &visitor,
            "/api/quiz/submit",
            &[("action", QUIZ), ("body", body.as_str())],
        )
        .await;
    let outcome: serde_json::Value = resp.json().await.unwrap();
    no_key(outcome["html"].as_str().unwrap(), "visitor server fn");
    // A signed-in learner: the stored attempt's page.
    let (learner, _) = app.sign_in_as("learner").await;
    let html = quiz_page(&learner, &app).await;
    let resp = app
        .post_form(
            &learner,
            QUIZ,
            &[("attempt".to_string(), attempt_token(&html))],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let url = resp.headers()["location"].to_str().unwrap().to_string();
    let (_, page) = app.get_text(&learner, &url).await;
    no_key(&page, "learner");
}

/// A lesson's front matter sets its policy: `after-attempt` shows the key
/// of a failed attempt, `quiz_max_attempts` refuses the attempt after the
/// last, `quiz_pass_mark` replaces the site's, and `never` keeps the key
/// even from a learner who passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lesson_policy_decides_reveal_attempts_and_pass_mark() {
    let content = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| write_file(content.path(), rel, text);
    write("rules/track.toml", "title = \"Rules\"\norder = 1\n");
    let lesson = |id: &str, front: &str| {
        format!("---\nid: {id}\ntitle: {id}\nsummary: Rules.\norder: 1\n{front}---\n\n## Part\n\nText.\n\n```gift\n::Q1:: Fun? {{T#FEEDBACKWRONG#FEEDBACKRIGHT}}\n\n::Q2:: The secret word? {{=SHORTKEY}}\n```\n")
    };
    write(
        "rules/practice.md",
        &lesson(
            "practice",
            "quiz_reveal: after-attempt\nquiz_max_attempts: 2\nquiz_pass_mark: 50\n",
        ),
    );
    write("rules/exam.md", &lesson("exam", "quiz_reveal: never\n"));
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;
    let (client, _) = app.sign_in_as("learner").await;
    let attempt = |path: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let (app, client) = (&app, &client);
        async move {
            let (_, html) = app.get_text(client, path).await;
            let mut form = vec![("attempt".to_string(), attempt_token(&html))];
            form.extend(
                fields
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string())),
            );
            let resp = app.post_form(client, path, &form).await;
            if resp.status() != 303 {
                return (resp.status().as_u16(), resp.text().await.unwrap());
            }
            let url = resp.headers()["location"].to_str().unwrap().to_string();
            let (status, page) = app.get_text(client, &url).await;
            (status.as_u16(), page)
        }
    };
    let practice = "/lessons/rules/practice/quiz";
    let (_, page) = attempt(practice, vec![("q1", "false")]).await;
    assert!(
        page.contains("Your score: 0 %") && page.contains("FEEDBACKWRONG"),
        "{page}"
    );
    assert!(
        page.contains("SHORTKEY"),
        "after-attempt shows the right answers"
    );
    let (_, page) = attempt(practice, vec![("q1", "true")]).await;
    assert!(
        page.contains("Your score: 50 %") && page.contains("pass mark 50 %"),
        "{page}"
    );
    let (status, page) = attempt(practice, vec![("q1", "true"), ("q2", "shortkey")]).await;
    assert_eq!(status, 409, "{page}");
    assert!(
        page.contains("You have used all 2 attempts at this quiz."),
        "{page}"
    );
    assert_eq!(app.count("quiz_attempts").await, 2);

    let exam = "/lessons/rules/exam/quiz";
    let (_, page) = attempt(exam, vec![("q1", "true"), ("q2", "shortkey")]).await;
    assert!(page.contains("Your score: 100 %"), "{page}");
    assert!(
        !page.contains("FEEDBACKRIGHT") && !page.contains("Right answer: "),
        "{page}"
    );
}

/// `quiz_draw` gives each attempt `count` random questions of a category;
/// grading finds the same draw from the form's token, and the stored
/// attempt keeps it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_attempt_draws_random_questions_and_keeps_its_draw() {
    let content = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| write_file(content.path(), rel, text);
    write("bank/track.toml", "title = \"Bank\"\norder = 1\n");
    let mut gift = String::from("::Fixed:: Always asked. {T}\n\n$CATEGORY: $course$/top/pool\n\n");
    for i in 0..8 {
        gift.push_str(&format!("::Pool {i}:: POOLQ{i} is true. {{T}}\n\n"));
    }
    write(
        "bank/draw.md",
        &format!("---\nid: draw\ntitle: Draw\nsummary: Random.\norder: 1\nquiz_draw:\n  - category: pool\n    count: 2\n---\n\n## Part\n\nText.\n\n```gift\n{gift}```\n"),
    );
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;
    let (client, _) = app.sign_in_as("learner").await;
    let path = "/lessons/bank/draw/quiz";
    let asked = |html: &str| -> Vec<usize> {
        (0..8)
            .filter(|i| html.contains(&format!("POOLQ{i} ")))
            .collect()
    };
    // Reloading shows the same attempt (token and draw) until it is
    // submitted: no fishing for easier questions.
    let (_, first) = app.get_text(&client, path).await;
    assert!(first.contains("Always asked."));
    assert_eq!(asked(&first).len(), 2, "two pool questions per attempt");
    for _ in 0..3 {
        let (_, again) = app.get_text(&client, path).await;
        assert_eq!(attempt_token(&again), attempt_token(&first));
        assert_eq!(asked(&again), asked(&first));
    }
    // Answer all three questions of one attempt right: 100 %.
    let (_, html) = app.get_text(&client, path).await;
    let pool = asked(&html);
    let form = vec![
        ("attempt".to_string(), attempt_token(&html)),
        ("q1".into(), "true".into()),
        ("q2".into(), "true".into()),
        ("q3".into(), "true".into()),
    ];
    let resp = app.post_form(&client, path, &form).await;
    assert_eq!(resp.status(), 303);
    let url = resp.headers()["location"].to_str().unwrap().to_string();
    let (_, page) = app.get_text(&client, &url).await;
    assert!(page.contains("Your score: 100 %"), "{page}");
    for i in &pool {
        assert!(
            page.contains(&format!("POOLQ{i} ")),
            "the attempt shows its own draw"
        );
    }
    let stored: String = app.scalar("SELECT answers FROM quiz_attempts").await;
    let json: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let want: Vec<usize> = std::iter::once(0)
        .chain(pool.iter().map(|i| i + 1))
        .collect();
    assert_eq!(json["draw"], serde_json::json!(want));
    // A fourth answer is not part of this attempt.
    let resp = app
        .post_form(
            &client,
            path,
            &[
                ("attempt".to_string(), attempt_token(&html)),
                ("q4".into(), "true".into()),
            ],
        )
        .await;
    assert_eq!(resp.status(), 400);
    // Each submitted attempt opens the next with a new token; draws differ
    // between attempts.
    let mut draws = std::collections::HashSet::from([pool]);
    let mut tokens = std::collections::HashSet::from([attempt_token(&html)]);
    for _ in 0..6 {
        let (_, next) = app.get_text(&client, path).await;
        assert!(
            tokens.insert(attempt_token(&next)),
            "a new attempt, a new token"
        );
        draws.insert(asked(&next));
        let form = [("attempt".to_string(), attempt_token(&next))];
        assert_eq!(app.post_form(&client, path, &form).await.status(), 303);
    }
    assert!(draws.len() > 1, "draws differ between attempts");
}

/// Essays are kept with the attempt, marked by the cohort's instructor on
/// the cohort's quiz page (mark and comment, shown to the learner), and the
/// page has per-question statistics, also as CSV. Nobody else sees them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn essays_are_marked_by_the_instructor_and_questions_have_statistics() {
    let content = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| write_file(content.path(), rel, text);
    write("class/track.toml", "title = \"Class\"\norder = 1\n");
    write(
        "class/essay.md",
        "---\nid: essay\ntitle: Essay\nsummary: Writing.\norder: 1\n---\n\n## Part\n\nText.\n\n```gift\n::Intro:: Read the questions carefully.\n\n::TF:: Idempotent PUT? {T}\n\n::Pick:: Which is safe? {=GET ~POST ~DELETE}\n\n::Why:: Explain idempotency. {}\n```\n",
    );
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;
    let (teacher, owner) = app.sign_in_as("instructor").await;
    let (other, _) = app.sign_in_as("instructor").await;
    let pool = app.pool().await;
    let cohort = app::progress::db::create_cohort(&pool, "Evening class", owner)
        .await
        .unwrap();
    let path = "/lessons/class/essay/quiz";
    let mut learners = Vec::new();
    for (i, right) in [true, true, false].into_iter().enumerate() {
        let (learner, _) = app
            .user(
                &format!("l{i}@example.com"),
                &format!("Learner {i}"),
                "learner",
            )
            .await;
        let resp = app
            .post_form(
                &learner,
                "/account/cohorts",
                &[("code", cohort.invite_code.as_str())],
            )
            .await;
        assert_eq!(resp.status(), 303);
        let (_, html) = app.get_text(&learner, path).await;
        assert!(html.contains("<textarea"), "the essay has a text box");
        let pick = radios(&html, "q3")
            .into_iter()
            .find(|(_, l)| (l == "GET") == right)
            .unwrap()
            .0;
        let form = vec![
            ("attempt".to_string(), attempt_token(&html)),
            ("q2".into(), if right { "true" } else { "false" }.into()),
            ("q3".into(), pick),
            ("q4".into(), format!("ESSAY{i} Same request, same effect.")),
        ];
        let resp = app.post_form(&learner, path, &form).await;
        assert_eq!(resp.status(), 303);
        let url = resp.headers()["location"].to_str().unwrap().to_string();
        let (_, page) = app.get_text(&learner, &url).await;
        assert!(page.contains("Waiting for an instructor"), "{page}");
        learners.push((learner, url));
    }

    let review = format!("/instructor/cohorts/{}/quizzes", cohort.id);
    let (status, html) = app.get_text(&teacher, &review).await;
    assert_eq!(status, 200);
    for i in 0..3 {
        assert!(html.contains(&format!("ESSAY{i} Same request")), "{html}");
    }
    assert!(
        html.contains("Most chosen wrong answer") && html.contains("POST (1×)")
            || html.contains("DELETE (1×)"),
        "{html}"
    );
    let (_, cohort_page) = app
        .get_text(&teacher, &format!("/instructor/cohorts/{}", cohort.id))
        .await;
    assert!(cohort_page.contains(&review), "linked from the cohort page");

    // Mark learner 0's essay (question 4 of their attempt).
    let attempt_id = learners[0].1.rsplit('/').next().unwrap().to_string();
    let form = [
        ("attempt", attempt_id.as_str()),
        ("question", "4"),
        ("mark", "80"),
        ("comment", "MARKCOMMENT good"),
    ];
    let resp = app
        .post_form(&teacher, &format!("{review}/mark"), &form)
        .await;
    assert_eq!(resp.status(), 303);
    let (_, page) = app.get_text(&learners[0].0, &learners[0].1).await;
    assert!(
        page.contains("Instructor&#x27;s mark: 80 %") || page.contains("Instructor's mark: 80 %"),
        "{page}"
    );
    assert!(page.contains("MARKCOMMENT good"));
    // A mark out of range, or on a question that is not an essay: refused.
    for (question, mark, want) in [("4", "101", 400), ("2", "50", 404)] {
        let form = [
            ("attempt", attempt_id.as_str()),
            ("question", question),
            ("mark", mark),
        ];
        let resp = app
            .post_form(&teacher, &format!("{review}/mark"), &form)
            .await;
        let status = resp.status();
        let body = resp.text().await.unwrap();
        assert_eq!(
            status,
            want,
            "{question} {mark}: {}",
            body.split("<main")
                .nth(1)
                .unwrap_or(&body)
                .chars()
                .take(1500)
                .collect::<String>()
        );
    }
    // Another instructor and a learner can neither mark nor read.
    let resp = app
        .post_form(&other, &format!("{review}/mark"), &form)
        .await;
    assert_eq!(resp.status(), 404);
    assert_eq!(app.status(&other, &review).await, 404);
    let resp = app
        .post_form(&learners[1].0, &format!("{review}/mark"), &form)
        .await;
    assert_eq!(resp.status(), 403);
    let marks: Vec<i64> = app.column("SELECT mark FROM quiz_essay_marks").await;
    assert_eq!(marks, vec![80]);

    // The statistics as CSV: one row per question that was asked.
    let resp = teacher
        .get(app.url(&format!("{review}.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body = resp.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let titles: Vec<&str> = rows.iter().map(|r| &r[3]).collect();
    assert_eq!(titles, ["TF", "Pick"], "{body}");
    let tf = &rows[0];
    assert_eq!((&tf[5], &tf[6]), ("3", "66.7"), "attempts and facility");
    assert_eq!(
        &tf[7], "100.0",
        "right exactly for the learners right elsewhere"
    );
    assert_eq!(&tf[8], "False");
    let resp = other
        .get(app.url(&format!("{review}.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
}
