//! The one markdown pipeline (lessons and the editor preview):
//! pulldown-cmark → heading ids + TOC, code highlighted to CSS classes
//! (syntect), relative images → `/media/...` → ammonia sanitizer.
//! Run once per file when content loads, never per request.

use std::{collections::HashSet, sync::OnceLock};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use syntect::{
    highlighting::ThemeSet,
    html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator},
    parsing::SyntaxSet,
    util::LinesWithEndings,
};

use super::model::TocEntry;
use crate::common::html::SafeHtml;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The output of rendering one markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub html: SafeHtml,
    pub toc: Vec<TocEntry>,
    /// Plain text for search and reading-time estimates.
    pub text: String,
    /// Link targets with the file line they appear on (for validation).
    pub links: Vec<(usize, String)>,
    /// Relative image paths with their line (for validation).
    pub images: Vec<(usize, String)>,
    /// The first ```gift block: its source and first line.
    pub quiz: Option<(String, usize)>,
    /// Every ```exercise block (source, first line), in order. Each left a
    /// [`exercise_slot`] in `html` for the exercise's card.
    pub exercises: Vec<(String, usize)>,
    /// Every id in `html`, for checking `#fragment` links.
    pub anchors: Vec<String>,
    /// Images on other sites with their line: the content security policy
    /// lets browsers load this site's images only.
    pub remote_images: Vec<(usize, String)>,
}

/// The placeholder an ```exercise block leaves in the rendered body; the
/// loader swaps in the exercise's card once the block is parsed.
pub fn exercise_slot(n: usize) -> String {
    format!("<div class=\"exercise-slot\" id=\"exercise-slot-{n}\"></div>")
}

fn syntaxes() -> std::sync::Arc<SyntaxSet> {
    super::fences::syntax_set()
}

/// The code background of each theme: `--code-bg` in `style/main.css`
/// (a unit test keeps the two equal).
pub const CODE_BG_LIGHT: [u8; 3] = [0xf4, 0xf4, 0xf0];
pub const CODE_BG_DARK: [u8; 3] = [0x1e, 0x23, 0x28];
/// WCAG AA for normal text is 4.5:1; a little above it so that rounding in
/// a browser or a checker never tips a colour under.
const MIN_CONTRAST: f64 = 4.6;

/// Stylesheet for highlighted code: a light theme by default and a dark one
/// under `[data-theme=dark]` or the OS preference (CSS nesting). Each theme
/// applies under exactly one condition, so no rule of one leaks into the
/// other. Token colours are darkened (light) or lightened (dark) until they
/// reach [`MIN_CONTRAST`] on the code background; the themes' own token
/// backgrounds are dropped, so every token sits on that background.
pub fn highlight_css() -> String {
    let themes = ThemeSet::load_defaults();
    let css = |name: &str, bg: [u8; 3]| {
        let theme = accessible_theme(&themes.themes[name], bg);
        css_for_theme_with_class_style(&theme, CLASS_STYLE).unwrap_or_default()
    };
    let light = css("InspiredGitHub", CODE_BG_LIGHT);
    let dark = css("base16-ocean.dark", CODE_BG_DARK);
    format!(
        "@media not all and (prefers-color-scheme: dark) {{ :root:not([data-theme=\"dark\"]) {{\n{light}\n}} }}\n:root[data-theme=\"light\"] {{\n{light}\n}}\n:root[data-theme=\"dark\"] {{\n{dark}\n}}\n@media (prefers-color-scheme: dark) {{ :root:not([data-theme=\"light\"]) {{\n{dark}\n}} }}\n"
    )
}

/// `theme` with every foreground at [`MIN_CONTRAST`] or more on `bg`.
fn accessible_theme(
    theme: &syntect::highlighting::Theme,
    bg: [u8; 3],
) -> syntect::highlighting::Theme {
    let mut theme = theme.clone();
    let fix = |c: &mut syntect::highlighting::Color| {
        let [r, g, b] = readable_on([c.r, c.g, c.b], c.a, bg);
        *c = syntect::highlighting::Color { r, g, b, a: 0xff };
    };
    if let Some(c) = theme.settings.foreground.as_mut() {
        fix(c);
    }
    for item in &mut theme.scopes {
        item.style.background = None;
        if let Some(c) = item.style.foreground.as_mut() {
            fix(c);
        }
    }
    theme
}

/// `fg` (with alpha, over `bg`) moved towards black on a light background
/// or white on a dark one, in small steps, until it reads at
/// [`MIN_CONTRAST`]: the hue stays, only the lightness changes.
pub fn readable_on(fg: [u8; 3], alpha: u8, bg: [u8; 3]) -> [u8; 3] {
    let a = f64::from(alpha) / 255.0;
    let blend = |i: usize| f64::from(fg[i]) * a + f64::from(bg[i]) * (1.0 - a);
    let base = [blend(0), blend(1), blend(2)];
    let target = if relative_luminance(bg) > 0.18 {
        0.0
    } else {
        255.0
    };
    let mut out = [0u8; 3];
    for step in 0..=100 {
        let t = f64::from(step) / 100.0;
        for (o, v) in out.iter_mut().zip(base) {
            *o = (v + (target - v) * t).round() as u8;
        }
        if contrast_ratio(out, bg) >= MIN_CONTRAST {
            break;
        }
    }
    out
}

/// WCAG 2 relative luminance of an sRGB colour.
pub fn relative_luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// WCAG 2 contrast ratio of two colours (1 to 21).
pub fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (relative_luminance(a), relative_luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A code block: highlighted to classes, and focusable (`tabindex="0"`) so
/// that a block wider than the screen can be scrolled from the keyboard.
fn highlight(code: &str, lang: &str) -> String {
    // `ejs` → `erb`, `scss` → `css`, …: never plain when a close syntax exists.
    let lang = super::fences::fence_language(lang);
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(lang)
        .unwrap_or_else(|| set.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!("<pre tabindex=\"0\"><code>{}</code></pre>", escape(code));
        }
    }
    let lang_class = if lang.chars().all(|c| c.is_ascii_alphanumeric()) && !lang.is_empty() {
        format!(" class=\"language-{lang}\"")
    } else {
        String::new()
    };
    format!(
        "<pre class=\"code\" tabindex=\"0\"><code{lang_class}>{}</code></pre>",
        generator.finalize()
    )
}

pub use crate::common::html::escape;

fn is_relative(url: &str) -> bool {
    !url.is_empty() && !url.starts_with('/') && !url.starts_with('#') && !url.contains(':')
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static CLEAN: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEAN.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["input"])
            .add_generic_attributes(["id"])
            .attribute_filter(|element, attribute, value| {
                // Task-list checkboxes only: no text inputs, no forms.
                if element == "input" && attribute == "type" && value != "checkbox" {
                    return None;
                }
                // Focusable code blocks, never an order of the author's own.
                if attribute == "tabindex" && value != "0" {
                    return None;
                }
                // Authors' ids are kept but prefixed, as GitHub does, so they
                // cannot clobber the page's own ids; the renderer's own
                // anchors (headings, footnotes) stay as they are.
                if attribute == "id"
                    && !value.starts_with(USER_CONTENT)
                    && !OWN_IDS.with(|ids| ids.borrow().contains(value))
                {
                    return Some(format!("{USER_CONTENT}{value}").into());
                }
                Some(value.into())
            })
            .filter_style_properties(["text-align"].into_iter().collect())
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer"));
        // Footnotes, highlighted code, table alignment (ids: any element).
        let allowed: [(&[&str], &[&str]); 5] = [
            (&["div", "sup"], &["class"]),
            (&["span", "code"], &["class"]),
            (&["pre", "table"], &["class", "tabindex"]),
            (&["th", "td"], &["style"]),
            (&["input"], &["type", "checked", "disabled"]),
        ];
        for (tags, attributes) in allowed {
            for tag in tags {
                b.add_tag_attributes(tag, attributes.iter().copied());
            }
        }
        b
    })
}

/// The prefix of ids authors wrote (GitHub's).
pub const USER_CONTENT: &str = "user-content-";

thread_local! {
    /// The ids the renderer itself gave the body being sanitized (headings,
    /// footnotes): the sanitizer keeps these unprefixed.
    static OWN_IDS: std::cell::RefCell<HashSet<String>> = Default::default();
}

/// Sanitizes arbitrary HTML into [`SafeHtml`].
pub fn sanitize(html: &str) -> SafeHtml {
    SafeHtml::from_sanitized(sanitizer().clean(html).to_string())
}

/// Sanitizes a rendered body, keeping `own` ids as they are.
fn sanitize_body(html: &str, own: HashSet<String>) -> SafeHtml {
    OWN_IDS.with(|ids| *ids.borrow_mut() = own);
    let clean = sanitize(html);
    OWN_IDS.with(|ids| ids.borrow_mut().clear());
    clean
}

/// Every `id` in sanitized HTML (the serializer always writes `id="…"`).
fn ids_in(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|id| id.replace("&amp;", "&"))
        .collect()
}

/// Renders a lesson body. `body_line` is the file line the body starts on,
/// `track` the folder relative images are served from.
pub fn render(body: &str, body_line: usize, track: &str) -> Rendered {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    options.insert(Options::ENABLE_SMART_PUNCTUATION);

    let newlines: Vec<usize> = body
        .char_indices()
        .filter(|(_, c)| *c == '\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |offset: usize| body_line + newlines.partition_point(|&n| n < offset);

    let mut out: Vec<Event> = Vec::new();
    let mut toc = Vec::new();
    let mut used_ids = HashSet::new();
    let mut text = String::new();
    let mut links = Vec::new();
    let mut images = Vec::new();
    let mut quiz = None;
    let mut exercises = Vec::new();
    let mut footnotes: HashSet<String> = HashSet::new();
    let mut remote_images = Vec::new();

    // A heading being collected: its start event, inner events, plain text.
    let mut heading: Option<(Tag, Vec<Event>, String)> = None;
    // A code block being collected: language, code, first line.
    let mut code: Option<(String, String, usize)> = None;

    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        if let Some((_, buf, _)) = &mut code {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, src, line) = code.take().unwrap_or_default();
                    if lang == "gift" {
                        if quiz.is_none() {
                            quiz = Some((src, line));
                        }
                    } else if lang == "exercise" {
                        used_ids.insert(format!("exercise-slot-{}", exercises.len()));
                        out.push(Event::Html(CowStr::from(exercise_slot(exercises.len()))));
                        exercises.push((src, line));
                    } else {
                        text.push_str(&src);
                        text.push('\n');
                        out.push(Event::Html(CowStr::from(highlight(&src, &lang))));
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::FootnoteDefinition(label)) = &event {
            footnotes.insert(label.to_string());
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .next()
                        .unwrap_or("")
                        .to_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new(), line_of(range.start) + 1));
            }
            Event::Start(tag @ Tag::Heading { .. }) => {
                heading = Some((tag, Vec::new(), String::new()));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((
                    Tag::Heading {
                        id, classes, attrs, ..
                    },
                    inner,
                    plain,
                )) = heading.take()
                {
                    let base = id
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| crate::common::slug::heading_id(&plain));
                    // A repeated heading gets -1, -2… as on GitHub.
                    let mut unique = base.clone();
                    let mut n = 0;
                    while !used_ids.insert(unique.clone()) {
                        n += 1;
                        unique = format!("{base}-{n}");
                    }
                    let depth = level as u8;
                    if (2..=3).contains(&depth) {
                        toc.push(TocEntry {
                            level: depth,
                            id: unique.clone(),
                            text: plain.trim().to_string(),
                        });
                    }
                    text.push_str(&plain);
                    text.push('\n');
                    out.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(unique)),
                        classes,
                        attrs,
                    }));
                    out.extend(inner);
                    out.push(Event::End(TagEnd::Heading(level)));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                links.push((line_of(range.start), dest_url.to_string()));
                push(
                    &mut heading,
                    &mut out,
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }),
                );
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if dest_url.starts_with("http://")
                    || dest_url.starts_with("https://")
                    || dest_url.starts_with("//")
                {
                    remote_images.push((line_of(range.start), dest_url.to_string()));
                }
                let dest_url = if is_relative(&dest_url) {
                    images.push((line_of(range.start), dest_url.to_string()));
                    CowStr::from(format!("/media/{track}/{dest_url}"))
                } else {
                    dest_url
                };
                push(
                    &mut heading,
                    &mut out,
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }),
                );
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                match &mut heading {
                    Some((_, _, plain)) => plain.push_str(t),
                    None => text.push_str(t),
                }
                push(&mut heading, &mut out, event);
            }
            // A space at every block boundary, so the search text never
            // glues the words of two list items or cells ("ModuleLearn").
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::HtmlBlock
                | TagEnd::FootnoteDefinition,
            ) => {
                text.push(' ');
                push(&mut heading, &mut out, event);
            }
            other => push(&mut heading, &mut out, other),
        }
    }

    // Same-page links to an id the renderer did not make point at the
    // author's (prefixed) id.
    for event in &mut out {
        if let Event::Start(Tag::Link { dest_url, .. }) = event {
            if let Some(frag) = dest_url.strip_prefix('#') {
                if !frag.is_empty() && !used_ids.contains(frag) && !footnotes.contains(frag) {
                    *dest_url = CowStr::from(format!("#{USER_CONTENT}{frag}"));
                }
            }
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // Tables scroll sideways on a narrow screen (`display: block;
    // overflow-x: auto`), so, like code blocks, they take keyboard focus.
    let html = html.replace("<table>", r#"<table tabindex="0">"#);
    let own: HashSet<String> = used_ids.iter().cloned().chain(footnotes).collect();
    let html = sanitize_body(&html, own);
    let anchors = ids_in(html.as_str());
    Rendered {
        anchors,
        remote_images,
        html,
        toc,
        text: text.split_whitespace().collect::<Vec<_>>().join(" "),
        links,
        images,
        quiz,
        exercises,
    }
}

fn push<'a>(
    heading: &mut Option<(Tag<'a>, Vec<Event<'a>>, String)>,
    out: &mut Vec<Event<'a>>,
    e: Event<'a>,
) {
    match heading {
        Some((_, inner, _)) => inner.push(e),
        None => out.push(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md, 1, "t").html.as_str().to_string()
    }

    #[test]
    fn headings_get_ids_and_a_toc() {
        let r = render(
            "## Why `401` ≠ 403?\n\ntext\n\n### Details\n\n## Details\n",
            10,
            "t",
        );
        assert_eq!(
            r.toc,
            vec![
                TocEntry {
                    level: 2,
                    id: "why-401--403".into(),
                    text: "Why 401 ≠ 403?".into()
                },
                TocEntry {
                    level: 3,
                    id: "details".into(),
                    text: "Details".into()
                },
                TocEntry {
                    level: 2,
                    id: "details-1".into(),
                    text: "Details".into()
                },
            ]
        );
        assert!(r
            .html
            .as_str()
            .contains(r#"<h2 id="why-401--403">Why <code>401</code>"#));
        assert!(r.html.as_str().contains(r#"<h2 id="details-1">"#));
    }

    #[test]
    fn explicit_heading_id_wins() {
        assert!(html("## Setup {#install}\n").contains(r#"<h2 id="install">Setup</h2>"#));
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let h = html("```rust\nfn main() { let x = 1; }\n```\n");
        assert!(
            h.contains(r#"<pre class="code" tabindex="0"><code class="language-rust">"#),
            "{h}"
        );
        assert!(h.contains("hl-"), "{h}");
        assert!(!h.contains("style="), "{h}");
        assert!(highlight_css().contains(".hl-"));
    }

    /// Every token colour of both highlighting themes reads at WCAG AA
    /// (4.5:1) on its theme's code background, and those backgrounds are
    /// the stylesheet's `--code-bg`.
    #[test]
    fn highlighting_colours_meet_wcag_aa_on_the_code_background() {
        let hex = |s: &str| {
            let v = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).unwrap();
            [v(0), v(2), v(4)]
        };
        let main_css = include_str!("../../../style/main.css");
        let code_bgs: Vec<[u8; 3]> = main_css
            .match_indices("--code-bg: #")
            .map(|(i, m)| hex(&main_css[i + m.len()..i + m.len() + 6]))
            .collect();
        assert!(code_bgs.contains(&CODE_BG_LIGHT), "{code_bgs:?}");
        assert!(code_bgs.contains(&CODE_BG_DARK), "{code_bgs:?}");
        assert!(code_bgs
            .iter()
            .all(|c| *c == CODE_BG_LIGHT || *c == CODE_BG_DARK));

        let css = highlight_css();
        // Four blocks: light (OS), light (chosen), dark (chosen), dark (OS).
        let blocks: Vec<&str> = css.split(":root").skip(1).collect();
        assert_eq!(blocks.len(), 4, "{css}");
        let mut checked = 0;
        for (n, block) in blocks.iter().enumerate() {
            let bg = if n < 2 { CODE_BG_LIGHT } else { CODE_BG_DARK };
            assert!(
                block.matches("background-color").count() <= 1,
                "only .hl-code (unused) may set a background: {block}"
            );
            for line in block.lines() {
                let Some(rest) = line.trim().strip_prefix("color: #") else {
                    continue;
                };
                assert_eq!(rest.len(), 7, "opaque #rrggbb; expected: {line}");
                let ratio = contrast_ratio(hex(rest), bg);
                assert!(ratio >= 4.5, "{line} on {bg:02x?}: {ratio:.2}:1");
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked} colours checked");
        // The two colours axe-core reported on /lessons/databases/indexes.
        assert!(contrast_ratio([0x96, 0x98, 0x96], CODE_BG_LIGHT) < 4.5);
        assert!(
            contrast_ratio(
                readable_on([0x96, 0x98, 0x96], 0xff, CODE_BG_LIGHT),
                CODE_BG_LIGHT
            ) >= 4.5
        );
        assert!(
            contrast_ratio(
                readable_on([0x65, 0x73, 0x7e], 0xff, CODE_BG_DARK),
                CODE_BG_DARK
            ) >= 4.5
        );
    }

    #[test]
    fn unknown_language_is_escaped_plain_text() {
        let h = html("```nosuchlang\n<script>alert(1)</script>\n```\n");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        assert!(!h.contains("<script>"));
    }

    #[test]
    fn author_ids_are_prefixed_and_same_page_links_follow() {
        let r = render(
            "## Check\n\nSee [the check](#check) and [the answer](#answer).\n\n<span id=\"answer\">42</span>\n\n<h2 id=\"main\">clash</h2>\n\n## Check\n\nNote[^n].\n\n[^n]: A footnote.\n",
            1,
            "t",
        );
        let h = r.html.as_str();
        assert!(
            h.contains("<h2 id=\"check\">") && h.contains("<h2 id=\"check-1\">"),
            "{h}"
        );
        assert!(h.contains("href=\"#check\""), "heading links stay: {h}");
        assert!(
            h.contains("id=\"user-content-answer\"") && h.contains("href=\"#user-content-answer\""),
            "{h}"
        );
        assert!(
            h.contains("id=\"user-content-main\""),
            "an author cannot take the page's ids: {h}"
        );
        assert!(
            h.contains("id=\"n\"") && h.contains("href=\"#n\""),
            "footnotes work: {h}"
        );
        for id in ["check", "check-1", "user-content-answer", "n"] {
            assert!(
                r.anchors.contains(&id.to_string()),
                "{id} in {:?}",
                r.anchors
            );
        }
    }

    #[test]
    fn close_fence_languages_are_highlighted() {
        let h = html("```ejs\n<%= user.name %>\n```\n\n```scss\n.a { color: red; }\n```\n");
        assert!(
            h.contains("language-erb") && h.contains("language-css"),
            "{h}"
        );
        assert!(h.matches("<span class=").count() > 2, "highlighted: {h}");
    }

    #[test]
    fn block_boundaries_separate_words_in_the_search_text() {
        let r = render(
            "- Module\n- Learn\n\n| Head | Cell |\n|---|---|\n| one | two |\n\n> quote\n\nafter",
            1,
            "t",
        );
        assert_eq!(r.text, "Module Learn Head Cell one two quote after");
    }

    #[test]
    fn gift_block_becomes_the_quiz_not_body() {
        let r = render("Intro\n\n```gift\n::Q:: 1+1? {=2 ~3}\n```\n", 5, "t");
        let (src, line) = r.quiz.unwrap();
        assert_eq!(src, "::Q:: 1+1? {=2 ~3}\n");
        assert_eq!(line, 8);
        assert!(!r.html.as_str().contains("1+1"));
        assert!(!r.text.contains("1+1"));
    }

    #[test]
    fn extensions_render() {
        let h = html("| a | b |\n|---|:-:|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo\n\nNote[^1].\n\n[^1]: The footnote.\n\n\"quoted\"\n");
        assert!(h.contains(r#"<table tabindex="0">"#), "{h}");
        assert!(h.contains("<del>old</del>"));
        assert!(h.contains(r#"type="checkbox""#));
        assert!(h.contains("footnote-definition"));
        assert!(h.contains("“quoted”"));
    }

    #[test]
    fn links_and_images_are_collected_with_lines() {
        let r = render(
            "line one\n\n[a](/lessons/x/y)\n\n![pic](img/diagram.png)\n",
            3,
            "basics",
        );
        assert_eq!(r.links, vec![(5, "/lessons/x/y".to_string())]);
        assert_eq!(r.images, vec![(7, "img/diagram.png".to_string())]);
        assert!(r
            .html
            .as_str()
            .contains(r#"src="/media/basics/img/diagram.png""#));
    }

    #[test]
    fn external_links_get_noopener() {
        let h = html("[x](https://example.com)");
        assert!(h.contains(r#"rel="noopener noreferrer""#), "{h}");
    }

    /// At least twenty classic XSS payloads: none may leave anything executable.
    #[test]
    fn xss_payloads_render_inert() {
        let payloads = [
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//evil/x.js></SCRIPT>",
            "<img src=x onerror=alert(1)>",
            "<img src=\"javascript:alert(1)\">",
            "<svg onload=alert(1)>",
            "<svg><script>alert(1)</script></svg>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<iframe src=\"javascript:alert(1)\"></iframe>",
            "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
            "<embed src=\"javascript:alert(1)\">",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
            "<a href=\"vbscript:msgbox(1)\">x</a>",
            "[click](javascript:alert(1))",
            "![x](javascript:alert(1))",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<style>body{background:red}</style>",
            "<body onload=alert(1)>",
            "<input type=\"text\" onfocus=alert(1) autofocus>",
            "<form action=\"javascript:alert(1)\"><button>x</button></form>",
            "<details open ontoggle=alert(1)>",
            "<marquee onstart=alert(1)>",
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
            "<base href=\"javascript:alert(1)//\">",
            "<link rel=stylesheet href=\"javascript:alert(1)\">",
            "<video><source onerror=alert(1)></video>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<p title=\"</p><script>alert(1)</script>\">x</p>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
        ];
        assert!(payloads.len() >= 20);
        for p in payloads {
            let out = html(p).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onload",
                "onfocus",
                "ontoggle",
                "onstart",
                "javascript:",
                "vbscript:",
                "data:",
                "<svg",
                "<math",
                "<iframe",
                "<object",
                "<embed",
                "<style",
                "<form",
                "<meta",
                "<base",
                "<link",
                "style=",
            ] {
                assert!(!out.contains(bad), "payload {p:?} left {bad:?} in {out:?}");
            }
        }
    }

    #[test]
    fn slugify_examples() {
        use crate::common::slug::heading_id;
        assert_eq!(heading_id("Hello, World!"), "hello-world");
        assert_eq!(heading_id("  SQL: JOINs  "), "sql-joins");
        assert_eq!(heading_id("A request's journey"), "a-requests-journey");
        assert_eq!(heading_id("!!!"), "section");
    }
}
