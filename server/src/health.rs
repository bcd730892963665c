//! `GET /healthz` for load balancers and monitoring.

use app::state::AppState;
use axum::{extract::State, http::StatusCode, Json};
use serde_json::{json, Value};

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.pool.version().await {
        Ok(version) => (
            StatusCode::OK,
            Json(json!({
                "status": "ok",
                "database": version,
                "version": env!("CARGO_PKG_VERSION"),
            })),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "error", "error": "database unreachable" })),
            )
        }
    }
}
