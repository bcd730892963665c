//! Rendered HTML of anonymous pages, cached per content version.
//!
//! Most traffic is visitors reading lessons: the same HTML for everyone
//! until the content changes. The first visitor's response is kept (keyed
//! by path, theme and content version) and served to the next ones without
//! rendering or copying: the body is shared `Bytes`.
//!
//! A per-response nonce cannot survive caching (the same nonce would be
//! served to everyone), so a cached page's policy allows its inline scripts
//! by their SHA-256 hashes instead — computed once when the page is stored —
//! and no nonce at all. Signed-in readers (a session cookie) and every
//! non-GET request bypass the cache; a content reload changes the version
//! and empties it.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use app::{state::AppState, ui::theme::Theme};
use axum::{
    body::{to_bytes, Body, Bytes},
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
    body: Bytes,
    /// The Content-Security-Policy naming the body's inline scripts by hash.
    csp: HeaderValue,
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

/// The contents of the inline `<script>` elements of `html` (those without
/// `src`), as a browser hashes them for CSP.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        rest = &rest[start + 7..];
        let Some(tag_end) = rest.find('>') else { break };
        let attrs = &rest[..tag_end];
        rest = &rest[tag_end + 1..];
        let Some(close) = rest.find("</script>") else {
            break;
        };
        if !attrs.contains(" src=") {
            out.push(&rest[..close]);
        }
        rest = &rest[close + 9..];
    }
    out
}

/// ` 'sha256-…'` for each inline script of `html`.
fn script_hashes(html: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    inline_scripts(html)
        .into_iter()
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect()
}

fn respond(entry: Entry) -> Response {
    let mut resp = Response::new(Body::from(entry.body));
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CONTENT_SECURITY_POLICY, entry.csp);
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
        return respond(entry);
    }
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let csp = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|html| HeaderValue::from_str(&app::ui::csp_with(&script_hashes(html))).ok());
    if let Some(csp) = csp {
        let mut guard = cache.inner.write().unwrap_or_else(|p| p.into_inner());
        if guard.0 != version || guard.1.len() >= MAX_ENTRIES {
            guard.0 = version;
            guard.1.clear();
        }
        guard.1.insert(
            key,
            Entry {
                body: bytes.clone(),
                csp,
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
    fn inline_scripts_are_hashed_as_browsers_do() {
        let html = r#"<head><script type="module" nonce="n">import("/pkg/a.js")</script>
<script src="/pkg/x.js"></script><script nonce="n"></script></head>"#;
        assert_eq!(inline_scripts(html), vec![r#"import("/pkg/a.js")"#, ""]);
        // The CSP spec's example: sha256 of `alert('Hello, world.');`.
        assert_eq!(
            script_hashes("<script>alert('Hello, world.');</script>"),
            " 'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
        );
        assert_eq!(script_hashes("<p>no scripts</p>"), "");
    }
}
