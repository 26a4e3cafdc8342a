//! Typed configuration: the command line, with an environment variable for every option.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::exchange::Format;

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
    /// Import a file (Chronik JSON or JSON Lines, CSV, TimelineJS JSON): all of it or nothing.
    Import(ImportArgs),
    /// Export events (all, or those the filters pick) to standard output or a file.
    Export(ExportArgs),
    /// Generate a synthetic dataset, into the database or as a JSON Lines file.
    Generate(GenerateArgs),
}

fn format(name: &str) -> Result<Format, String> {
    name.parse()
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The file to import.
    pub file: PathBuf,
    /// json, jsonl, csv or timelinejs (default: from the file's extension; a .json file is told
    /// apart by its content).
    #[arg(long, value_parser = format)]
    pub format: Option<Format>,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// json, jsonl, csv, timelinejs, ics or graphml.
    #[arg(long, value_parser = format)]
    pub format: Format,
    /// Events whose span overlaps the period from this fuzzy date.
    #[arg(long)]
    pub from: Option<String>,
    /// Events whose span overlaps the period up to this fuzzy date.
    #[arg(long)]
    pub to: Option<String>,
    /// Events of this kind (repeat for several).
    #[arg(long = "kind")]
    pub kinds: Vec<String>,
    /// Events with this tag (repeat for several).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Events this actor takes part in, by key, ID or name (repeat for several).
    #[arg(long = "actor")]
    pub actors: Vec<String>,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    #[arg(long, default_value_t = 10_000)]
    pub events: u64,
    #[arg(long, default_value_t = 1_000)]
    pub actors: u64,
    #[arg(long, default_value_t = 500)]
    pub sources: u64,
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write a JSON Lines file (for `chronik import`) instead of writing into the database.
    #[arg(long)]
    pub out: Option<PathBuf>,
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
