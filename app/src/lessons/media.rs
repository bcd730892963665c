//! `GET /media/{track}/{*path}`: images next to a track's lessons. Only image
//! files, only inside the content root, never a lesson's markdown (quiz keys).

use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

use super::load::IMAGE_EXTENSIONS;
use crate::common::slug::is_slug;
use crate::state::AppState;

fn content_type(ext: &str) -> &'static str {
    match ext {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

pub async fn serve_media(
    State(state): State<AppState>,
    Path((track, path)): Path<(String, String)>,
) -> Response {
    let ext = std::path::Path::new(&path)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let safe_parts = path
        .split('/')
        .all(|p| !p.is_empty() && p != "." && p != ".." && !p.contains('\\') && !p.contains('\0'));
    if !is_slug(&track) || !safe_parts || !IMAGE_EXTENSIONS.contains(&ext.as_str()) {
        return (StatusCode::NOT_FOUND, "No such image.").into_response();
    }
    let root = state.content.root().to_path_buf();
    let file = root.join(&track).join(&path);
    // Symlinks must not lead outside the content root.
    let inside = match (std::fs::canonicalize(&root), std::fs::canonicalize(&file)) {
        (Ok(r), Ok(f)) => f.starts_with(r),
        _ => false,
    };
    if !inside {
        return (StatusCode::NOT_FOUND, "No such image.").into_response();
    }
    match tokio::fs::read(&file).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type(&ext)),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "No such image.").into_response(),
    }
}
