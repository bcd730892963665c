//! The app shell: layout, navigation, theme, home and error pages.

pub mod form;
pub mod home;
pub mod layout;
pub mod not_found;
pub mod table;
pub mod theme;

/// Redirects the page being rendered (302 + Location). Unlike
/// `leptos_axum::redirect` it does not depend on the `Accept` header: pages
/// are never server-function calls.
pub fn redirect(path: &str) {
    #[cfg(feature = "ssr")]
    if let Some(resp) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(v) = http::HeaderValue::from_str(path) {
            resp.insert_header(http::header::LOCATION, v);
            resp.set_status(http::StatusCode::FOUND);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = path;
}

/// The Content-Security-Policy of an HTML page: inline scripts (the
/// hydration loader, Leptos' resource data) run only with this response's
/// nonce; WASM may compile; nothing else runs.
pub fn csp(nonce: Option<&str>) -> String {
    csp_with(&nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default())
}

/// The policy with extra `script-src` sources (each with a leading space),
/// e.g. the `'sha256-…'` hashes of a cached page's inline scripts.
pub fn csp_with(script_sources: &str) -> String {
    let nonce = script_sources;
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{nonce}; style-src 'self'; \
         img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// The local path to send a no-JavaScript form back to: the `Referer`'s path
/// when it is a same-site path, otherwise `/`. Never an open redirect.
pub fn safe_back_path(referer: Option<&str>) -> String {
    let Some(referer) = referer else {
        return "/".to_string();
    };
    // Strip scheme and host if present; keep only the path and query.
    let path = match referer.find("://") {
        Some(i) => {
            let rest = &referer[i + 3..];
            rest.find('/').map(|j| &rest[j..]).unwrap_or("/")
        }
        None => referer,
    };
    if is_local_path(path) {
        path.to_string()
    } else {
        "/".to_string()
    }
}

/// Whether `path` can only mean a page of this site: it starts with one
/// `/`, and has no `//`, backslash, whitespace, control or non-ASCII
/// character anywhere. Browsers drop tabs and newlines from URLs and read
/// `\` as `/`, so `/\t/evil.example` and `/\\evil.example` would both leave
/// the site; non-ASCII cannot go into a `Location` header unencoded.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.contains("//")
        && path.chars().all(|c| c.is_ascii_graphic() && c != '\\')
}

#[cfg(test)]
mod tests {
    use super::safe_back_path;

    #[test]
    fn back_path_keeps_local_paths_only() {
        assert_eq!(safe_back_path(None), "/");
        assert_eq!(
            safe_back_path(Some("http://127.0.0.1:3000/lessons?x=1")),
            "/lessons?x=1"
        );
        assert_eq!(safe_back_path(Some("/salaries")), "/salaries");
        assert_eq!(safe_back_path(Some("//evil.example/")), "/");
        assert_eq!(safe_back_path(Some("https://host")), "/");
        assert_eq!(safe_back_path(Some("javascript:alert(1)")), "/");
        assert_eq!(safe_back_path(Some("/\\evil")), "/");
        for bad in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "/lessons//x",
            "/caf\u{e9}",
            "/\u{3000}/evil.example",
            "/a\u{0}b",
        ] {
            assert_eq!(safe_back_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(
            safe_back_path(Some("/lessons/a/b?x=1#y")),
            "/lessons/a/b?x=1#y"
        );
    }
}
