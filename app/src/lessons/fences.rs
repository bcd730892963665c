//! Fence languages: the info string of a ```` ``` ```` block mapped to a
//! name the highlighter (syntect's bundled default syntaxes) knows. One
//! function for the renderer and `academy import`, so a fence is never
//! left plain when a close syntax exists.
//!
//! The bundled set (syntect 5, `default-syntaxes`) has no TypeScript, JSX,
//! SCSS, TOML, INI or Dockerfile syntax; the aliases below send those to the
//! closest one it has. `sass` would otherwise resolve to *Ruby Haml* (a
//! file extension of that syntax), so aliases are looked up first.

use std::sync::{Arc, Mutex, Weak};

use syntect::parsing::SyntaxSet;

/// syntect's bundled default syntaxes, loaded on first use and shared by
/// everyone who holds them; dropped when the last holder lets go. A content
/// load holds them for its duration ([`super::load::load`]), so its lessons
/// share one set, and nothing keeps them once the lessons are rendered: the
/// set and the regexes it compiles while highlighting were the largest part
/// of the server's memory (measured with the shipped curriculum, 73 MB RSS
/// after start with the set kept, see the README's performance section).
/// An editor preview or a reload loads them again (a few ms).
pub fn syntax_set() -> Arc<SyntaxSet> {
    static SET: Mutex<Weak<SyntaxSet>> = Mutex::new(Weak::new());
    let mut held = SET.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(set) = held.upgrade() {
        return set;
    }
    let set = Arc::new(SyntaxSet::load_defaults_newlines());
    *held = Arc::downgrade(&set);
    set
}

/// Fence names that mean "no highlighting" on purpose (never reported).
const PLAIN: &[&str] = &[
    "",
    "text",
    "txt",
    "plain",
    "plaintext",
    "output",
    "none",
    "nohighlight",
    "log",
    "raw",
];

/// Names this site gives a meaning of its own: never highlighted.
pub const SPECIAL: &[&str] = &["gift", "exercise"];

/// Aliases (lower case) → a token syntect's default set resolves. Checked
/// before syntect's own lookup. TypeScript is resolved at run time (see
/// [`fence_language`]), so a syntax set that gains it is used.
const ALIASES: &[(&[&str], &str)] = &[
    // Templates: EJS and ERB share `<% %>` / `<%= %>`.
    (&["ejs", "eta", "html+erb", "rhtml"], "erb"),
    (
        &[
            "vue",
            "svelte",
            "astro",
            "handlebars",
            "hbs",
            "mustache",
            "jinja",
            "jinja2",
            "j2",
            "njk",
            "nunjucks",
            "liquid",
            "twig",
            "html5",
            "xhtml",
            "htm",
        ],
        "html",
    ),
    // Stylesheets.
    (
        &["scss", "sass", "less", "postcss", "pcss", "stylus", "styl"],
        "css",
    ),
    // JavaScript family.
    (
        &[
            "js",
            "jsx",
            "mjs",
            "cjs",
            "javascriptreact",
            "node",
            "nodejs",
            "es6",
            "ecmascript",
        ],
        "javascript",
    ),
    (
        &[
            "json5",
            "jsonc",
            "jsonl",
            "ndjson",
            "geojson",
            "webmanifest",
        ],
        "json",
    ),
    // Shells, terminal sessions, and files that are shell lines at heart.
    (
        &[
            "sh",
            "shell",
            "zsh",
            "ksh",
            "bash",
            "console",
            "terminal",
            "shell-session",
            "shellsession",
            "sh-session",
            "bash-session",
            "dockerfile",
            "docker",
            "containerfile",
            "env",
            "dotenv",
        ],
        "bash",
    ),
    (&["yml"], "yaml"),
    // `key = value` files.
    (
        &[
            "ini",
            "toml",
            "cfg",
            "editorconfig",
            "gitconfig",
            "conf-unix",
        ],
        "properties",
    ),
    (
        &["py", "py3", "python3", "python2", "pycon", "ipython", "gyp"],
        "python",
    ),
    (&["rb", "jruby", "rake", "gemfile", "irb"], "ruby"),
    (&["rs"], "rust"),
    (&["golang"], "go"),
    (&["c#", "csharp", "cs", "dotnet"], "cs"),
    (&["c++", "cpp", "cxx", "hpp", "cc"], "cpp"),
    (
        &["objc", "obj-c", "objectivec", "objective-c"],
        "objective-c",
    ),
    (
        &[
            "psql",
            "postgresql",
            "postgres",
            "pgsql",
            "plpgsql",
            "mysql",
            "mariadb",
            "sqlite",
            "sqlite3",
            "tsql",
            "plsql",
            "mssql",
            "sparksql",
            "hql",
        ],
        "sql",
    ),
    (&["patch", "udiff"], "diff"),
    (
        &[
            "svg", "xsl", "xslt", "plist", "wsdl", "csproj", "pom", "xaml",
        ],
        "xml",
    ),
    (&["make", "mk", "mak"], "makefile"),
    (&["tex", "latex"], "latex"),
    (&["md", "mdown", "markdown", "mdx"], "markdown"),
    (&["bat", "cmd", "batch", "dos"], "bat"),
    (&["clj", "cljs", "cljc", "edn"], "clojure"),
    (&["hs"], "haskell"),
    (&["gradle"], "groovy"),
    (&["octave"], "matlab"),
];

/// The language word of an info string: ```` ```rust,ignore ```` → `rust`,
/// ```` ```{.python} ```` → `python`, ```` ```ejs title="x" ```` → `ejs`.
pub fn fence_token(info: &str) -> &str {
    let s = info.trim().trim_start_matches('{').trim_start_matches('.');
    let end = s
        .find(|c: char| c.is_whitespace() || c == ',' || c == '{' || c == '}')
        .unwrap_or(s.len());
    &s[..end]
}

/// The name to highlight a fence with: its language word mapped to one
/// syntect's default syntaxes know when a close syntax exists (`ejs` →
/// `erb`, `scss` → `css`, `tsx` → `javascript`, `console` → `bash`, …);
/// otherwise the word itself (compare case-insensitively: the word is
/// returned as written).
pub fn fence_language(info: &str) -> &str {
    let token = fence_token(info);
    let lower = token.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "ts" | "tsx" | "typescript" | "typescriptreact" | "mts" | "cts"
    ) {
        return if knows("typescript") {
            "typescript"
        } else {
            "javascript"
        };
    }
    ALIASES
        .iter()
        .find(|(names, _)| names.contains(&lower.as_str()))
        .map_or(token, |(_, target)| target)
}

/// Whether the highlighter has a syntax for `lang` (a mapped name).
pub fn knows(lang: &str) -> bool {
    !lang.is_empty() && syntax_set().find_syntax_by_token(lang).is_some()
}

/// Whether `lang` (a mapped name) asks for no highlighting on purpose, or is
/// one of this site's own blocks (`gift`, `exercise`).
pub fn is_plain_on_purpose(lang: &str) -> bool {
    let lower = lang.to_ascii_lowercase();
    PLAIN.contains(&lower.as_str()) || SPECIAL.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_target_is_a_syntax_the_highlighter_has() {
        for (names, target) in ALIASES {
            assert!(
                knows(target),
                "{target} (for {names:?}) is not in syntect's defaults"
            );
        }
    }

    #[test]
    fn the_bundled_set_lacks_what_the_aliases_stand_in_for() {
        // If one of these starts to exist, map to it instead.
        for missing in [
            "typescript",
            "tsx",
            "jsx",
            "scss",
            "toml",
            "ini",
            "dockerfile",
            "ejs",
        ] {
            assert!(
                !knows(missing),
                "syntect now knows {missing}: update ALIASES"
            );
        }
        // `sass` is a Ruby Haml extension there: the alias must win.
        assert!(knows("sass"));
        assert_eq!(fence_language("sass"), "css");
    }

    #[test]
    fn maps_close_languages() {
        for (info, expected) in [
            ("ejs", "erb"),
            ("scss", "css"),
            ("jsx", "javascript"),
            ("tsx", "javascript"),
            ("TypeScript", "javascript"),
            ("Dockerfile", "bash"),
            ("shell-session", "bash"),
            ("console", "bash"),
            ("yml", "yaml"),
            ("toml", "properties"),
            ("rust,ignore", "rust"),
            ("{.python}", "python"),
            ("ejs title=\"views/index.ejs\"", "erb"),
            ("postgresql", "sql"),
        ] {
            let got = fence_language(info);
            assert_eq!(got, expected, "{info}");
            assert!(knows(got), "{info} → {got}");
        }
    }

    #[test]
    fn known_and_unknown_words_pass_through() {
        assert_eq!(fence_language("rust"), "rust");
        assert_eq!(fence_language("Python"), "Python");
        assert!(knows("Python") && knows("erb") && knows("go") && knows("java"));
        assert_eq!(fence_language("kotlin"), "kotlin");
        assert!(!knows("kotlin") && !knows("http") && !knows(""));
        assert!(
            is_plain_on_purpose("text") && is_plain_on_purpose("") && is_plain_on_purpose("gift")
        );
        assert!(!is_plain_on_purpose("kotlin"));
    }
}
