//! The app shell: layout, navigation, theme, home and error pages.

pub mod home;
pub mod layout;
pub mod not_found;
pub mod theme;

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
    if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') {
        path.to_string()
    } else {
        "/".to_string()
    }
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
    }
}
