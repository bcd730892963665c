//! Starts the real router on 127.0.0.1:0 with a fresh SQLite file in a temp
//! folder, and gives a cookie-keeping HTTP client for it.
#![allow(dead_code)]

use std::path::PathBuf;

use academy_server::Config;

/// Writes a small curriculum: track `alpha` (lessons one, two) and `beta` (three).
pub fn fixture_content(root: &std::path::Path) {
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
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

/// A client with a cookie jar that does not follow redirects and sends no
/// `Origin` (like curl: the server refuses its POSTs once it has a cookie).
pub fn new_client() -> reqwest::Client {
    client_with_origin(None)
}

/// A cookie-keeping client that sends `Origin: origin` like a browser on the
/// site does (the server refuses state changes from anywhere else).
pub fn client_with_origin(origin: Option<&str>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(origin) = origin {
        headers.insert(reqwest::header::ORIGIN, origin.parse().unwrap());
    }
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db_path: PathBuf,
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
        let db_path = dir.path().join("data/academy.db");
        let mut config = Config::new(db_path.clone(), content, dir.path().join("site"));
        config.watch = watch;
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
        let db_path = dir.path().join("data/academy.db");
        let mut config = Config::new(
            db_path,
            content.path().to_path_buf(),
            dir.path().join("site"),
        );
        config.watch = false;
        adjust(&mut config);
        let mut app = TestApp::start(config, dir).await;
        app.content = Some(content);
        app
    }

    /// Stops this server and starts a new one on the same database and
    /// content, keeping the client's cookies (a restart).
    pub async fn restart(mut self) -> TestApp {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap());
        let mut config = Config::new(
            self.db_path.clone(),
            repo_content(),
            dir.path().join("site"),
        );
        config.watch = false;
        // The same address, so the kept client's cookies and Origin still apply.
        let addr = self.base.trim_start_matches("http://").to_string();
        let mut next = TestApp::start_on(config, dir, &addr).await;
        next.client = self.client.clone();
        next
    }

    /// Creates an account directly in the database.
    pub async fn create_user(&self, email: &str, name: &str, role: &str, password: &str) -> i64 {
        let pool = app::db::open(&self.db_path).await.unwrap();
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
    pub fn new_client(&self) -> reqwest::Client {
        client_with_origin(Some(&self.base))
    }

    /// A new client (own cookie jar) signed in as `email`.
    pub async fn signed_in(&self, email: &str, password: &str) -> reqwest::Client {
        let client = self.new_client();
        let resp = client
            .post(self.url("/login"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "sign-in of {email} failed");
        client
    }

    pub async fn pool(&self) -> sqlx::SqlitePool {
        app::db::open(&self.db_path).await.unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// Sends a stop signal without waiting (for shutdown tests).
    pub fn signal_stop(&mut self) -> Option<tokio::task::JoinHandle<()>> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        self.task.take()
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}
