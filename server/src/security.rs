//! Baseline protections: cross-site POSTs refused, security headers on
//! every response, and per-IP rate limits for sign-in and registration.

use std::{net::IpAddr, net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    body::Body,
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode},
    middleware::Next,
    response::IntoResponse,
};
use tower_governor::{
    governor::GovernorConfigBuilder, key_extractor::KeyExtractor, GovernorError, GovernorLayer,
};

/// A short HTML page with a status and a sentence.
pub fn page(status: StatusCode, title: &str, sentence: &str) -> axum::response::Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · Backend Academy</title></head><body><main><h1>{title}</h1><p>{sentence}</p><p><a href=\"/\">Backend Academy home</a></p></main></body></html>"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Where browser forms may come from: the one origin this site is served at.
#[derive(Clone, Debug, Default)]
pub struct SameOrigin {
    /// The public origin (`https://academy.example.org`) when `--public-url`
    /// is set; otherwise the request's own `Host` over plain http (or the
    /// scheme a trusted proxy names in `X-Forwarded-Proto`).
    pub public_origin: Option<String>,
    /// Whether `X-Forwarded-Proto` comes from our own proxy.
    pub behind_proxy: bool,
}

impl SameOrigin {
    fn expected(&self, headers: &HeaderMap) -> Option<String> {
        if let Some(origin) = &self.public_origin {
            return Some(origin.clone());
        }
        let host = headers.get(header::HOST)?.to_str().ok()?;
        let scheme = self
            .behind_proxy
            .then(|| headers.get("x-forwarded-proto")?.to_str().ok())
            .flatten()
            .filter(|p| matches!(*p, "http" | "https"))
            .unwrap_or("http");
        Some(format!("{scheme}://{host}"))
    }
}

/// The public origin of a `--public-url` (scheme, host and port; no path),
/// lower-cased as browsers send it in `Origin`.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (matches!(scheme, "http" | "https") && !host.is_empty()).then(|| {
        format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            host.to_ascii_lowercase()
        )
    })
}

/// Why a state-changing request is refused as cross-site, if it is.
///
/// Only same-origin requests may change anything: `Sec-Fetch-Site` must be
/// `same-origin` (or `none`, a URL typed by the user); without it, `Origin`
/// must equal this site's origin, scheme included. A request that sends
/// neither but carries a cookie is refused too: every browser since 2020
/// sends one of them on a POST, so such a request is a forgery or a very old
/// browser, and it must not act with the cookie's authority. Clients that
/// send no cookie (curl, scripts) are not affected.
pub fn cross_site_reason(
    method: &Method,
    headers: &HeaderMap,
    same: &SameOrigin,
) -> Option<&'static str> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        return match site.to_str() {
            Ok("same-origin" | "none") => None,
            _ => Some("Sec-Fetch-Site is not same-origin"),
        };
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("null").to_ascii_lowercase();
        let expected = same.expected(headers).map(|e| e.to_ascii_lowercase());
        return match expected {
            Some(e) if e == origin => None,
            _ => Some("Origin is not this site"),
        };
    }
    if headers.contains_key(header::COOKIE) {
        return Some("a cookie without Origin or Sec-Fetch-Site");
    }
    None
}

/// Refuses cross-site state changes with 403 and a sentence (see
/// [`cross_site_reason`]).
pub async fn refuse_cross_site(
    State(same): State<Arc<SameOrigin>>,
    req: Request,
    next: Next,
) -> axum::response::Response {
    if let Some(reason) = cross_site_reason(req.method(), req.headers(), &same) {
        tracing::warn!(path = %req.uri().path(), reason, "cross-site request refused");
        return page(
            StatusCode::FORBIDDEN,
            "Request refused",
            "This form was sent from another website, so nothing was changed. Open Backend Academy directly and try again.",
        );
    }
    next.run(req).await
}

/// Server functions return `Result<_, AppError>`; leptos answers every
/// error with 500 and the error as JSON. This gives the response the
/// error's own status (a malformed payload is 400, a missing sign-in 401, a
/// refused role 403), with a log line for the caller's mistakes. Their
/// answers are about one user, so no cache may keep them (`no-store`).
pub async fn server_fn_status(req: Request, next: Next) -> axum::response::Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let mut resp = next.run(req).await;
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if resp.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = err.status();
        if err.status().is_client_error() {
            tracing::info!(path = %path, status = err.status().as_u16(), error = %err, "server function refused");
        }
    }
    axum::response::Response::from_parts(parts, Body::from(bytes))
}

/// The client's IP for rate limits.
///
/// Without trusted proxies it is the socket peer. Behind `trusted_proxies`
/// proxies of our own, each appends the address it received the request
/// from to `X-Forwarded-For`, so the client is the entry that many places
/// from the right; everything left of it was written by the client and is
/// ignored (a client choosing its own key would get a fresh rate-limit
/// bucket with every request).
#[derive(Clone, Copy, Debug)]
pub struct ClientIp {
    pub trusted_proxies: usize,
}

impl ClientIp {
    /// The client address named by `x_forwarded_for` behind this many proxies.
    pub fn from_forwarded(&self, x_forwarded_for: &str) -> Option<IpAddr> {
        if self.trusted_proxies == 0 {
            return None;
        }
        let hops: Vec<&str> = x_forwarded_for.split(',').map(str::trim).collect();
        // Fewer entries than proxies: all of them were written by our proxies.
        let i = hops.len().saturating_sub(self.trusted_proxies);
        hops.get(i)?.parse().ok()
    }
}

impl KeyExtractor for ClientIp {
    type Key = IpAddr;

    fn extract<T>(&self, req: &axum::http::Request<T>) -> Result<IpAddr, GovernorError> {
        if self.trusted_proxies > 0 {
            // Several headers are one list, in order.
            let joined = req
                .headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
                .join(",");
            if let Some(ip) = self.from_forwarded(&joined) {
                return Ok(ip);
            }
        }
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ci| ci.0.ip())
            .ok_or(GovernorError::UnableToExtractKey)
    }
}

type Limits = tower_governor::governor::GovernorConfig<
    ClientIp,
    governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>,
>;

/// A rate-limit configuration: bursts of `burst`, then one every `period`.
pub fn limits(client: ClientIp, period: Duration, burst: u32) -> Arc<Limits> {
    Arc::new(
        GovernorConfigBuilder::default()
            .key_extractor(client)
            .period(period)
            .burst_size(burst)
            .finish()
            .expect("valid rate limit"),
    )
}

/// Forgets the addresses whose bucket has refilled, so the limiter's memory
/// stays bounded by the clients of the last minute, not all clients ever.
/// Returns how many addresses are still remembered.
pub fn prune(limits: &Limits) -> usize {
    limits.limiter().retain_recent();
    limits.limiter().shrink_to_fit();
    limits.limiter().len()
}

/// Prunes `limits` every minute for as long as a router uses them.
fn spawn_pruning(limits: &Arc<Limits>) {
    let weak = Arc::downgrade(limits);
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        rt.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(limits) = weak.upgrade() else { break };
                let kept = prune(&limits);
                tracing::debug!(kept, "rate-limit keys pruned");
            }
        });
    }
}

/// Sign-in, registration and password-change attempts per client IP:
/// bursts of 10, then one every 6 seconds (10 a minute). Each route has its
/// own buckets.
pub fn auth_rate_limit(
    client: ClientIp,
) -> GovernorLayer<
    ClientIp,
    governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>,
    Body,
> {
    let config = limits(client, Duration::from_secs(6), 10);
    spawn_pruning(&config);
    GovernorLayer::new(config).error_handler(|err| {
        let wait = match &err {
            GovernorError::TooManyRequests { wait_time, .. } => *wait_time,
            _ => 60,
        };
        tracing::warn!(wait, "rate limit hit");
        let mut resp: Response<Body> = page(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many attempts",
            &format!("Too many sign-in, registration or password attempts from your network. Wait {wait} seconds and try again."),
        );
        if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    })
}

/// Every response must start within `limit`. A request past it is answered
/// 503 with a sentence and logged with its path, so a stuck render (a
/// Resource that never resolves, a lock never released) costs one slow
/// answer, never a connection that waits forever.
pub async fn time_limit(
    State(limit): State<Duration>,
    req: Request,
    next: Next,
) -> axum::response::Response {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => {
            tracing::error!(%method, path, limit_ms = limit.as_millis() as u64, "response did not start within the time limit");
            let mut resp = page(
                StatusCode::SERVICE_UNAVAILABLE,
                "This took too long",
                "The server could not prepare this page in time, so it stopped trying. Try again in a moment; if it keeps happening, tell the site's administrator.",
            );
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            resp
        }
    }
}

/// Puts the request's [`app::common::client::Client`] into its extensions:
/// the address as the rate limits see it (see [`ClientIp`]) and the
/// browser, for the session list and the audit log.
pub async fn client_info(
    axum::extract::State(client): axum::extract::State<ClientIp>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let ip = client
        .extract(&req)
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    let user_agent = req
        .headers()
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(200).collect())
        .unwrap_or_default();
    let lang = app::i18n::Lang::from_headers(req.headers());
    let found = app::common::client::Client {
        ip,
        user_agent,
        lang,
    };
    req.extensions_mut().insert(found.clone());
    app::common::client::CLIENT
        .scope(found, next.run(req))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn only_same_origin_may_change_anything() {
        let post = Method::POST;
        let same = SameOrigin::default();
        let refused = |pairs: &[(&str, &str)]| cross_site_reason(&post, &headers(pairs), &same);
        assert!(refused(&[("sec-fetch-site", "cross-site")]).is_some());
        assert!(refused(&[("sec-fetch-site", "same-site")]).is_some());
        assert!(refused(&[("sec-fetch-site", "same-origin")]).is_none());
        assert!(refused(&[("sec-fetch-site", "none")]).is_none());
        let host = ("host", "127.0.0.1:3000");
        assert!(refused(&[("origin", "https://evil.example"), host]).is_some());
        assert!(refused(&[("origin", "http://127.0.0.1:3000"), host]).is_none());
        // The scheme counts.
        assert!(refused(&[("origin", "https://127.0.0.1:3000"), host]).is_some());
        assert!(refused(&[("origin", "null"), host]).is_some());
        assert!(refused(&[]).is_none(), "curl and the CLI send no Origin");
        assert!(refused(&[("cookie", "academy_session=x")]).is_some());
        assert!(cross_site_reason(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")]),
            &same
        )
        .is_none());
        let public = SameOrigin {
            public_origin: origin_of("https://Academy.example.org/"),
            behind_proxy: true,
        };
        let h = headers(&[
            ("origin", "https://academy.example.org"),
            ("host", "internal:3000"),
        ]);
        assert!(cross_site_reason(&post, &h, &public).is_none());
        let h = headers(&[
            ("origin", "http://academy.example.org"),
            ("host", "academy.example.org"),
        ]);
        assert!(cross_site_reason(&post, &h, &public).is_some());
    }

    #[test]
    fn the_client_is_counted_from_the_right() {
        let one = ClientIp { trusted_proxies: 1 };
        let two = ClientIp { trusted_proxies: 2 };
        let none = ClientIp { trusted_proxies: 0 };
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(one.from_forwarded("6.6.6.6, 10.0.0.7"), ip("10.0.0.7"));
        assert_eq!(one.from_forwarded("10.0.0.7"), ip("10.0.0.7"));
        assert_eq!(
            two.from_forwarded("6.6.6.6, 10.0.0.7, 172.16.0.1"),
            ip("10.0.0.7")
        );
        assert_eq!(two.from_forwarded("10.0.0.7"), ip("10.0.0.7"));
        assert_eq!(none.from_forwarded("10.0.0.7"), None);
        assert_eq!(one.from_forwarded("6.6.6.6, not-an-ip"), None);
    }

    #[test]
    fn pruning_forgets_refilled_buckets() {
        let config = limits(ClientIp { trusted_proxies: 0 }, Duration::from_millis(1), 1);
        for i in 0..100u8 {
            let _ = config.limiter().check_key(&IpAddr::from([10, 0, 0, i]));
        }
        assert_eq!(config.limiter().len(), 100);
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(prune(&config), 0);
    }
}
