use std::process::ExitCode;

use academy_server::{
    cli::{Cli, Command},
    Config, StartError,
};
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// See server/Cargo.toml: measured faster than glibc malloc for page rendering.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gives back to the OS the pages freed by a content load, on this thread
/// and on the parallel renderer's (rayon) threads. mimalloc returns freed
/// pages only as a thread allocates again, and those threads then sit idle:
/// measured with the shipped curriculum, 74 MB RSS after start without
/// this, about 52 MB with it.
fn return_freed_memory() {
    extern "C" {
        fn mi_collect(force: bool);
    }
    // SAFETY: mi_collect only walks and trims the calling thread's own
    // mimalloc heap (and abandoned pages); it takes no pointers.
    rayon::broadcast(|_| unsafe { mi_collect(true) });
    unsafe { mi_collect(true) };
}

fn main() -> ExitCode {
    // No transparent huge pages for this process: mimalloc asks for them on
    // its arenas, and a 2 MiB page is resident as soon as one byte of it is
    // touched. Measured at start-up with the shipped curriculum: 216 MB RSS
    // with them (184 MB of it huge pages), 151 MB without, same speed.
    // mimalloc gives freed pages back after a delay, checked only as a
    // thread allocates again: threads that then sit idle (the renderer's
    // after a content load, a quiet worker) kept them. At once instead:
    // same req/s in `make bench`, and the process stays small.
    extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    /// `mi_option_purge_delay` in mimalloc.h (the same in its v2 and v3).
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    // SAFETY: sets one of mimalloc's integer options; no pointers.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    let _ = app::lessons::store::AFTER_LOAD.set(return_freed_memory);
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and only
    // sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // The labs' SQL worker: started by the server itself, never by a person
    // (so not in `--help`); see app/src/labs/sql/pool.rs.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == "sql-worker")
    {
        return match app::labs::sql::worker::serve() {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        };
    }
    let cli = Cli::parse();
    if let Command::CheckContent { dir } = &cli.command {
        return check_content(dir);
    }
    if let Command::Gift { file } = &cli.command {
        return gift_json(file);
    }
    if let Command::Import { src, dest } = &cli.command {
        return import(src, dest);
    }
    init_logging(&cli.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to standard error: as text, coloured only when it is a terminal
/// (a file or journald would keep the escape codes), or as JSON lines.
fn init_logging(format: &str) {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        logs.json().with_ansi(false).init();
    } else {
        logs.with_ansi(std::io::stderr().is_terminal()).init();
    }
}

async fn run(cli: Cli) -> Result<(), StartError> {
    match cli.command {
        Command::Migrate => {
            let pool = app::db::Db::open(&cli.db).await?;
            pool.migrate().await?;
            println!("database {} is up to date", cli.db);
            pool.close().await;
            Ok(())
        }
        Command::CheckContent { .. } | Command::Gift { .. } | Command::Import { .. } => Ok(()),
        Command::User(cmd) => academy_server::users::run(&cli.db, cmd).await,
        Command::Backup { file } => {
            let pool = app::db::Db::open(&cli.db).await?;
            let result = app::db::backup(&pool, &cli.db, &file).await;
            pool.close().await;
            match result? {
                app::db::Backup::Written(bytes) if cli.db.is_postgres() => println!(
                    "backed up {} to {} with pg_dump ({bytes} bytes; restore with pg_restore)",
                    cli.db,
                    file.display()
                ),
                app::db::Backup::Written(bytes) => println!(
                    "backed up {} to {} ({bytes} bytes, integrity ok)",
                    cli.db,
                    file.display()
                ),
                app::db::Backup::Command(command) => {
                    println!("{command}");
                    return Err(StartError::Config(
                        "pg_dump is not installed here: nothing was written. Run the command above where PostgreSQL's client tools are installed (Debian: apt-get install postgresql-client).".into(),
                    ));
                }
            }
            Ok(())
        }
        Command::MigrateData { from, to } => {
            let report = app::db::copy::copy_install(&from, &to).await?;
            for (table, rows) in &report {
                println!("{table:<20} {rows:>9} rows");
            }
            let total: u64 = report.iter().map(|(_, n)| n).sum();
            println!("copied {total} rows from {from} to {to}; every table's count matches");
            Ok(())
        }
        Command::Serve(args) => {
            let secure = args
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://"));
            let oidc = args
                .oidc(
                    args.public_url
                        .as_deref()
                        .and_then(academy_server::security::origin_of),
                )
                .map_err(StartError::Config)?;
            let mut config = Config::new(cli.db, args.content, args.site_root);
            config.http = academy_server::HttpSettings {
                trusted_proxies: if args.behind_proxy {
                    args.trusted_proxies.into()
                } else {
                    0
                },
                public_origin: args
                    .public_url
                    .as_deref()
                    .and_then(academy_server::security::origin_of),
                request_timeout: std::time::Duration::from_secs(args.request_timeout),
                shutdown_grace: std::time::Duration::from_secs(args.shutdown_grace),
            };
            if let Some(n) = args.lab_workers {
                config.lab_workers = n as usize;
            }
            if args.public_url.is_some() && config.http.public_origin.is_none() {
                return Err(StartError::Config(
                    "--public-url must look like https://academy.example.org".into(),
                ));
            }
            config.settings = app::state::Settings {
                registration: args.registration.parse().map_err(StartError::Config)?,
                session_idle: std::time::Duration::from_secs(args.session_idle_hours * 3600),
                session_max_age: std::time::Duration::from_secs(args.session_max_days * 86_400),
                secure_cookies: secure,
                pass_mark: args.pass_mark,
                quiz_reveal: match args.quiz_reveal.as_str() {
                    "after-attempt" => app::quiz::model::Reveal::AfterAttempt,
                    "never" => app::quiz::model::Reveal::Never,
                    _ => app::quiz::model::Reveal::AfterPass,
                },
                quiz_max_attempts: args.quiz_max_attempts,
                public_url: args.public_url.clone(),
                require_mfa: args
                    .require_mfa
                    .iter()
                    .map(|r| r.parse())
                    .collect::<Result<_, _>>()
                    .map_err(StartError::Config)?,
                oidc,
            };
            config.smtp_url = args.smtp_url.clone();
            config.mail_from = args.mail_from.clone();
            let state = academy_server::state(&config).await?;
            // Before "listening" is logged: a supervisor may signal from then on.
            let shutdown = academy_server::shutdown_signal();
            let listener = tokio::net::TcpListener::bind(args.addr)
                .await
                .map_err(|source| StartError::Bind {
                    addr: args.addr.to_string(),
                    source,
                })?;
            // The bound address (not the flag): with port 0 the OS picks one.
            let bound = listener.local_addr().unwrap_or(args.addr);
            if !bound.ip().is_loopback() && !secure {
                tracing::warn!(
                    addr = %bound,
                    "listening beyond this machine without an https --public-url: passwords and session cookies would cross the network unencrypted. Put a TLS proxy in front and pass --public-url https://…"
                );
            }
            tracing::info!(db = %config.db, "Backend Academy listening on http://{bound}");
            academy_server::serve(listener, state, config.http, shutdown).await
        }
    }
}

/// `academy check-content [DIR]`: for instructors' CI.
fn check_content(dir: &std::path::Path) -> ExitCode {
    if !dir.is_dir() {
        eprintln!("error: {} is not a folder", dir.display());
        return ExitCode::FAILURE;
    }
    let mut store = app::lessons::load::load(dir, None);
    // Every exercise's reference solution must pass its own check.
    match tokio::runtime::Runtime::new() {
        Ok(rt) => {
            let found = rt.block_on(academy_server::check_exercises(&store));
            store.problems.extend(found);
        }
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    }
    for p in &store.problems {
        println!("{p}");
    }
    let drafts = store.lessons.values().filter(|l| l.meta.draft).count();
    if store.problems.is_empty() {
        let exercises: usize = store.lessons.values().map(|l| l.exercises.len()).sum();
        println!(
            "ok: {} tracks, {} lessons ({} drafts), {} exercises (every reference solution passes), {} translations (each matches its original, none outdated), no problems",
            store.tracks.len(),
            store.lesson_count(),
            drafts,
            exercises,
            store.translations.len()
        );
        ExitCode::SUCCESS
    } else {
        println!("{} problem(s) found", store.problems.len());
        ExitCode::FAILURE
    }
}

/// `academy import SRC DEST`: the report on standard output (what could
/// not be mapped, as file:line); exit 1 only if nothing could be imported.
fn import(src: &std::path::Path, dest: &std::path::Path) -> ExitCode {
    match app::lessons::import::import(src, dest) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `academy gift FILE`: the parsed questions as JSON, errors as file:line.
fn gift_json(file: &std::path::Path) -> ExitCode {
    let src = match std::fs::read_to_string(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    };
    match app::quiz::gift::parse_with_warnings(&src) {
        Ok(parsed) => {
            // Weights Moodle would refuse: the quiz works here, but say so
            // before the bank goes back to Moodle.
            for w in &parsed.warnings {
                eprintln!("{}:{}: warning: {}", file.display(), w.line, w.message);
            }
            let json = app::quiz::export::to_json(&parsed.quiz);
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for e in errors {
                eprintln!("{}:{}: {}", file.display(), e.line, e.message);
            }
            ExitCode::FAILURE
        }
    }
}
