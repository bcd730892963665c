//! Quiz text as HTML, rendered as Moodle renders each format and sanitized
//! by the lessons pipeline (the only way to a [`SafeHtml`]):
//!
//! - `[moodle]` (and unmarked) text is HTML whose line breaks are kept
//!   (Moodle's `text_to_html`);
//! - `[html]` is HTML as written;
//! - `[plain]` is text: markup is shown, not interpreted, line breaks kept;
//! - `[markdown]` goes through the lessons' markdown renderer.

use super::model::{Format, Question, Rich};
use crate::{
    common::html::SafeHtml,
    lessons::render::{escape, render, sanitize},
};

/// Rendered quiz texts by (format, inline, text). Every quiz form and every
/// graded attempt shows the same few hundred texts; sanitizing them on each
/// request cost ~4 ms of CPU per submission (`make bench`'s quiz_submit
/// fell from 14k to 450 req/s), a lookup costs microseconds.
static RENDERED: std::sync::LazyLock<std::sync::RwLock<Memo>> =
    std::sync::LazyLock::new(Default::default);

/// Rendered HTML by (format, inline, text).
type Memo = std::collections::HashMap<(Format, bool, String), SafeHtml>;

/// The most texts remembered (then the memo starts over).
const REMEMBERED: usize = 50_000;

fn memo(text: &str, format: Format, inline: bool, make: impl FnOnce() -> SafeHtml) -> SafeHtml {
    let key = (format, inline, text.to_string());
    if let Some(hit) = RENDERED.read().ok().and_then(|m| m.get(&key).cloned()) {
        return hit;
    }
    let html = make();
    if let Ok(mut m) = RENDERED.write() {
        if m.len() >= REMEMBERED {
            m.clear();
        }
        m.insert(key, html.clone());
    }
    html
}

/// `text` in `format` as a block of HTML (question text, feedback).
pub fn html(text: &str, format: Format, line: usize) -> SafeHtml {
    memo(text, format, false, || render_html(text, format, line))
}

fn render_html(text: &str, format: Format, line: usize) -> SafeHtml {
    match format {
        Format::Moodle => sanitize(&text.replace('\n', "<br>\n")),
        Format::Html => sanitize(text),
        Format::Plain => sanitize(&escape(text).replace('\n', "<br>\n")),
        Format::Markdown => render(text, line, "").html,
    }
}

/// `text` in `format` as inline HTML (a choice's label, a matching item):
/// markdown's paragraph around a single line is dropped, since a `<p>`
/// inside a `<label>` is invalid HTML (and breaks hydration).
pub fn inline(text: &str, format: Format, line: usize) -> SafeHtml {
    memo(text, format, true, || render_inline(text, format, line))
}

fn render_inline(text: &str, format: Format, line: usize) -> SafeHtml {
    let block = html(text, format, line);
    let s = block.as_str().trim();
    match s
        .strip_prefix("<p>")
        .and_then(|r| r.strip_suffix("</p>"))
        .filter(|inner| !inner.contains("<p>"))
    {
        Some(inner) => sanitize(inner),
        None => block,
    }
}

/// A feedback or general feedback text as HTML.
pub fn rich(r: &Rich, line: usize) -> SafeHtml {
    html(&r.text, r.format, line)
}

/// A question's text as sanitized HTML.
pub fn question(q: &Question) -> SafeHtml {
    html(&q.text, q.format, q.line)
}

/// Text in `format` as plain text, for "right answer" lines and CSV: tags
/// dropped, a few entities decoded (the result is shown escaped).
pub fn plain(text: &str, format: Format) -> String {
    if format == Format::Plain {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' if format != Format::Markdown => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_renders_as_moodle_does() {
        // Unmarked/[moodle] text is HTML (not shown escaped), line breaks kept.
        assert_eq!(
            html("<b>bold</b>\nnext", Format::Moodle, 1).as_str(),
            "<b>bold</b><br>\nnext"
        );
        assert_eq!(html("<b>bold</b>", Format::Html, 1).as_str(), "<b>bold</b>");
        assert_eq!(
            html("<b>x</b>", Format::Plain, 1).as_str(),
            "&lt;b&gt;x&lt;/b&gt;"
        );
        assert!(html("**x**", Format::Markdown, 1)
            .as_str()
            .contains("<strong>x</strong>"));
        assert_eq!(
            inline("**x**", Format::Markdown, 1).as_str(),
            "<strong>x</strong>"
        );
        // Sanitized whatever the format.
        for f in [Format::Moodle, Format::Html, Format::Markdown] {
            let h = html(
                "<script>alert(1)</script><img src=x onerror=alert(1)>",
                f,
                1,
            );
            assert!(
                !h.as_str().contains("script") && !h.as_str().contains("onerror"),
                "{h:?}"
            );
        }
        assert_eq!(plain("<b>a</b> &amp; b", Format::Html), "a & b");
        assert_eq!(plain("a < b", Format::Plain), "a < b");
    }
}
