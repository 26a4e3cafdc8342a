//! The `chronik` binary: parses the command line and hands over to the library's commands.

use chronik_api::cli;
use chronik_api::config::Cli;
use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    cli::init_tracing();
    cli::run(cli).await
}
