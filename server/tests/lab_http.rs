//! The labs' practice HTTP API over real HTTP, as a learner's curl talks to
//! it: every status the spec lists, the limits, one lab never seeing
//! another's data, and the request history that grades HTTP exercises.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use app::labs::http::{self as lab, Step};
use common::*;
use reqwest::{Client, Response};
use serde_json::{json, Value};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A lab of a new learner (one exercise), and its URL.
async fn new_lab(app: &TestApp) -> Lab {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let user = app
        .create_user(&format!("lab{n}@example.com"), "Lab", "learner", PW)
        .await;
    let pool = app.pool().await;
    let token = lab::token_for(&pool, user, "lesson-one", "items")
        .await
        .unwrap();
    pool.close().await;
    Lab {
        url: app.url(&format!("/lab/{token}")),
        token,
        user,
        // Like curl: no cookie jar, no Origin.
        client: Client::new(),
    }
}

struct Lab {
    url: String,
    token: String,
    user: i64,
    client: Client,
}

impl Lab {
    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    async fn get(&self, path: &str) -> Response {
        self.client.get(self.at(path)).send().await.unwrap()
    }

    async fn post_json(&self, path: &str, body: &str) -> Response {
        self.client
            .post(self.at(path))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap()
    }

    /// Creates an item and returns its id and ETag.
    async fn create(&self, name: &str, quantity: i64) -> (i64, String) {
        let resp = self
            .post_json(
                "/items",
                &json!({"name": name, "quantity": quantity}).to_string(),
            )
            .await;
        assert_eq!(resp.status(), 201);
        let etag = header(&resp, "etag");
        let item: Value = resp.json().await.unwrap();
        (item["id"].as_i64().unwrap(), etag)
    }
}

fn header(resp: &Response, name: &str) -> String {
    resp.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} in {:?}", resp.headers()))
        .to_str()
        .unwrap()
        .to_string()
}

/// Asserts a problem+json answer with `status` whose detail says `needle`;
/// returns the problem.
async fn problem(resp: Response, status: u16, needle: &str) -> Value {
    assert_eq!(resp.status(), status, "expecting {needle:?}");
    assert_eq!(header(&resp, "content-type"), "application/problem+json");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string() && body["type"].is_string());
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains(needle), "{needle:?} not in {detail:?}");
    body
}

#[tokio::test(flavor = "multi_thread")]
async fn an_item_from_creation_to_deletion() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let lab = new_lab(&app).await;

    // The content type is checked, then the JSON, then the fields.
    let resp = lab
        .client
        .post(lab.at("/items"))
        .body(r#"{"name": "pen", "quantity": 3}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(header(&resp, "accept-post"), "application/json");
    problem(resp, 415, "Content-Type: application/json").await;
    problem(
        lab.post_json("/items", "{\"name\": ").await,
        400,
        "not valid JSON",
    )
    .await;
    let body = problem(
        lab.post_json(
            "/items",
            r#"{"name": "", "quantity": 2000000, "colour": "red"}"#,
        )
        .await,
        422,
        "not valid",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "quantity", "colour"]);

    // 201 with Location and ETag; ids count from 1 in each lab.
    let resp = lab
        .post_json("/items", r#"{"name": "pen", "quantity": 3}"#)
        .await;
    assert_eq!(resp.status(), 201);
    let location = header(&resp, "location");
    assert_eq!(location, format!("/lab/{}/items/1", lab.token));
    let etag = header(&resp, "etag");
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    assert_eq!(header(&resp, "cache-control"), "no-store");
    let item: Value = resp.json().await.unwrap();
    assert_eq!(item, json!({"id": 1, "name": "pen", "quantity": 3}));

    // GET with the ETag; 304 when If-None-Match names it.
    let resp = lab.client.get(app.url(&location)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(header(&resp, "etag"), etag);
    let resp = lab
        .client
        .get(app.url(&location))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 304);
    assert_eq!(header(&resp, "etag"), etag);
    assert!(resp.bytes().await.unwrap().is_empty());
    // HEAD: GET's headers (and length), no body.
    let resp = lab.client.head(lab.at("/items/1")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        header(&resp, "content-length"),
        item.to_string().len().to_string()
    );

    // PUT: If-Match must name the current ETag.
    let put = |body: &'static str, if_match: &str| {
        lab.client
            .put(lab.at("/items/1"))
            .header("content-type", "application/json")
            .header("if-match", if_match)
            .body(body)
            .send()
    };
    let resp = put(r#"{"name": "pen", "quantity": 4}"#, "\"stale\"")
        .await
        .unwrap();
    problem(resp, 412, "changed since you read it").await;
    let resp = put(r#"{"name": "pen"}"#, &etag).await.unwrap();
    problem(resp, 422, "not valid").await;
    let resp = put(r#"{"name": "pencil", "quantity": 4}"#, &etag)
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let etag2 = header(&resp, "etag");
    assert_ne!(etag2, etag, "a new representation, a new ETag");
    let put_missing = lab
        .client
        .put(lab.at("/items/99"))
        .header("content-type", "application/json")
        .body(r#"{"name": "x", "quantity": 1}"#)
        .send()
        .await
        .unwrap();
    problem(put_missing, 404, "no item").await;

    // PATCH: merge-patch only, If-Match honoured.
    let patch = |ct: &'static str, if_match: &str| {
        lab.client
            .patch(lab.at("/items/1"))
            .header("content-type", ct)
            .header("if-match", if_match)
            .body(r#"{"quantity": 9}"#)
            .send()
    };
    let resp = patch("application/json", &etag2).await.unwrap();
    assert_eq!(
        header(&resp, "accept-patch"),
        "application/merge-patch+json"
    );
    problem(resp, 415, "merge-patch").await;
    problem(
        patch("application/merge-patch+json", &etag).await.unwrap(),
        412,
        "ETag",
    )
    .await;
    let resp = patch("application/merge-patch+json", &etag2).await.unwrap();
    assert_eq!(resp.status(), 200);
    let etag3 = header(&resp, "etag");
    let item: Value = resp.json().await.unwrap();
    assert_eq!(item, json!({"id": 1, "name": "pencil", "quantity": 9}));

    // DELETE: If-Match honoured; 204, then 404.
    let delete = |if_match: &str| {
        lab.client
            .delete(lab.at("/items/1"))
            .header("if-match", if_match)
            .send()
    };
    problem(delete(&etag2).await.unwrap(), 412, "ETag").await;
    let resp = delete(&etag3).await.unwrap();
    assert_eq!(resp.status(), 204);
    assert!(resp.bytes().await.unwrap().is_empty());
    problem(lab.get("/items/1").await, 404, "no item").await;
    problem(delete("*").await.unwrap(), 404, "no item").await;

    // 405 with Allow; 404 for unknown paths; OPTIONS lists the methods.
    let resp = lab.client.delete(lab.at("/items")).send().await.unwrap();
    let allow = header(&resp, "allow");
    assert!(allow.contains("GET") && allow.contains("POST") && !allow.contains("DELETE"));
    problem(resp, 405, "Allow").await;
    let resp = lab.client.post(lab.at("/whoami")).send().await.unwrap();
    assert_eq!(header(&resp, "allow"), "GET, HEAD, OPTIONS");
    assert_eq!(resp.status(), 405);
    problem(lab.get("/nothing/here").await, 404, "/items").await;
    problem(lab.get("").await, 404, "/items").await;
    let resp = lab
        .client
        .request(reqwest::Method::OPTIONS, lab.at("/items/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    assert!(header(&resp, "allow").contains("PATCH"));
}

#[tokio::test(flavor = "multi_thread")]
async fn idempotency_keys_replay_the_first_answer() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let lab = new_lab(&app).await;
    let post = |key: &str, body: &'static str| {
        lab.client
            .post(lab.at("/items"))
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .body(body)
            .send()
    };
    let first = post("k-1", r#"{"name": "pen", "quantity": 3}"#)
        .await
        .unwrap();
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let location = header(&first, "location");
    let first_body = first.text().await.unwrap();

    let again = post("k-1", r#"{"name": "pen", "quantity": 3}"#)
        .await
        .unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(header(&again, "idempotent-replayed"), "true");
    assert_eq!(header(&again, "location"), location);
    assert_eq!(again.text().await.unwrap(), first_body);
    assert_eq!(app.count("lab_items").await, 1, "the retry created nothing");

    let other = post("k-1", r#"{"name": "pen", "quantity": 4}"#)
        .await
        .unwrap();
    problem(other, 422, "different body").await;
    // A new key is a new item.
    assert_eq!(
        post("k-2", r#"{"name": "pen", "quantity": 3}"#)
            .await
            .unwrap()
            .status(),
        201
    );
    assert_eq!(app.count("lab_items").await, 2);
    // A failed create is not remembered: fixing the body under the same key works.
    let bad = post("k-3", r#"{"name": ""}"#).await.unwrap();
    assert_eq!(bad.status(), 422);
    assert_eq!(
        post("k-3", r#"{"name": "ok", "quantity": 1}"#)
            .await
            .unwrap()
            .status(),
        201
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_are_paginated_with_a_cursor_and_link() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let lab = new_lab(&app).await;
    for i in 0..5 {
        lab.create(&format!("item {i}"), i).await;
    }
    let mut ids = Vec::new();
    let mut next = format!("/lab/{}/items?limit=2", lab.token);
    let mut pages = 0;
    loop {
        let resp = lab.client.get(app.url(&next)).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let link = resp
            .headers()
            .get("link")
            .map(|l| l.to_str().unwrap().to_string());
        assert!(resp.headers().contains_key("etag"));
        let page: Value = resp.json().await.unwrap();
        pages += 1;
        ids.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_i64().unwrap()),
        );
        match page["next"].as_str() {
            Some(url) => {
                assert_eq!(link.unwrap(), format!("<{url}>; rel=\"next\""));
                assert!(url.contains("cursor="), "{url}");
                next = url.to_string();
            }
            None => {
                assert!(link.is_none(), "no Link on the last page");
                break;
            }
        }
    }
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(pages, 3);

    // The default page holds all five; its ETag answers 304.
    let resp = lab.get("/items").await;
    let etag = header(&resp, "etag");
    let page: Value = resp.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    assert!(page["next"].is_null());
    let resp = lab
        .client
        .get(lab.at("/items"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 304);

    for bad in ["limit=0", "limit=51", "limit=ten", "cursor=nonsense"] {
        let detail = if bad.starts_with("limit") {
            "1 to 50"
        } else {
            "cursor"
        };
        problem(lab.get(&format!("/items?{bad}")).await, 400, detail).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bearer_auth_401_and_403() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let lab = new_lab(&app).await;
    let with_auth = |path: &'static str, auth: String| {
        lab.client
            .get(lab.at(path))
            .header("authorization", auth)
            .send()
    };
    for path in ["/whoami", "/admin"] {
        let resp = lab.get(path).await;
        assert!(header(&resp, "www-authenticate").starts_with("Bearer"));
        problem(resp, 401, "Bearer").await;
        let resp = with_auth(path, "Bearer not-the-token".into())
            .await
            .unwrap();
        assert!(header(&resp, "www-authenticate").starts_with("Bearer"));
        problem(resp, 401, "token").await;
    }
    let resp = with_auth("/whoami", format!("Bearer {}", lab.token))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let me: Value = resp.json().await.unwrap();
    assert_eq!(me, json!({"token": lab.token, "role": "learner"}));
    let resp = with_auth("/admin", format!("bearer {}", lab.token))
        .await
        .unwrap();
    problem(resp, 403, "may not").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn limits_unknown_tokens_and_the_kept_history() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let lab = new_lab(&app).await;

    // 413 past 16 KiB (exactly 16 KiB is fine: it reaches validation).
    let name = "x".repeat(16 * 1024 - 30);
    let body = format!(r#"{{"name": "{name}", "quantity": 1}}"#);
    assert!(body.len() <= 16 * 1024);
    problem(lab.post_json("/items", &body).await, 422, "not valid").await;
    let body =
        format!(r#"{{"name": "{name}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "quantity": 1}}"#);
    assert!(body.len() > 16 * 1024);
    problem(lab.post_json("/items", &body).await, 413, "16 KiB").await;

    // 120 requests a minute, then 429 with Retry-After; all of them are
    // recorded, and the history keeps the newest 200.
    let mut statuses = Vec::new();
    for _ in 0..205 {
        statuses.push(lab.get("/items").await);
    }
    let first_refused = statuses.iter().position(|r| r.status() == 429).unwrap();
    // Two requests (the 422 and the 413) were already counted.
    assert_eq!(first_refused, 118);
    let wait: u64 = header(&statuses[first_refused], "retry-after")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let last = statuses.pop().unwrap();
    problem(last, 429, "at most 120 requests a minute").await;
    let pool = app.pool().await;
    let history = lab::history(&pool, &lab.token).await.unwrap();
    assert_eq!(history.len(), 200);
    assert_eq!(history.last().unwrap().status, 429);
    assert!(history.last().unwrap().answered_with("Retry-After"));

    // An unknown token, and one unused for a day.
    problem(
        lab.client
            .get(app.url("/lab/0000/items"))
            .send()
            .await
            .unwrap(),
        404,
        "unknown or expired",
    )
    .await;
    let other = new_lab(&app).await;
    other.create("pen", 1).await;
    app.exec(
        "UPDATE lab_tokens SET last_used_at = last_used_at - 90000 WHERE token = $1",
        &[&other.token],
    )
    .await;
    problem(other.get("/items").await, 404, "unknown or expired").await;
    assert_eq!(lab::purge_expired(&pool).await.unwrap(), 1);
    assert_eq!(
        app.count_where("lab_items", &format!("token = '{}'", other.token))
            .await,
        0,
        "the lab's data went with it"
    );
    let fresh = lab::token_for(&pool, other.user, "lesson-one", "items")
        .await
        .unwrap();
    assert_ne!(fresh, other.token);
    assert_eq!(
        lab::token_for(&pool, other.user, "lesson-one", "items")
            .await
            .unwrap(),
        fresh,
        "a token is reused while it lives"
    );
    pool.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn labs_are_apart_and_outside_sessions() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let a = new_lab(&app).await;
    let b = new_lab(&app).await;
    a.create("secret of a", 1).await;
    problem(b.get("/items/1").await, 404, "no item").await;
    let page: Value = b.get("/items").await.json().await.unwrap();
    assert_eq!(page["items"], json!([]));
    assert_eq!(b.create("b's own", 1).await.0, 1, "ids count per lab");
    let resp = b
        .client
        .get(a.at("/whoami"))
        .header("authorization", format!("Bearer {}", b.token))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401, "one lab's token is not another's");

    // The page's form sends only to the learner's own lab.
    let e =
        lab::raw::parse_raw(&format!("GET /lab/{}/items HTTP/1.1", a.token), &b.token).unwrap_err();
    assert!(e.contains("your own lab"), "{e}");
    let e = lab::raw::parse_raw("GET http://example.com/ HTTP/1.1", &b.token).unwrap_err();
    assert!(e.contains("not a full URL"), "{e}");

    // A signed-in browser with a cookie, or a cross-site page: no session,
    // no cookie set, no same-origin refusal (nothing here acts for an account).
    let (browser, _) = app.sign_in_as("learner").await;
    let resp = browser
        .post(a.at("/items"))
        .header("content-type", "application/json")
        .header("origin", "https://elsewhere.example")
        .body(r#"{"name": "pen", "quantity": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    assert!(resp.headers().get("set-cookie").is_none());
    let resp = a.get("/items").await;
    assert!(resp.headers().get("set-cookie").is_none());
    assert_eq!(header(&resp, "cache-control"), "no-store");
}

#[tokio::test(flavor = "multi_thread")]
async fn history_grades_the_steps_and_solutions_pass() {
    let app = TestApp::spawn_fixture(|_| {}).await;
    let lab = new_lab(&app).await;
    let steps: Vec<Step> = toml::from_str::<toml::Table>(
        r#"steps = [
          { method = "POST", path = "/items", status = 201, response_headers = ["Location"] },
          { method = "GET", path = "/items/*", request_headers = ["If-None-Match"], status = 304 },
        ]"#,
    )
    .unwrap()["steps"]
        .clone()
        .try_into()
        .unwrap();

    let pool = app.pool().await;
    let verdict = lab::check_steps(&steps, &lab::history(&pool, &lab.token).await.unwrap());
    assert!(!verdict.passed);
    assert_eq!(
        verdict.message,
        "Step 1 of 2 is still missing: POST /items answered 201 with Location."
    );

    let (id, etag) = lab.create("pen", 3).await;
    lab.get(&format!("/items/{id}")).await;
    let verdict = lab::check_steps(&steps, &lab::history(&pool, &lab.token).await.unwrap());
    assert_eq!((verdict.passed, verdict.matched), (false, 1));
    assert!(
        verdict.message.starts_with("Step 2 of 2"),
        "{}",
        verdict.message
    );

    let resp = lab
        .client
        .get(lab.at(&format!("/items/{id}?x=1")))
        .header("if-none-match", &etag)
        .header("authorization", "Bearer secret")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 304);
    let history = lab::history(&pool, &lab.token).await.unwrap();
    let verdict = lab::check_steps(&steps, &history);
    assert!(verdict.passed, "{verdict:?}");
    let last = history.last().unwrap();
    assert_eq!(
        (last.method.as_str(), last.path.as_str()),
        ("GET", "/items/1")
    );
    assert_eq!(last.query.as_deref(), Some("x=1"));
    assert!(last
        .request_headers
        .contains(&("if-none-match".into(), Some(etag.clone()))));
    assert!(
        last.request_headers
            .contains(&("authorization".into(), None)),
        "the name only, never the credential"
    );
    assert_eq!(last.summary(), "GET /items/1?x=1 → 304");

    // A reset empties the lab: the steps are missing again, ids restart.
    lab::reset(&pool, &lab.token).await.unwrap();
    assert!(lab::history(&pool, &lab.token).await.unwrap().is_empty());
    assert_eq!(lab.create("again", 1).await.0, 1);

    // The spec's example solution passes its own steps on a scratch lab.
    let scratch = lab::scratch_token(&pool, "lesson-one", "items")
        .await
        .unwrap();
    let solution = "POST /items HTTP/1.1\nContent-Type: application/json\n\n{\"name\": \"pen\", \"quantity\": 3}\n###\nGET /items/{{id}} HTTP/1.1\nIf-None-Match: {{etag}}\n";
    let exchanges = lab::run_solution(&pool, &scratch, solution).await.unwrap();
    let statuses: Vec<u16> = exchanges.iter().map(|(_, r)| r.status.as_u16()).collect();
    assert_eq!(statuses, [201, 304]);
    assert_eq!(exchanges[1].0, "GET /items/1");
    let verdict = lab::check_steps(&steps, &lab::history(&pool, &scratch).await.unwrap());
    assert!(verdict.passed, "{verdict:?}");
    let text = lab::raw::format_response(&exchanges[0].1);
    assert!(text.starts_with("HTTP/1.1 201 Created\n"), "{text}");
    // Each run starts with no id or ETag known.
    let err = lab::run_solution(&pool, &scratch, "GET /items/1\nIf-Match: {{etag}}")
        .await
        .unwrap_err();
    assert!(err.contains("Request 1 uses {{etag}}"), "{err}");
    // Beyond the spec: {{token}} and {{next}}.
    let solution = "GET /whoami\nAuthorization: Bearer {{token}}\n###\nPOST /items\nContent-Type: application/json\n\n{\"name\": \"cup\", \"quantity\": 1}\n###\nGET /items?limit=1\n###\nGET {{next}}\n";
    let exchanges = lab::run_solution(&pool, &scratch, solution).await.unwrap();
    let statuses: Vec<u16> = exchanges.iter().map(|(_, r)| r.status.as_u16()).collect();
    assert_eq!(statuses, [200, 201, 200, 200]);
    assert!(exchanges[3].0.starts_with("GET /items?limit=1&cursor="));
    lab::discard(&pool, &scratch).await.unwrap();
    problem(
        lab.client
            .get(app.url(&format!("/lab/{scratch}/items")))
            .send()
            .await
            .unwrap(),
        404,
        "unknown or expired",
    )
    .await;
    pool.close().await;
}
