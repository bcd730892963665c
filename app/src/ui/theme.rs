//! Light and dark themes.
//!
//! The choice lives in a `theme` cookie so the server renders the right
//! `data-theme` on `<html>` (no flash, no inline script, cache-friendly).
//! Without a cookie the stylesheet follows `prefers-color-scheme`.
//! The toggle is a plain form (works without JavaScript: the server flips the
//! cookie and redirects back); once hydrated it flips in place instead.

use leptos::prelude::*;

/// The reader's theme preference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Theme {
    /// No explicit choice: follow the operating system.
    Auto,
    Light,
    Dark,
}

pub const COOKIE: &str = "theme";
/// One year: the choice is remembered across visits.
pub const COOKIE_MAX_AGE: u32 = 31_536_000;

impl Theme {
    /// Reads the preference from a `Cookie:` header value.
    pub fn from_cookie_header(header: &str) -> Theme {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == COOKIE)
            .map(|(_, value)| match value {
                "dark" => Theme::Dark,
                "light" => Theme::Light,
                _ => Theme::Auto,
            })
            .unwrap_or(Theme::Auto)
    }

    /// The value of `<html data-theme>`; `None` lets CSS follow the OS.
    pub fn attr(self) -> Option<&'static str> {
        match self {
            Theme::Auto => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    /// What the no-JavaScript toggle switches to. Without a cookie the server
    /// cannot see the OS preference; most systems default to light, so the
    /// first press gives dark.
    pub fn toggled(self) -> Theme {
        match self {
            Theme::Dark => Theme::Light,
            Theme::Light | Theme::Auto => Theme::Dark,
        }
    }

    /// The `Set-Cookie` value that stores this choice.
    pub fn set_cookie(self) -> String {
        format!(
            "{COOKIE}={}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax",
            self.attr().unwrap_or("auto")
        )
    }

    /// The preference of the request being rendered (server only).
    pub fn from_request() -> Theme {
        #[cfg(feature = "ssr")]
        {
            use_context::<http::request::Parts>()
                .and_then(|parts| {
                    parts
                        .headers
                        .get(http::header::COOKIE)
                        .and_then(|v| v.to_str().ok())
                        .map(Theme::from_cookie_header)
                })
                .unwrap_or(Theme::Auto)
        }
        #[cfg(not(feature = "ssr"))]
        Theme::Auto
    }
}

/// The theme switch in the header. An island: the only WASM on most pages.
///
/// `title` and `label` come translated from the server (the browser has no
/// catalogue).
#[island]
pub fn ThemeToggle(title: String, label: String) -> impl IntoView {
    // Effects run only in the browser: the mark tells tests (and CSS) that
    // the island is live.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        browser::toggle();
    };
    view! {
        <form
            class="theme-toggle"
            method="post"
            action="/theme"
            on:submit=on_submit
            data-hydrated=move || hydrated.get().then_some("true")
        >
            <button type="submit" title=title>
                <span aria-hidden="true">"◐"</span>
                <span class="visually-hidden">{label}</span>
            </button>
        </form>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Theme;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    /// Flips `data-theme` in place and remembers it in the cookie.
    pub fn toggle() {
        let doc = document();
        let Some(root) = doc.document_element() else {
            return;
        };
        let dark_now = match root.get_attribute("data-theme").as_deref() {
            Some("dark") => true,
            Some("light") => false,
            _ => window()
                .match_media("(prefers-color-scheme: dark)")
                .ok()
                .flatten()
                .map(|m| m.matches())
                .unwrap_or(false),
        };
        let next = if dark_now { Theme::Light } else { Theme::Dark };
        let _ = root.set_attribute("data-theme", next.attr().unwrap_or("light"));
        let _ = doc
            .unchecked_into::<web_sys::HtmlDocument>()
            .set_cookie(&next.set_cookie());
    }
}

#[cfg(feature = "ssr")]
pub mod handler {
    //! `POST /theme` for browsers without JavaScript.
    use super::Theme;
    use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
    use axum::response::{IntoResponse, Response};

    pub async fn toggle_theme(headers: HeaderMap) -> Response {
        let current = headers
            .get(header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(Theme::from_cookie_header)
            .unwrap_or(Theme::Auto);
        let back =
            crate::ui::safe_back_path(headers.get(header::REFERER).and_then(|v| v.to_str().ok()));
        let mut resp = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
        if let Ok(cookie) = HeaderValue::from_str(&current.toggled().set_cookie()) {
            resp.headers_mut().insert(header::SET_COOKIE, cookie);
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_theme_cookie_among_others() {
        assert_eq!(
            Theme::from_cookie_header("a=1; theme=dark; b=2"),
            Theme::Dark
        );
        assert_eq!(Theme::from_cookie_header("theme=light"), Theme::Light);
        assert_eq!(Theme::from_cookie_header("theme=purple"), Theme::Auto);
        assert_eq!(Theme::from_cookie_header("xtheme=dark"), Theme::Auto);
        assert_eq!(Theme::from_cookie_header(""), Theme::Auto);
    }

    #[test]
    fn toggle_without_js_alternates() {
        assert_eq!(Theme::Auto.toggled(), Theme::Dark);
        assert_eq!(Theme::Dark.toggled(), Theme::Light);
        assert_eq!(Theme::Light.toggled(), Theme::Dark);
    }

    #[test]
    fn cookie_is_remembered_for_a_year_and_lax() {
        let c = Theme::Dark.set_cookie();
        assert!(c.starts_with("theme=dark;"));
        assert!(c.contains("Max-Age=31536000"));
        assert!(c.contains("SameSite=Lax"));
    }
}
