//! Interface languages: English and Spanish.
//!
//! Every interface string comes from a Fluent catalogue,
//! `app/locales/<lang>/<feature>.ftl`, compiled into the server binary by
//! `fluent-templates`. Pages call [`t!`](crate::t) with a key; the language
//! is the request's, chosen once per request by [`Lang::negotiate`]: the
//! `lang` cookie (set by the switcher in the footer, a plain form that works
//! without JavaScript), else the browser's `Accept-Language`, else English.
//!
//! Catalogues are server-only. Islands never look strings up in the
//! browser: the page passes them the translated text as props, so the WASM
//! bundle carries no catalogue and hydration sees the same text the server
//! rendered.
//!
//! Numbers and dates are formatted here too ([`Lang::int`], [`Lang::date`]):
//! Fluent's `NUMBER()` has no grouping separators, and the few formats the
//! portal shows do not justify ICU.

use serde::{Deserialize, Serialize};

/// An interface language. Lessons may be translated into the same set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Es,
}

/// The cookie that remembers an explicit choice.
pub const COOKIE: &str = "lang";
/// One year, like the theme.
pub const COOKIE_MAX_AGE: u32 = 31_536_000;

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 tag: `<html lang>`, the cookie value, lesson file suffixes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's name in itself, as the switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// The language of a tag such as `es`, `es-MX` or `EN-gb`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next()?.trim();
        Lang::ALL
            .into_iter()
            .find(|l| primary.eq_ignore_ascii_case(l.code()))
    }

    /// The language chosen in a `Cookie:` header, if any.
    pub fn from_cookie_header(header: &str) -> Option<Lang> {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == COOKIE)
            .and_then(|(_, value)| Lang::from_code(value))
    }

    /// The request's language: the cookie, else the first language of
    /// `Accept-Language` we have (Fluent's matcher, so `es-AR` finds `es`),
    /// else English.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(lang) = cookie.and_then(Lang::from_cookie_header) {
            return lang;
        }
        accept_language
            .and_then(Lang::from_accept_language)
            .unwrap_or_default()
    }

    #[cfg(feature = "ssr")]
    fn from_accept_language(header: &str) -> Option<Lang> {
        use fluent_langneg::{negotiate_languages, NegotiationStrategy};
        use fluent_templates::LanguageIdentifier;
        // Quality values are ignored by the parser; browsers list languages
        // in order of preference anyway. Drop `q=0` ("not this one").
        let wanted: Vec<LanguageIdentifier> = header
            .split(',')
            .filter(|part| {
                !part.split(';').skip(1).any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .is_some_and(|q| q.trim().parse::<f32>() == Ok(0.0))
                })
            })
            .flat_map(fluent_langneg::accepted_languages::parse)
            .collect();
        let available: Vec<LanguageIdentifier> = Lang::ALL
            .iter()
            .filter_map(|l| l.code().parse().ok())
            .collect();
        let best = negotiate_languages(&wanted, &available, None, NegotiationStrategy::Lookup);
        best.first()
            .and_then(|id| Lang::from_code(id.language.as_str()))
    }

    #[cfg(not(feature = "ssr"))]
    fn from_accept_language(_header: &str) -> Option<Lang> {
        None
    }

    /// The language of a request's headers.
    pub fn from_headers(headers: &http::HeaderMap) -> Lang {
        Lang::negotiate(
            headers
                .get(http::header::COOKIE)
                .and_then(|v| v.to_str().ok()),
            headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        )
    }

    /// The `Set-Cookie` value that stores this choice.
    pub fn set_cookie(self) -> String {
        format!(
            "{COOKIE}={}; Path=/; Max-Age={COOKIE_MAX_AGE}; SameSite=Lax",
            self.code()
        )
    }

    /// An integer with the language's digit grouping: `12,345` / `12.345`.
    pub fn int(self, n: i64) -> String {
        let sep = match self {
            Lang::En => ',',
            Lang::Es => '.',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(d);
        }
        out
    }

    /// A day number (days since 1970-01-01) as a date. English keeps ISO
    /// 8601 (`2026-12-01`: unambiguous, and what developers read daily);
    /// Spanish writes day, month and year (`1 dic 2026`).
    pub fn date(self, day: i64) -> String {
        const ES: [&str; 12] = [
            "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
        ];
        let (y, m, d) = civil_from_days(day);
        match self {
            Lang::En => format!("{y:04}-{m:02}-{d:02}"),
            Lang::Es => format!("{d} {} {y}", ES[(m - 1) as usize]),
        }
    }

    /// A date or time the services wrote as ISO 8601 (`2026-12-01` or
    /// `2026-12-01T14:05:09Z`), as this language writes it. English shows
    /// it as given; text that is not such a date comes back unchanged.
    pub fn when(self, iso: &str) -> String {
        if self == Lang::En {
            return iso.to_string();
        }
        let num = |r: std::ops::Range<usize>| iso.get(r).and_then(|s| s.parse::<i64>().ok());
        let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
            return iso.to_string();
        };
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) || iso.get(4..5) != Some("-") {
            return iso.to_string();
        }
        let date = self.date(days_from_civil(y, m, d));
        match (iso.get(10..11), num(11..13), num(14..16)) {
            (Some("T" | " "), Some(h), Some(min)) => format!("{date}, {h:02}:{min:02} UTC"),
            _ => date,
        }
    }

    /// The language of the page being rendered (set by the shell).
    pub fn current() -> Lang {
        leptos::prelude::use_context::<Lang>().unwrap_or_else(Lang::from_request)
    }

    /// The language of the request being served, from its headers: a
    /// page or server function (Leptos context), else a form route or
    /// service running under the server's client middleware.
    pub fn from_request() -> Lang {
        #[cfg(feature = "ssr")]
        {
            leptos::prelude::use_context::<http::request::Parts>()
                .map(|parts| Lang::from_headers(&parts.headers))
                .or_else(|| crate::common::client::CLIENT.try_with(|c| c.lang).ok())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        Lang::En
    }
}

/// The day number of a civil date (inverse of [`civil_from_days`]).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1–12, day 1–31) of a day number: Howard Hinnant's
/// `civil_from_days`, exact for the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(feature = "ssr")]
mod catalogue {
    use super::Lang;
    use fluent_templates::{fluent_bundle::FluentValue, LanguageIdentifier, Loader};
    use std::{borrow::Cow, collections::HashMap, sync::LazyLock};

    fluent_templates::static_loader! {
        static LOCALES = {
            locales: "./locales",
            fallback_language: "en",
            // No Unicode isolation marks around arguments: they confuse
            // copy-paste and text search, and our arguments are plain text.
            customise: |bundle| bundle.set_use_isolating(false),
        };
    }

    static IDS: LazyLock<[LanguageIdentifier; 2]> = LazyLock::new(|| {
        [
            "en".parse().expect("en is a language tag"),
            "es".parse().expect("es is a language tag"),
        ]
    });

    fn id(lang: Lang) -> &'static LanguageIdentifier {
        &IDS[match lang {
            Lang::En => 0,
            Lang::Es => 1,
        }]
    }

    /// The message `key` in `lang` (English when that catalogue lacks it;
    /// the key itself, logged, when no catalogue has it).
    pub fn lookup(lang: Lang, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let found = if args.is_empty() {
            LOCALES.try_lookup(id(lang), key)
        } else {
            let map: HashMap<Cow<'static, str>, FluentValue> = args
                .iter()
                .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
                .collect();
            LOCALES.try_lookup_with_args(id(lang), key, &map)
        };
        found.unwrap_or_else(|| {
            tracing::error!(
                key,
                lang = lang.code(),
                "interface string missing from the catalogues"
            );
            key.to_string()
        })
    }
}

/// An argument to a message: text or a number (Fluent picks plural forms
/// from numbers, e.g. `{ $count -> [one] … *[other] … }`).
#[derive(Clone, Debug)]
pub enum Arg {
    Text(String),
    Num(f64),
}

macro_rules! arg_from {
    ($($t:ty => $v:ident),*) => {$(
        impl From<$t> for Arg {
            fn from(x: $t) -> Arg { Arg::$v(x.into()) }
        }
    )*};
}
arg_from!(String => Text, &str => Text, f64 => Num, i32 => Num, u32 => Num, f32 => Num);

impl From<&String> for Arg {
    fn from(x: &String) -> Arg {
        Arg::Text(x.clone())
    }
}
impl From<i64> for Arg {
    fn from(x: i64) -> Arg {
        Arg::Num(x as f64)
    }
}
impl From<usize> for Arg {
    fn from(x: usize) -> Arg {
        Arg::Num(x as f64)
    }
}
impl From<u64> for Arg {
    fn from(x: u64) -> Arg {
        Arg::Num(x as f64)
    }
}

/// The message `key` in `lang`, with arguments. Prefer the [`t!`](crate::t)
/// macro in pages.
pub fn text(lang: Lang, key: &str, args: &[(&'static str, Arg)]) -> String {
    #[cfg(feature = "ssr")]
    {
        use fluent_templates::fluent_bundle::FluentValue;
        let args: Vec<(&'static str, FluentValue<'static>)> = args
            .iter()
            .map(|(k, v)| {
                (
                    *k,
                    match v {
                        Arg::Text(s) => FluentValue::from(s.clone()),
                        Arg::Num(n) => FluentValue::from(*n),
                    },
                )
            })
            .collect();
        catalogue::lookup(lang, key, &args)
    }
    #[cfg(not(feature = "ssr"))]
    {
        // The browser has no catalogue (see the module doc): islands get
        // their text as props.
        let _ = (lang, args);
        key.to_string()
    }
}

/// An interface string in the current request's language:
/// `t!("nav-lessons")`, `t!("progress-done", count = n, total = m)`.
/// Keys live in `app/locales/{en,es}/*.ftl`; a test fails when a key used
/// in the code is missing from either catalogue.
#[macro_export]
macro_rules! t {
    ($key:literal) => {
        $crate::i18n::text($crate::i18n::Lang::current(), $key, &[])
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text(
            $crate::i18n::Lang::current(),
            $key,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}

/// Like [`t!`] in a language given explicitly (form handlers, mail).
#[macro_export]
macro_rules! t_in {
    ($lang:expr, $key:literal) => {
        $crate::i18n::text($lang, $key, &[])
    };
    ($lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text(
            $lang,
            $key,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}

/// An error sentence in `lang`. Services raise their refusals
/// ([`AppError`](crate::error::AppError)) with English sentences; the places
/// that show them to people (form error boxes, server-function answers for
/// islands) pass them through here. A sentence is found by its English text
/// among the catalogue messages without placeables; one that is not there
/// (a sentence built with runtime values, say) comes back unchanged, and so
/// does every sentence in English. The browser has no catalogue: there the
/// input is returned as it is.
pub fn sentence(lang: Lang, english: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        match sentences::key_of(english) {
            Some(key) if lang != Lang::En => catalogue::lookup(lang, key, &[]),
            _ => english.to_string(),
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = lang;
        english.to_string()
    }
}

#[cfg(feature = "ssr")]
mod sentences {
    //! English sentence → catalogue key, for [`sentence`](super::sentence).
    //!
    //! Built by parsing the embedded `.ftl` text with `fluent_syntax`: the
    //! static loader can look a key up but cannot list its messages, and
    //! `include_str!` cannot glob `locales/en/*.ftl`, so the catalogues that
    //! hold error sentences are named here: `errors.ftl`, and `common.ftl`
    //! for the two form sentences (`form-malformed`, `form-too-large`). The
    //! English side is rendered through the loader itself, so it is exactly
    //! the text a reader sees. A test checks that every fixed sentence the
    //! code raises is found.
    use super::{catalogue, Lang};
    use std::{collections::HashMap, sync::LazyLock};

    const CATALOGUES: [&str; 2] = [
        include_str!("../../locales/en/errors.ftl"),
        include_str!("../../locales/en/common.ftl"),
    ];

    static KEYS: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
        use fluent_syntax::ast::{Entry, PatternElement};
        let mut keys = HashMap::new();
        for text in CATALOGUES {
            // A catalogue that does not parse fails its own test; here the
            // messages that did parse still count.
            let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(res, _)| res);
            for entry in resource.body {
                let Entry::Message(message) = entry else {
                    continue;
                };
                let Some(pattern) = message.value else {
                    continue;
                };
                let plain = pattern
                    .elements
                    .iter()
                    .all(|e| matches!(e, PatternElement::TextElement { .. }));
                if plain {
                    let key: &'static str = message.id.name;
                    let english = catalogue::lookup(Lang::En, key, &[]);
                    keys.entry(english).or_insert(key);
                }
            }
        }
        keys
    });

    /// The key of the message whose English text is `english`.
    pub fn key_of(english: &str) -> Option<&'static str> {
        KEYS.get(english).copied()
    }
}

#[cfg(feature = "ssr")]
pub mod handler {
    //! `POST /lang`: the language switcher, a plain form.
    use super::Lang;
    use axum::{
        extract::Form,
        http::{header, HeaderMap, HeaderValue, StatusCode},
        response::{IntoResponse, Response},
    };
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct Choice {
        #[serde(default)]
        lang: String,
    }

    /// Stores the choice in the cookie and sends the reader back to the page
    /// they were on. An unknown language is a 400 with a sentence, and no
    /// cookie.
    pub async fn choose(
        headers: HeaderMap,
        form: Result<Form<Choice>, axum::extract::rejection::FormRejection>,
    ) -> Response {
        let asked = form.map(|Form(c)| c.lang).unwrap_or_default();
        let Some(lang) = Lang::from_code(&asked) else {
            tracing::info!(asked = %asked, "language switch refused: unknown language");
            let current = Lang::from_headers(&headers);
            return (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                crate::t_in!(current, "lang-unknown"),
            )
                .into_response();
        };
        let back =
            crate::ui::safe_back_path(headers.get(header::REFERER).and_then(|v| v.to_str().ok()));
        let mut resp = (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response();
        if let Ok(cookie) = HeaderValue::from_str(&lang.set_cookie()) {
            resp.headers_mut().insert(header::SET_COOKIE, cookie);
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_cookies() {
        assert_eq!(Lang::from_code("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::from_code("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::from_code(""), None);
        assert_eq!(
            Lang::from_cookie_header("theme=dark; lang=es; x=1"),
            Some(Lang::Es)
        );
        assert_eq!(Lang::from_cookie_header("lang=de"), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn negotiation_prefers_cookie_then_accept_language() {
        assert_eq!(Lang::negotiate(None, None), Lang::En);
        assert_eq!(
            Lang::negotiate(None, Some("es-AR,es;q=0.9,en;q=0.8")),
            Lang::Es
        );
        assert_eq!(Lang::negotiate(None, Some("fr-FR, es;q=0.5")), Lang::Es);
        assert_eq!(Lang::negotiate(None, Some("fr-FR, de")), Lang::En);
        assert_eq!(Lang::negotiate(None, Some("es;q=0, en")), Lang::En);
        assert_eq!(Lang::negotiate(Some("lang=en"), Some("es")), Lang::En);
        assert_eq!(Lang::negotiate(Some("lang=xx"), Some("es")), Lang::Es);
        assert_eq!(Lang::negotiate(None, Some("*, ;;;,,")), Lang::En);
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(Lang::En.int(1_234_567), "1,234,567");
        assert_eq!(Lang::Es.int(1_234_567), "1.234.567");
        assert_eq!(Lang::Es.int(-999), "-999");
        assert_eq!(Lang::En.int(0), "0");
        assert_eq!(Lang::En.date(20_788), "2026-12-01");
        assert_eq!(Lang::Es.date(20_788), "1 dic 2026");
        assert_eq!(Lang::Es.date(11_016), "29 feb 2000");
        assert_eq!(Lang::En.date(-1), "1969-12-31");
        assert_eq!(
            Lang::Es.when("2026-12-01T14:05:09Z"),
            "1 dic 2026, 14:05 UTC"
        );
        assert_eq!(Lang::Es.when("2000-02-29"), "29 feb 2000");
        assert_eq!(
            Lang::En.when("2026-12-01T14:05:09Z"),
            "2026-12-01T14:05:09Z"
        );
        assert_eq!(Lang::Es.when("never"), "never");
        assert_eq!(Lang::Es.when("2026-13-01"), "2026-13-01");
        for day in [-800_000, -1, 0, 11_016, 20_788, 2_000_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn lookups_fall_back_and_take_arguments() {
        assert_eq!(text(Lang::En, "nav-lessons", &[]), "Lessons");
        assert_eq!(text(Lang::Es, "nav-lessons", &[]), "Lecciones");
        assert_eq!(text(Lang::Es, "no-such-key", &[]), "no-such-key");
    }

    /// Every catalogue has exactly the keys of the English one, every key
    /// the code uses exists, and every file parses.
    #[cfg(feature = "ssr")]
    #[test]
    fn catalogues_are_complete() {
        use std::collections::BTreeSet;
        use std::path::Path;
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let keys = |lang: &str| -> BTreeSet<String> {
            let mut keys = BTreeSet::new();
            let dir = root.join("locales").join(lang);
            for entry in std::fs::read_dir(&dir).expect("catalogue folder") {
                let path = entry.expect("entry").path();
                if path.extension().is_none_or(|e| e != "ftl") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("read ftl");
                let resource =
                    fluent_syntax::parser::parse(text.as_str()).unwrap_or_else(|(_, errs)| {
                        panic!("{} does not parse: {errs:?}", path.display())
                    });
                for entry in resource.body {
                    if let fluent_syntax::ast::Entry::Message(m) = entry {
                        assert!(
                            keys.insert(m.id.name.to_string()),
                            "{}: key {} defined twice in {lang}",
                            path.display(),
                            m.id.name
                        );
                    }
                }
            }
            keys
        };
        let en = keys("en");
        for lang in Lang::ALL.iter().map(|l| l.code()).filter(|c| *c != "en") {
            let other = keys(lang);
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(missing.is_empty(), "keys missing in {lang}: {missing:?}");
            assert!(extra.is_empty(), "keys only in {lang}: {extra:?}");
        }
        // Keys the code asks for, found by the macro call syntax.
        let mut used = BTreeSet::new();
        let mut stack = vec![root.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let src = std::fs::read_to_string(&path).expect("read rs");
                    if path.ends_with("i18n/mod.rs") {
                        continue; // its docs show made-up keys
                    }
                    for name in ["t!(", "t_in!("] {
                        for (i, _) in src.match_indices(name) {
                            // A whole macro name, not the end of `assert!(`.
                            if src[..i]
                                .chars()
                                .next_back()
                                .is_some_and(|c| c.is_alphanumeric() || c == '_')
                            {
                                continue;
                            }
                            // `t!("key"` or `t_in!(lang, "key"`
                            let rest = &src[i + name.len()..];
                            let Some(q) = rest.find('"') else { continue };
                            if rest[..q].contains([')', ';']) {
                                continue;
                            }
                            let key_rest = &rest[q + 1..];
                            if let Some(end) = key_rest.find('"') {
                                used.insert(key_rest[..end].to_string());
                            }
                        }
                    }
                }
            }
        }
        used.remove("no-such-key");
        let unknown: Vec<_> = used.difference(&en).collect();
        assert!(
            unknown.is_empty(),
            "keys used in code but not in the catalogues: {unknown:?}"
        );
        assert!(used.len() > 10, "the scan found only {} keys", used.len());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn error_sentences_translate_by_their_english_text() {
        let english = "There is no such lesson.";
        assert_eq!(sentence(Lang::Es, english), "Esa lección no existe.");
        assert_eq!(sentence(Lang::En, english), english);
        // common.ftl's form sentences are found too.
        assert_eq!(
            sentence(Lang::Es, "The form is too large."),
            "El formulario es demasiado grande."
        );
        let unknown = "Too many failed sign-ins for this email. Try again in 7 minutes.";
        assert_eq!(sentence(Lang::Es, unknown), unknown);
        assert_eq!(sentence(Lang::Es, ""), "");
    }

    /// Every fixed sentence an `AppError` is built with in `src` (a string
    /// literal, not a `format!`) has an `errors.ftl` (or `common.ftl`) key,
    /// and so do the fixed variants' own sentences.
    #[cfg(feature = "ssr")]
    #[test]
    fn every_fixed_error_sentence_has_a_key() {
        use crate::error::AppError;
        use std::path::Path;
        let mut found = Vec::new();
        let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src folder") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let src = std::fs::read_to_string(&path).expect("read rs");
                // Tests build made-up errors.
                let src = src.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
                for variant in [
                    "BadRequest",
                    "Denied",
                    "NotFound",
                    "Conflict",
                    "TooManyRequests",
                ] {
                    let call = format!("AppError::{variant}(");
                    for (i, _) in src.match_indices(&call) {
                        let rest = src[i + call.len()..].trim_start();
                        let Some(lit) = rest.strip_prefix('"') else {
                            continue; // a variable, format!, a pattern
                        };
                        let mut text = String::new();
                        let mut chars = lit.chars();
                        while let Some(c) = chars.next() {
                            match c {
                                '"' => break,
                                '\\' => match chars.next() {
                                    // A line continuation drops the newline
                                    // and the next line's indentation.
                                    Some('\n') => {
                                        let tail = chars.as_str().trim_start();
                                        chars = tail.chars();
                                    }
                                    Some('n') => text.push('\n'),
                                    Some(other) => text.push(other),
                                    None => break,
                                },
                                c => text.push(c),
                            }
                        }
                        found.push((path.display().to_string(), text));
                    }
                }
            }
        }
        assert!(
            found.len() > 20,
            "the scan found only {} sentences",
            found.len()
        );
        for e in [
            AppError::Unauthorized,
            AppError::BadCredentials,
            AppError::Forbidden,
            AppError::Internal("context".into()),
        ] {
            found.push(("error.rs".into(), e.to_string()));
        }
        let missing: Vec<_> = found
            .iter()
            .filter(|(_, text)| sentences::key_of(text).is_none())
            .collect();
        assert!(
            missing.is_empty(),
            "error sentences without a key in errors.ftl: {missing:?}"
        );
    }
}
