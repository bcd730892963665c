//! Several instances on one PostgreSQL: two real `academy serve` processes,
//! each on its own port and with its own content folder, share one database.
//! What one instance does must show on the other: sessions, progress, an
//! editor save, a sign-out everywhere; and a kill -9 of one under write
//! load loses nothing that either acknowledged.
//!
//! These tests always run on PostgreSQL: on `ACADEMY_TEST_PG` when `make
//! test` provides a server, otherwise on a throwaway cluster they start
//! themselves with `tools/pg-test-cluster`.

mod common;

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use app::db::DbUrl;
use common::{fixture_content, input_value, new_client, session_cookie_of, PgServer, PW};
use reqwest::Client;

/// One `academy serve` process on `db`, serving its own copy of `content`.
struct Instance {
    child: Child,
    base: String,
    content: tempfile::TempDir,
}

impl Instance {
    fn start(db: &str, seed: impl Fn(&Path)) -> Instance {
        let content = tempfile::tempdir().unwrap();
        seed(content.path());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let site = tempfile::tempdir().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_academy"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--db", db])
            .arg("--content")
            .arg(content.path())
            .arg("--site-root")
            .arg(site.path())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        // The site root only needs to exist for the duration of the test.
        std::mem::forget(site);
        Instance {
            child,
            base: format!("http://127.0.0.1:{port}"),
            content,
        }
    }

    async fn ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(r) = reqwest::get(self.url("/healthz")).await {
                if r.status() == 200 {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{} did not start", self.base);
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client of this instance (cookies, Origin).
    fn client(&self) -> Client {
        common::client_with_origin(Some(&self.base))
    }

    async fn post(&self, client: &Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        client.post(self.url(path)).form(form).send().await.unwrap()
    }

    async fn get(&self, client: &Client, path: &str, cookie: &str) -> (u16, String) {
        let r = client
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Signs `email` in and returns the session cookie (`name=value`).
    async fn sign_in(&self, email: &str) -> String {
        let resp = self
            .post(
                &new_client(),
                "/login",
                &[("email", email), ("password", PW)],
            )
            .await;
        assert_eq!(resp.status(), 303, "sign-in of {email} on {}", self.base);
        session_cookie_of(&resp).expect("a session cookie")
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Creates an account of `role` with password [`PW`] through the app's
/// own service, on the shared database.
async fn account(db: &str, email: &str, role: &str) -> i64 {
    let pool = app::db::Db::open(&db.parse::<DbUrl>().unwrap())
        .await
        .unwrap();
    let id = app::auth::service::create_account(
        &pool,
        &app::auth::password::Hasher::default(),
        email,
        "Someone",
        PW.to_string(),
        role.parse().unwrap(),
    )
    .await
    .unwrap();
    pool.close().await;
    id
}

/// Polls `check` every 25 ms until it holds; returns how long it took,
/// or panics with `what` after `limit`.
async fn within<F, Fut>(limit: Duration, what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_sessions_progress_saves_and_sign_outs() {
    let pg = PgServer::get();
    let db = pg.database("two_instances").await;
    let a = Instance::start(&db, fixture_content);
    a.ready().await;
    let b = Instance::start(&db, fixture_content);
    b.ready().await;
    account(&db, "ada@example.com", "learner").await;
    account(&db, "ted@example.com", "instructor").await;

    // Signed in on A, the session works on B.
    let ada = a.sign_in("ada@example.com").await;
    let (status, dash) = b.get(&new_client(), "/dashboard", &ada).await;
    assert_eq!(status, 200, "A's session on B");
    assert!(dash.contains("0 of 3"), "{dash}");

    // A completion marked on A shows on B's dashboard.
    let resp = a
        .client()
        .post(a.url("/progress/complete"))
        .header("cookie", &ada)
        .form(&[("lesson_id", "lesson-one"), ("done", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let took = within(Duration::from_secs(1), "completion on B", || async {
        b.get(&new_client(), "/dashboard", &ada)
            .await
            .1
            .contains("1 of 3")
    })
    .await;
    eprintln!("completion on A seen on B after {took:?}");

    // An editor save on A is served by B within 2 s, and B's file is written.
    let ted = a.sign_in("ted@example.com").await;
    let teacher = a.client();
    let (_, editor) = a.get(&teacher, "/editor/alpha/one", &ted).await;
    let base = input_value(&editor, "base");
    let text = std::fs::read_to_string(a.content.path().join("alpha/one.md")).unwrap();
    let text = text.replace("Text about One.", "Text saved on instance A.");
    let resp = teacher
        .post(a.url("/editor/alpha/one"))
        .header("cookie", &ted)
        .form(&[
            ("text", text.as_str()),
            ("base", base.as_str()),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "save on A");
    let took = within(Duration::from_secs(2), "A's save served by B", || async {
        b.get(&new_client(), "/lessons/alpha/one", "x=y")
            .await
            .1
            .contains("Text saved on instance A.")
    })
    .await;
    eprintln!("editor save on A served by B after {took:?}");
    assert_eq!(
        std::fs::read_to_string(b.content.path().join("alpha/one.md")).unwrap(),
        text,
        "B wrote the file into its own folder"
    );

    // Sign out everywhere on A: B refuses the session within 1 s. Reading
    // B's dashboard first puts the session in B's cache.
    assert_eq!(b.get(&new_client(), "/dashboard", &ada).await.0, 200);
    let other = a.sign_in("ada@example.com").await;
    let resp = a
        .client()
        .post(a.url("/account/sessions"))
        .header("cookie", &other)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_redirection(), "{}", resp.status());
    let took = within(Duration::from_secs(1), "sign-out on B", || async {
        b.get(&new_client(), "/dashboard", &ada).await.0 != 200
    })
    .await;
    eprintln!("sign out everywhere on A refused on B after {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_of_one_instance_under_load_loses_no_acknowledged_write() {
    let pg = PgServer::get();
    let db = pg.database("kill_one").await;
    let content = |dir: &Path| {
        fixture_content(dir);
        // More lessons, so each writer has many distinct completions to make.
        for i in 0..40 {
            common::write_file(
                dir,
                &format!("alpha/extra{i}.md"),
                &format!(
                    "---\nid: extra-{i}\ntitle: Extra {i}\nsummary: S.\norder: {}\n---\n\nText.\n",
                    i + 10
                ),
            );
        }
    };
    let mut a = Instance::start(&db, content);
    a.ready().await;
    let b = Instance::start(&db, content);
    b.ready().await;
    let writers = 8;
    let mut cookies = Vec::new();
    for i in 0..writers {
        let email = format!("w{i}@example.com");
        account(&db, &email, "learner").await;
        // Half the writers sign in on A, half on B; all write to both.
        let on = if i % 2 == 0 { &a } else { &b };
        cookies.push(on.sign_in(&email).await);
    }
    let acked: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let b_errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (i, cookie) in cookies.into_iter().enumerate() {
        for (base, is_b) in [(a.base.clone(), false), (b.base.clone(), true)] {
            let (cookie, acked, b_errors, stop) = (
                cookie.clone(),
                acked.clone(),
                b_errors.clone(),
                stop.clone(),
            );
            let email = format!("w{i}@example.com");
            tasks.push(tokio::spawn(async move {
                let client = common::client_with_origin(Some(&base));
                let half = if is_b { 20 } else { 0 };
                for n in half..half + 20 {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    let lesson = format!("extra-{n}");
                    let sent = client
                        .post(format!("{base}/progress/complete"))
                        .header("cookie", &cookie)
                        .form(&[("lesson_id", lesson.as_str()), ("done", "1")])
                        .timeout(Duration::from_secs(10))
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status() == 303 => {
                            acked.lock().unwrap().push((email.clone(), lesson));
                        }
                        Ok(r) if is_b => b_errors.lock().unwrap().push(format!("{}", r.status())),
                        Err(e) if is_b => b_errors.lock().unwrap().push(e.to_string()),
                        // A was killed: its writers stop.
                        _ if !is_b => break,
                        _ => {}
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }));
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    a.child.kill().unwrap(); // SIGKILL
    a.child.wait().unwrap();
    let killed_at = acked.lock().unwrap().len();
    for t in tasks {
        t.await.unwrap();
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    // B kept serving: its writers all got their answers, and it still reads.
    assert!(
        b_errors.lock().unwrap().is_empty(),
        "{:?}",
        b_errors.lock().unwrap()
    );
    let (status, _) = b.get(&new_client(), "/lessons/alpha/one", "x=y").await;
    assert_eq!(status, 200);
    // Every acknowledged write is in the database.
    let pool = sqlx::PgPool::connect(&db).await.unwrap();
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > killed_at,
        "B went on acknowledging after the kill"
    );
    for (email, lesson) in &acked {
        let found: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM lesson_progress p JOIN users u ON u.id = p.user_id
             WHERE u.email = $1 AND p.lesson_id = $2 AND p.completed_at IS NOT NULL",
        )
        .bind(email)
        .bind(lesson)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(found, 1, "acknowledged {email} {lesson} is missing");
    }
    eprintln!(
        "kill -9 of A: {} acknowledged writes ({killed_at} before the kill), all in the database",
        acked.len()
    );
    pool.close().await;
}
