//! Raw HTTP as the exercise page's form takes it (and reference solutions
//! are written): a request typed as text, parsed with `httparse`, and the
//! lab's answer written back as text.
//!
//! Written by hand, a request is forgiven what a client library would have
//! done: LF or CRLF line ends, no `HTTP/1.1` on the first line, no `Host`,
//! no `Content-Length` (the body is the rest of the text). What it may not
//! do is leave the learner's own lab: the path is relative to the lab
//! (`/items`) or the lab's full path (`/lab/{token}/items`), and any other
//! lab's path, or a URL with a host, is refused with a sentence.

use http::{header, HeaderMap, HeaderName, HeaderValue, Method};

use super::{limits, LabRequest, LabResponse};

/// Reads `text` as one request to the lab `token`.
pub fn parse_raw(text: &str, token: &str) -> Result<LabRequest, String> {
    if text.len() > limits::MAX_RAW {
        return Err(crate::t!(
            "labs-raw-too-long",
            raw = limits::MAX_RAW / 1024,
            body = limits::MAX_BODY / 1024
        ));
    }
    let text = text.replace("\r\n", "\n");
    // Blank lines before the request line are ignored (RFC 9112 §2.2).
    let text = text.trim_start_matches(['\n', ' ', '\t']);
    if text.trim().is_empty() {
        return Err(crate::t!("labs-raw-empty"));
    }
    // The head ends at the first blank line (a line of spaces looks blank
    // in a textarea, so it counts); the body is everything after it.
    let (mut head_end, mut body_start, mut offset) = (text.len(), text.len(), 0);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i > 0 && line.trim().is_empty() {
            (head_end, body_start) = (offset, offset + line.len());
            break;
        }
        offset += line.len();
    }
    let (head, rest) = (&text[..head_end], &text[body_start..]);
    if head.len() > limits::MAX_RAW_HEAD {
        return Err(crate::t!(
            "labs-raw-head-too-long",
            kib = limits::MAX_RAW_HEAD / 1024
        ));
    }
    let mut lines = head.lines();
    let first = lines.next().unwrap_or("").trim();
    let first = match first.split_whitespace().collect::<Vec<_>>().as_slice() {
        [method, target] => format!("{method} {target} HTTP/1.1"),
        [method, target, version] => format!("{method} {target} {version}"),
        _ => return Err(first_line()),
    };
    let mut wire = first.into_bytes();
    wire.extend_from_slice(b"\r\n");
    for line in lines {
        wire.extend_from_slice(line.trim_end().as_bytes());
        wire.extend_from_slice(b"\r\n");
    }
    wire.extend_from_slice(b"\r\n");

    let mut slots = [httparse::EMPTY_HEADER; limits::MAX_RAW_HEADERS];
    let mut parsed = httparse::Request::new(&mut slots);
    match parsed.parse(&wire) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(first_line()),
        Err(e) => return Err(explain(e)),
    }
    let method =
        Method::from_bytes(parsed.method.unwrap_or("").as_bytes()).map_err(|_| first_line())?;
    let target = parsed.path.unwrap_or("");
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (target, None),
    };
    let path = lab_path(path, token)?;

    let mut headers = HeaderMap::new();
    for h in parsed.headers.iter() {
        let name = HeaderName::from_bytes(h.name.as_bytes())
            .map_err(|_| crate::t!("labs-raw-header-name", name = format!("{:?}", h.name)))?;
        let value = HeaderValue::from_bytes(h.value)
            .map_err(|_| crate::t!("labs-raw-header-value", name = h.name))?;
        headers.append(name, value);
    }
    if headers.contains_key(header::TRANSFER_ENCODING) {
        return Err(crate::t!("labs-raw-transfer-encoding"));
    }
    let body = match headers.get(header::CONTENT_LENGTH) {
        None => rest.trim_end_matches('\n').as_bytes().to_vec(),
        Some(v) => {
            let n: usize = v
                .to_str()
                .ok()
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| crate::t!("labs-raw-length-nan"))?;
            if n > rest.len() {
                return Err(crate::t!(
                    "labs-raw-length-short",
                    said = n,
                    has = rest.len()
                ));
            }
            rest.as_bytes()[..n].to_vec()
        }
    };
    Ok(LabRequest {
        method,
        path,
        query,
        headers,
        body,
    })
}

fn first_line() -> String {
    crate::t!("labs-raw-first-line")
}

fn explain(e: httparse::Error) -> String {
    match e {
        httparse::Error::HeaderName => crate::t!("labs-raw-header-line"),
        httparse::Error::HeaderValue => crate::t!("labs-raw-header-char"),
        httparse::Error::Version => crate::t!("labs-raw-version"),
        httparse::Error::TooManyHeaders => {
            crate::t!("labs-raw-too-many-headers", max = limits::MAX_RAW_HEADERS)
        }
        _ => first_line(),
    }
}

/// The path inside the lab: `/items` as it is, `/lab/{token}/items` of
/// this token without its prefix; anything else refused.
fn lab_path(path: &str, token: &str) -> Result<String, String> {
    let own = crate::t!("labs-raw-own-lab", token = token);
    if path.contains("://") || !path.starts_with('/') {
        return Err(if path.starts_with("http") {
            crate::t!("labs-raw-full-url", own = &own)
        } else {
            crate::t!("labs-raw-path-slash", own = &own)
        });
    }
    let Some(inside) = path.strip_prefix("/lab") else {
        return Ok(path.to_string());
    };
    match inside
        .strip_prefix('/')
        .map(|r| r.split_once('/').unwrap_or((r, "")))
    {
        Some((t, rest)) if t == token => Ok(format!("/{rest}")),
        // `/lab`, `/labs` and the like are paths of the lab itself.
        None if !inside.is_empty() => Ok(path.to_string()),
        _ => Err(crate::t!("labs-raw-not-your-lab", own = own)),
    }
}

/// The answer as text: status line, headers, a blank line, the body (as
/// UTF-8, invalid bytes replaced). `Content-Length` is shown as the server
/// would send it.
pub fn format_response(resp: &LabResponse) -> String {
    let mut out = format!(
        "HTTP/1.1 {} {}\n",
        resp.status.as_u16(),
        resp.status.canonical_reason().unwrap_or("")
    );
    for (name, value) in &resp.headers {
        out.push_str(name.as_str());
        out.push_str(": ");
        out.push_str(&String::from_utf8_lossy(value.as_bytes()));
        out.push('\n');
    }
    let bodiless = resp.status.is_informational()
        || resp.status == http::StatusCode::NO_CONTENT
        || resp.status == http::StatusCode::NOT_MODIFIED;
    if !bodiless && !resp.headers.contains_key(header::CONTENT_LENGTH) {
        out.push_str(&format!("content-length: {}\n", resp.body.len()));
    }
    out.push('\n');
    out.push_str(&String::from_utf8_lossy(&resp.body));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "0123abcd";

    #[test]
    fn a_request_with_crlf_or_lf() {
        for text in [
            "POST /items HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"name\": \"pen\"}\r\n",
            "\nPOST /items\nContent-Type: application/json\n\n{\"name\": \"pen\"}\n",
            "POST /lab/0123abcd/items HTTP/1.1\nContent-Type: application/json\n  \n{\"name\": \"pen\"}",
        ] {
            let r = parse_raw(text, T).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(r.method, Method::POST);
            assert_eq!(r.path, "/items");
            assert_eq!(r.query, None);
            assert_eq!(r.headers["content-type"], "application/json");
            assert_eq!(r.body, b"{\"name\": \"pen\"}", "{text:?}");
        }
    }

    #[test]
    fn paths_queries_and_bodies() {
        let r = parse_raw("GET  /items?limit=2\t", T).unwrap();
        assert_eq!(
            (r.path.as_str(), r.query.as_deref()),
            ("/items", Some("limit=2"))
        );
        assert!(r.body.is_empty() && r.headers.is_empty());
        assert_eq!(parse_raw("GET /lab/0123abcd", T).unwrap().path, "/");
        assert_eq!(parse_raw("GET /lab/0123abcd/", T).unwrap().path, "/");
        assert_eq!(parse_raw("GET /labs", T).unwrap().path, "/labs");
        let multi = "PUT /items/1\n\n{\n  \"name\": \"pen\"\r\n}\n\n";
        assert_eq!(
            parse_raw(multi, T).unwrap().body,
            b"{\n  \"name\": \"pen\"\n}"
        );
        let counted = "POST /items\nContent-Length: 2\n\n{}\n\n";
        assert_eq!(parse_raw(counted, T).unwrap().body, b"{}");
        let e = parse_raw("POST /items\nContent-Length: 10\n\n{}", T).unwrap_err();
        assert!(e.contains("has only 2"), "{e}");
        assert!(parse_raw("POST /items\nContent-Length: x\n\n{}", T).is_err());
    }

    #[test]
    fn only_this_lab() {
        for path in [
            "/lab/ffffffff/items",
            "/lab/0123abc/items",
            "/lab",
            "/lab/",
            "http://localhost/lab/0123abcd/items",
            "items",
        ] {
            let e = parse_raw(&format!("GET {path} HTTP/1.1"), T).unwrap_err();
            assert!(e.contains("your own lab"), "{path}: {e}");
        }
    }

    #[test]
    fn clear_sentences_for_mistakes() {
        assert!(parse_raw("", T).unwrap_err().contains("Write a request"));
        assert!(parse_raw("  \n\n", T)
            .unwrap_err()
            .contains("Write a request"));
        assert!(parse_raw("GET", T).unwrap_err().contains("first line"));
        assert!(parse_raw("GET /items HTTP/1.1 extra", T)
            .unwrap_err()
            .contains("first line"));
        assert!(parse_raw("GET /items HTTP/2", T)
            .unwrap_err()
            .contains("HTTP/1.1"));
        assert!(parse_raw("GET /items\nNot a header\n", T)
            .unwrap_err()
            .contains("Name: value"));
        assert!(parse_raw("POST /items\nTransfer-Encoding: chunked\n\n0", T)
            .unwrap_err()
            .contains("Transfer-Encoding"));
        let many: String = (0..70).map(|i| format!("X-{i}: y\n")).collect();
        assert!(parse_raw(&format!("GET /items\n{many}"), T)
            .unwrap_err()
            .contains("at most 64"));
        let huge = format!("POST /items\n\n{}", "x".repeat(limits::MAX_RAW));
        assert!(parse_raw(&huge, T).unwrap_err().contains("KiB"));
        // A body over the lab's limit still parses: the lab answers 413.
        let big = format!("POST /items\n\n{}", "x".repeat(limits::MAX_BODY + 10));
        assert_eq!(
            parse_raw(&big, T).unwrap().body.len(),
            limits::MAX_BODY + 10
        );
    }

    #[test]
    fn a_response_as_text() {
        let resp = LabResponse::json(http::StatusCode::CREATED, &serde_json::json!({"id": 1}))
            .with(header::LOCATION, "/lab/t/items/1");
        assert_eq!(
            format_response(&resp),
            "HTTP/1.1 201 Created\ncontent-type: application/json\nlocation: /lab/t/items/1\ncontent-length: 8\n\n{\"id\":1}"
        );
        let empty = LabResponse::empty(http::StatusCode::NO_CONTENT);
        assert_eq!(format_response(&empty), "HTTP/1.1 204 No Content\n\n");
    }
}
