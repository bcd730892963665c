//! The practice API itself: routing a [`LabRequest`] to its resource and
//! answering as the spec says (status codes, ETags and preconditions,
//! pagination, idempotency keys, bearer auth).
//!
//! Checks run in the order of RFC 9110 §13.2.1: the resource must exist
//! (404) before its preconditions are evaluated (412), and preconditions
//! come before anything about the request's content (415, 400, 422).

use http::{header, HeaderMap, HeaderName, Method, StatusCode};
use serde::Serialize;
use sha2::{Digest, Sha256};
use crate::db::{Db, Tx};

use super::{
    db,
    item::{self, BodyError, Fields, Item},
    limits,
    respond::{self, problem, JSON},
    HistoryEntry, LabRequest, LabResponse, RECORDED_VALUES,
};

/// The answer to `req` on lab `token`, recorded in its history; `None`
/// when the token is unknown or expired (nothing is recorded then).
pub async fn answer(
    pool: &Db,
    token: &str,
    req: &LabRequest,
    now: i64,
) -> Result<Option<LabResponse>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let Some(window) = db::touch(&mut tx, token, now).await? else {
        return Ok(None);
    };
    let resp = if window.window_count > limits::REQUESTS_PER_MINUTE {
        let wait = (window.window_start + limits::WINDOW_SECS - now).max(1);
        problem(
            StatusCode::TOO_MANY_REQUESTS,
            &format!(
                "This lab takes at most {} requests a minute. Wait {wait} seconds (see Retry-After) and try again.",
                limits::REQUESTS_PER_MINUTE
            ),
        )
        .with(header::RETRY_AFTER, &wait.to_string())
    } else if req.body.len() > limits::MAX_BODY {
        problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is larger than this lab accepts (16 KiB, 16384 bytes).",
        )
    } else {
        route(&mut tx, token, req, now).await?
    };
    let resp = respond::finish(resp);
    db::record(&mut tx, token, &entry(req, &resp, now)).await?;
    tx.commit().await?;
    Ok(Some(resp))
}

/// What the history keeps of one exchange.
fn entry(req: &LabRequest, resp: &LabResponse, now: i64) -> HistoryEntry {
    const MAX_TEXT: usize = 512;
    let cut = |s: &str| -> String {
        let mut end = s.len().min(MAX_TEXT);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s[..end].to_string()
    };
    let mut request_headers: Vec<(String, Option<String>)> = Vec::new();
    for (name, value) in &req.headers {
        let name = name.as_str();
        if request_headers.iter().any(|(n, _)| n == name) || request_headers.len() >= 64 {
            continue;
        }
        let value = RECORDED_VALUES
            .contains(&name)
            .then(|| cut(&String::from_utf8_lossy(value.as_bytes())));
        request_headers.push((name.to_string(), value));
    }
    let mut response_headers: Vec<String> = Vec::new();
    for name in resp.headers.keys() {
        response_headers.push(name.as_str().to_string());
    }
    HistoryEntry {
        at: now,
        method: cut(req.method.as_str()),
        path: cut(&req.path),
        query: req.query.as_deref().map(cut),
        request_headers,
        status: resp.status.as_u16(),
        response_headers,
    }
}

// ---------------------------------------------------------------- routing

/// The resources of the practice API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resource {
    Items,
    /// `None` for a segment that is not an id (`/items/abc`): no such item.
    Item(Option<i64>),
    Whoami,
    Admin,
}

impl Resource {
    fn of(path: &str) -> Option<Resource> {
        let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
        match segments.as_slice() {
            ["items"] => Some(Resource::Items),
            ["items", id] => Some(Resource::Item(id.parse::<i64>().ok().filter(|id| *id > 0))),
            ["whoami"] => Some(Resource::Whoami),
            ["admin"] => Some(Resource::Admin),
            _ => None,
        }
    }

    fn allow(self) -> &'static str {
        match self {
            Resource::Items => "GET, HEAD, POST, OPTIONS",
            Resource::Item(_) => "GET, HEAD, PUT, PATCH, DELETE, OPTIONS",
            Resource::Whoami | Resource::Admin => "GET, HEAD, OPTIONS",
        }
    }

    fn allows(self, method: &Method) -> bool {
        self.allow().split(", ").any(|m| m == method.as_str())
    }
}

async fn route(
    conn: &mut Tx,
    token: &str,
    req: &LabRequest,
    now: i64,
) -> Result<LabResponse, sqlx::Error> {
    let Some(resource) = Resource::of(&req.path) else {
        return Ok(problem(
            StatusCode::NOT_FOUND,
            &format!(
                "There is no {} in this lab. Its paths are /items, /items/{{id}}, /whoami and /admin.",
                req.path
            ),
        ));
    };
    if !resource.allows(&req.method) {
        return Ok(problem(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!(
                "{} does not answer {}; see Allow for the methods it does.",
                req.path, req.method
            ),
        )
        .with(header::ALLOW, resource.allow()));
    }
    if req.method == Method::OPTIONS {
        let resp = LabResponse::empty(StatusCode::NO_CONTENT).with(header::ALLOW, resource.allow());
        return Ok(match resource {
            Resource::Items => resp.with(HeaderName::from_static("accept-post"), JSON),
            Resource::Item(_) => resp.with(
                HeaderName::from_static("accept-patch"),
                "application/merge-patch+json",
            ),
            _ => resp,
        });
    }
    if req.method == Method::HEAD {
        // HEAD is GET without the body (RFC 9110 §9.3.2); the length says
        // what GET would have sent.
        let mut resp = get(conn, token, resource, req).await?;
        if !resp.body.is_empty() {
            let len = resp.body.len().to_string();
            resp = resp.with(header::CONTENT_LENGTH, &len);
            resp.body.clear();
        }
        return Ok(resp);
    }
    match (resource, &req.method) {
        (Resource::Items, &Method::POST) => create(conn, token, req, now).await,
        (Resource::Item(id), &Method::PUT | &Method::PATCH | &Method::DELETE) => {
            let Some(current) = found(conn, token, id).await? else {
                return Ok(no_item(&req.path));
            };
            if !if_match(&req.headers, &current.etag) {
                return Ok(precondition_failed());
            }
            if req.method == Method::DELETE {
                return Ok(
                    if db::delete_item(conn, token, current.id, &current.etag).await? {
                        LabResponse::empty(StatusCode::NO_CONTENT)
                    } else {
                        precondition_failed()
                    },
                );
            }
            update(conn, token, req, current).await
        }
        _ => get(conn, token, resource, req).await,
    }
}

// -------------------------------------------------------------- answers

/// GET (and HEAD) of every resource.
async fn get(
    conn: &mut Tx,
    token: &str,
    resource: Resource,
    req: &LabRequest,
) -> Result<LabResponse, sqlx::Error> {
    Ok(match resource {
        Resource::Items => list(conn, token, req).await?,
        Resource::Item(id) => match found(conn, token, id).await? {
            None => no_item(&req.path),
            Some(item) if if_none_match(&req.headers, &item.etag) => not_modified(&item.etag),
            Some(item) => {
                LabResponse::json(StatusCode::OK, &item).with(header::ETAG, &item.etag)
            }
        },
        Resource::Whoami => match unauthorized(&req.headers, token) {
            Some(resp) => resp,
            None => LabResponse::json(
                StatusCode::OK,
                &Whoami {
                    token,
                    role: "learner",
                },
            ),
        },
        Resource::Admin => match unauthorized(&req.headers, token) {
            Some(resp) => resp,
            None => problem(
                StatusCode::FORBIDDEN,
                "Your token is valid, so the lab knows who you are, but a learner may not use /admin.",
            ),
        },
    })
}

#[derive(Serialize)]
struct Whoami<'a> {
    token: &'a str,
    role: &'static str,
}

#[derive(Serialize)]
struct Page<'a> {
    items: &'a [Item],
    next: Option<String>,
}

/// `GET /items?limit=N&cursor=C`.
async fn list(
    conn: &mut Tx,
    token: &str,
    req: &LabRequest,
) -> Result<LabResponse, sqlx::Error> {
    let (limit, after) = match page_query(req.query.as_deref()) {
        Ok(q) => q,
        Err(detail) => return Ok(problem(StatusCode::BAD_REQUEST, detail)),
    };
    let mut items = db::items_after(conn, token, after, limit + 1).await?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next = match items.last() {
        Some(last) if more => Some(format!(
            "/lab/{token}/items?limit={limit}&cursor={}",
            cursor_of(last.id)
        )),
        _ => None,
    };
    let page = Page {
        items: &items,
        next: next.clone(),
    };
    let body = serde_json::to_vec(&page).unwrap_or_default();
    let etag = format!("\"{}\"", &hex(&Sha256::digest(&body))[..16]);
    if if_none_match(&req.headers, &etag) {
        return Ok(not_modified(&etag));
    }
    let mut resp = LabResponse::empty(StatusCode::OK)
        .with(header::CONTENT_TYPE, JSON)
        .with(header::ETAG, &etag)
        .body(body);
    if let Some(next) = next {
        resp = resp.with(header::LINK, &format!("<{next}>; rel=\"next\""));
    }
    Ok(resp)
}

/// The page size and the id to start after, from the query string.
fn page_query(query: Option<&str>) -> Result<(i64, i64), &'static str> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| "The query string could not be read; write it as limit=10&cursor=...")?;
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let limit = match value("limit") {
        None => 10,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=50).contains(n))
            .ok_or("limit must be a whole number from 1 to 50.")?,
    };
    let after = match value("cursor") {
        None => 0,
        Some(c) => id_of_cursor(c).ok_or(
            "This cursor is not one the lab gave out. Follow the next link (or Link header) as it is.",
        )?,
    };
    Ok((limit, after))
}

/// Cursors are opaque to the client (the hex of `after:{id}`): a client
/// follows `next` and never builds one.
fn cursor_of(id: i64) -> String {
    hex(format!("after:{id}").as_bytes())
}

fn id_of_cursor(cursor: &str) -> Option<i64> {
    if !cursor.len().is_multiple_of(2) || cursor.len() > 64 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok())
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    text.strip_prefix("after:")?
        .parse()
        .ok()
        .filter(|id| *id >= 0)
}

/// `POST /items`.
async fn create(
    conn: &mut Tx,
    token: &str,
    req: &LabRequest,
    now: i64,
) -> Result<LabResponse, sqlx::Error> {
    if !is_media_type(&req.headers, JSON) {
        return Ok(
            unsupported("Send the item as JSON, with Content-Type: application/json.")
                .with(HeaderName::from_static("accept-post"), JSON),
        );
    }
    let key = match req.headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(k)) if !k.trim().is_empty() && k.len() <= 255 => Some(k.trim()),
        Some(_) => {
            return Ok(problem(
                StatusCode::BAD_REQUEST,
                "An Idempotency-Key must be 1 to 255 visible characters (a UUID is usual).",
            ))
        }
    };
    let fingerprint = hex(&Sha256::digest(&req.body));
    if let Some(key) = key {
        if let Some(first) = db::remembered(conn, token, key, now).await? {
            if first.fingerprint != fingerprint {
                return Ok(problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "This Idempotency-Key was already used with a different body. A retry must send the same body; a new item needs a new key.",
                ));
            }
            return Ok(replay(first));
        }
    }
    let fields = match item::full(&req.body) {
        Ok(f) => f,
        Err(e) => return Ok(body_error(e)),
    };
    if db::count_items(conn, token).await? >= limits::MAX_ITEMS {
        return Ok(problem(
            StatusCode::CONFLICT,
            "This lab holds at most 1000 items. Delete some, or reset the lab on the exercise page.",
        ));
    }
    let item = db::insert_item(conn, token, &fields.name, fields.quantity, &new_etag()).await?;
    let resp = LabResponse::json(StatusCode::CREATED, &item)
        .with(header::LOCATION, &format!("/lab/{token}/items/{}", item.id))
        .with(header::ETAG, &item.etag);
    if let Some(key) = key {
        let headers: Vec<(&str, &str)> = resp
            .headers
            .iter()
            .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
            .collect();
        let first = db::Remembered {
            fingerprint,
            status: i64::from(resp.status.as_u16()),
            headers: serde_json::to_string(&headers).unwrap_or_default(),
            body: resp.body.clone(),
        };
        db::remember(conn, token, key, &first, now).await?;
    }
    Ok(resp)
}

/// The remembered first answer, marked as a replay.
fn replay(first: db::Remembered) -> LabResponse {
    let status = u16::try_from(first.status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::CREATED);
    let headers: Vec<(String, String)> = serde_json::from_str(&first.headers).unwrap_or_default();
    let mut resp = LabResponse::empty(status).body(first.body);
    for (name, value) in headers {
        if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
            resp = resp.with(name, &value);
        }
    }
    resp.with(HeaderName::from_static("idempotent-replayed"), "true")
}

/// PUT and PATCH of an existing item whose preconditions held.
async fn update(
    conn: &mut Tx,
    token: &str,
    req: &LabRequest,
    current: Item,
) -> Result<LabResponse, sqlx::Error> {
    let patch = req.method == Method::PATCH;
    let media = if patch {
        "application/merge-patch+json"
    } else {
        JSON
    };
    if !is_media_type(&req.headers, media) {
        let resp = unsupported(&format!(
            "Send the {} as {media}, with Content-Type: {media}.",
            if patch { "changes" } else { "whole item" }
        ));
        return Ok(if patch {
            resp.with(HeaderName::from_static("accept-patch"), media)
        } else {
            resp
        });
    }
    let fields = if patch {
        item::merge_patch(&req.body, &current)
    } else {
        item::full(&req.body)
    };
    let Fields { name, quantity } = match fields {
        Ok(f) => f,
        Err(e) => return Ok(body_error(e)),
    };
    if name == current.name && quantity == current.quantity {
        // Nothing changes, so neither does the representation or its ETag.
        return Ok(LabResponse::json(StatusCode::OK, &current).with(header::ETAG, &current.etag));
    }
    let new = Item {
        id: current.id,
        name,
        quantity,
        etag: new_etag(),
    };
    if !db::update_item(conn, token, &current.etag, &new).await? {
        return Ok(precondition_failed());
    }
    Ok(LabResponse::json(StatusCode::OK, &new).with(header::ETAG, &new.etag))
}

// ------------------------------------------------------------- helpers

async fn found(
    conn: &mut Tx,
    token: &str,
    id: Option<i64>,
) -> Result<Option<Item>, sqlx::Error> {
    match id {
        Some(id) => db::item(conn, token, id).await,
        None => Ok(None),
    }
}

fn no_item(path: &str) -> LabResponse {
    problem(
        StatusCode::NOT_FOUND,
        &format!("There is no item at {path} (never created, or deleted)."),
    )
}

fn precondition_failed() -> LabResponse {
    problem(
        StatusCode::PRECONDITION_FAILED,
        "If-Match does not name the item's current ETag: it changed since you read it. GET it again, then retry with the new ETag.",
    )
}

fn not_modified(etag: &str) -> LabResponse {
    LabResponse::empty(StatusCode::NOT_MODIFIED).with(header::ETAG, etag)
}

fn unsupported(detail: &str) -> LabResponse {
    problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, detail)
}

fn body_error(e: BodyError) -> LabResponse {
    match e {
        BodyError::Malformed(detail) => problem(StatusCode::BAD_REQUEST, &detail),
        BodyError::Invalid(errors) => respond::invalid(&errors),
    }
}

/// A fresh opaque ETag (strong, quoted).
fn new_etag() -> String {
    format!("\"{}\"", crate::common::random::hex::<8>())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Whether the request's Content-Type is `media` (parameters such as
/// `charset` ignored, any case).
fn is_media_type(headers: &HeaderMap, media: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case(media))
}

/// The entity tags listed in every `name` header, or `None` for `*`.
fn listed_etags(headers: &HeaderMap, name: HeaderName) -> Option<Vec<String>> {
    let mut tags = Vec::new();
    for value in headers.get_all(name) {
        for tag in value.to_str().unwrap_or("").split(',') {
            let tag = tag.trim();
            if tag == "*" {
                return None;
            }
            if !tag.is_empty() {
                tags.push(tag.to_string());
            }
        }
    }
    Some(tags)
}

/// `If-None-Match` (weak comparison): true when it names `etag` or is `*`.
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    if !headers.contains_key(header::IF_NONE_MATCH) {
        return false;
    }
    let weak = |t: &str| t.trim_start_matches("W/").to_string();
    match listed_etags(headers, header::IF_NONE_MATCH) {
        None => true,
        Some(tags) => tags.iter().any(|t| weak(t) == weak(etag)),
    }
}

/// `If-Match` (strong comparison): true when absent, `*`, or naming `etag`.
fn if_match(headers: &HeaderMap, etag: &str) -> bool {
    if !headers.contains_key(header::IF_MATCH) {
        return true;
    }
    match listed_etags(headers, header::IF_MATCH) {
        None => true,
        Some(tags) => tags.iter().any(|t| t == etag),
    }
}

/// The 401 to answer unless the request sends `Authorization: Bearer
/// {token}` of this lab.
fn unauthorized(headers: &HeaderMap, token: &str) -> Option<LabResponse> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Some(
            problem(
                StatusCode::UNAUTHORIZED,
                "This needs your lab token: send Authorization: Bearer <token>.",
            )
            .with(header::WWW_AUTHENTICATE, "Bearer realm=\"lab\""),
        );
    };
    let given = value.to_str().unwrap_or("").trim();
    let matches = given
        .split_once(' ')
        .is_some_and(|(scheme, t)| scheme.eq_ignore_ascii_case("bearer") && t.trim() == token);
    if matches {
        None
    } else {
        Some(
            problem(
                StatusCode::UNAUTHORIZED,
                "The Authorization header is not Bearer followed by this lab's token.",
            )
            .with(
                header::WWW_AUTHENTICATE,
                "Bearer realm=\"lab\", error=\"invalid_token\"",
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn routes_and_methods() {
        assert_eq!(Resource::of("/items"), Some(Resource::Items));
        assert_eq!(Resource::of("/items/3"), Some(Resource::Item(Some(3))));
        assert_eq!(Resource::of("/items/x"), Some(Resource::Item(None)));
        assert_eq!(Resource::of("/items/0"), Some(Resource::Item(None)));
        assert_eq!(Resource::of("/items/"), Some(Resource::Item(None)));
        assert_eq!(Resource::of("/"), None);
        assert_eq!(Resource::of("/items/3/x"), None);
        assert!(Resource::Items.allows(&Method::POST));
        assert!(!Resource::Items.allows(&Method::DELETE));
        assert!(!Resource::Whoami.allows(&Method::from_bytes(b"get").unwrap()));
    }

    #[test]
    fn cursors_round_trip_and_refuse_others() {
        assert_eq!(id_of_cursor(&cursor_of(42)), Some(42));
        assert_eq!(id_of_cursor("42"), None);
        assert_eq!(id_of_cursor("zz"), None);
        assert_eq!(page_query(None), Ok((10, 0)));
        assert_eq!(page_query(Some("limit=50")), Ok((50, 0)));
        assert!(page_query(Some("limit=0")).is_err());
        assert!(page_query(Some("limit=51")).is_err());
        assert!(page_query(Some("limit=ten")).is_err());
        let q = format!("limit=2&cursor={}", cursor_of(7));
        assert_eq!(page_query(Some(&q)), Ok((2, 7)));
    }

    #[test]
    fn preconditions() {
        let tag = "\"abc\"";
        assert!(if_match(&headers(&[]), tag));
        assert!(if_match(&headers(&[("if-match", "*")]), tag));
        assert!(if_match(&headers(&[("if-match", "\"x\", \"abc\"")]), tag));
        assert!(!if_match(&headers(&[("if-match", "W/\"abc\"")]), tag));
        assert!(!if_match(&headers(&[("if-match", "\"x\"")]), tag));
        assert!(!if_none_match(&headers(&[]), tag));
        assert!(if_none_match(
            &headers(&[("if-none-match", "W/\"abc\"")]),
            tag
        ));
        assert!(if_none_match(&headers(&[("if-none-match", "*")]), tag));
        assert!(!if_none_match(&headers(&[("if-none-match", "\"x\"")]), tag));
        assert!(is_media_type(
            &headers(&[("content-type", "Application/JSON; charset=utf-8")]),
            JSON
        ));
        assert!(!is_media_type(
            &headers(&[("content-type", "text/plain")]),
            JSON
        ));
    }
}
