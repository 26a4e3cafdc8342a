//! Typed configuration: the command line, with an environment variable for every option.

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand};

/// Chronik: a timeline and event database for reconstructing an affair from its sources.
#[derive(Debug, Clone, Parser)]
#[command(name = "chronik", version, about)]
pub struct Cli {
    /// Database URL: a SQLite file (`sqlite://chronik.db`, or a plain path) or `postgres://…`.
    #[arg(long, env = "CHRONIK_DATABASE_URL", default_value = "chronik.db", global = true)]
    pub database: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run the HTTP server (what a bare `chronik` does).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "CHRONIK_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Do not load the example affair into a newly created database.
    #[arg(long, env = "CHRONIK_NO_EXAMPLE", value_parser = clap::builder::BoolishValueParser::new())]
    pub no_example: bool,

    /// Connections in the SQLite reader pool (writes always go through one connection).
    #[arg(long, env = "CHRONIK_SQLITE_READERS", default_value_t = 4)]
    pub sqlite_readers: u32,

    /// Maximum size of a request body, in bytes.
    #[arg(long, env = "CHRONIK_BODY_LIMIT", default_value_t = 1024 * 1024)]
    pub body_limit: usize,
}

impl Cli {
    /// The command to run: `serve` with its defaults (and `CHRONIK_*` variables) when none was given.
    pub fn command(&self) -> Command {
        match &self.command {
            Some(command) => command.clone(),
            None => Command::Serve(ServeArgs::from_env()),
        }
    }
}

impl ServeArgs {
    /// The serve options from the environment and defaults alone; exits with clap's message when a
    /// `CHRONIK_*` variable is malformed, as a start-up error should.
    pub fn from_env() -> Self {
        #[derive(Parser)]
        struct ServeOnly {
            #[command(flatten)]
            serve: ServeArgs,
        }
        ServeOnly::parse_from(["chronik"]).serve
    }
}
