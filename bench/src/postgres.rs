//! The PostgreSQL mode (issue 15, `--postgres URL`): the generated data imported into a new
//! PostgreSQL database by `chronik import`, Chronik and the peer (PostGraphile V5) serving it, the
//! window's answers of both and of the raw SQL floor checked field by field for every window,
//! then each timed at c=1 and c=10 in both variants, with the CPU each server and the database's
//! backends spent per request.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use crate::Args;
use crate::data::{self, Imported, timed};
use crate::load::{self, Stats};
use crate::peer::Peer;
use crate::pgraw::{self, Postgres};
use crate::report::{Phase, Report};
use crate::server::Server;
use crate::window::{Variant, Windows};

/// Windows compared and cycled through (the comparison used 50).
const WINDOWS: usize = 50;

/// Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

/// CPU time (user and system) of a process so far, in ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// CPU time of each PostgreSQL backend connected to `database` (by their process titles).
fn backend_ticks(database: &str) -> HashMap<u32, u64> {
    let needle = format!(" {database} ");
    let Ok(entries) = std::fs::read_dir("/proc") else { return HashMap::new() };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|title| {
                let title = String::from_utf8_lossy(&title);
                title.starts_with("postgres: ") && title.contains(&needle)
            })
        })
        .filter_map(|pid| Some((pid, cpu_ticks(pid)?)))
        .collect()
}

/// The backends' CPU between two readings; a backend that started in between counts from zero
/// (one that ended is lost, so pools keep theirs open).
fn backend_spent(before: &HashMap<u32, u64>, after: &HashMap<u32, u64>) -> u64 {
    after.iter().map(|(pid, ticks)| ticks.saturating_sub(before.get(pid).copied().unwrap_or(0))).sum()
}

/// Runs one load phase, with the CPU that `pid` (a server, if any) and the database spent.
async fn phase<'a, F, Fut>(
    database: &str,
    pid: Option<u32>,
    concurrency: usize,
    args: &Args,
    request: F,
) -> anyhow::Result<Phase>
where
    F: Fn(usize) -> Fut + Sync + 'a,
    Fut: std::future::Future<Output = anyhow::Result<()>> + 'a,
{
    let server_before = pid.and_then(cpu_ticks);
    let database_before = backend_ticks(database);
    let stats: Stats = load::run(concurrency, args.duration(), request).await?;
    let per_request = |ticks: u64| ticks as f64 / TICKS * 1_000.0 / stats.requests.max(1) as f64;
    let server_ms = match (server_before, pid.and_then(cpu_ticks)) {
        (Some(before), Some(after)) => Some(per_request(after.saturating_sub(before))),
        _ => None,
    };
    let database_ms = per_request(backend_spent(&database_before, &backend_ticks(database)));
    Ok(Phase { stats, server_ms, database_ms })
}

pub async fn run(args: &Args, url: &str) -> anyhow::Result<()> {
    let (_, database) = pgraw::split(url)?;
    // All three reach PostgreSQL the same way, in plain text over the loopback: the peer's driver
    // (node-postgres) uses no TLS unless told, where sqlx (Chronik's and the floor's) prefers it
    // whenever the server offers it, and a TLS session costs each request its encryption.
    let plain = format!("{url}?sslmode=disable");
    let mut report = Report::new(args);
    let reused = args.reuse && pgraw::exists(url).await?;
    if reused {
        eprintln!("bench: reusing the PostgreSQL database {database}");
    } else {
        let data = args.dir.join("data.jsonl");
        let bytes = data::generate(args, &data)?;
        pgraw::recreate(url).await?;
        eprintln!("bench: importing into PostgreSQL");
        let (elapsed, peak, stderr) =
            timed(Command::new(&args.chronik).arg("--database").arg(&plain).arg("import").arg(&data))?;
        eprintln!("bench: {}", stderr.trim());
        report.postgres_import(args.events, bytes, elapsed, peak);
    }
    let pool = pgraw::open(&plain).await?;
    pgraw::apply(&pool, &std::fs::read_to_string(args.peer.join("window.sql"))?).await?;
    // A bulk load leaves no statistics and no visibility map until autovacuum comes by, and
    // without them every plan (Chronik's, the peer's, the floor's) is a guess: 40-240 ms of
    // PostgreSQL per page here instead of a few. So, as after any bulk load, before measuring.
    eprintln!("bench: VACUUM (ANALYZE)");
    pgraw::apply(&pool, "VACUUM (ANALYZE)").await?;
    let result = measure(args, &plain, database, &pool, &mut report).await;
    pool.close().await;
    // A database the run made is dropped; one reused is kept for the next run.
    if !args.reuse {
        pgraw::drop(url).await?;
    }
    report.print();
    result
}

async fn measure(
    args: &Args,
    url: &str,
    database: &str,
    pool: &sea_orm::sqlx::PgPool,
    report: &mut Report,
) -> anyhow::Result<()> {
    let windows = Windows::new(&Postgres(pool.clone()), args.seed, WINDOWS, false).await?;
    eprintln!("bench: {} windows, expected rows read with raw SQL", windows.len());
    let server = Server::start(args, &Imported { database: PathBuf::from(url) }).await?;
    let peer = match Peer::start(&args.peer, url) {
        Ok(peer) => peer,
        Err(error) => {
            server.stop();
            return Err(error);
        }
    };
    let result = compare_and_time(args, database, pool, &windows, &server, &peer, report).await;
    report.postgres_memory(server.peak_kb(), server.rss_kb(), peer.peak_kb(), peer.rss_kb());
    server.stop();
    peer.stop();
    result
}

async fn compare_and_time(
    args: &Args,
    database: &str,
    pool: &sea_orm::sqlx::PgPool,
    windows: &Windows,
    server: &Server,
    peer: &Peer,
    report: &mut Report,
) -> anyhow::Result<()> {
    let variants = [Variant::Window, Variant::AtCursor];
    // Before any timing: every window's answer from Chronik, from the peer and from the floor's
    // statement, each against the rows read with the plain overlap condition.
    for variant in variants {
        for i in 0..windows.len() {
            windows.http(server, variant, i).await.map_err(|e| e.context(format!("Chronik, window {i}")))?;
            peer.window(windows, variant, i).await.map_err(|e| e.context(format!("PostGraphile, window {i}")))?;
            pgraw::floor(pool, windows, variant, i).await.map_err(|e| e.context(format!("raw SQL, window {i}")))?;
        }
    }
    eprintln!("bench: Chronik, PostGraphile and raw SQL answer the same rows for all {} windows", windows.len());
    let chronik_pid = Some(server.pid());
    for variant in variants {
        for concurrency in [1, 10] {
            let chronik = phase(database, chronik_pid, concurrency, args, |i| windows.http(server, variant, i)).await?;
            let postgraphile =
                phase(database, Some(peer.pid()), concurrency, args, |i| peer.window(windows, variant, i)).await?;
            let floor = phase(database, None, concurrency, args, |i| pgraw::floor(pool, windows, variant, i)).await?;
            report.postgres_window(variant, concurrency, chronik, postgraphile, floor);
        }
    }
    // The browser's own query: Chronik alone (the peer's schema has other fields), every answer
    // checked against the first page's rows.
    for i in 0..windows.len() {
        windows
            .http(server, Variant::Browser, i)
            .await
            .map_err(|e| e.context(format!("browser's query, window {i}")))?;
    }
    for concurrency in [1, 10] {
        let chronik =
            phase(database, chronik_pid, concurrency, args, |i| windows.http(server, Variant::Browser, i)).await?;
        report.postgres_browser(concurrency, chronik);
    }
    Ok(())
}
