//! Who is on the other end of a request: the client's address (as the
//! server's rate limits see it, proxies taken into account) and browser.
//! The server puts a [`Client`] into every request's extensions; sign-in
//! stores it with the session ("your sessions") and the audit log names it.

tokio::task_local! {
    /// The client of the request this task serves, set by the server's
    /// middleware around the session layer, so the session store (which
    /// sees no request) can record where a session was used from.
    pub static CLIENT: Client;
}

/// The client of one request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Client {
    pub ip: String,
    /// The `User-Agent` header, cut to 200 characters.
    pub user_agent: String,
    /// The reader's language (cookie, then `Accept-Language`): form routes
    /// and services that render text read it from here.
    pub lang: crate::i18n::Lang,
}

impl Client {
    /// The client of `req` (empty when the server did not say).
    pub fn of<B>(req: &http::Request<B>) -> Client {
        req.extensions().get::<Client>().cloned().unwrap_or_default()
    }

    /// The client of the current server function or page render.
    pub fn current() -> Client {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Client>().cloned())
            .unwrap_or_default()
    }

    /// A short name of the browser and system for people ("Firefox on
    /// Linux"), from the user agent; the raw text when unrecognised.
    pub fn browser(user_agent: &str) -> String {
        let browser = [
            ("Edg/", "Edge"),
            ("OPR/", "Opera"),
            ("Firefox/", "Firefox"),
            ("Chrome/", "Chrome"),
            ("Safari/", "Safari"),
            ("curl/", "curl"),
        ]
        .into_iter()
        .find(|(needle, _)| user_agent.contains(needle))
        .map(|(_, name)| name);
        let system = [
            ("Android", "Android"),
            ("iPhone", "iOS"),
            ("iPad", "iPadOS"),
            ("Windows", "Windows"),
            ("Mac OS X", "macOS"),
            ("CrOS", "ChromeOS"),
            ("Linux", "Linux"),
        ]
        .into_iter()
        .find(|(needle, _)| user_agent.contains(needle))
        .map(|(_, name)| name);
        match (browser, system) {
            (Some(b), Some(s)) => crate::t!("auth-browser-on", browser = b, system = s),
            (Some(b), None) => b.to_string(),
            _ if user_agent.is_empty() => crate::t!("auth-browser-unknown"),
            _ => user_agent.chars().take(60).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_named_for_people() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(Client::browser(firefox), "Firefox on Linux");
        let chrome = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36";
        assert_eq!(Client::browser(chrome), "Chrome on Android");
        assert_eq!(Client::browser(""), "unknown browser");
    }
}
