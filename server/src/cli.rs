//! Command line: every flag is also an environment variable.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "academy",
    version,
    about = "Backend Academy: a self-hostable learning portal for backend developers"
)]
pub struct Cli {
    /// The database: an SQLite file path or `sqlite://FILE` (created on
    /// first start), or `postgres://USER:PASSWORD@HOST:PORT/DATABASE` for
    /// several instances on one PostgreSQL (14 or newer).
    #[arg(
        long,
        env = "ACADEMY_DB",
        default_value = "data/academy.db",
        global = true
    )]
    pub db: app::db::DbUrl,

    /// Log lines as text (coloured only on a terminal) or as JSON, one
    /// object a line, for log shippers.
    #[arg(
        long,
        env = "ACADEMY_LOG_FORMAT",
        default_value = "text",
        value_parser = ["text", "json"],
        global = true
    )]
    pub log_format: String,

    #[command(subcommand)]
    pub command: Command,
}

// Parsed once per process: the size of `Serve`'s flags costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal over HTTP.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Copy the database while the server runs (a consistent snapshot,
    /// checked). On PostgreSQL: runs `pg_dump`, or prints the command.
    Backup {
        /// Where to write the copy (must not exist).
        file: PathBuf,
    },
    /// Print the questions of a GIFT file as JSON (to check a Moodle export).
    Gift {
        /// The .gift file.
        file: PathBuf,
    },
    /// Check the curriculum: print every problem as file:line and exit 1 if any.
    CheckContent {
        /// Content folder to check.
        #[arg(env = "ACADEMY_CONTENT", default_value = "content")]
        dir: PathBuf,
    },
    /// Turn existing markdown (a folder of .md files or an mdBook) into a
    /// content tree; re-running rewrites the same files with the same ids.
    Import {
        /// The folder of markdown files, or the mdBook (with book.toml).
        src: PathBuf,
        /// The content folder to write into (may already hold tracks).
        dest: PathBuf,
    },
    /// Copy a whole install to another database (for example from SQLite
    /// to PostgreSQL), then check it by counting the rows of every table.
    /// The target must be empty; stop the servers first.
    MigrateData {
        /// The database to copy (`sqlite://…` or a path, or `postgres://…`).
        #[arg(long)]
        from: app::db::DbUrl,
        /// The database to fill (migrated first; must hold no data).
        #[arg(long)]
        to: app::db::DbUrl,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (the password is read from standard input).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "learner", value_parser = ["learner", "instructor", "admin"])]
        role: String,
        /// Read the password from standard input (required: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Change an account's role.
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = ["learner", "instructor", "admin"])]
        role: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ACADEMY_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Folder with the curriculum (tracks, lessons, quizzes, salaries.csv).
    #[arg(long, env = "ACADEMY_CONTENT", default_value = "content")]
    pub content: PathBuf,
    /// Folder with the built site assets (`pkg/` with JS, WASM, CSS).
    #[arg(long, env = "ACADEMY_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// Who may register: open, invite-only (needs a cohort code) or closed.
    #[arg(long, env = "ACADEMY_REGISTRATION", default_value = "open", value_parser = ["open", "invite-only", "closed"])]
    pub registration: String,
    /// The public URL (e.g. https://academy.example.org); https makes cookies Secure and sends HSTS.
    #[arg(long, env = "ACADEMY_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// SMTP relay for "forgot password" mail: smtp://[USER:PASSWORD@]HOST[:PORT]
    /// (needs --public-url, which the links in the mail name).
    #[arg(long, env = "ACADEMY_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of that mail.
    #[arg(
        long,
        env = "ACADEMY_MAIL_FROM",
        default_value = "Backend Academy <academy@localhost>"
    )]
    pub mail_from: String,
    /// Hours of inactivity after which a session ends.
    #[arg(long, env = "ACADEMY_SESSION_IDLE_HOURS", default_value_t = 336)]
    pub session_idle_hours: u64,
    /// Days after sign-in after which a session ends, used or not.
    #[arg(long, env = "ACADEMY_SESSION_MAX_DAYS", default_value_t = 30)]
    pub session_max_days: u64,
    /// Quiz score (percent) that passes a lesson.
    #[arg(long, env = "ACADEMY_PASS_MARK", default_value_t = 70, value_parser = clap::value_parser!(u32).range(0..=100))]
    pub pass_mark: u32,
    /// When quizzes show right answers and feedback, unless a lesson's
    /// `quiz_reveal` says otherwise.
    #[arg(long, env = "ACADEMY_QUIZ_REVEAL", default_value = "after-pass", value_parser = ["after-attempt", "after-pass", "never"])]
    pub quiz_reveal: String,
    /// Attempts a learner may make at each quiz, unless a lesson's
    /// `quiz_max_attempts` says otherwise (default: unlimited).
    #[arg(long, env = "ACADEMY_QUIZ_MAX_ATTEMPTS", value_parser = clap::value_parser!(u32).range(1..))]
    pub quiz_max_attempts: Option<u32>,
    /// Trust X-Forwarded-For for client IPs (only behind your own reverse proxy).
    #[arg(long, env = "ACADEMY_BEHIND_PROXY")]
    pub behind_proxy: bool,
    /// With --behind-proxy: how many proxies of yours stand in front (the
    /// client is that many entries from the right of X-Forwarded-For).
    #[arg(long, env = "ACADEMY_TRUSTED_PROXIES", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=10))]
    pub trusted_proxies: u8,
    /// Seconds a response may take to start before it is answered 503.
    #[arg(long, env = "ACADEMY_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout: u64,
    /// Seconds in-flight requests may finish after SIGTERM before their
    /// connections are dropped.
    #[arg(long, env = "ACADEMY_SHUTDOWN_GRACE", default_value_t = 10, value_parser = clap::value_parser!(u64).range(0..=3600))]
    pub shutdown_grace: u64,
    /// SQL worker processes for exercises (runs at once); default: one per
    /// core, at most 4.
    #[arg(long, env = "ACADEMY_LAB_WORKERS", value_parser = clap::value_parser!(u64).range(1..=64))]
    pub lab_workers: Option<u64>,
    /// Roles that must turn two-factor sign-in on before using their pages
    /// (comma-separated: learner, instructor, admin; default: none).
    #[arg(long, env = "ACADEMY_REQUIRE_MFA", value_delimiter = ',', value_parser = ["learner", "instructor", "admin"])]
    pub require_mfa: Vec<String>,
    /// "Sign in with the school": the OpenID Connect issuer URL of the
    /// school's identity provider (discovered at start; register
    /// `<public URL>/login/oidc/callback` as the redirect URI there).
    #[arg(long, env = "ACADEMY_OIDC_ISSUER", requires_all = ["oidc_client_id", "oidc_client_secret"])]
    pub oidc_issuer: Option<String>,
    /// The client id the provider gave this site.
    #[arg(long, env = "ACADEMY_OIDC_CLIENT_ID", requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,
    /// The client secret (prefer the environment variable: arguments are
    /// visible to every user of the machine).
    #[arg(
        long,
        env = "ACADEMY_OIDC_CLIENT_SECRET",
        requires = "oidc_issuer",
        hide_env_values = true
    )]
    pub oidc_client_secret: Option<String>,
    /// The provider's name on the button ("Sign in with NAME").
    #[arg(long, env = "ACADEMY_OIDC_NAME", default_value = "your school")]
    pub oidc_name: String,
    /// Email domains that may sign in with the provider (comma-separated,
    /// case-insensitive); default: any the provider vouches for.
    #[arg(long, env = "ACADEMY_OIDC_ALLOWED_DOMAINS", value_delimiter = ',')]
    pub oidc_allowed_domains: Vec<String>,
}

impl ServeArgs {
    /// The OpenID Connect provider of the `--oidc-*` flags, if any;
    /// `public_origin` is `--public-url`'s (the redirect URI is built on it).
    pub fn oidc(
        &self,
        public_origin: Option<String>,
    ) -> Result<Option<app::auth::oidc::Oidc>, String> {
        let Some(issuer) = self.oidc_issuer.clone() else {
            return Ok(None);
        };
        let settings = app::auth::oidc::OidcSettings {
            issuer,
            client_id: self.oidc_client_id.clone().unwrap_or_default(),
            client_secret: self.oidc_client_secret.clone().unwrap_or_default(),
            name: self.oidc_name.trim().to_string(),
            allowed_domains: self
                .oidc_allowed_domains
                .iter()
                .map(|d| d.trim().trim_start_matches('@').to_lowercase())
                .filter(|d| !d.is_empty())
                .collect(),
            public_origin,
        };
        app::auth::oidc::Oidc::new(settings).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_flags_parse_and_db_is_global() {
        let cli = Cli::try_parse_from([
            "academy",
            "serve",
            "--addr",
            "127.0.0.1:8080",
            "--db",
            "/tmp/x.db",
            "--content",
            "c",
            "--site-root",
            "s",
        ])
        .unwrap();
        assert_eq!(cli.db, app::db::DbUrl::Sqlite(PathBuf::from("/tmp/x.db")));
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        assert_eq!(args.addr.port(), 8080);
        assert_eq!(args.site_root, PathBuf::from("s"));
    }

    #[test]
    fn oidc_flags_parse_and_need_each_other() {
        let cli = Cli::try_parse_from([
            "academy",
            "serve",
            "--oidc-issuer",
            "https://id.example.org",
            "--oidc-client-id",
            "academy",
            "--oidc-client-secret",
            "s",
            "--oidc-allowed-domains",
            "A.edu, @b.edu",
        ])
        .unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        let oidc = args.oidc(None).unwrap().expect("configured");
        assert_eq!(oidc.settings().allowed_domains, ["a.edu", "b.edu"]);
        assert_eq!(oidc.name(), "your school");
        assert!(
            Cli::try_parse_from([
                "academy",
                "serve",
                "--oidc-issuer",
                "https://id.example.org"
            ])
            .is_err(),
            "an issuer without client id and secret"
        );
        assert!(Cli::try_parse_from(["academy", "serve", "--oidc-client-id", "x"]).is_err());
    }

    #[test]
    fn bad_address_is_rejected() {
        assert!(Cli::try_parse_from(["academy", "serve", "--addr", "nowhere"]).is_err());
    }

    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
