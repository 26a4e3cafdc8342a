//! The dataset: `chronik generate` writes it as JSON Lines, `chronik import` reads it into a new
//! database (timed, with the importer's peak memory), and `sqlite3 .import` loads the same rows
//! into the same schema from CSV: the floor an import can hope for.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use crate::Args;
use crate::report::{Import, Report};

/// The database the server runs on.
pub struct Imported {
    pub database: PathBuf,
}

/// The tables an import writes, in an order that keeps references valid.
const TABLES: [&str; 8] =
    ["actor", "source", "event", "event_tag", "participation", "citation", "event_link", "search_document"];

/// Runs a command to its end, sampling its peak resident memory (kB) from /proc.
pub fn timed(command: &mut Command) -> anyhow::Result<(Duration, u64, String)> {
    let started = Instant::now();
    let mut child = command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().context("spawn")?;
    let mut peak = 0;
    loop {
        peak = peak.max(peak_kb(child.id()).unwrap_or(0));
        if child.try_wait()?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output()?;
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        bail!("{command:?} failed: {stderr}");
    }
    Ok((elapsed, peak, stderr))
}

/// VmHWM of a process, in kB.
pub fn peak_kb(pid: u32) -> Option<u64> {
    status_kb(pid, "VmHWM:")
}

pub fn status_kb(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with(field))?.split_whitespace().nth(1)?.parse().ok()
}

fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

pub async fn prepare(args: &Args, report: &mut Report) -> anyhow::Result<Imported> {
    let database = args.dir.join("bench.db");
    let data = args.dir.join("data.jsonl");
    if args.reuse && database.exists() {
        eprintln!("bench: reusing {}", database.display());
        return Ok(Imported { database });
    }
    eprintln!("bench: generating {} events", args.events);
    let (generated, _, _) = timed(Command::new(&args.chronik).args(["generate", "--events"]).args([
        args.events.to_string(),
        "--actors".into(),
        args.actors.to_string(),
        "--sources".into(),
        args.sources.to_string(),
        "--seed".into(),
        args.seed.to_string(),
        "--out".into(),
        data.display().to_string(),
    ]))?;
    let bytes = std::fs::metadata(&data)?.len();
    eprintln!("bench: {} MB written in {:.1} s; importing", bytes / 1_000_000, generated.as_secs_f64());
    remove_database(&database);
    let (elapsed, peak, stderr) =
        timed(Command::new(&args.chronik).arg("--database").arg(&database).arg("import").arg(&data))?;
    eprintln!("bench: {}", stderr.trim());
    let floor = floor(args, &database)?;
    report.import(Import { events: args.events, bytes, elapsed, peak_kb: peak, floor });
    Ok(Imported { database })
}

/// `sqlite3 .import` of the rows the import wrote, as CSV, into an empty database with the same
/// schema (indexes and the full-text triggers included), in one transaction.
fn floor(args: &Args, database: &Path) -> anyhow::Result<Duration> {
    let csv = args.dir.join("csv");
    std::fs::create_dir_all(&csv)?;
    let mut dump = String::from(".mode csv\n.headers off\n");
    for table in TABLES {
        let columns = columns(database, table)?;
        // UUIDs are blobs: written as hex text (the same size class), NULLs as empty cells.
        let select: Vec<String> = columns
            .iter()
            .map(|c| format!("CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") ELSE \"{c}\" END"))
            .collect();
        dump.push_str(&format!(
            ".output {}/{table}.csv\nSELECT {} FROM \"{table}\";\n",
            csv.display(),
            select.join(", ")
        ));
    }
    sqlite(database, &dump)?;
    let target = args.dir.join("floor.db");
    remove_database(&target);
    let status =
        Command::new(&args.chronik).arg("--database").arg(&target).arg("migrate").stderr(Stdio::null()).status()?;
    if !status.success() {
        bail!("chronik migrate failed");
    }
    let mut script = String::from("PRAGMA foreign_keys = OFF;\nBEGIN;\n");
    for table in TABLES {
        script.push_str(&format!(".import --csv {}/{table}.csv \"{table}\"\n", csv.display()));
    }
    script.push_str("COMMIT;\n");
    eprintln!("bench: sqlite3 .import of the same rows (the floor)");
    let started = Instant::now();
    sqlite(&target, &script)?;
    Ok(started.elapsed())
}

fn columns(database: &Path, table: &str) -> anyhow::Result<Vec<String>> {
    let output = Command::new("sqlite3")
        .arg(database)
        .arg(format!("SELECT name FROM pragma_table_info('{table}')"))
        .output()
        .context("sqlite3 (apt-get install sqlite3)")?;
    Ok(String::from_utf8(output.stdout)?.lines().map(str::to_owned).collect())
}

fn sqlite(database: &Path, script: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut child = Command::new("sqlite3")
        .arg(database)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("sqlite3 (apt-get install sqlite3)")?;
    child.stdin.take().context("stdin")?.write_all(script.as_bytes())?;
    let output = child.wait_with_output()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() || !stderr.trim().is_empty() {
        bail!("sqlite3 failed: {stderr}");
    }
    Ok(())
}
