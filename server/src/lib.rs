//! The `academy` server: configuration, the axum router with its middleware,
//! start-up and graceful shutdown. Business logic lives in the `app` crate.

pub mod assets;
pub mod cli;
pub mod health;
pub mod page_cache;
pub mod security;
pub mod users;

use std::{future::Future, path::PathBuf, time::Duration};

use app::{
    auth::{handlers as auth, session::server::load_user, session_store::SqliteStore},
    editor::handlers as editor,
    lessons::store::Content,
    progress::handlers as progress,
    shell,
    state::AppState,
    App,
};
use axum::{
    http::{header, HeaderValue},
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer,
    set_header::SetResponseHeaderLayer, trace::TraceLayer,
};

/// Largest request body accepted anywhere (lesson images are at most 2 MB).
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Everything `serve` needs, already resolved from flags and environment.
#[derive(Debug, Clone)]
pub struct Config {
    pub db: PathBuf,
    pub content: PathBuf,
    pub site_root: PathBuf,
    /// Reload content when files change (hot reload).
    pub watch: bool,
    pub settings: app::state::Settings,
    pub behind_proxy: bool,
}

impl Config {
    /// Defaults for a database and content folder (tests, tools).
    pub fn new(db: PathBuf, content: PathBuf, site_root: PathBuf) -> Config {
        Config {
            db,
            content,
            site_root,
            watch: true,
            settings: app::state::Settings::default(),
            behind_proxy: false,
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
    #[error("server error: {0}")]
    Serve(std::io::Error),
}

/// Opens the database (migrating it) and builds the shared state.
pub async fn state(config: &Config) -> Result<AppState, StartError> {
    let pool = app::db::open(&config.db).await?;
    app::db::migrate(&pool).await?;
    let root = config.content.clone();
    let started = std::time::Instant::now();
    let content = tokio::task::spawn_blocking(move || Content::load(&root))
        .await
        .map_err(|e| StartError::Content(e.to_string()))?;
    content.index(&pool).await.map_err(app::db::DbError::from)?;
    {
        let store = content.get();
        tracing::info!(
            lessons = store.lesson_count(),
            tracks = store.tracks.len(),
            problems = store.problems.len(),
            ms = started.elapsed().as_millis() as u64,
            "content loaded and indexed"
        );
    }
    if config.watch {
        app::lessons::watch::spawn(content.clone(), pool.clone());
    }
    let version = assets::version(&config.site_root.join("pkg"));
    let leptos_options = LeptosOptions::builder()
        .output_name("academy")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir(format!("pkg/{version}"))
        .build();
    let hasher = app::auth::password::Hasher::default();
    hasher.warm_up();
    let state = AppState::new(app::state::StateParts {
        leptos_options,
        pool: pool.clone(),
        content,
        settings: config.settings.clone(),
        hasher,
        progress: app::progress::writer::ProgressWriter::start(pool.clone()),
        sessions: Default::default(),
        quiz_key: app::quiz::db::quiz_key(&pool)
            .await
            .map_err(app::db::DbError::from)?
            .into(),
    });
    spawn_session_cleanup(state.pool.clone());
    Ok(state)
}

/// Deletes expired sessions every hour.
fn spawn_session_cleanup(pool: sqlx::SqlitePool) {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = SqliteStore::new(pool, Default::default());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "expired session cleanup failed");
            }
        }
    });
}

/// The whole HTTP application: pages, server functions, assets, middleware.
pub fn router(state: AppState, behind_proxy: bool) -> Router {
    let routes = generate_route_list(App);
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
        .route("/highlight.css", get(assets::highlight_css))
        .route("/favicon.svg", get(assets::favicon))
        .route(
            "/media/{track}/{*path}",
            get(app::lessons::media::serve_media),
        )
        .route(
            "/login",
            post(auth::login).layer(security::auth_rate_limit(behind_proxy)),
        )
        .route(
            "/register",
            post(auth::register).layer(security::auth_rate_limit(behind_proxy)),
        )
        .route("/logout", post(auth::logout))
        .route("/account/password", post(auth::change_password))
        .route("/account/sessions", post(auth::logout_everywhere))
        .route("/admin/users/role", post(auth::set_role))
        .route("/progress/complete", post(progress::complete))
        .route(
            "/lessons/{track}/{lesson}/quiz",
            post(app::quiz::handlers::submit),
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
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            load_user,
        ))
        .layer(session_layer(&state))
        .layer(axum::middleware::from_fn_with_state(
            (page_cache::PageCache::default(), state.clone()),
            page_cache::serve_cached,
        ))
        .with_state(state.clone())
        .merge(assets::router(&pkg_dir, &version))
        .layer(axum::middleware::from_fn(security::server_fn_bad_input))
        .layer(axum::middleware::from_fn(security::refuse_cross_site))
        .layer(CompressionLayer::new())
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
        .layer(TraceLayer::new_for_http())
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

fn session_layer(state: &AppState) -> tower_sessions::SessionManagerLayer<SqliteStore> {
    let idle = time::Duration::seconds(state.settings.session_idle.as_secs() as i64);
    tower_sessions::SessionManagerLayer::new(SqliteStore::new(
        state.pool.clone(),
        state.sessions.clone(),
    ))
    .with_name("academy_session")
    .with_http_only(true)
    .with_same_site(tower_sessions::cookie::SameSite::Lax)
    .with_secure(state.settings.secure_cookies)
    .with_expiry(tower_sessions::Expiry::OnInactivity(idle))
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish and closes the pool.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    behind_proxy: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    use axum::serve::ListenerExt;
    let pool = state.pool.clone();
    // Without TCP_NODELAY every streamed SSR response stalls ~40 ms (Nagle +
    // delayed ACK).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let app =
        router(state, behind_proxy).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(StartError::Serve)?;
    tokio::time::timeout(Duration::from_secs(5), pool.close())
        .await
        .ok();
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
