//! Rendered HTML of anonymous pages, cached per content version; and
//! signed-in lesson pages composed from a cached skeleton
//! ([`compose_signed_in`]).
//!
//! Most traffic is visitors reading lessons: the same HTML for everyone
//! until the content changes. The first visitor's response is kept (keyed
//! by path, theme, language and content version) and served to the next ones without
//! rendering or copying: the body is shared `Bytes`.
//!
//! A per-response nonce cannot survive caching (the same nonce would be
//! served to everyone), so a cached page's policy allows its inline scripts
//! by their SHA-256 hashes instead — computed once when the page is stored —
//! and no nonce at all. Only the scripts the shell emitted (those carrying
//! the response's own nonce) are hashed: were the sanitizer ever to let a
//! script through in a lesson, the cached policy would not allow it.
//!
//! What may be stored is decided from the response, never from the request's
//! text: only a page the app rendered for a visitor (no user, no session
//! data: [`RenderedForVisitor`]) that sets no cookie. A hit is served only to
//! requests whose cookies are all known not to matter (theme, language); anything
//! else renders, which costs time but can never show a visitor someone
//! else's page. A content reload changes the version and empties the cache.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use app::{
    auth::session::{server::MfaMissing, CurrentUser, RenderedForVisitor},
    i18n::Lang,
    lessons::compose::{self, Skeleton, WantSlots},
    state::AppState,
    ui::theme::Theme,
};
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

/// Pages of one content version, by (path, theme, language).
type Pages = (u64, HashMap<(String, Theme, Lang), Entry>);

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
            matches!(parts.as_slice(), ["lessons", t, l] if app::common::slug::is_slug(t) && app::common::slug::is_slug(l))
        }
}

/// Whether the request may be answered from the cache: it carries no cookie
/// but the theme and the language. A session cookie, however spelled (`academy_session =x`,
/// `academy%5Fsession=x`, a prefixed name), or a header that is not even
/// ASCII, means "render it".
fn may_use_cache(req: &Request) -> bool {
    req.headers().get_all(header::COOKIE).iter().all(|v| {
        v.to_str().is_ok_and(|c| {
            c.split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .all(|p| {
                    p.split_once('=').is_some_and(|(name, _)| {
                        name == app::ui::theme::COOKIE || name == app::i18n::COOKIE
                    })
                })
        })
    })
}

/// Whether a fresh response may be stored for everyone (see the module doc).
fn storable(resp: &Response) -> bool {
    resp.status() == StatusCode::OK
        && resp.extensions().get::<RenderedForVisitor>().is_some()
        && !resp.headers().contains_key(header::SET_COOKIE)
        && resp
            .headers()
            .get(header::CACHE_CONTROL)
            .is_none_or(|v| !v.as_bytes().windows(8).any(|w| w == b"no-store"))
}

/// The nonce a response's Content-Security-Policy allows (`'nonce-…'`).
fn policy_nonce(resp: &Response) -> Option<String> {
    let csp = resp
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)?
        .to_str()
        .ok()?;
    let start = csp.find("'nonce-")? + 7;
    let len = csp[start..].find('\'')?;
    Some(csp[start..start + len].to_string())
}

/// The contents of the inline `<script>` elements of `html` (those without
/// `src`) that carry `nonce="<nonce>"`, as a browser hashes them for CSP.
fn inline_scripts<'a>(html: &'a str, nonce: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    let own = format!(" nonce=\"{nonce}\"");
    while let Some(start) = rest.find("<script") {
        rest = &rest[start + 7..];
        let Some(tag_end) = rest.find('>') else { break };
        let attrs = &rest[..tag_end];
        rest = &rest[tag_end + 1..];
        let Some(close) = rest.find("</script>") else {
            break;
        };
        if !attrs.contains(" src=") && attrs.contains(&own) {
            out.push(&rest[..close]);
        }
        rest = &rest[close + 9..];
    }
    out
}

/// ` 'sha256-…'` for each inline script of `html` carrying `nonce`.
fn script_hashes(html: &str, nonce: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    inline_scripts(html, nonce)
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

/// The policy a cached copy of `html` is served with: the scripts the shell
/// emitted with `nonce`, by hash, and nothing else inline.
pub fn cached_policy(html: &str, nonce: &str) -> String {
    app::ui::csp_with(&script_hashes(html, nonce))
}

/// An HTML page from one of this module's caches: `marker` says which
/// (`x-page-cache: hit` or `composed`).
fn html_page(body: Body, csp: HeaderValue, marker: &'static str) -> Response {
    let mut resp = Response::new(body);
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    h.insert("x-page-cache", HeaderValue::from_static(marker));
    h.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
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
        || !may_use_cache(&req)
    {
        return next.run(req).await;
    }
    let theme = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Theme::from_cookie_header)
        .unwrap_or(Theme::Auto);
    // The language as the page will negotiate it: cookie, then
    // Accept-Language. Keyed on the outcome, not the header's text, so the
    // many spellings of "Spanish" share one entry.
    let lang = Lang::from_headers(req.headers());
    let key = (req.uri().path().to_string(), theme, lang);
    let version = state.content.get().version;
    let hit = {
        let guard = cache.inner.read().unwrap_or_else(|p| p.into_inner());
        (guard.0 == version)
            .then(|| guard.1.get(&key).cloned())
            .flatten()
    };
    if let Some(entry) = hit {
        return html_page(Body::from(entry.body), entry.csp, "hit");
    }
    let resp = next.run(req).await;
    if !storable(&resp) {
        return resp;
    }
    let Some(nonce) = policy_nonce(&resp) else {
        return resp;
    };
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let csp = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|html| HeaderValue::from_str(&cached_policy(html, &nonce)).ok());
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

/// Signed-in lesson pages by (path, theme, language, role), of one content
/// version: see [`app::lessons::compose`].
type Skeletons = (
    u64,
    HashMap<(String, Theme, Lang, &'static str), (Skeleton, HeaderValue)>,
);

#[derive(Clone, Default)]
pub struct SkeletonCache {
    inner: Arc<RwLock<Skeletons>>,
    fragments: compose::Fragments,
}

/// `/lessons/{track}/{lesson}` → (track, lesson).
fn lesson_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/lessons/")?;
    let (track, lesson) = rest.split_once('/')?;
    (app::common::slug::is_slug(track) && app::common::slug::is_slug(lesson))
        .then_some((track, lesson))
}

/// A signed-in learner's lesson page: the cached skeleton of its key with
/// the learner's quiz and progress parts in its slots. On a miss the page
/// is rendered once with slots ([`WantSlots`]), kept, and filled the same
/// way. Runs inside `load_user` (it needs the user); anything it does not
/// recognise (a visitor, a query string, an unknown lesson, a user who must
/// enrol in two-factor first) renders as before.
pub async fn compose_signed_in(
    State((cache, state)): State<(SkeletonCache, AppState)>,
    req: Request,
    next: Next,
) -> Response {
    let Some(user) = (req.method() == Method::GET && req.uri().query().is_none())
        .then(|| {
            req.extensions()
                .get::<CurrentUser>()
                .and_then(|c| c.0.clone())
        })
        .flatten()
        .filter(|_| req.extensions().get::<MfaMissing>().is_none())
    else {
        return next.run(req).await;
    };
    let path = req.uri().path().to_string();
    let Some((track, slug)) = lesson_path(&path) else {
        return next.run(req).await;
    };
    let lang = Lang::from_headers(req.headers());
    let store = state.content.get();
    // Drafts are the full render's business (a learner gets "not found").
    let Some(lesson) = store
        .lesson_in(track, slug, lang)
        .filter(|(l, _)| !l.meta.draft)
        .map(|(l, _)| l.clone())
    else {
        return next.run(req).await;
    };
    let theme = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Theme::from_cookie_header)
        .unwrap_or(Theme::Auto);
    let parts = match compose::learner_parts(&state, &user, lesson).await {
        Ok(p) => p,
        // The full render shows the same failure its own way.
        Err(_) => return next.run(req).await,
    };
    let key = (path, theme, lang, user.role.as_str());
    let hit = {
        let guard = cache.inner.read().unwrap_or_else(|p| p.into_inner());
        (guard.0 == store.version)
            .then(|| guard.1.get(&key).cloned())
            .flatten()
    };
    let (request, body) = req.into_parts();
    if let Some((skeleton, csp)) = hit {
        let rendered = parts.render(&state, &request, lang, &cache.fragments, store.version);
        return html_page(Body::from(skeleton.fill(&rendered)), csp, "composed");
    }
    let mut req = Request::from_parts(request.clone(), body);
    req.extensions_mut().insert(WantSlots);
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK {
        return resp;
    }
    let Some(nonce) = policy_nonce(&resp) else {
        return resp;
    };
    let (head, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return Response::from_parts(head, Body::empty());
    };
    let cut = std::str::from_utf8(&bytes).ok().and_then(|html| {
        let skeleton = Skeleton::cut(html)?;
        let csp = HeaderValue::from_str(&cached_policy(html, &nonce)).ok()?;
        Some((skeleton, csp))
    });
    let Some((skeleton, csp)) = cut else {
        tracing::warn!(path = %key.0, "a signed-in lesson page came without its slots; not composed");
        return Response::from_parts(head, Body::from(bytes));
    };
    {
        let mut guard = cache.inner.write().unwrap_or_else(|p| p.into_inner());
        if guard.0 != store.version || guard.1.len() >= MAX_ENTRIES {
            guard.0 = store.version;
            guard.1.clear();
        }
        guard.1.insert(key, (skeleton.clone(), csp.clone()));
    }
    let rendered = parts.render(&state, &request, lang, &cache.fragments, store.version);
    html_page(Body::from(skeleton.fill(&rendered)), csp, "composed")
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
    fn only_the_shells_scripts_are_hashed_as_browsers_do() {
        let html = r#"<head><script type="module" nonce="n">import("/pkg/a.js")</script>
<script src="/pkg/x.js"></script><script nonce="n"></script></head><body><script>alert(1)</script><script nonce="other">alert(2)</script></body>"#;
        assert_eq!(
            inline_scripts(html, "n"),
            vec![r#"import("/pkg/a.js")"#, ""]
        );
        // The CSP spec's example: sha256 of `alert('Hello, world.');`.
        assert_eq!(
            script_hashes("<script nonce=\"n\">alert('Hello, world.');</script>", "n"),
            " 'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
        );
        assert_eq!(
            script_hashes("<script>alert('Hello, world.');</script>", "n"),
            ""
        );
        assert_eq!(script_hashes("<p>no scripts</p>", "n"), "");
    }

    #[test]
    fn only_theme_cookies_may_be_served_from_the_cache() {
        let req = |cookie: &[u8]| {
            let mut r = Request::new(Body::empty());
            r.headers_mut()
                .insert(header::COOKIE, HeaderValue::from_bytes(cookie).unwrap());
            r
        };
        assert!(may_use_cache(&Request::new(Body::empty())));
        assert!(may_use_cache(&req(b"theme=dark")));
        for c in [
            &b"academy_session=x"[..],
            b"academy_session =x",
            b"academy%5Fsession=x",
            b"theme=dark; __Host-academy_session=x",
            b"theme=dark; a=\xc3\xa9",
            b"junk",
        ] {
            assert!(!may_use_cache(&req(c)), "{}", String::from_utf8_lossy(c));
        }
    }
}
