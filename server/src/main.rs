use std::process::ExitCode;

use academy_server::{
    cli::{Cli, Command},
    Config, StartError,
};
use clap::Parser;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .init();
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

async fn run(cli: Cli) -> Result<(), StartError> {
    match cli.command {
        Command::Migrate => {
            let pool = app::db::open(&cli.db).await?;
            app::db::migrate(&pool).await?;
            println!("database {} is up to date", cli.db.display());
            pool.close().await;
            Ok(())
        }
        Command::Serve(args) => {
            let config = Config {
                db: cli.db,
                content: args.content,
                site_root: args.site_root,
            };
            let state = academy_server::state(&config).await?;
            let listener = tokio::net::TcpListener::bind(args.addr)
                .await
                .map_err(|source| StartError::Bind {
                    addr: args.addr.to_string(),
                    source,
                })?;
            // The bound address (not the flag): with port 0 the OS picks one.
            let bound = listener.local_addr().unwrap_or(args.addr);
            tracing::info!(db = %config.db.display(), "Backend Academy listening on http://{bound}");
            academy_server::serve(listener, state, academy_server::shutdown_signal()).await
        }
    }
}
