//! `chronik-bench`: Chronik's benchmark, in ONE run against the real release binary on this
//! machine. It generates a dataset, imports it (beside `sqlite3 .import` of the same rows, the
//! floor), starts the server on it, and measures the timeline window query over HTTP at
//! concurrency 1 and 10 (every response checked against the rows read with raw SQL, which is also
//! timed in-process: the floor), `timelineHistogram`, `createEvent` and the server's peak memory.
//! It prints a Markdown table for BENCHMARKS.md. Not a test: run it with `scripts/bench`.
//! With `--postgres`, it measures the same window on PostgreSQL instead, beside PostGraphile
//! and raw SQL (issue 15's peer; see `postgres.rs`).

mod data;
mod load;
mod peer;
mod pgraw;
mod postgres;
mod raw;
mod report;
mod server;
mod window;
mod writes;

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(name = "chronik-bench", about = "Chronik's benchmark (see BENCHMARKS.md)")]
pub struct Args {
    /// The `chronik` binary to measure (a release build).
    #[arg(long, default_value = "target/release/chronik")]
    pub chronik: PathBuf,
    /// Where the dataset and databases go (several GB for 1,000,000 events).
    #[arg(long, default_value = "/tmp/chronik-bench")]
    pub dir: PathBuf,
    #[arg(long, default_value_t = 1_000_000)]
    pub events: u64,
    #[arg(long, default_value_t = 20_000)]
    pub actors: u64,
    #[arg(long, default_value_t = 5_000)]
    pub sources: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Seconds each load phase runs.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// createEvent mutations to send.
    #[arg(long, default_value_t = 5_000)]
    pub mutations: usize,
    /// Reuse the imported database of an earlier run (skips generate and import; with
    /// `--postgres`, the database is then kept, not dropped).
    #[arg(long)]
    pub reuse: bool,
    /// Measure `createEvent` alone (no window or histogram phases): for work on the write path,
    /// with `--reuse` on a copy of the database for each binary compared.
    #[arg(long)]
    pub writes_only: bool,
    /// The PostgreSQL mode (issue 15): import into this new database (dropped and created, then
    /// dropped at the end), and measure Chronik on it beside PostGraphile and raw SQL.
    #[arg(long, value_name = "postgres://user@host:port/database")]
    pub postgres: Option<String>,
    /// The peer's directory: PostGraphile's package (after `npm ci`) and its SQL function.
    #[arg(long, default_value = "bench/peer")]
    pub peer: PathBuf,
}

impl Args {
    fn duration(&self) -> Duration {
        Duration::from_secs(self.seconds)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.dir)?;
    if let Some(url) = &args.postgres {
        return postgres::run(&args, url).await;
    }
    let mut report = report::Report::new(&args);

    let imported = data::prepare(&args, &mut report).await?;
    let server = server::Server::start(&args, &imported).await?;
    let result = measure(&args, &server, &imported, &mut report).await;
    report.memory(server.peak_kb(), server.rss_kb());
    server.stop();
    if let Err(error) = result {
        report.print();
        return Err(error);
    }
    report.print();
    Ok(())
}

async fn measure(
    args: &Args,
    server: &server::Server,
    imported: &data::Imported,
    report: &mut report::Report,
) -> anyhow::Result<()> {
    if args.writes_only {
        report.mutations(writes::create_events(server, args.mutations, 10).await?);
        return Ok(());
    }
    let pool = raw::open(&imported.database).await?;
    let windows = window::Windows::new(&pool, args.seed, 200, true).await?;
    eprintln!("bench: {} windows, expected rows read with raw SQL", windows.len());
    for variant in [window::Variant::Window, window::Variant::AtCursor, window::Variant::WithAccounts] {
        for concurrency in [1, 10] {
            let http = load::run(concurrency, args.duration(), |i| windows.http(server, variant, i)).await?;
            let sql = load::run(concurrency, args.duration(), |i| windows.sql(&pool, variant, i)).await?;
            report.window(variant, concurrency, http, sql);
        }
    }
    // The page's own query has no floor of its own: its rows are the first page's.
    for concurrency in [1, 10] {
        let http =
            load::run(concurrency, args.duration(), |i| windows.http(server, window::Variant::Browser, i)).await?;
        report.browser(concurrency, http);
    }
    let live = raw::count(&pool).await?;
    report.histogram(window::histogram(server, live, 20).await?);
    report.mutations(writes::create_events(server, args.mutations, 10).await?);
    Ok(())
}
