//! The `academy` server: configuration, the axum router with its middleware,
//! start-up and graceful shutdown. Business logic lives in the `app` crate.

pub mod assets;
pub mod cli;
pub mod health;
pub mod page_cache;
pub mod security;
pub mod users;

use std::{
    future::Future,
    path::PathBuf,
    sync::{Arc, OnceLock},
    time::Duration,
};

use app::{
    auth::{
        handlers as auth, manage_handlers as manage, session::server::load_user,
        session_store::DbStore,
    },
    editor::handlers as editor,
    lessons::store::Content,
    progress::handlers as progress,
    shell,
    state::AppState,
    App,
};
use axum::{
    extract::ConnectInfo,
    http::{header, HeaderValue, Request},
    routing::{any, get, post},
    Router,
};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower::ServiceExt;
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer,
    set_header::SetResponseHeaderLayer, trace::TraceLayer,
};

/// Largest request body accepted anywhere (lesson images are at most 2 MB).
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Everything `serve` needs, already resolved from flags and environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// An SQLite file (the default) or a PostgreSQL URL.
    pub db: app::db::DbUrl,
    pub content: PathBuf,
    pub site_root: PathBuf,
    /// Reload content when files change (hot reload).
    pub watch: bool,
    pub settings: app::state::Settings,
    pub http: HttpSettings,
    /// The labs' SQL workers: the `academy` binary (it serves
    /// `academy sql-worker`) and how many run at once.
    pub lab_worker: PathBuf,
    pub lab_workers: usize,
    /// `--smtp-url` and `--mail-from`: self-service password reset mail.
    pub smtp_url: Option<String>,
    pub mail_from: String,
}

/// How the HTTP side behaves; each field is a `serve` flag.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Proxies of our own in front of the server (0: none). Client addresses
    /// for rate limits are read that many entries from the right of
    /// `X-Forwarded-For`; see [`security::ClientIp`].
    pub trusted_proxies: usize,
    /// The public origin (`https://academy.example.org`) if known: the only
    /// `Origin` a state-changing request may come from.
    pub public_origin: Option<String>,
    /// Longest wait for a response to start (then 503), and for a client to
    /// send its request headers.
    pub request_timeout: Duration,
    /// On shutdown, how long in-flight requests may finish before their
    /// connections are dropped.
    pub shutdown_grace: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            trusted_proxies: 0,
            public_origin: None,
            request_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// One SQL worker per core, at most 4: a run is CPU-bound and short.
pub fn default_lab_workers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

/// Runs every exercise's reference solution against its own check, in a
/// throwaway database and SQL workers of this binary; problems as
/// `file:line` (for `academy check-content`).
pub async fn check_exercises(
    store: &app::lessons::model::ContentStore,
) -> Vec<app::lessons::model::Problem> {
    let sandbox = app::labs::sql::Sandbox::new(
        std::env::current_exe().unwrap_or_else(|_| "academy".into()),
        default_lab_workers(),
    );
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            return vec![problem_at(
                "(temp)",
                0,
                format!("cannot make a scratch folder: {e}"),
            )]
        }
    };
    let url = app::db::DbUrl::Sqlite(dir.path().join("check.db"));
    let pool = match app::db::Db::open(&url).await {
        Ok(p) => p,
        Err(e) => {
            return vec![problem_at(
                "(temp)",
                0,
                format!("cannot open a scratch database: {e}"),
            )]
        }
    };
    if let Err(e) = pool.migrate().await {
        return vec![problem_at(
            "(temp)",
            0,
            format!("cannot migrate a scratch database: {e}"),
        )];
    }
    let found = app::labs::service::self_check_all(store, &sandbox, &pool).await;
    pool.close().await;
    found
        .into_iter()
        .map(|(file, line, message)| problem_at(&file, line, message))
        .collect()
}

fn problem_at(file: &str, line: usize, message: String) -> app::lessons::model::Problem {
    app::lessons::model::Problem {
        file: file.to_string(),
        line,
        message,
    }
}

impl Config {
    /// Defaults for a database and content folder (tests, tools).
    pub fn new(db: impl Into<app::db::DbUrl>, content: PathBuf, site_root: PathBuf) -> Config {
        Config {
            db: db.into(),
            content,
            site_root,
            watch: true,
            settings: app::state::Settings::default(),
            http: HttpSettings::default(),
            lab_worker: std::env::current_exe().unwrap_or_else(|_| "academy".into()),
            lab_workers: default_lab_workers(),
            smtp_url: None,
            mail_from: "Backend Academy <academy@localhost>".into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] app::db::DbError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Config(String),
    #[error("cannot load content: {0}")]
    Content(String),
}

/// Opens the database (migrating it) and builds the shared state.
pub async fn state(config: &Config) -> Result<AppState, StartError> {
    let pool = app::db::Db::open(&config.db).await?;
    pool.migrate().await?;
    // Search is an SQLite index of this instance's own content: in the
    // database file on SQLite, in a temporary file beside PostgreSQL.
    let (search, search_dir) = match &pool {
        app::db::Db::Sqlite(p) => (p.clone(), None),
        app::db::Db::Postgres(_) => {
            let (index, dir) = app::db::search_index().await?;
            (index, Some(dir))
        }
    };
    let bus = app::db::notify::Bus::start(&pool)
        .await
        .map_err(app::db::DbError::from)?;
    let root = config.content.clone();
    let started = std::time::Instant::now();
    let content = tokio::task::spawn_blocking(move || Content::load(&root))
        .await
        .map_err(|e| StartError::Content(e.to_string()))?;
    let loaded = started.elapsed();
    content
        .index(&search)
        .await
        .map_err(app::db::DbError::from)?;
    {
        let store = content.get();
        // Where start-up time goes: reading, rendering and highlighting
        // (`load_ms`), then the search index (`index_ms`).
        tracing::info!(
            lessons = store.lesson_count(),
            tracks = store.tracks.len(),
            problems = store.problems.len(),
            load_ms = loaded.as_millis() as u64,
            index_ms = (started.elapsed() - loaded).as_millis() as u64,
            ms = started.elapsed().as_millis() as u64,
            "content loaded and indexed"
        );
    }
    if config.watch {
        app::lessons::watch::spawn(content.clone(), search.clone());
    }
    let version = assets::version(&config.site_root.join("pkg"));
    let leptos_options = LeptosOptions::builder()
        .output_name("academy")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir(format!("pkg/{version}"))
        .build();
    let hasher = app::auth::password::Hasher::default();
    hasher.warm_up();
    let progress = app::progress::writer::ProgressWriter::start(pool.clone());
    progress.share(&bus);
    let sessions = app::auth::session_store::SessionCache::default();
    sessions.share(&bus, "sessions");
    let mailer = match &config.smtp_url {
        None => None,
        Some(_) if config.settings.public_url.is_none() => {
            return Err(StartError::Config(
                "--smtp-url needs --public-url: the reset links in the mail must name your site (never the address a request came in on)".into(),
            ))
        }
        Some(url) => Some(
            app::auth::mail::Mailer::new(url, &config.mail_from).map_err(StartError::Config)?,
        ),
    };
    let state = AppState::new(app::state::StateParts {
        mailer,
        leptos_options,
        pool: pool.clone(),
        search,
        search_dir,
        bus,
        content,
        settings: config.settings.clone(),
        hasher,
        progress,
        sessions,
        labs: app::labs::sql::Sandbox::new(config.lab_worker.clone(), config.lab_workers),
        quiz_key: app::quiz::db::quiz_key(&pool)
            .await
            .map_err(app::db::DbError::from)?
            .into(),
    });
    app::editor::publish::follow(&state).await;
    // An unreachable provider must not stop the server: retried in the background.
    if let Some(oidc) = &state.settings.oidc {
        oidc.spawn_discovery();
    }
    spawn_cleanup(state.pool.clone());
    Ok(state)
}

/// Deletes what has outlived its use: expired sessions, and sign-in
/// failures older than a day whose lock (if any) has ended. Run hourly.
pub async fn cleanup(pool: &app::db::Db) {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = DbStore::new(pool.clone(), Default::default());
    if let Err(e) = store.delete_expired().await {
        tracing::warn!(error = %e, "expired session cleanup failed");
    }
    match app::auth::db::purge_login_failures(pool).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(deleted = n, "old sign-in failures deleted"),
        Err(e) => tracing::warn!(error = %e, "sign-in failure cleanup failed"),
    }
    match app::labs::http::purge_expired(pool).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(deleted = n, "expired labs deleted"),
        Err(e) => tracing::warn!(error = %e, "expired lab cleanup failed"),
    }
}

fn spawn_cleanup(pool: app::db::Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            cleanup(&pool).await;
        }
    });
}

/// The app's routes, walked once per process.
///
/// Walking them (`generate_route_list`) sets leptos_server's process-wide
/// "suppress resource load" flag for its duration, and a Resource first
/// polled while the flag is set never resolves (leptos issue #4773). A walk
/// while another router serves requests (tests start many servers in one
/// process) could therefore leave a response waiting forever. Walked once,
/// before the first router exists, the flag is never set again while
/// anything renders.
pub fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The session cookie's name: with https, the `__Host-` prefix makes the
/// browser refuse it unless it is Secure, for this host only, on path `/`
/// (a sibling subdomain or a plain-http page cannot set or shadow it).
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-academy_session"
    } else {
        "academy_session"
    }
}

/// The whole HTTP application: pages, server functions, assets, middleware.
pub fn router(state: AppState, http: &HttpSettings) -> Router {
    let routes = routes();
    let client = security::ClientIp {
        trusted_proxies: http.trusted_proxies,
    };
    let same_origin = Arc::new(security::SameOrigin {
        public_origin: http.public_origin.clone(),
        behind_proxy: http.trusted_proxies > 0,
    });
    let options = state.leptos_options.clone();
    let pkg_dir = PathBuf::from(options.site_root.as_ref()).join("pkg");
    let version = options
        .site_pkg_dir
        .strip_prefix("pkg/")
        .unwrap_or("dev")
        .to_string();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/theme", post(app::ui::theme::handler::toggle_theme))
        .route("/lang", post(app::i18n::handler::choose))
        .route("/highlight.css", get(assets::highlight_css))
        .route("/favicon.svg", get(assets::favicon))
        .route(
            "/media/{track}/{*path}",
            get(app::lessons::media::serve_media),
        )
        .route(
            "/login",
            post(auth::login).layer(security::auth_rate_limit(client)),
        )
        .route(
            "/register",
            post(auth::register).layer(security::auth_rate_limit(client)),
        )
        .route(
            "/login/oidc",
            get(app::auth::oidc::begin).layer(security::auth_rate_limit(client)),
        )
        .route(
            "/login/oidc/callback",
            get(app::auth::oidc::callback).layer(security::auth_rate_limit(client)),
        )
        .route("/logout", post(auth::logout))
        .route(
            "/account/password",
            post(auth::change_password).layer(security::auth_rate_limit(client)),
        )
        .route("/account/sessions", post(auth::logout_everywhere))
        .route(
            "/login/2fa",
            post(auth::login_second_step).layer(security::auth_rate_limit(client)),
        )
        .route("/account/2fa/confirm", post(auth::confirm_two_factor))
        .route(
            "/account/2fa/disable",
            post(auth::disable_two_factor).layer(security::auth_rate_limit(client)),
        )
        .route("/admin/users/role", post(auth::set_role))
        .route(
            "/forgot",
            post(manage::forgot).layer(security::auth_rate_limit(client)),
        )
        .route(
            "/reset",
            post(manage::reset).layer(security::auth_rate_limit(client)),
        )
        .route("/admin/users/reset-link", post(manage::reset_link))
        .route("/admin/users/disable", post(manage::disable))
        .route("/admin/users/end-sessions", post(manage::end_sessions))
        .route("/admin/users/delete", post(manage::delete_user))
        .route("/account/sessions/end", post(manage::end_my_session))
        .route(
            "/account/delete",
            post(manage::delete_own).layer(security::auth_rate_limit(client)),
        )
        .route("/account/export", get(manage::export))
        .route("/progress/complete", post(progress::complete))
        .route(
            "/lessons/{track}/{lesson}/quiz",
            post(app::quiz::handlers::submit),
        )
        .route(
            "/lessons/{track}/{lesson}/exercises/{id}",
            post(app::labs::handlers::submit),
        )
        .route("/account/cohorts", post(progress::join))
        .route("/editor/_new", post(editor::new_lesson))
        .route("/editor/_tracks", post(editor::new_track))
        .route("/editor/{track}/_images", post(editor::upload_image))
        .route("/editor/{track}/{lesson}", post(editor::edit))
        .route("/editor/{track}/{lesson}/restore", post(editor::restore))
        .route("/editor/{track}/{lesson}/gift", post(editor::import_gift))
        .route("/instructor/cohorts", post(progress::create_cohort))
        .route(
            "/instructor/cohorts/{id}/export.csv",
            get(progress::export_csv),
        )
        .route(
            "/instructor/cohorts/{id}/quizzes.csv",
            get(app::quiz::handlers::stats_csv),
        )
        .route(
            "/instructor/cohorts/{id}/quizzes/mark",
            post(app::quiz::handlers::mark),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        // Inside `load_user`: it composes signed-in lesson pages.
        .layer(axum::middleware::from_fn_with_state(
            (page_cache::SkeletonCache::default(), state.clone()),
            page_cache::compose_signed_in,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            load_user,
        ))
        .layer(session_layer(&state))
        // Outside the session layer, so its saves know the client too.
        .layer(axum::middleware::from_fn_with_state(
            client,
            security::client_info,
        ))
        .layer(axum::middleware::from_fn_with_state(
            (page_cache::PageCache::default(), state.clone()),
            page_cache::serve_cached,
        ))
        .with_state(state.clone())
        .merge(assets::router(&pkg_dir, &version))
        .layer(axum::middleware::from_fn(security::server_fn_status))
        .layer(axum::middleware::from_fn_with_state(
            same_origin,
            security::refuse_cross_site,
        ))
        .layer(CompressionLayer::new())
        // The practice HTTP API of the labs: outside sessions, the
        // same-origin check and the page cache (a learner's curl sends no
        // cookie and no Origin, and a lab never touches an account), inside
        // the body limit, the headers, the time limit and the trace.
        .merge(lab_routes(&state))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // Pages set their own CSP with the response's nonce (see `app::shell`);
        // everything else (assets, errors) gets the same policy with no inline script.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&app::ui::csp(None)).expect("valid CSP"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            if state.settings.secure_cookies {
                HeaderValue::from_static("max-age=31536000; includeSubDomains")
            } else {
                // Only over https; an empty value is dropped below.
                HeaderValue::from_static("")
            },
        ))
        .layer(axum::middleware::map_response(drop_empty_hsts))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(axum::middleware::from_fn_with_state(
            http.request_timeout,
            security::time_limit,
        ))
        .layer(TraceLayer::new_for_http())
}

/// `/lab/{token}` and everything under it, any method: see
/// [`app::labs::http`]. Not compressed either: an answer's `ETag` names
/// exactly the bytes the lab sent.
fn lab_routes(state: &AppState) -> Router {
    let serve = any(app::labs::http::serve);
    Router::new()
        .route("/lab/{token}", serve.clone())
        .route("/lab/{token}/", serve.clone())
        .route("/lab/{token}/{*rest}", serve)
        .with_state(state.clone())
}

async fn drop_empty_hsts(mut resp: axum::response::Response) -> axum::response::Response {
    if resp
        .headers()
        .get(header::STRICT_TRANSPORT_SECURITY)
        .is_some_and(|v| v.is_empty())
    {
        resp.headers_mut().remove(header::STRICT_TRANSPORT_SECURITY);
    }
    resp
}

fn session_layer(state: &AppState) -> tower_sessions::SessionManagerLayer<DbStore> {
    let idle = time::Duration::seconds(state.settings.session_idle.as_secs() as i64);
    tower_sessions::SessionManagerLayer::new(DbStore::new(
        state.pool.clone(),
        state.sessions.clone(),
    ))
    .with_name(session_cookie_name(state.settings.secure_cookies))
    .with_path("/")
    .with_http_only(true)
    .with_same_site(tower_sessions::cookie::SameSite::Lax)
    .with_secure(state.settings.secure_cookies)
    .with_expiry(tower_sessions::Expiry::OnInactivity(idle))
}

/// Serves the app on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish for at most `http.shutdown_grace` and drops the
/// connections still open after that; finally closes the pool.
///
/// The accept loop is ours (hyper's HTTP/1 connection per task, in one
/// `JoinSet`) rather than `axum::serve`, whose graceful shutdown waits for
/// every connection with no limit and cannot drop them.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    http: HttpSettings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let pool = state.pool.clone();
    let bus = state.bus.clone();
    let app = router(state, &http);
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait, don't spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // Without TCP_NODELAY every streamed SSR response stalls ~40 ms
        // (Nagle + delayed ACK).
        let _ = tcp.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut req: Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        let mut stop = stop_rx.clone();
        let header_timeout = http.request_timeout;
        connections.spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(tcp), TowerToHyperService::new(service));
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => return,
                _ = stop.changed() => conn.as_mut().graceful_shutdown(),
            }
            let _ = conn.await;
        });
        // Forget finished connections so the set stays small.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let all_done = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(http.shutdown_grace, all_done)
        .await
        .is_err()
    {
        tracing::warn!(
            open = connections.len(),
            grace_s = http.shutdown_grace.as_secs_f64(),
            "connections still busy after the shutdown grace; dropping them"
        );
        connections.abort_all();
        while connections.join_next().await.is_some() {}
    }
    bus.close();
    tokio::time::timeout(Duration::from_secs(5), pool.close())
        .await
        .ok();
    tracing::info!("shut down cleanly");
    Ok(())
}

/// A future that resolves on SIGINT (Ctrl-C) or SIGTERM.
///
/// The handlers are installed when this is called, not when the future is
/// first polled: a signal that arrives between "listening" and the first
/// poll would otherwise kill the process without a clean shutdown.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (int, term) = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = wait(int) => {},
                _ = wait(term) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutdown signal received; finishing in-flight requests");
    }
}
