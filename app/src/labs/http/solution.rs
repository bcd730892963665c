//! Running an HTTP exercise's reference solution: raw requests separated by
//! lines of `###`, sent one after the other to a lab, with markers filled
//! in from the answers so far: `{{id}}` (the item the latest 201 created,
//! from its `Location`), `{{etag}}` (the latest `ETag`), and beyond the
//! spec `{{next}}` (the latest `Link: <…>; rel="next"`, a path of this lab)
//! and `{{token}}` (the lab's token, for `Authorization: Bearer {{token}}`).
//! `academy check-content` runs every solution this way and then checks
//! the exercise's steps against the lab's history.

use http::{header, StatusCode};

use super::{handle, raw::parse_raw, LabResponse};

/// One request of a solution (`POST /items`) and the lab's answer.
pub type Exchange = (String, LabResponse);

/// Sends each request of `solution` to the lab `token`, in order, and
/// returns what each got. Fails with a sentence naming the request (1-based)
/// that cannot be sent: it does not parse, or it uses a marker before an
/// answer gave its value (`{{id}}` before a 201 with `Location`, `{{etag}}`
/// before an `ETag`, `{{next}}` before a `Link` to a next page). Answers are
/// not judged here: a 4xx may be the point of a step.
pub async fn run_solution(
    pool: &crate::db::Db,
    token: &str,
    solution: &str,
) -> Result<Vec<Exchange>, String> {
    let mut id: Option<String> = None;
    let mut etag: Option<String> = None;
    let mut next: Option<String> = None;
    let mut out = Vec::new();
    for (i, text) in split(solution).into_iter().enumerate() {
        let n = i + 1;
        let missing = |marker: &str, what: &str| {
            format!("Request {n} uses {marker}, but no answer before it had {what}.")
        };
        let text = text.replace("{{token}}", token);
        let text = fill(&text, "{{id}}", id.as_deref())
            .ok_or_else(|| missing("{{id}}", "a 201 with Location (a created item)"))?;
        let text = fill(&text, "{{etag}}", etag.as_deref())
            .ok_or_else(|| missing("{{etag}}", "an ETag"))?;
        let text = fill(&text, "{{next}}", next.as_deref())
            .ok_or_else(|| missing("{{next}}", "a Link to a next page"))?;
        let req = parse_raw(&text, token).map_err(|e| format!("Request {n}: {e}"))?;
        let line = req.line();
        let resp = handle(pool, token, req).await;
        if resp.status == StatusCode::CREATED {
            if let Some(created) = resp
                .header(header::LOCATION.as_str())
                .and_then(|l| l.rsplit('/').next())
            {
                id = Some(created.to_string());
            }
        }
        if let Some(tag) = resp.header(header::ETAG.as_str()) {
            etag = Some(tag.to_string());
        }
        if let Some(link) = resp.header(header::LINK.as_str()).and_then(next_link) {
            next = Some(link);
        }
        out.push((line, resp));
    }
    if out.is_empty() {
        return Err("The solution has no request.".into());
    }
    Ok(out)
}

/// The target of `rel="next"` in a `Link` header value.
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim().eq_ignore_ascii_case("rel=\"next\""))
            .then(|| {
                let target = target.trim();
                target
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
    })
}

/// The requests of a solution: the text between lines holding only `###`,
/// blank ones left out.
pub fn split(solution: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in solution.split_inclusive('\n') {
        if line.trim() == "###" {
            parts.push(&solution[start..offset]);
            start = offset + line.len();
        }
        offset += line.len();
    }
    parts.push(&solution[start..]);
    parts.retain(|p| !p.trim().is_empty());
    parts
}

/// `text` with `marker` replaced by `value`; `None` when the marker is
/// there and there is no value yet.
fn fill(text: &str, marker: &str, value: Option<&str>) -> Option<String> {
    match value {
        _ if !text.contains(marker) => Some(text.to_string()),
        Some(v) => Some(text.replace(marker, v)),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_split_on_hash_lines() {
        let s = "POST /items\n\n{}\n###\nGET /items/{{id}}\n  ###  \r\n\n###\nDELETE /items/1\n";
        assert_eq!(
            split(s),
            vec![
                "POST /items\n\n{}\n",
                "GET /items/{{id}}\n",
                "DELETE /items/1\n"
            ]
        );
        assert_eq!(split("GET /items"), vec!["GET /items"]);
        assert!(split("\n###\n").is_empty());
        assert_eq!(fill("a {{id}}", "{{id}}", Some("3")).unwrap(), "a 3");
        assert_eq!(fill("a", "{{id}}", None).unwrap(), "a");
        assert!(fill("a {{id}}", "{{id}}", None).is_none());
        assert_eq!(
            next_link("</lab/t/items?limit=2&cursor=ab>; rel=\"next\"").as_deref(),
            Some("/lab/t/items?limit=2&cursor=ab")
        );
        assert_eq!(next_link("</x>; rel=\"prev\""), None);
    }
}
