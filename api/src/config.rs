//! Typed configuration: the command line, with an environment variable for every option. clap
//! reads the environment, once, at start-up; the defaults are plain values (`RequestLimits::DEFAULT`,
//! `DEFAULT_BODY_LIMIT`), so settings built in code never depend on the caller's environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand};

use crate::auth::{ReadAccess, Role};
use crate::exchange::Format;

/// Chronik: a timeline and event database for reconstructing an affair from its sources.
#[derive(Debug, Clone, Parser)]
#[command(name = "chronik", version, about)]
pub struct Cli {
    /// Database URL: a SQLite file (`sqlite://chronik.db`, or a plain path) or `postgres://…`.
    #[arg(long, env = "CHRONIK_DATABASE_URL", default_value = "chronik.db", global = true)]
    pub database: String,

    /// The async runtime's worker threads. By default half the machine's cores, at least one:
    /// the heavier part of each request runs on the database's own threads (SQLite's
    /// connections) or processes (PostgreSQL), and a worker left idle costs every request the
    /// wake-ups of the runtime handing work to it (BENCHMARKS.md, "The runtime's workers").
    #[arg(long, env = "CHRONIK_WORKERS", global = true)]
    pub workers: Option<std::num::NonZeroUsize>,

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
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Find the dates and candidate events of an article, resolved against its publication
    /// date; prints one JSON document `{"dates": [...], "events": [...]}`.
    Extract(ExtractArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ExtractArgs {
    /// The article's publication date (2024-03-02), or an RFC 3339 instant.
    #[arg(long, value_parser = published)]
    pub published: Published,
    /// The time zone the publication instant is read in (an IANA name; default UTC).
    #[arg(long, value_parser = time_zone)]
    pub time_zone: Option<chrono_tz::Tz>,
    /// The article's language: en (English) or de (German).
    #[arg(long, default_value = "en", value_parser = language)]
    pub language: chronik_extract::Language,
    /// The article as UTF-8 text, or - for standard input.
    pub file: String,
}

/// The publication date: a date, or an RFC 3339 instant taken in `--time-zone` (UTC without).
pub fn published(value: &str) -> Result<Published, String> {
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(Published::Date(date));
    }
    DateTime::parse_from_rfc3339(value).map(Published::Instant).map_err(|_| {
        format!("{value:?} is neither a date (2024-03-02) nor an RFC 3339 instant (2024-03-02T09:30:00+01:00)")
    })
}

/// `--published` as given.
#[derive(Debug, Clone, Copy)]
pub enum Published {
    Date(NaiveDate),
    Instant(DateTime<chrono::FixedOffset>),
}

/// An IANA time zone name.
pub fn time_zone(value: &str) -> Result<Tz, String> {
    value.parse().map_err(|_| format!("{value:?} is not an IANA time zone (Europe/Berlin, UTC)"))
}

/// `--language`: en or de.
pub fn language(value: &str) -> Result<chronik_extract::Language, String> {
    value.parse()
}

fn format(name: &str) -> Result<Format, String> {
    name.parse()
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The file to import.
    pub file: PathBuf,
    /// json, jsonl, csv, timelinejs, ftm, acled or gdelt (default: from the file's extension; a
    /// .json file is told apart by its content, a .csv file by its header or first line: an ACLED
    /// export, a TimelineJS sheet, a GDELT events file).
    #[arg(long, value_parser = format)]
    pub format: Option<Format>,
    /// SQLite's page cache for the import, in MiB (default: twice the file's size, within
    /// 8–128 MiB). A larger cache makes a large import faster; the import's memory is this
    /// cache and a constant, whatever the file's size. Not used on PostgreSQL.
    #[arg(long, env = "CHRONIK_IMPORT_CACHE_MIB", value_parser = clap::value_parser!(u32).range(8..=65_536))]
    pub cache_mib: Option<u32>,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// json, jsonl, csv, timelinejs, ftm, ics, graphml or gexf.
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
    /// The format of the `--out` file: jsonl (`chronik/1` JSON Lines, the default) or gdelt (a
    /// GDELT 2.0 events file of `--events` rows citing `--sources` articles, to measure that import).
    #[arg(long, value_parser = format, requires = "out")]
    pub format: Option<Format>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum TokenCommand {
    /// Create a token; it is printed once, alone on the last line, and stored only as a hash.
    Create {
        #[arg(long)]
        name: String,
        /// reader, editor or admin.
        #[arg(long)]
        role: Role,
    },
    /// List the tokens (never their secrets).
    List,
    /// Revoke a token by name: it stops working at once.
    Revoke { name: String },
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
    #[arg(long, env = "CHRONIK_BODY_LIMIT", default_value_t = DEFAULT_BODY_LIMIT)]
    pub body_limit: usize,

    /// Who may read: `public` (anyone) or `token` (a token of any role).
    #[arg(long, env = "CHRONIK_READ_ACCESS", value_enum, default_value_t = DEFAULT_READ_ACCESS)]
    pub read_access: ReadAccess,

    #[command(flatten)]
    pub limits: RequestLimits,

    #[command(flatten)]
    pub connections: ConnectionLimits,

    #[command(flatten)]
    pub map: MapArgs,
}

/// The page's map: a world basemap bundled into the page, unless a tile server is named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct MapArgs {
    /// A raster tile URL for the page's map, used instead of the bundled world basemap, e.g.
    /// `https://tiles.example.org/{z}/{x}/{y}.png` (`{s}.` may begin the host: subdomains a, b,
    /// c). Off by default, and then the page loads nothing from any other host.
    #[arg(long, env = "CHRONIK_MAP_TILES", value_parser = crate::http::TileUrl::parse)]
    pub map_tiles: Option<crate::http::TileUrl>,
    /// The attribution the map shows for those tiles (e.g. "© OpenStreetMap contributors").
    #[arg(long, env = "CHRONIK_MAP_ATTRIBUTION", requires = "map_tiles")]
    pub map_attribution: Option<String>,
}

/// What one client may hold open, and for how long; each has a default meant for real clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Args)]
pub struct ConnectionLimits {
    /// Seconds a client has to send a request's headers, counted from when the server waits for
    /// them: a connection idle between requests is closed after this too.
    #[arg(long, env = "CHRONIK_HEADER_TIMEOUT", default_value_t = ConnectionLimits::DEFAULT.header_timeout)]
    pub header_timeout: u64,
    /// Seconds a client has to send a whole request body.
    #[arg(long, env = "CHRONIK_BODY_TIMEOUT", default_value_t = ConnectionLimits::DEFAULT.body_timeout)]
    pub body_timeout: u64,
    /// Seconds a connection may go without sending a byte before it is closed (a WebSocket is
    /// pinged, and a browser's pong counts). Keep it above --request-timeout.
    #[arg(long, env = "CHRONIK_IDLE_TIMEOUT", default_value_t = ConnectionLimits::DEFAULT.idle_timeout)]
    pub idle_timeout: u64,
    /// Seconds a WebSocket has to send `connection_init` (closed with 4408 after).
    #[arg(long, env = "CHRONIK_WS_INIT_TIMEOUT", default_value_t = ConnectionLimits::DEFAULT.ws_init_timeout)]
    pub ws_init_timeout: u64,
    /// Most open connections; past it, a few more are let in to answer `/healthz` only (503 for
    /// anything else), then connections are closed at once. Keep it below the file-descriptor limit.
    #[arg(long, env = "CHRONIK_MAX_CONNECTIONS", default_value_t = ConnectionLimits::DEFAULT.max_connections)]
    pub max_connections: usize,
    /// Most open subscriptions, all clients together.
    #[arg(long, env = "CHRONIK_MAX_SUBSCRIPTIONS", default_value_t = ConnectionLimits::DEFAULT.max_subscriptions)]
    pub max_subscriptions: usize,
    /// Most open subscriptions from one client address (IPv6: one /64).
    #[arg(long, env = "CHRONIK_MAX_SUBSCRIPTIONS_PER_ADDRESS", default_value_t = ConnectionLimits::DEFAULT.max_subscriptions_per_address)]
    pub max_subscriptions_per_address: usize,
    /// Seconds between checks that the tokens of open WebSockets are not revoked (a revocation
    /// through this server ends them at once; this catches one made elsewhere).
    #[arg(long, env = "CHRONIK_TOKEN_RECHECK", default_value_t = ConnectionLimits::DEFAULT.token_recheck)]
    pub token_recheck: u64,
}

impl ConnectionLimits {
    /// The defaults, plain values as [`RequestLimits::DEFAULT`].
    pub const DEFAULT: ConnectionLimits = ConnectionLimits {
        header_timeout: 10,
        body_timeout: 15,
        idle_timeout: 60,
        ws_init_timeout: 10,
        max_connections: 768,
        max_subscriptions: 2_000,
        max_subscriptions_per_address: 100,
        token_recheck: 5,
    };
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What one request may ask for; each has a default meant for real clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Args)]
pub struct RequestLimits {
    /// Most operations in one batched request.
    #[arg(long, env = "CHRONIK_MAX_BATCH", default_value_t = RequestLimits::DEFAULT.max_batch)]
    pub max_batch: usize,
    /// Deepest nesting of fields.
    #[arg(long, env = "CHRONIK_MAX_DEPTH", default_value_t = RequestLimits::DEFAULT.max_depth)]
    pub max_depth: usize,
    /// Highest complexity: each field counts 1, and a list multiplies what it selects by its
    /// bound (its `first`/`last`, or the cap its writes obey), so nesting multiplies; a document
    /// over it is refused before it runs.
    #[arg(long, env = "CHRONIK_MAX_COMPLEXITY", default_value_t = RequestLimits::DEFAULT.max_complexity)]
    pub max_complexity: usize,
    /// Most aliased fields in one document.
    #[arg(long, env = "CHRONIK_MAX_ALIASES", default_value_t = RequestLimits::DEFAULT.max_aliases)]
    pub max_aliases: usize,
    /// Most field selections in one document.
    #[arg(long, env = "CHRONIK_MAX_FIELDS", default_value_t = RequestLimits::DEFAULT.max_fields)]
    pub max_fields: usize,
    /// Most field selections in one document once its fragments are expanded (each spread
    /// counted as many times as it is spread), checked before the document is validated.
    #[arg(long, env = "CHRONIK_MAX_EXPANDED_FIELDS", default_value_t = RequestLimits::DEFAULT.max_expanded_fields)]
    pub max_expanded_fields: usize,
    /// Most directives in one document.
    #[arg(long, env = "CHRONIK_MAX_DIRECTIVES", default_value_t = RequestLimits::DEFAULT.max_directives)]
    pub max_directives: usize,
    /// Largest response body, in bytes: a response that would be larger is refused with LIMIT,
    /// not cut (the second fence, behind the complexity limit).
    #[arg(long, env = "CHRONIK_MAX_RESPONSE_BYTES", default_value_t = RequestLimits::DEFAULT.max_response_bytes)]
    pub max_response_bytes: usize,
    /// Seconds a request may run before it is abandoned (its wait for a place among the
    /// queries that run at once included).
    #[arg(long, env = "CHRONIK_REQUEST_TIMEOUT", default_value_t = RequestLimits::DEFAULT.request_timeout)]
    pub request_timeout: u64,
    /// Queries that execute at once, over HTTP and WebSocket together; more wait their turn
    /// (mutations do not wait for it). Each holds its answer in memory until it is sent, so this
    /// bounds the server's memory under load.
    #[arg(long, env = "CHRONIK_CONCURRENT_QUERIES", default_value_t = RequestLimits::DEFAULT.concurrent_queries)]
    pub concurrent_queries: usize,
    /// Mutations per minute for each token and each client address.
    #[arg(long, env = "CHRONIK_MUTATIONS_PER_MINUTE", default_value_t = RequestLimits::DEFAULT.mutations_per_minute)]
    pub mutations_per_minute: u32,
    /// Answer introspection queries (GraphiQL needs them). Off also turns off field suggestions.
    #[arg(long, env = "CHRONIK_INTROSPECTION", default_value_t = RequestLimits::DEFAULT.introspection, action = clap::ArgAction::Set)]
    pub introspection: bool,
}

/// The largest request body by default: 1 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
/// Who may read by default: anyone.
pub const DEFAULT_READ_ACCESS: ReadAccess = ReadAccess::Public;

impl RequestLimits {
    /// The defaults: plain values, the same for the command line and for code (tests included)
    /// that builds its settings, whatever `CHRONIK_*` variables the environment holds.
    pub const DEFAULT: RequestLimits = RequestLimits {
        max_batch: 10,
        max_depth: 16,
        // The page's largest query, 500 events with their participants and links at their caps,
        // costs 1.1 million (tests/cost.rs), 500 events with every relation about 1.8 million; the
        // nested revisions of issue 16 cost 345 million.
        max_complexity: 2_000_000,
        max_aliases: 30,
        max_fields: 300,
        max_expanded_fields: 2_000,
        max_directives: 20,
        max_response_bytes: 64 * 1024 * 1024,
        request_timeout: 30,
        // As many as the default pool has readers: more would wait for a connection anyway,
        // holding what they have built so far.
        concurrent_queries: 4,
        mutations_per_minute: 600,
        introspection: true,
    };
}

impl Default for RequestLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// `serve`'s options alone, to parse them for a bare `chronik`.
#[derive(Parser)]
struct ServeOnly {
    #[command(flatten)]
    serve: ServeArgs,
}

impl Cli {
    /// The runtime's worker threads: `--workers`, or half of `cores` rounded up.
    pub fn workers(&self, cores: std::num::NonZeroUsize) -> usize {
        self.workers.map_or(cores.get().div_ceil(2), std::num::NonZeroUsize::get)
    }

    /// The command to run: `serve` when none was given, its options from the `CHRONIK_*`
    /// variables and the defaults (read by clap, at start-up: a malformed variable exits with
    /// clap's message, as any start-up error).
    pub fn command(&self) -> Command {
        match &self.command {
            Some(command) => command.clone(),
            None => Command::Serve(ServeOnly::parse_from(["chronik"]).serve),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_uses_no_tile_server_unless_told() {
        let cli = Cli::try_parse_from(["chronik", "serve"]).expect("serve parses");
        let Some(Command::Serve(args)) = cli.command else { panic!("not serve: {:?}", cli.command) };
        assert_eq!(args.map, MapArgs::default());
        assert_eq!(args.map.map_tiles, None);

        let cli = Cli::try_parse_from(["chronik", "serve", "--map-tiles", "https://t.example.org/{z}/{x}/{y}.png"])
            .expect("a tile URL parses");
        let Some(Command::Serve(args)) = cli.command else { panic!("not serve") };
        assert_eq!(args.map.map_tiles.as_ref().map(|t| t.url()), Some("https://t.example.org/{z}/{x}/{y}.png"));

        let error = Cli::try_parse_from(["chronik", "serve", "--map-tiles", "https://t.example.org/tiles.png"])
            .expect_err("a URL without {z}/{x}/{y}");
        assert!(error.to_string().contains("must name {z}"), "{error}");
        let error = Cli::try_parse_from(["chronik", "serve", "--map-attribution", "x"]).expect_err("no tiles");
        assert!(error.to_string().contains("--map-tiles"), "{error}");
    }

    #[test]
    fn the_runtime_takes_half_the_cores_unless_told() {
        let cores = |n: usize| std::num::NonZeroUsize::new(n).expect("not zero");
        let cli = Cli::try_parse_from(["chronik", "serve"]).expect("serve parses");
        assert_eq!([1, 2, 3, 4, 16].map(|n| cli.workers(cores(n))), [1, 1, 2, 2, 8]);
        let cli = Cli::try_parse_from(["chronik", "--workers", "3", "serve"]).expect("--workers parses");
        assert_eq!(cli.workers(cores(2)), 3);
        let cli = Cli::try_parse_from(["chronik", "import", "x.json", "--workers", "5"]).expect("a global option");
        assert_eq!(cli.workers(cores(16)), 5);
        let error = Cli::try_parse_from(["chronik", "--workers", "0"]).expect_err("no workers");
        assert!(error.to_string().contains("--workers"), "{error}");
    }
}
