//! Rendered HTML of anonymous pages, cached per content version.
//!
//! Most traffic is visitors reading lessons: the same HTML for everyone
//! until the content changes. The first visitor's response is kept (keyed
//! by path, theme and content version) and served to the next ones without
//! rendering. Each hit gets a fresh CSP nonce: the cached body's nonce is
//! replaced, so the Content-Security-Policy stays per-response. Signed-in
//! readers (a session cookie) and every non-GET request bypass the cache;
//! a content reload changes the version and empties it.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use app::{state::AppState, ui::theme::Theme};
use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::Response,
};

/// Largest page kept (bytes) and most pages kept.
const MAX_BODY: usize = 512 * 1024;
const MAX_ENTRIES: usize = 2_000;

#[derive(Clone)]
struct Entry {
    body: Arc<str>,
    nonce: Arc<str>,
}

/// Pages of one content version, by (path, theme).
type Pages = (u64, HashMap<(String, Theme), Entry>);

#[derive(Clone, Default)]
pub struct PageCache {
    inner: Arc<RwLock<Pages>>,
}

/// Whether `path` is a page every visitor sees the same.
pub fn cacheable_path(path: &str) -> bool {
    path == "/"
        || path == "/lessons"
        || path == "/salaries"
        || {
            let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
            matches!(parts.as_slice(), ["lessons", t, l] if app::lessons::model::is_slug(t) && app::lessons::model::is_slug(l))
        }
}

fn has_session(req: &Request) -> bool {
    req.headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| {
            c.split(';')
                .any(|p| p.trim_start().starts_with("academy_session="))
        })
}

fn new_nonce() -> String {
    let b: [u8; 16] = app::ui::random_bytes();
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(22);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for byte in b {
        acc = (acc << 8) | byte as u32;
        bits += 8;
        while bits >= 6 {
            bits -= 6;
            out.push(T[((acc >> bits) & 63) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(T[((acc << (6 - bits)) & 63) as usize] as char);
    }
    out
}

fn nonce_of(csp: &str) -> Option<&str> {
    let start = csp.find("'nonce-")? + 7;
    let end = start + csp[start..].find('\'')?;
    Some(&csp[start..end])
}

fn respond(body: String, nonce: &str) -> Response {
    let mut resp = Response::new(Body::from(body));
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&app::ui::csp(Some(nonce))) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert("x-page-cache", HeaderValue::from_static("hit"));
    resp
}

pub async fn serve_cached(
    State((cache, state)): State<(PageCache, AppState)>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::GET
        || req.uri().query().is_some()
        || !cacheable_path(req.uri().path())
        || has_session(&req)
    {
        return next.run(req).await;
    }
    let theme = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Theme::from_cookie_header)
        .unwrap_or(Theme::Auto);
    let key = (req.uri().path().to_string(), theme);
    let version = state.content.get().version;
    let hit = {
        let guard = cache.inner.read().unwrap_or_else(|p| p.into_inner());
        (guard.0 == version)
            .then(|| guard.1.get(&key).cloned())
            .flatten()
    };
    if let Some(entry) = hit {
        let nonce = new_nonce();
        return respond(entry.body.replace(&*entry.nonce, &nonce), &nonce);
    }
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK {
        return resp;
    }
    let nonce = resp
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(nonce_of)
        .map(str::to_string);
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let (Some(nonce), Ok(text)) = (nonce, std::str::from_utf8(&bytes)) {
        let mut guard = cache.inner.write().unwrap_or_else(|p| p.into_inner());
        if guard.0 != version || guard.1.len() >= MAX_ENTRIES {
            guard.0 = version;
            guard.1.clear();
        }
        guard.1.insert(
            key,
            Entry {
                body: text.into(),
                nonce: nonce.into(),
            },
        );
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_shared_pages_are_cacheable() {
        for p in ["/", "/lessons", "/lessons/databases/indexes", "/salaries"] {
            assert!(cacheable_path(p), "{p}");
        }
        for p in [
            "/dashboard",
            "/search",
            "/lessons/a/b/quiz",
            "/editor",
            "/lessons/A/b",
            "/api/search",
        ] {
            assert!(!cacheable_path(p), "{p}");
        }
    }

    #[test]
    fn nonces_are_fresh_and_found() {
        let a = new_nonce();
        assert_eq!(a.len(), 22);
        assert_ne!(a, new_nonce());
        assert_eq!(
            nonce_of("script-src 'self' 'nonce-abc_123' x"),
            Some("abc_123")
        );
        assert_eq!(nonce_of("script-src 'self'"), None);
    }
}
