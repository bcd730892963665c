//! [`SafeHtml`]: the only HTML the pages insert unescaped.

use serde::{Deserialize, Serialize};

/// HTML that went through the sanitizer. The only type the pages insert with
/// `inner_html`; it can be built only by the render pipeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SafeHtml(String);

impl SafeHtml {
    /// Only the renderer calls this, right after `ammonia` cleaned `html`.
    #[cfg(feature = "ssr")]
    pub(crate) fn from_sanitized(html: String) -> SafeHtml {
        SafeHtml(html)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Escapes text for HTML (element content and quoted attributes).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
