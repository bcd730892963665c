//! Slugs: lower-case words joined by single dashes. One algorithm for
//! heading anchors, lesson file names and download names.

/// `Why 401 ≠ 403?` → `why-401-403`: the characters `keep` accepts,
/// lower-cased, each run of others one dash, none at either end.
fn slug_with(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if keep(c) {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// A heading's anchor by GitHub's rules, so links written for GitHub keep
/// working: lower-cased, letters of any script, digits, `-` and `_` kept,
/// each space a dash (not collapsed), everything else dropped
/// (`A request's journey` → `a-requests-journey`; `section` if nothing is
/// left).
pub fn heading_id(text: &str) -> String {
    let id: String = text
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect();
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

/// An ASCII slug of at most 64 characters, for file and download names
/// (may be empty).
pub fn ascii_slug(text: &str) -> String {
    let slug: String = slug_with(text, |c| c.is_ascii_alphanumeric())
        .chars()
        .take(64)
        .collect();
    slug.trim_end_matches('-').to_string()
}

/// Whether `s` is a valid track or lesson slug: `^[a-z0-9][a-z0-9-]{0,63}$`.
pub fn is_slug(s: &str) -> bool {
    let bytes = s.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_algorithm_three_uses() {
        type Slugger = fn(&str) -> String;
        let cases: [(Slugger, &str, &str); 7] = [
            (heading_id, "Why 401 ≠ 403?", "why-401--403"),
            (heading_id, "A request's journey", "a-requests-journey"),
            (
                heading_id,
                "snake_case & kebab-case",
                "snake_case--kebab-case",
            ),
            (heading_id, "Überblick: Daten", "überblick-daten"),
            (heading_id, "???", "section"),
            (ascii_slug, "Why 401 ≠ 403?", "why-401-403"),
            (ascii_slug, "Überblick", "berblick"),
        ];
        for (slug, text, expected) in cases {
            assert_eq!(slug(text), expected, "{text}");
        }
        assert_eq!(ascii_slug(&"ab ".repeat(40)).len(), 64);
        assert!(!ascii_slug(&"a ".repeat(40)).ends_with('-'));
        assert!(is_slug("db-indexes") && !is_slug("Db") && !is_slug("-x") && !is_slug(""));
    }
}
