//! The `chronik` binary: parses the command line and hands over to the library.

use chronik_api::config::{Cli, Command};
use chronik_api::{cli, server};
use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    server::init_tracing();
    match cli.command() {
        Command::Serve(args) => server::serve(&cli.database, args).await,
        Command::Migrate => server::migrate(&cli.database).await,
        Command::Import(args) => cli::import(&cli.database, args).await,
        Command::Export(args) => cli::export(&cli.database, args).await,
        Command::Generate(args) => cli::generate(&cli.database, args).await,
        Command::Token(command) => server::token(&cli.database, command).await,
    }
}
