//! The `academy` server: configuration, the axum router with its middleware,
//! start-up and graceful shutdown. Business logic lives in the `app` crate.

pub mod assets;
pub mod cli;
pub mod health;

use std::{future::Future, path::PathBuf, time::Duration};

use app::{shell, state::AppState, App};
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
    #[error("server error: {0}")]
    Serve(std::io::Error),
}

/// Opens the database (migrating it) and builds the shared state.
pub async fn state(config: &Config) -> Result<AppState, StartError> {
    let pool = app::db::open(&config.db).await?;
    app::db::migrate(&pool).await?;
    let version = assets::version(&config.site_root.join("pkg"));
    let leptos_options = LeptosOptions::builder()
        .output_name("academy")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir(format!("pkg/{version}"))
        .build();
    Ok(AppState {
        leptos_options,
        pool,
    })
}

/// The whole HTTP application: pages, server functions, assets, middleware.
pub fn router(state: AppState) -> Router {
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
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .with_state(state)
        .merge(assets::router(&pkg_dir, &version))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
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

/// Serves `router` on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish and closes the pool.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    use axum::serve::ListenerExt;
    let pool = state.pool.clone();
    // Without TCP_NODELAY every streamed SSR response stalls ~40 ms (Nagle +
    // delayed ACK).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, router(state))
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
