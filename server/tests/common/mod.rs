//! Starts the real router on 127.0.0.1:0 with a fresh SQLite file in a temp
//! folder, and gives a cookie-keeping HTTP client for it, plus the request,
//! sign-in and database helpers the tests share (in the style of
//! zero-to-production's `TestApp`), so each test reads as what it checks.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use academy_server::Config;
use app::db::{Db, DbUrl};
use reqwest::{Client, Response, StatusCode};
use serde::Serialize;

/// The password of every account the tests create: long enough for the
/// password rules, so sign-ins never fail for that reason.
pub const PW: &str = "a long enough passphrase";

/// Writes `text` to `root/rel`, creating the folders on the way: lessons,
/// tracks and quiz banks are all set up this way.
pub fn write_file(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Writes a small curriculum: track `alpha` (lessons one, two) and `beta` (three).
pub fn fixture_content(root: &Path) {
    let write = |rel: &str, text: &str| write_file(root, rel, text);
    write("alpha/track.toml", "title = \"Alpha\"\norder = 1\n");
    write("beta/track.toml", "title = \"Beta\"\norder = 2\n");
    let lesson = |id: &str, title: &str, order: u32| {
        format!("---\nid: {id}\ntitle: {title}\nsummary: About {title}.\norder: {order}\nobjectives:\n  - Learn {title}\n---\n\n## Part\n\nText about {title}.\n\n```gift\n::Q1:: Is {title} fun? {{T#FEEDBACKWRONG#FEEDBACKRIGHT}}\n\n::Q2:: Pick the right one. {{=right #FEEDBACKSECRET ~wrong #No. ~other ####GENERALSECRET}}\n\n::Q3:: The secret word? {{=SHORTKEY}}\n\n::Q4:: The number? {{#4242:1}}\n```\n")
    };
    write("alpha/one.md", &lesson("lesson-one", "One", 1));
    write("alpha/two.md", &lesson("lesson-two", "Two", 2));
    write("beta/three.md", &lesson("lesson-three", "Three", 1));
}

pub fn repo_content() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// The database of a new test app: an SQLite file in `dir`, or, when
/// `ACADEMY_TEST_PG` names a PostgreSQL server (as `make test` does for
/// its second pass), a fresh database of its own on that server. The
/// whole suite runs on both engines this way.
pub async fn test_db(dir: &Path) -> DbUrl {
    match std::env::var("ACADEMY_TEST_PG") {
        Ok(server) if !server.is_empty() => {
            let name = format!(
                "t_{}_{}",
                std::process::id(),
                NEXT_DB.fetch_add(1, Ordering::Relaxed)
            );
            let admin = sqlx::PgPool::connect(&server)
                .await
                .expect("PostgreSQL of ACADEMY_TEST_PG");
            let create = sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"));
            sqlx::query(create)
                .execute(&admin)
                .await
                .expect("create a test database");
            admin.close().await;
            let (base, _) = server.rsplit_once('/').expect("a URL with a database");
            DbUrl::Postgres(format!("{base}/{name}"))
        }
        _ => DbUrl::Sqlite(dir.join("data/academy.db")),
    }
}

/// Whether this run is on PostgreSQL (see [`test_db`]).
pub fn on_postgres() -> bool {
    std::env::var("ACADEMY_TEST_PG").is_ok_and(|s| !s.is_empty())
}

/// Numbers the PostgreSQL databases of one test binary.
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// The settings of a test server: the database `db`, lessons from
/// `content`, the site root in `dir`, and no file watcher unless asked
/// (every way of spawning starts from this, so they cannot drift apart).
fn test_config(db: DbUrl, content: PathBuf, dir: &Path, watch: bool) -> Config {
    let mut config = Config::new(db, content, dir.join("site"));
    config.watch = watch;
    // The test binary is not `academy`: SQL workers run the real one.
    config.lab_worker = PathBuf::from(env!("CARGO_BIN_EXE_academy"));
    config
}

/// A client with a cookie jar that does not follow redirects and sends no
/// `Origin` (like curl: the server refuses its POSTs once it has a cookie).
pub fn new_client() -> Client {
    client_with_origin(None)
}

/// A cookie-keeping client that sends `Origin: origin` like a browser on the
/// site does (the server refuses state changes from anywhere else).
pub fn client_with_origin(origin: Option<&str>) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(origin) = origin {
        headers.insert(reqwest::header::ORIGIN, origin.parse().unwrap());
    }
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

/// The session cookie (`name=value`, attributes dropped) that `resp` sets,
/// if any: what a browser would send back, for tests that replay or forge it.
pub fn session_cookie_of(resp: &Response) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| {
            c.split('=')
                .next()
                .unwrap_or("")
                .ends_with("academy_session")
        })
        .map(|c| c.split(';').next().unwrap().to_string())
}

/// The text between the first `start` in `text` and the next `end` after
/// it (`None` without a `start`): tokens, nonces and codes are scraped out
/// of pages and headers this way.
pub fn text_between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = text.split_once(start)?.1;
    rest.split(end).next()
}

/// The value of the form input named `name` in `html` (a hidden field such
/// as the editor's `base` or the quiz's `attempt` token): forms carry them
/// back, so the tests post what a browser would.
pub fn input_value(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let value = text_between(html, &marker, "\"");
    value.unwrap_or_else(|| panic!("no {name}")).to_string()
}

/// Asserts that `resp` answers `status` with a body that says `needle`,
/// and returns the body: a refusal is only right with its sentence, and
/// the body can only be read once.
pub async fn assert_answer(resp: Response, status: u16, needle: &str) -> String {
    assert_eq!(resp.status(), status, "answering {needle:?}");
    let body = resp.text().await.expect("body");
    assert!(body.contains(needle), "{needle:?} not in {body}");
    body
}

/// Runs `academy check-content dir` and returns its exit code and what it
/// printed (the problems, one a line, as `file:line: message`).
pub fn check_content(dir: &Path) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_academy"))
        .arg("check-content")
        .arg(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code(), stdout)
}

/// Numbers the accounts [`TestApp::sign_in_as`] creates, so their emails
/// never collide within a test binary.
static NEXT_USER: AtomicUsize = AtomicUsize::new(0);

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub db_path: DbUrl,
    pub dir: tempfile::TempDir,
    pub content: Option<tempfile::TempDir>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestApp {
    /// The app over the shipped curriculum.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(repo_content(), false).await
    }

    /// The app over another content folder, optionally hot-reloading it.
    pub async fn spawn_with(content: PathBuf, watch: bool) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = test_config(test_db(dir.path()).await, content, dir.path(), watch);
        TestApp::start(config, dir).await
    }

    async fn start(config: Config, dir: tempfile::TempDir) -> TestApp {
        TestApp::start_on(config, dir, "127.0.0.1:0").await
    }

    async fn start_on(config: Config, dir: tempfile::TempDir, addr: &str) -> TestApp {
        let db_path = config.db.clone();
        let state = academy_server::state(&config).await.expect("state");
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let http = config.http.clone();
        let task = tokio::spawn(async move {
            academy_server::serve(listener, state, http, async {
                let _ = rx.await;
            })
            .await
            .expect("serve");
        });
        let client = client_with_origin(Some(&base));
        TestApp {
            base,
            client,
            db_path,
            dir,
            content: None,
            stop: Some(tx),
            task: Some(task),
        }
    }

    /// The app over a small fixture curriculum (2 tracks, 3 lessons) with
    /// its settings adjusted by `adjust`.
    pub async fn spawn_fixture(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let content = tempfile::tempdir().unwrap();
        fixture_content(content.path());
        let dir = tempfile::tempdir().expect("temp dir");
        let db_path = test_db(dir.path()).await;
        let mut config = test_config(db_path, content.path().to_path_buf(), dir.path(), false);
        adjust(&mut config);
        let mut app = TestApp::start(config, dir).await;
        app.content = Some(content);
        app
    }

    /// Stops this server and starts a new one on the same database and
    /// content, keeping the client's cookies (a restart).
    pub async fn restart(mut self) -> TestApp {
        self.halt().await;
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap());
        let config = test_config(self.db_path.clone(), repo_content(), dir.path(), false);
        // The same address, so the kept client's cookies and Origin still apply.
        let mut next = TestApp::start_on(config, dir, self.host()).await;
        next.client = self.client.clone();
        next
    }

    /// Creates an account directly in the database.
    pub async fn create_user(&self, email: &str, name: &str, role: &str, password: &str) -> i64 {
        let pool = self.pool().await;
        let hash = app::auth::password::Hasher::default()
            .hash(password.to_string())
            .await
            .unwrap();
        let id = app::auth::db::create_user(&pool, email, name, &hash, role.parse().unwrap())
            .await
            .unwrap();
        pool.close().await;
        id
    }

    /// A new browser-like client of this app: its own cookie jar, and
    /// `Origin` set to the app's (see [`client_with_origin`]).
    pub fn new_client(&self) -> Client {
        client_with_origin(Some(&self.base))
    }

    /// A new client (own cookie jar) signed in as `email`.
    pub async fn signed_in(&self, email: &str, password: &str) -> Client {
        let client = self.new_client();
        let resp = self
            .post_form(
                &client,
                "/login",
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(resp.status(), 303, "sign-in of {email} failed");
        client
    }

    /// Creates the account `email` (password [`PW`]) and signs it in on a
    /// new client: for tests where the name or email shows on a page.
    pub async fn user(&self, email: &str, name: &str, role: &str) -> (Client, i64) {
        let id = self.create_user(email, name, role, PW).await;
        (self.signed_in(email, PW).await, id)
    }

    /// A new account of `role` (`learner`, `instructor`, `admin`) with an
    /// email no other account of the test has, signed in on a new client;
    /// returns the client and the account's id. For the many tests that
    /// only need "someone with this role".
    pub async fn sign_in_as(&self, role: &str) -> (Client, i64) {
        let n = NEXT_USER.fetch_add(1, Ordering::Relaxed);
        self.user(
            &format!("{role}{n}@example.com"),
            &format!("{role} {n}"),
            role,
        )
        .await
    }

    /// Signs `email` (password [`PW`]) in with a cookie-less, Origin-less
    /// request and returns its session cookie (`name=value`): for tests
    /// that send the cookie by hand, as an attacker or a raw socket would.
    pub async fn session_cookie(&self, email: &str) -> String {
        let resp = self
            .post_form(
                &new_client(),
                "/login",
                &[("email", email), ("password", PW)],
            )
            .await;
        assert_eq!(resp.status(), 303, "sign-in of {email}");
        session_cookie_of(&resp).expect("a session cookie")
    }

    /// A pool of its own on the app's database (either engine).
    pub async fn pool(&self) -> Db {
        Db::open(&self.db_path).await.unwrap()
    }

    /// Runs one statement written by the test (`$1`-style placeholders
    /// bound from `args`) on the app's database; returns the rows changed.
    pub async fn exec(&self, sql: &str, args: &[&str]) -> u64 {
        let pool = self.pool().await;
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        let done = match &pool {
            Db::Sqlite(p) => {
                let mut q = sqlx::query(sql);
                for a in args {
                    q = q.bind(a.to_string());
                }
                q.execute(p).await.map(|d| d.rows_affected())
            }
            Db::Postgres(p) => {
                let mut q = sqlx::query(sql);
                for a in args {
                    q = q.bind(a.to_string());
                }
                q.execute(p).await.map(|d| d.rows_affected())
            }
        };
        pool.close().await;
        done.unwrap()
    }

    /// How many rows `table` has: the tests check that refused requests
    /// wrote nothing, and that accepted ones wrote exactly once.
    pub async fn count(&self, table: &str) -> i64 {
        self.scalar(&format!("SELECT count(*) FROM {table}")).await
    }

    /// How many rows of `table` match the SQL condition `filter`.
    pub async fn count_where(&self, table: &str, filter: &str) -> i64 {
        self.count(&format!("{table} WHERE {filter}")).await
    }

    /// The single value `sql` selects (over its own short-lived pool, so
    /// a test needs no pool of its own for a one-off check).
    pub async fn scalar<T>(&self, sql: &str) -> T
    where
        T: Send + Unpin,
        (T,): for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        let first = self.column(sql).await.into_iter().next();
        first.unwrap_or_else(|| panic!("no row from {sql}"))
    }

    /// The first column of every row `sql` selects.
    pub async fn column<T>(&self, sql: &str) -> Vec<T>
    where
        T: Send + Unpin,
        (T,): for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        let pool = self.pool().await;
        // Test code: `sql` is written by the test (and a table name or a
        // filter cannot be bound), never taken from a request.
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        let values = match &pool {
            Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await,
            Db::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await,
        };
        pool.close().await;
        values.unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// `host:port` of the server, for raw requests and `Host` headers.
    pub fn host(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// The folder of the fixture curriculum (the editor writes into it).
    pub fn content_dir(&self) -> &Path {
        self.content.as_ref().expect("a fixture app").path()
    }

    /// The text of `rel` in the fixture curriculum, as it is on disk now.
    pub fn content_file(&self, rel: &str) -> String {
        std::fs::read_to_string(self.content_dir().join(rel)).unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// Status and body of `GET path` as `client`: most checks of a page
    /// need both, and the body can only be read once.
    pub async fn get_text(&self, client: &Client, path: &str) -> (StatusCode, String) {
        let resp = client.get(self.url(path)).send().await.expect("GET");
        let status = resp.status();
        (status, resp.text().await.expect("body"))
    }

    /// [`TestApp::get_text`] with the app's own client.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        self.get_text(&self.client, path).await
    }

    /// The body of `GET path` with the app's own client, after asserting
    /// that it answered `status`: the first check of most page tests.
    pub async fn expect_page(&self, path: &str, status: u16) -> String {
        let (got, body) = self.page(path).await;
        assert_eq!(got, status, "GET {path}");
        body
    }

    /// Only the status of `GET path` as `client` (for access checks).
    pub async fn status(&self, client: &Client, path: &str) -> StatusCode {
        client
            .get(self.url(path))
            .send()
            .await
            .expect("GET")
            .status()
    }

    /// `GET path` as `client` with one more header, `name: value` (what a
    /// particular browser, proxy or attacker would add).
    pub async fn get_with_header(
        &self,
        client: &Client,
        path: &str,
        (name, value): (&str, &str),
    ) -> Response {
        let request = client.get(self.url(path)).header(name, value);
        request.send().await.expect("GET")
    }

    /// `GET path` as `client` with the `Cookie` header written by hand
    /// (a replayed, stolen or forged session cookie).
    pub async fn get_with_cookie(&self, client: &Client, path: &str, cookie: &str) -> Response {
        self.get_with_header(client, path, ("cookie", cookie)).await
    }

    /// POSTs `form` url-encoded to `path` as `client`, as a browser submits
    /// a form. Whether the server accepts it depends on the client's
    /// `Origin` (see [`client_with_origin`] and [`new_client`]).
    pub async fn post_form<F>(&self, client: &Client, path: &str, form: &F) -> Response
    where
        F: Serialize + ?Sized,
    {
        send_form(client.post(self.url(path)), form).await
    }

    /// Calls the server function at `path` with `form` as `client`, the
    /// way the hydrated page does (asking for JSON back).
    pub async fn call<F>(&self, client: &Client, path: &str, form: &F) -> Response
    where
        F: Serialize + ?Sized,
    {
        let request = client.post(self.url(path));
        send_form(request.header("accept", "application/json"), form).await
    }

    /// Writes `head` (request line and headers, without `Host` and the
    /// blank line) and `body` to a bare TCP connection and returns the start
    /// of the answer (at least its status line). For requests an HTTP client
    /// library will not send: un-normalised paths, lying `Content-Length`.
    pub async fn raw_request(&self, head: &str, body: &str) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let host = self.host();
        let mut s = tokio::net::TcpStream::connect(host).await.unwrap();
        let request = format!("{head}\r\nHost: {host}\r\nConnection: close\r\n\r\n{body}");
        s.write_all(request.as_bytes()).await.unwrap();
        let mut reply = Vec::new();
        let mut buf = [0u8; 1024];
        // The server may close (or reset) once it has answered, so stop at
        // the status line rather than waiting for the end of the stream.
        while !reply.windows(2).any(|w| w == b"\r\n") {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => reply.extend_from_slice(&buf[..n]),
            }
        }
        String::from_utf8_lossy(&reply).into_owned()
    }

    /// Sends a stop signal without waiting (for shutdown tests).
    pub fn signal_stop(&mut self) -> Option<tokio::task::JoinHandle<()>> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        self.task.take()
    }

    /// Stops the server gracefully and waits for it (dropping the app at
    /// the end of a test does the same; this is for stopping it earlier).
    pub async fn stop(mut self) {
        self.halt().await;
    }

    /// Signals the stop and waits until the server has finished.
    async fn halt(&mut self) {
        if let Some(task) = self.signal_stop() {
            let _ = task.await;
        }
    }
}

impl Drop for TestApp {
    /// Stops the server at the end of a test, as [`TestApp::stop`] does, so
    /// no test has to remember to. A panicking test (or one on a
    /// current-thread runtime, where nothing may block) only signals it.
    fn drop(&mut self) {
        let Some(task) = self.signal_stop() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let multi_thread = runtime.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread;
        if multi_thread && !std::thread::panicking() {
            tokio::task::block_in_place(|| {
                let _ = runtime.block_on(task);
            });
        }
    }
}

/// Fills `request` with `form` url-encoded and sends it.
async fn send_form<F: Serialize + ?Sized>(request: reqwest::RequestBuilder, form: &F) -> Response {
    request.form(form).send().await.expect("POST")
}

/// The status code of a raw HTTP answer (from [`TestApp::raw_request`]).
pub fn raw_status(reply: &str) -> u16 {
    reply
        .split(' ')
        .nth(1)
        .unwrap_or_else(|| panic!("no status line: {reply:?}"))
        .parse()
        .unwrap()
}

/// A PostgreSQL server for tests that need one whatever the pass: `make test`'s, or one of our own
/// (stopped when the guard drops).
pub struct PgServer {
    url: String,
    own: Option<tempfile::TempDir>,
}

impl PgServer {
    pub fn get() -> PgServer {
        if let Ok(url) = std::env::var("ACADEMY_TEST_PG") {
            if !url.is_empty() {
                return PgServer { url, own: None };
            }
        }
        let dir = tempfile::Builder::new()
            .prefix("academy-pg-")
            .tempdir_in("/tmp")
            .unwrap();
        let cluster = dir.path().join("c");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/pg-test-cluster");
        let out = std::process::Command::new(script)
            .arg("start")
            .arg(&cluster)
            .output()
            .expect("tools/pg-test-cluster");
        assert!(
            out.status.success(),
            "cannot start PostgreSQL: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
        PgServer {
            url,
            own: Some(dir),
        }
    }

    /// A fresh database on this server.
    pub async fn database(&self, name: &str) -> String {
        let admin = sqlx::PgPool::connect(&self.url).await.unwrap();
        let name = format!("{name}_{}", std::process::id());
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&admin)
                .await
                .unwrap();
        }
        admin.close().await;
        format!("{}/{name}", self.url.rsplit_once('/').unwrap().0)
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        if let Some(dir) = &self.own {
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/pg-test-cluster");
            let _ = std::process::Command::new(script)
                .arg("stop")
                .arg(dir.path().join("c"))
                .status();
        }
    }
}
