//! The results, printed as the Markdown table of BENCHMARKS.md, each line with its target.

use std::time::Duration;

use crate::Args;
use crate::load::Stats;
use crate::window::Variant;

pub struct Import {
    pub events: u64,
    pub bytes: u64,
    pub elapsed: Duration,
    pub peak_kb: u64,
    pub floor: Duration,
    /// The database's size once the import has closed it (SQLite: its file, the WAL checkpointed).
    pub database_bytes: u64,
}

/// One load phase of the PostgreSQL mode, with the CPU spent on it per request (ms).
pub struct Phase {
    pub stats: Stats,
    /// The server process's (none for the raw SQL, which runs in this process).
    pub server_ms: Option<f64>,
    /// The PostgreSQL backends' connected to the benchmark's database.
    pub database_ms: f64,
}

impl Phase {
    fn describe(&self) -> String {
        let cpu = match self.server_ms {
            Some(server) => format!("CPU per request: server {server:.2} ms, PostgreSQL {:.2} ms", self.database_ms),
            None => format!("CPU per request: PostgreSQL {:.2} ms", self.database_ms),
        };
        format!(
            "**{:.0} req/s**, p50 {:.2} ms, p99 {:.2} ms ({} requests, every answer checked); {cpu}",
            self.stats.per_second, self.stats.p50_ms, self.stats.p99_ms, self.stats.requests
        )
    }
}

pub struct Report {
    header: String,
    rows: Vec<[String; 3]>,
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

impl Report {
    pub fn new(args: &Args) -> Self {
        let on = if args.postgres.is_some() { " on PostgreSQL" } else { "" };
        let header = format!(
            "{} events, {} actors, {} sources (seed {}){on}; load phases of {} s each",
            args.events, args.actors, args.sources, args.seed, args.seconds
        );
        Self { header, rows: Vec::new() }
    }

    fn row(&mut self, what: String, result: String, target: String) {
        self.rows.push([what, result, target]);
    }

    pub fn import(&mut self, import: Import) {
        let rate = import.events as f64 / import.elapsed.as_secs_f64();
        let floor = import.events as f64 / import.floor.as_secs_f64();
        let share = rate / floor * 100.0;
        self.row(
            format!("import of a {} MB JSON Lines file (`chronik import`, one transaction)", import.bytes / 1_000_000),
            format!(
                "{:.1} s = **{rate:.0} events/s**; importer peak memory {} MB",
                import.elapsed.as_secs_f64(),
                import.peak_kb / 1024
            ),
            format!("≥ 30,000 events/s: {}", verdict(rate >= 30_000.0)),
        );
        self.row(
            "floor: `sqlite3` copying the same rows (`INSERT … SELECT` from the imported file) into the same schema, one transaction".into(),
            format!("{:.1} s = {floor:.0} events/s (Chronik at **{share:.0}%** of it)", import.floor.as_secs_f64()),
            format!("≥ 50% of the floor: {}", verdict(share >= 50.0)),
        );
        let per_event = import.database_bytes as f64 / import.events as f64 / 1_000.0;
        self.row(
            "the imported database (its file, once the import has closed it)".into(),
            format!("{} MB = **{per_event:.3} KB per event**", import.database_bytes / 1_000_000),
            format!("≤ 2.2 KB per event: {}", verdict(per_event <= 2.2)),
        );
    }

    pub fn window(&mut self, variant: Variant, concurrency: usize, http: Stats, sql: Stats) {
        let share = http.per_second / sql.per_second.max(1e-9) * 100.0;
        self.row(
            format!("{}, GraphQL over HTTP, c={concurrency}", variant.name()),
            format!(
                "**{:.0} req/s**, p50 {:.2} ms, p99 {:.2} ms ({} requests, every body checked)",
                http.per_second, http.p50_ms, http.p99_ms, http.requests
            ),
            "—".into(),
        );
        self.row(
            format!("{}, raw SQL in-process (floor), c={concurrency}", variant.name()),
            format!(
                "{:.0} req/s, p50 {:.2} ms, p99 {:.2} ms; GraphQL/HTTP reaches **{share:.0}%** of it",
                sql.per_second, sql.p50_ms, sql.p99_ms
            ),
            format!("≥ 50% of the floor: {}", verdict(share >= 50.0)),
        );
    }

    /// The browser's own window query, which has no floor of its own (its rows are the first page's).
    pub fn browser(&mut self, concurrency: usize, http: Stats) {
        self.row(
            format!("{}, GraphQL over HTTP, c={concurrency}", Variant::Browser.name()),
            format!(
                "**{:.0} req/s**, p50 {:.2} ms, p99 {:.2} ms ({} requests, every body checked)",
                http.per_second, http.p50_ms, http.p99_ms, http.requests
            ),
            "—".into(),
        );
    }

    /// The browser's own window query on PostgreSQL: Chronik alone (the peer's schema has other fields).
    pub fn postgres_browser(&mut self, concurrency: usize, chronik: Phase) {
        self.row(
            format!("{}, **Chronik** on PostgreSQL, GraphQL over HTTP, c={concurrency}", Variant::Browser.name()),
            chronik.describe(),
            "—".into(),
        );
    }

    pub fn histogram(&mut self, stats: Stats) {
        self.row(
            "`timelineHistogram(buckets: 100)` over the whole range".into(),
            format!(
                "p50 **{:.1} ms**, p99 {:.1} ms ({} runs, each counting every event)",
                stats.p50_ms, stats.p99_ms, stats.requests
            ),
            format!("≤ 50 ms: {}", verdict(stats.p50_ms <= 50.0)),
        );
    }

    pub fn mutations(&mut self, stats: Stats) {
        self.row(
            "`createEvent` (with a participant and a citation), one transaction each, c=10".into(),
            format!(
                "**{:.0} mutations/s**, p50 {:.1} ms, p99 {:.1} ms ({} events)",
                stats.per_second, stats.p50_ms, stats.p99_ms, stats.requests
            ),
            format!("≥ 1,000/s: {}", verdict(stats.per_second >= 1_000.0)),
        );
    }

    pub fn memory(&mut self, peak_kb: u64, rss_kb: u64) {
        self.row(
            "server memory under that load (VmHWM of `chronik serve`)".into(),
            format!("peak **{} MB** (resident at the end {} MB)", peak_kb / 1024, rss_kb / 1024),
            format!("≤ 150 MB: {}", verdict(peak_kb <= 150 * 1024)),
        );
    }

    pub fn postgres_import(&mut self, events: u64, bytes: u64, elapsed: Duration, peak_kb: u64) {
        let rate = events as f64 / elapsed.as_secs_f64();
        self.row(
            format!("import into PostgreSQL of a {} MB JSON Lines file (`chronik import`)", bytes / 1_000_000),
            format!(
                "{:.1} s = **{rate:.0} events/s**; importer peak memory {} MB",
                elapsed.as_secs_f64(),
                peak_kb / 1024
            ),
            "—".into(),
        );
    }

    /// Chronik on PostgreSQL beside PostGraphile and the raw SQL floor, for one variant and
    /// concurrency, with the targets (≥ 1.5× PostGraphile, ≥ 50% of the floor).
    pub fn postgres_window(&mut self, variant: Variant, concurrency: usize, chronik: Phase, peer: Phase, floor: Phase) {
        let versus_peer = chronik.stats.per_second / peer.stats.per_second.max(1e-9);
        let of_floor = chronik.stats.per_second / floor.stats.per_second.max(1e-9) * 100.0;
        self.row(
            format!("{}, **Chronik** on PostgreSQL, GraphQL over HTTP, c={concurrency}", variant.name()),
            chronik.describe(),
            format!(
                "≥ 1.5× PostGraphile: {versus_peer:.2}×, {}; ≥ 50% of raw SQL: {of_floor:.0}%, {}",
                verdict(versus_peer >= 1.5),
                verdict(of_floor >= 50.0)
            ),
        );
        self.row(
            format!(
                "{}, **PostGraphile** V5 (amber, `chronikWindow`), GraphQL over HTTP, c={concurrency}",
                variant.name()
            ),
            peer.describe(),
            "—".into(),
        );
        self.row(
            format!(
                "{}, raw SQL on PostgreSQL (floor: one prepared statement, `json_agg`), c={concurrency}",
                variant.name()
            ),
            format!(
                "{}; Chronik reaches {of_floor:.0}% of it, PostGraphile {:.0}%",
                floor.describe(),
                peer.stats.per_second / floor.stats.per_second.max(1e-9) * 100.0
            ),
            "—".into(),
        );
    }

    pub fn postgres_memory(&mut self, chronik_peak_kb: u64, chronik_rss_kb: u64, peer_peak_kb: u64, peer_rss_kb: u64) {
        self.row(
            "server memory under that load (VmHWM)".into(),
            format!(
                "Chronik peak **{} MB** (resident at the end {} MB); PostGraphile (node) peak **{} MB** ({} MB)",
                chronik_peak_kb / 1024,
                chronik_rss_kb / 1024,
                peer_peak_kb / 1024,
                peer_rss_kb / 1024
            ),
            format!("Chronik ≤ 150 MB: {}", verdict(chronik_peak_kb <= 150 * 1024)),
        );
    }

    pub fn print(&self) {
        println!("{}\n", self.header);
        println!("| measurement | result | target |");
        println!("|---|---|---|");
        for [what, result, target] in &self.rows {
            println!("| {what} | {result} | {target} |");
        }
    }
}
