//! Hands-on exercises over real HTTP, as a learner meets them without
//! JavaScript (form posts, then the page) and with it (the server function
//! the island calls): every check kind passing and failing, the SQL limits,
//! secrets kept until the policy allows, hints, HTTP exercises graded from
//! the request history, and the completion rule.

mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::Client;

const PRACTICE: &str = "/lessons/alpha/practice";

/// The fixture curriculum plus a lesson of exercises and two datasets
/// (SQL and CSV). Returns the content folder (keep it alive).
fn content() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fixture_content(root);
    write_file(
        root,
        "datasets/tiny.sql",
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT, age INTEGER);
         INSERT INTO people (name, city, age) VALUES
           ('Ana', 'Lisbon', 34), ('Ben', 'Berlin', 28), ('Cleo', 'Lisbon', 41), ('Dev', NULL, 19);",
    );
    write_file(
        root,
        "datasets/pets/pets.csv",
        "name,kind,legs\nRex,dog,4\nTweety,bird,2\nNemo,fish,\n",
    );
    write_file(root, "alpha/practice.md", PRACTICE_MD);
    write_file(root, "alpha/required.md", REQUIRED_MD);
    dir
}

const PRACTICE_MD: &str = r#"---
id: lesson-practice
title: Practice
summary: Exercises.
order: 3
---

Some text.

```exercise
id = "lisbon"
kind = "sql"
title = "People in Lisbon"
prompt = "List the **names** of the people who live in Lisbon."
hints = ["Filter with WHERE.", "HINT-TWO-SECRET"]
dataset = "tiny"
solution = "SELECT name FROM people WHERE city = 'Lisbon' /* SOLUTION-SECRET */"
```

```exercise
id = "oldest-first"
kind = "sql"
title = "Oldest first"
prompt = "Names, oldest first."
dataset = "tiny"
ordered = true
show_solution = "after 2 tries"
solution = "SELECT name FROM people ORDER BY age DESC"
```

```exercise
id = "move-dev"
kind = "sql"
title = "Dev moves"
prompt = "Dev now lives in Porto."
dataset = "tiny"
check = "probe"
probe = "SELECT name, city FROM people ORDER BY id"
show_solution = "never"
solution = "UPDATE people SET city = 'Porto' WHERE name = 'Dev'"
```

```exercise
id = "index-city"
kind = "sql"
title = "Make it use an index"
prompt = "Make the probe query use an index."
dataset = "tiny"
check = "plan"
probe = "SELECT name FROM people WHERE city = 'Berlin'"
plan_contains = "USING"
plan_excludes = "SCAN people"
solution = "CREATE INDEX people_city ON people (city)"
```

```exercise
id = "legs"
kind = "sql"
title = "Legs"
prompt = "Total legs of all pets."
dataset = "pets"
solution = "SELECT sum(legs) FROM pets"
```

```exercise
id = "create-item"
kind = "http"
title = "Create an item"
prompt = "Create an item and get it back."
solution = """
POST /items HTTP/1.1
Content-Type: application/json

{"name": "pen", "quantity": 3}
"""
steps = [{ method = "POST", path = "/items", status = 201, response_headers = ["Location"] }]
```
"#;

const REQUIRED_MD: &str = r#"---
id: lesson-required
title: Required
summary: Needs its exercise.
order: 4
requires_exercises: true
---

```exercise
id = "count"
kind = "sql"
title = "Count"
prompt = "How many people?"
dataset = "tiny"
solution = "SELECT count(*) FROM people"
```
"#;

async fn app() -> (TestApp, tempfile::TempDir) {
    let content = content();
    let app = TestApp::spawn_with(content.path().to_path_buf(), false).await;
    (app, content)
}

/// The result panel of an exercise page (what a failing assertion shows).
fn result_of(html: &str) -> String {
    match html.find("id=\"run-h\"") {
        Some(i) => html[i..]
            .split("</section>")
            .next()
            .unwrap_or("")
            .to_string(),
        None => format!(
            "(no result panel) {}",
            &html[html.len().saturating_sub(3000)..]
        ),
    }
}

fn page(id: &str) -> String {
    format!("{PRACTICE}/exercises/{id}")
}

/// Posts the exercise form as a browser without JavaScript does; follows
/// the 303 and returns the page it leads to.
async fn submit(app: &TestApp, client: &Client, id: &str, action: &str, answer: &str) -> String {
    let resp = app
        .post_form(client, &page(id), &[("action", action), ("answer", answer)])
        .await;
    assert_eq!(
        resp.status(),
        303,
        "{}",
        resp.text().await.unwrap_or_default()
    );
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with(&page(id)), "{to}");
    app.get_text(client, &to).await.1
}

#[tokio::test]
async fn a_result_check_fails_then_passes_without_javascript() {
    let (app, _c) = app().await;
    let (client, user) = app.sign_in_as("learner").await;
    let html = submit(&app, &client, "lisbon", "run", "SELECT name FROM people").await;
    assert!(html.contains("Not yet"), "{html}");
    assert!(html.contains("Your result has 4 rows; the expected result has 2 rows."));
    assert!(html.contains("Ben"), "the learner's own rows are shown");
    assert!(
        !html.contains("SOLUTION-SECRET"),
        "no solution before a pass"
    );
    let html = submit(
        &app,
        &client,
        "lisbon",
        "run",
        "select name from people where city like 'lis%'",
    )
    .await;
    assert!(
        html.contains("Correct: your result matches the expected one."),
        "{html}"
    );
    assert!(
        html.contains("SOLUTION-SECRET"),
        "the solution after a pass"
    );
    assert_eq!(
        app.count_where(
            "exercise_progress",
            &format!("user_id = {user} AND solved_at IS NOT NULL")
        )
        .await,
        1
    );
    // Order matters only where the exercise asks for it, and says so.
    let html = submit(
        &app,
        &client,
        "oldest-first",
        "run",
        "SELECT name FROM people ORDER BY age",
    )
    .await;
    assert!(
        html.contains("not in the order the exercise asks for"),
        "{html}"
    );
    assert!(!html.contains("SELECT name FROM people ORDER BY age DESC"));
    let html = submit(
        &app,
        &client,
        "oldest-first",
        "run",
        "SELECT name FROM people",
    )
    .await;
    // After two tries this one shows its solution, solved or not.
    assert!(html.contains("SELECT name FROM people ORDER BY age DESC"));
}

#[tokio::test]
async fn probe_plan_and_csv_checks() {
    let (app, _c) = app().await;
    let (client, _) = app.sign_in_as("learner").await;
    let html = submit(
        &app,
        &client,
        "move-dev",
        "run",
        "UPDATE people SET city = 'Porto'",
    )
    .await;
    let html = result_of(&html);
    assert!(
        html.contains("Not yet") && html.contains("3 rows of the expected result are missing"),
        "{html}"
    );
    let html = submit(
        &app,
        &client,
        "move-dev",
        "run",
        "UPDATE people SET city = 'Porto' WHERE id = 4;",
    )
    .await;
    assert!(html.contains("Passed"), "{html}");
    assert!(
        html.contains("This exercise&#39;s solution is not shown")
            || html.contains("This exercise's solution is not shown")
    );
    let html = submit(
        &app,
        &client,
        "index-city",
        "run",
        "CREATE INDEX people_age ON people (age)",
    )
    .await;
    assert!(html.contains("The query plan does not show"), "{html}");
    let html = submit(
        &app,
        &client,
        "index-city",
        "run",
        "CREATE INDEX by_city ON people (city, name)",
    )
    .await;
    assert!(html.contains("Correct: the query plan uses"), "{html}");
    let html = submit(&app, &client, "legs", "run", "SELECT 6").await;
    assert!(
        html.contains("Passed"),
        "the CSV dataset loads, NULL for an empty cell: {html}"
    );
}

#[tokio::test]
async fn hostile_sql_is_cut_with_a_sentence_and_the_server_stays_healthy() {
    let (app, _c) = app().await;
    let (client, _) = app.sign_in_as("learner").await;
    let cases = [
        (
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
            "ran longer than the 250 ms",
        ),
        ("SELECT zeroblob(1e9)", "a value grew past"),
        (
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 900) SELECT hex(randomblob(400)) FROM c",
            "larger than the 512 KB a run may return",
        ),
        (
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 5000) SELECT x FROM c",
            "Showing the first 1000 rows; there are more.",
        ),
        // SQLite answers NULL rather than build this string.
        ("SELECT printf('%.*c', 2000000, 'x') AS s", "<td class=\"null\">NULL</td>"),
        (
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 2000) SELECT randomblob(900000) FROM c ORDER BY 1",
            "Stopped:",
        ),
        ("ATTACH DATABASE '/tmp/academy-attach.db' AS other", "Not allowed here"),
        ("VACUUM INTO '/tmp/academy-vacuum.db'", "Not allowed here"),
        ("PRAGMA writable_schema = ON", "Not allowed here"),
        ("SELECT load_extension('/tmp/x')", "Not allowed here"),
    ];
    for (sql, expected) in cases {
        let started = Instant::now();
        let html = submit(&app, &client, "lisbon", "run", sql).await;
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{sql} took {:?}",
            started.elapsed()
        );
        assert!(
            html.contains(expected),
            "{sql}: expected {expected:?} in {}",
            result_of(&html)
        );
    }
    assert!(!std::path::Path::new("/tmp/academy-attach.db").exists());
    assert!(!std::path::Path::new("/tmp/academy-vacuum.db").exists());
    assert_eq!(app.get("/healthz").await.status(), 200);
    let html = submit(
        &app,
        &client,
        "lisbon",
        "run",
        "SELECT name FROM people WHERE city = 'Lisbon'",
    )
    .await;
    assert!(
        html.contains("Passed"),
        "runs still work after the bombs: {html}"
    );
}

#[tokio::test]
async fn one_run_at_a_time_per_learner() {
    let (app, _c) = app().await;
    let (client, _) = app.sign_in_as("learner").await;
    let bomb =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
    let form = [
        ("track", "alpha"),
        ("lesson", "practice"),
        ("id", "lisbon"),
        ("action", "run"),
        ("answer", bomb),
    ];
    let call = || app.call(&client, "/api/labs/run", &form);
    let (a, b) = tokio::join!(call(), call());
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 429], "one run, one refusal");
    let refused = if a.status() == 429 { a } else { b };
    assert!(refused
        .text()
        .await
        .unwrap()
        .contains("already have a run in progress"));
}

#[tokio::test]
async fn secrets_stay_on_the_server_until_the_policy_allows() {
    let (app, _c) = app().await;
    for path in [PRACTICE.to_string(), page("lisbon"), page("move-dev")] {
        let html = app.expect_page(&path, 200).await;
        for secret in [
            "SOLUTION-SECRET",
            "HINT-TWO-SECRET",
            "UPDATE people",
            "SELECT name, city",
        ] {
            assert!(!html.contains(secret), "{secret} leaked on {path}");
        }
    }
    // A learner's data, through the server function the page uses.
    let (client, _) = app.sign_in_as("learner").await;
    let resp = app
        .call(
            &client,
            "/api/labs/exercise",
            &[
                ("track", "alpha"),
                ("lesson", "practice"),
                ("id", "move-dev"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 200);
    let json = resp.text().await.unwrap();
    assert!(
        !json.contains("UPDATE people") && !json.contains("SELECT name, city"),
        "{json}"
    );
    // Hints come one at a time.
    let html = submit(&app, &client, "lisbon", "hint", "").await;
    assert!(html.contains("Filter with WHERE.") && !html.contains("HINT-TWO-SECRET"));
    assert!(html.contains("Show a hint (1 left)"));
    let html = submit(&app, &client, "lisbon", "hint", "").await;
    assert!(html.contains("HINT-TWO-SECRET"));
    let html = submit(&app, &client, "lisbon", "hint", "").await;
    assert_eq!(
        html.matches("HINT-TWO-SECRET").count(),
        1,
        "never more hints than written"
    );
    assert!(
        !html.contains("SOLUTION-SECRET"),
        "hints do not unlock the solution"
    );
}

#[tokio::test]
async fn visitors_read_but_do_not_run() {
    let (app, _c) = app().await;
    let html = app.expect_page(&page("lisbon"), 200).await;
    assert!(html.contains("People in Lisbon") && html.contains("Sign in to run this exercise"));
    let visitor = app.new_client();
    let resp = app
        .post_form(
            &visitor,
            &page("lisbon"),
            &[("action", "run"), ("answer", "SELECT 1")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert!(resp.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/login?next="));
    let resp = app
        .call(
            &visitor,
            "/api/labs/run",
            &[
                ("track", "alpha"),
                ("lesson", "practice"),
                ("id", "lisbon"),
                ("action", "run"),
                ("answer", "SELECT 1"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 401);
    assert_eq!(app.count("exercise_runs").await, 0);
}

#[tokio::test]
async fn bad_input_gets_a_sentence_and_keeps_the_answer() {
    let (app, _c) = app().await;
    let (client, _) = app.sign_in_as("learner").await;
    let typed = "SELECT 'my careful query'";
    let resp = app
        .post_form(
            &client,
            &page("lisbon"),
            &[("action", "explode"), ("answer", typed)],
        )
        .await;
    assert_eq!(resp.status(), 400);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("does not do") && html.contains("my careful query"),
        "{html}"
    );
    let resp = app
        .post_form(&client, &page("lisbon"), &[("answer", typed)])
        .await;
    assert_eq!(resp.status(), 400, "no action field");
    let resp = app
        .post_form(
            &client,
            &page("lisbon"),
            &[("action", "run"), ("answer", "  ")],
        )
        .await;
    assert_eq!(resp.status(), 400);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("The answer box is empty"));
    let huge = "x".repeat(70 * 1024);
    let resp = app
        .post_form(
            &client,
            &page("lisbon"),
            &[("action", "run"), ("answer", huge.as_str())],
        )
        .await;
    assert_eq!(resp.status(), 400);
    app.expect_page(&page("no-such-exercise"), 404).await;
    let resp = app
        .post_form(
            &client,
            &page("no-such-exercise"),
            &[("action", "run"), ("answer", "SELECT 1")],
        )
        .await;
    assert_eq!(resp.status(), 404);
    let resp = app
        .post_form(
            &client,
            &page("lisbon"),
            &[("action", "send"), ("answer", "GET /items")],
        )
        .await;
    assert_eq!(resp.status(), 400, "an HTTP action on a SQL exercise");
    assert_eq!(app.count("exercise_runs").await, 0, "nothing half-written");
}

#[tokio::test]
async fn an_http_exercise_is_graded_from_the_request_history() {
    let (app, _c) = app().await;
    let (client, _) = app.sign_in_as("learner").await;
    let (_, html) = app.get_text(&client, &page("create-item")).await;
    let token = text_between(&html, "/lab/", "<")
        .expect("the lab URL is on the page")
        .to_string();
    let html = submit(&app, &client, "create-item", "check", "").await;
    assert!(
        html.contains("Not yet") && html.contains("POST /items"),
        "{html}"
    );
    // From the page: a raw request typed into the form.
    let raw = "POST /items HTTP/1.1\nContent-Type: application/json\n\n{\"name\": \"pen\", \"quantity\": 3}";
    let html = submit(&app, &client, "create-item", "send", raw).await;
    assert!(html.contains("HTTP/1.1 201"), "{html}");
    let html = submit(&app, &client, "create-item", "check", "").await;
    assert!(html.contains("Passed"), "{html}");
    // With the learner's own client too: the same lab.
    let curl = Client::new();
    let resp = curl
        .get(app.url(&format!("/lab/{token}/items/1")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    // A raw request may not reach another site path or lab.
    let resp = app
        .post_form(
            &client,
            &page("create-item"),
            &[("action", "send"), ("answer", "GET /admin/users HTTP/1.1")],
        )
        .await;
    assert!(resp.status() == 400 || resp.status() == 303);
}

#[tokio::test]
async fn a_lesson_that_requires_its_exercises_completes_only_when_they_are_solved() {
    let (app, _c) = app().await;
    let (client, user) = app.sign_in_as("learner").await;
    let resp = app
        .post_form(
            &client,
            "/progress/complete",
            &[("lesson_id", "lesson-required"), ("done", "1")],
        )
        .await;
    assert_eq!(resp.status(), 409);
    assert!(resp.text().await.unwrap().contains("0 of 1 so far"));
    let resp = app
        .post_form(
            &client,
            "/lessons/alpha/required/exercises/count",
            &[("action", "run"), ("answer", "SELECT 4")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let resp = app
        .post_form(
            &client,
            "/progress/complete",
            &[("lesson_id", "lesson-required"), ("done", "1")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        app.count_where(
            "lesson_progress",
            &format!("user_id = {user} AND completed_at IS NOT NULL")
        )
        .await,
        1
    );
    let (_, html) = app.get_text(&client, "/lessons/alpha/required").await;
    assert!(html.contains("Exercises: 1 of 1 solved."), "{html}");
}

#[tokio::test]
async fn check_content_runs_every_reference_solution() {
    let content = content();
    let (code, out) = check_content(content.path());
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("7 exercises"), "{out}");
    write_file(
        content.path(),
        "alpha/broken.md",
        "---\nid: broken\ntitle: Broken\norder: 9\n---\n\n```exercise\nid = \"b\"\nkind = \"sql\"\ntitle = \"B\"\nprompt = \"P\"\ndataset = \"tiny\"\nsolution = \"SELECT nme FROM people\"\n```\n",
    );
    let (code, out) = check_content(content.path());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("alpha/broken.md:8: exercise `b`: The exercise's reference solution fails"),
        "{out}"
    );
    assert!(out.contains("no such column"), "{out}");
}

#[tokio::test]
async fn the_cohort_matrix_and_csv_count_solved_exercises() {
    let (app, _c) = app().await;
    let (teacher, _) = app.sign_in_as("instructor").await;
    let (learner, _) = app.sign_in_as("learner").await;
    let resp = app
        .post_form(&teacher, "/instructor/cohorts", &[("name", "Labs")])
        .await;
    assert_eq!(resp.status(), 303);
    let page = resp.headers()["location"].to_str().unwrap().to_string();
    let (_, html) = app.get_text(&teacher, &page).await;
    let code = text_between(&html, "Invite code <code>", "<")
        .unwrap()
        .to_string();
    let resp = app
        .post_form(&learner, "/account/cohorts", &[("code", code.as_str())])
        .await;
    assert_eq!(resp.status(), 303);
    submit(&app, &learner, "legs", "run", "SELECT 6").await;
    submit(&app, &learner, "lisbon", "run", "SELECT 1").await; // tried, not solved
    let (_, html) = app.get_text(&teacher, &page).await;
    assert!(
        html.contains("<td>1/7</td>"),
        "1 of the 7 exercises: {html}"
    );
    let body = teacher
        .get(app.url(&format!("{page}/export.csv")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (lesson, solved, total) = (
        col("lesson_id"),
        col("exercises_solved"),
        col("exercises_total"),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let practice = rows
        .iter()
        .find(|r| &r[lesson] == "lesson-practice")
        .unwrap();
    assert_eq!((&practice[solved], &practice[total]), ("1", "6"));
    let one = rows.iter().find(|r| &r[lesson] == "lesson-one").unwrap();
    assert_eq!((&one[solved], &one[total]), ("0", "0"));
}

#[tokio::test]
async fn the_track_page_lists_lessons_in_order_with_solved_exercises() {
    let (app, _c) = app().await;
    let html = app.expect_page("/lessons/alpha", 200).await;
    let (one, two, practice) = (
        html.find("/lessons/alpha/one").unwrap(),
        html.find("/lessons/alpha/two").unwrap(),
        html.find(PRACTICE).unwrap(),
    );
    assert!(one < two && two < practice, "in order");
    assert!(html.contains("6 exercises"), "{html}");
    let (client, _) = app.sign_in_as("learner").await;
    submit(&app, &client, "legs", "run", "SELECT 6").await;
    let (_, html) = app.get_text(&client, "/lessons/alpha").await;
    assert!(html.contains("exercises: 1 of 6 solved"), "{html}");
    assert!(html.contains("min of reading left"));
    // The lesson's breadcrumb leads to the track page.
    let (_, html) = app.get_text(&client, PRACTICE).await;
    assert!(html.contains("href=\"/lessons/alpha\""));
}
