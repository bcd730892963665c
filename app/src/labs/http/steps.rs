//! Grading an HTTP exercise: its steps must appear, in order, in the
//! learner's request history (other requests may come between them).

use super::HistoryEntry;

/// One step of an HTTP exercise, as written in the exercise block; every
/// field left out matches anything. The type is the exercise model's, so
/// what the parser reads is what is checked.
pub use crate::labs::model::HttpStep as Step;

/// The outcome of [`check_steps`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepsVerdict {
    pub passed: bool,
    /// Steps found, in order, before the first missing one.
    pub matched: usize,
    /// "All 2 steps …", or which step is still missing, described by what
    /// it asks for (never by what the closest request got wrong).
    pub message: String,
}

/// Whether `steps` appear in order in `history` (oldest first).
///
/// Each step takes the earliest request after the previous step's that
/// matches it; taking the earliest never loses a match a later choice
/// would have found.
pub fn check_steps(steps: &[Step], history: &[HistoryEntry]) -> StepsVerdict {
    let mut rest = history.iter();
    for (i, step) in steps.iter().enumerate() {
        if !rest.any(|entry| matches(step, entry)) {
            return StepsVerdict {
                passed: false,
                matched: i,
                message: crate::t!(
                    "labs-step-missing",
                    step = i + 1,
                    total = steps.len(),
                    what = describe(step)
                ),
            };
        }
    }
    StepsVerdict {
        passed: true,
        matched: steps.len(),
        message: match steps.len() {
            1 => crate::t!("labs-step-found"),
            n => crate::t!("labs-steps-found", count = n),
        },
    }
}

/// What a step asks for, as a sentence fragment: `POST /items answered
/// 201 with Location`, `GET /items/* sending If-None-Match answered 304`.
pub fn describe(step: &Step) -> String {
    let method = step.method.as_deref().map(str::to_ascii_uppercase);
    let mut s = match (method, &step.path) {
        (Some(m), Some(p)) => format!("{m} {p}"),
        (Some(m), None) => crate::t!("labs-step-method", method = m),
        (None, Some(p)) => crate::t!("labs-step-path", path = p),
        (None, None) => crate::t!("labs-step-any"),
    };
    let and = crate::t!("labs-step-and");
    if !step.request_headers.is_empty() {
        s = crate::t!(
            "labs-step-sending",
            request = s,
            headers = step.request_headers.join(&and)
        );
    }
    if let Some(status) = step.status {
        s = crate::t!("labs-step-status", request = s, status = status.to_string());
    }
    if !step.response_headers.is_empty() {
        let headers = step.response_headers.join(&and);
        s = if step.status.is_some() {
            crate::t!("labs-step-status-with", request = s, headers = headers)
        } else {
            crate::t!("labs-step-answered-with", request = s, headers = headers)
        };
    }
    s
}

fn matches(step: &Step, entry: &HistoryEntry) -> bool {
    step.method
        .as_deref()
        .is_none_or(|m| m.eq_ignore_ascii_case(&entry.method))
        && step.path.as_deref().is_none_or(|p| path_matches(p, entry))
        && step.status.is_none_or(|s| s == entry.status)
        && step.request_headers.iter().all(|h| entry.sent(h))
        && step.response_headers.iter().all(|h| entry.answered_with(h))
}

/// `pattern` against the entry's path: segment by segment, `*` standing
/// for any one non-empty segment. A pattern with `?name=value` (or
/// `?name=*`) also needs each such pair in the request's query; without
/// `?` the query does not matter.
fn path_matches(pattern: &str, entry: &HistoryEntry) -> bool {
    let (pattern, wanted) = match pattern.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (pattern, None),
    };
    let mut want = pattern.split('/');
    let mut got = entry.path.split('/');
    let path_ok = loop {
        match (want.next(), got.next()) {
            (None, None) => break true,
            (Some("*"), Some(g)) if !g.is_empty() => {}
            (Some(w), Some(g)) if w == g => {}
            _ => break false,
        }
    };
    let query: Vec<(&str, &str)> = entry
        .query
        .as_deref()
        .unwrap_or("")
        .split('&')
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    path_ok
        && wanted.is_none_or(|w| {
            w.split('&').filter(|p| !p.is_empty()).all(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, "*"));
                query
                    .iter()
                    .any(|(n, v)| *n == name && (value == "*" || *v == value))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(line: &str, status: u16, sent: &[&str], answered: &[&str]) -> HistoryEntry {
        let (method, target) = line.split_once(' ').unwrap();
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p, Some(q.to_string())),
            None => (target, None),
        };
        HistoryEntry {
            at: 0,
            method: method.into(),
            path: path.into(),
            query,
            request_headers: sent.iter().map(|h| (h.to_string(), None)).collect(),
            status,
            response_headers: answered.iter().map(|h| h.to_string()).collect(),
        }
    }

    fn step(method: &str, path: &str, status: u16) -> Step {
        Step {
            method: Some(method.into()),
            path: Some(path.into()),
            status: Some(status),
            ..Step::default()
        }
    }

    #[test]
    fn steps_match_a_subsequence_in_order() {
        let create = Step {
            response_headers: vec!["Location".into()],
            ..step("POST", "/items", 201)
        };
        let cached = Step {
            request_headers: vec!["If-None-Match".into()],
            ..step("get", "/items/*", 304)
        };
        let steps = [create, cached];
        let history = [
            entry("GET /items", 200, &[], &["etag"]),
            entry("POST /items", 415, &[], &[]),
            entry("POST /items", 201, &["content-type"], &["location", "etag"]),
            entry("GET /items/1", 200, &[], &["etag"]),
            entry("GET /items/1", 304, &["if-none-match"], &["etag"]),
        ];
        let v = check_steps(&steps, &history);
        assert!(v.passed, "{v:?}");
        assert_eq!(v.matched, 2);

        // Out of order: the 304 came before the 201.
        let v = check_steps(&steps, &[history[4].clone(), history[2].clone()]);
        assert!(!v.passed);
        assert_eq!(v.matched, 1);
        assert_eq!(
            v.message,
            "Step 2 of 2 is still missing: GET /items/* sending If-None-Match answered 304."
        );

        let v = check_steps(&steps, &history[..2]);
        assert_eq!(v.matched, 0);
        assert_eq!(
            v.message,
            "Step 1 of 2 is still missing: POST /items answered 201 with Location."
        );
        assert!(check_steps(&[], &[]).passed);
    }

    #[test]
    fn wildcards_and_queries() {
        let e = entry("GET /items/12", 200, &[], &[]);
        let p = |pattern: &str, e: &HistoryEntry| path_matches(pattern, e);
        assert!(p("/items/*", &e));
        assert!(p("/items/12", &e));
        assert!(!p("/items", &e));
        assert!(!p("/items/*/x", &e));
        assert!(!p("/*", &e));
        assert!(!p("/items/*", &entry("GET /items/", 404, &[], &[])));
        let page = entry("GET /items?limit=2&cursor=abc", 200, &[], &[]);
        assert!(p("/items", &page));
        assert!(p("/items?cursor=*", &page));
        assert!(p("/items?limit=2&cursor", &page));
        assert!(!p("/items?limit=3", &page));
        assert!(!p("/items?cursor", &entry("GET /items", 200, &[], &[])));
    }

    #[test]
    fn descriptions() {
        let only_status = Step {
            status: Some(429),
            ..Step::default()
        };
        assert_eq!(describe(&only_status), "a request answered 429");
        let headers_only = Step {
            method: Some("get".into()),
            response_headers: vec!["Link".into()],
            ..Step::default()
        };
        assert_eq!(describe(&headers_only), "a GET request answered with Link");
        assert_eq!(describe(&Step::default()), "a request");
    }
}
