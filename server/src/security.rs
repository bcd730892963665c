//! Baseline protections: cross-site POSTs refused, security headers on
//! every response, and per-IP rate limits for sign-in and registration.

use std::{net::IpAddr, net::SocketAddr, sync::Arc};

use axum::{
    body::Body,
    extract::{ConnectInfo, Request},
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

/// Whether a state-changing request comes from another site, judged by
/// `Sec-Fetch-Site` (modern browsers) or else `Origin` against `Host`.
pub fn is_cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "cross-site";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false; // non-browser clients (curl, the CLI) send neither
    };
    if origin == "null" {
        return true;
    }
    let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or(origin);
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    !origin_host.eq_ignore_ascii_case(host)
}

pub async fn refuse_cross_site(req: Request, next: Next) -> axum::response::Response {
    if is_cross_site(req.method(), req.headers()) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return page(
            StatusCode::FORBIDDEN,
            "Request refused",
            "This form was sent from another website, so nothing was changed. Open Backend Academy directly and try again.",
        );
    }
    next.run(req).await
}

/// Server functions answer a payload they cannot decode with 500 and
/// `Args|…` / `Deserialization|…`; that is the caller's mistake, so it
/// becomes 400 with a sentence (and a log line), never a 5xx.
pub async fn server_fn_bad_input(req: Request, next: Next) -> axum::response::Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    if resp.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let malformed = ["Args|", "Deserialization|", "MissingArg|", "Request|"]
        .iter()
        .find_map(|p| text.strip_prefix(p));
    match malformed {
        Some(detail) => {
            tracing::info!(path = %path, detail = %detail, "malformed server function call");
            let detail: String = detail.chars().take(200).collect();
            (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!(
                    "Args|The request was malformed ({detail}). Reload the page and try again."
                ),
            )
                .into_response()
        }
        None => axum::response::Response::from_parts(parts, Body::from(bytes)),
    }
}

/// The client's IP: the socket peer, or with `--behind-proxy` the first
/// `X-Forwarded-For` address (only trust that behind your own proxy).
#[derive(Clone, Copy, Debug)]
pub struct ClientIp {
    pub behind_proxy: bool,
}

impl KeyExtractor for ClientIp {
    type Key = IpAddr;

    fn extract<T>(&self, req: &axum::http::Request<T>) -> Result<IpAddr, GovernorError> {
        if self.behind_proxy {
            if let Some(ip) = req
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse().ok())
            {
                return Ok(ip);
            }
        }
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ci| ci.0.ip())
            .ok_or(GovernorError::UnableToExtractKey)
    }
}

/// Sign-in and registration attempts per client IP: bursts of 10, then one
/// every 6 seconds (10 a minute).
pub fn auth_rate_limit(
    behind_proxy: bool,
) -> GovernorLayer<
    ClientIp,
    governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>,
    Body,
> {
    let config = GovernorConfigBuilder::default()
        .key_extractor(ClientIp { behind_proxy })
        .per_second(6)
        .burst_size(10)
        .finish()
        .expect("valid rate limit");
    GovernorLayer::new(Arc::new(config)).error_handler(|err| {
        let wait = match &err {
            GovernorError::TooManyRequests { wait_time, .. } => *wait_time,
            _ => 60,
        };
        tracing::warn!(wait, "rate limit hit");
        let mut resp: Response<Body> = page(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many attempts",
            &format!("Too many sign-in or registration attempts from your network. Wait {wait} seconds and try again."),
        );
        if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn cross_site_detection() {
        let post = Method::POST;
        assert!(is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[("sec-fetch-site", "same-origin")])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "academy.example")
            ])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[("origin", "null"), ("host", "a")])
        ));
        assert!(
            !is_cross_site(&post, &headers(&[])),
            "curl and the CLI send no Origin"
        );
        assert!(!is_cross_site(
            &Method::GET,
            &headers(&[("sec-fetch-site", "cross-site")])
        ));
    }
}
