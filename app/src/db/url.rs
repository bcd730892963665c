//! `--db` / `ACADEMY_DB`: a path or `sqlite:` URL (the default), or a
//! `postgres://` URL. Anything else that looks like a URL is refused with a
//! sentence: `academy migrate --db postgres:/x` once created an SQLite file
//! in a folder named `postgres:`, and a typo must not do that again.

use std::{fmt, path::PathBuf, str::FromStr};

/// Where the data lives.
#[derive(Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// An SQLite file (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL, kept whole for sqlx and `pg_dump`.
    Postgres(String),
}

impl DbUrl {
    pub fn is_postgres(&self) -> bool {
        matches!(self, DbUrl::Postgres(_))
    }
}

/// Shown in logs and messages without the password.
impl fmt::Display for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbUrl::Sqlite(p) => write!(f, "{}", p.display()),
            DbUrl::Postgres(u) => f.write_str(&redacted(u)),
        }
    }
}

impl fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<PathBuf> for DbUrl {
    fn from(p: PathBuf) -> Self {
        DbUrl::Sqlite(p)
    }
}

impl FromStr for DbUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("the database is empty: give a file path, sqlite://FILE or postgres://…".into());
        }
        if let Some(rest) = s
            .strip_prefix("postgres://")
            .or_else(|| s.strip_prefix("postgresql://"))
        {
            if rest.is_empty() {
                return Err(format!("{s:?} names no PostgreSQL server: write postgres://USER:PASSWORD@HOST:PORT/DATABASE"));
            }
            return Ok(DbUrl::Postgres(s.to_string()));
        }
        if let Some(rest) = s.strip_prefix("sqlite://").or_else(|| s.strip_prefix("sqlite:")) {
            let path = rest.split('?').next().unwrap_or("");
            if path.is_empty() || path == ":memory:" {
                return Err(format!("{s:?} names no file: write sqlite://data/academy.db, or postgres://USER:PASSWORD@HOST:PORT/DATABASE (an in-memory database would lose everything at exit)"));
            }
            return Ok(DbUrl::Sqlite(PathBuf::from(path)));
        }
        if let Some(scheme) = url_scheme(s) {
            return Err(format!(
                "{s:?} looks like a URL of the scheme {scheme:?}, which Backend Academy does not know: use a file path, sqlite://FILE, or postgres://USER:PASSWORD@HOST:PORT/DATABASE (a file whose name has a colon: write ./{s})"
            ));
        }
        Ok(DbUrl::Sqlite(PathBuf::from(s)))
    }
}

/// The scheme of something that looks like a URL (`name:` at the start,
/// `name` two or more letters, digits, `+`, `-` or `.`), or `None` for a
/// path (`data/x.db`, `./a:b.db`, `/abs`).
fn url_scheme(s: &str) -> Option<&str> {
    let (scheme, _) = s.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && scheme.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// `url` with its password replaced by `***`, for messages and logs.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_sqlite_urls_are_files() {
        for (input, path) in [
            ("data/academy.db", "data/academy.db"),
            ("/var/lib/academy/a.db", "/var/lib/academy/a.db"),
            ("sqlite://data/a.db", "data/a.db"),
            ("sqlite:data/a.db", "data/a.db"),
            ("sqlite:///abs/a.db?mode=rwc", "/abs/a.db"),
            ("./a:b.db", "./a:b.db"),
            ("a.db", "a.db"),
        ] {
            assert_eq!(input.parse::<DbUrl>().unwrap(), DbUrl::Sqlite(PathBuf::from(path)), "{input}");
        }
    }

    #[test]
    fn postgres_urls_are_kept_whole() {
        for input in ["postgres://u:p@h:5432/db", "postgresql://h/db?sslmode=require"] {
            assert_eq!(input.parse::<DbUrl>().unwrap(), DbUrl::Postgres(input.into()));
        }
    }

    #[test]
    fn unknown_schemes_and_url_like_paths_are_refused_with_a_sentence() {
        for input in [
            "mysql://u@h/db",
            "postgres:/x",
            "postgres:",
            "postgres://",
            "http://example.com/db",
            "sqlite://",
            "sqlite::memory:",
            "pg://h/db",
            "",
        ] {
            let e = input.parse::<DbUrl>().unwrap_err();
            assert!(e.len() > 30, "{input}: {e}");
        }
    }

    #[test]
    fn passwords_never_reach_messages() {
        let url: DbUrl = "postgres://academy:s3cret@db:5432/academy".parse().unwrap();
        assert_eq!(url.to_string(), "postgres://academy:***@db:5432/academy");
        assert!(!format!("{url:?}").contains("s3cret"));
    }
}
