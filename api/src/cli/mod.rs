//! The `chronik` commands, one module each, and [`run`], which hands the parsed command line to
//! the one it names (`serve`, the default, is `server.rs`). Results go to stdout (or the named
//! file); logs, progress bars (only on a terminal) and summaries go to stderr.

mod database;
mod export;
pub mod extract;
mod generate;
mod import;
mod migrate;
mod progress;
mod token;

use crate::config::{Cli, Command};
use crate::server;

/// Logs to stderr; `RUST_LOG` chooses what (default: info for Chronik, warnings for the rest).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,chronik=info,chronik_api=info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

/// Runs the command the command line names.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let database = &cli.database;
    match cli.command() {
        Command::Serve(args) => server::serve(database, args).await,
        Command::Migrate => migrate::run(database).await,
        Command::Import(args) => import::run(database, args).await,
        Command::Export(args) => export::run(database, args).await,
        Command::Generate(args) => generate::run(database, args).await,
        Command::Token(command) => token::run(database, command).await,
        Command::Extract(args) => extract::run(args),
    }
}
