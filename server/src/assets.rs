//! The built JS, WASM and CSS under `<site-root>/pkg`.
//!
//! At start-up the files are hashed and served under `/pkg/<hash>/…` with
//! `Cache-Control: immutable`: a new build gives a new URL, so browsers never
//! keep a stale bundle and never re-ask for a current one. Precompressed
//! `.br` / `.gz` siblings written by `make build` are served when present.

use std::path::Path;

use axum::{http::HeaderValue, Router};
use sha2::{Digest, Sha256};
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

/// A short hash over the names and bytes of the files in `pkg_dir`; `"dev"`
/// when the folder is missing (tests and first runs before a build).
pub fn version(pkg_dir: &Path) -> String {
    let Ok(entries) = std::fs::read_dir(pkg_dir) else {
        return "dev".to_string();
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    if files.is_empty() {
        return "dev".to_string();
    }
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        if let Ok(bytes) = std::fs::read(&file) {
            hasher.update(&bytes);
        }
    }
    let digest = hasher.finalize();
    digest[..6].iter().map(|b| format!("{b:02x}")).collect()
}

/// Routes `/pkg/<version>/…` to the files, cached for a year.
pub fn router<S: Clone + Send + Sync + 'static>(pkg_dir: &Path, version: &str) -> Router<S> {
    let files = ServeDir::new(pkg_dir)
        .precompressed_br()
        .precompressed_gzip();
    Router::new().nest_service(
        &format!("/pkg/{version}"),
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                axum::http::header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ))
            .service(files),
    )
}

/// The site icon: a small inline SVG, so there is no binary file to ship.
pub async fn favicon() -> impl axum::response::IntoResponse {
    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b6e4f"/><path d="M9 23V9h7a4 4 0 0 1 0 8H9m7 0 6 6" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>"##;
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        SVG,
    )
}

/// The code-highlighting stylesheet (light and dark), generated once.
pub async fn highlight_css() -> impl axum::response::IntoResponse {
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let css = CSS.get_or_init(app::lessons::render::highlight_css).clone();
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        css,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_changes_with_content() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(version(&dir.path().join("missing")), "dev");
        std::fs::write(dir.path().join("a.js"), "one").unwrap();
        let v1 = version(dir.path());
        assert_eq!(v1.len(), 12);
        assert_eq!(v1, version(dir.path()), "stable for the same bytes");
        std::fs::write(dir.path().join("a.js"), "two").unwrap();
        assert_ne!(v1, version(dir.path()));
    }
}
