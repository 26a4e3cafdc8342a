//! The dataset: `chronik generate` writes it as JSON Lines, `chronik import` reads it into a new
//! database (timed, with the importer's peak memory), and `sqlite3` copies the same rows into
//! the same schema: the floor an import can hope for.

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

/// The tables an import writes, in an order that keeps references valid: the records, their
/// search documents and their history (`event_day` is kept by triggers, in the floor too).
const TABLES: [&str; 10] = [
    "actor",
    "source",
    "event",
    "event_tag",
    "participation",
    "citation",
    "event_link",
    "search_document",
    "audit_log",
    "event_revision",
];

/// The full-text index's own tables (`search_fts` keeps no text to index again: the floor copies
/// the index the import built). A new database already holds their first rows: replaced.
const FULL_TEXT: [&str; 4] = ["search_fts_data", "search_fts_idx", "search_fts_docsize", "search_fts_config"];

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

/// `chronik generate` into `data` (JSON Lines); its size in bytes.
pub fn generate(args: &Args, data: &Path) -> anyhow::Result<u64> {
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
    let bytes = std::fs::metadata(data)?.len();
    eprintln!("bench: {} MB written in {:.1} s", bytes / 1_000_000, generated.as_secs_f64());
    Ok(bytes)
}

pub async fn prepare(args: &Args, report: &mut Report) -> anyhow::Result<Imported> {
    let database = args.dir.join("bench.db");
    let data = args.dir.join("data.jsonl");
    if args.reuse && database.exists() {
        eprintln!("bench: reusing {}", database.display());
        return Ok(Imported { database });
    }
    let bytes = generate(args, &data)?;
    remove_database(&database);
    let (elapsed, peak, stderr) =
        timed(Command::new(&args.chronik).arg("--database").arg(&database).arg("import").arg(&data))?;
    eprintln!("bench: {}", stderr.trim());
    // With its write-ahead log, should the import have left one.
    let wal = PathBuf::from(format!("{}-wal", database.display()));
    let database_bytes = std::fs::metadata(&database).context("the imported database")?.len()
        + std::fs::metadata(wal).map_or(0, |m| m.len());
    let floor = floor(args, &database)?;
    report.import(Import { events: args.events, bytes, elapsed, peak_kb: peak, floor, database_bytes });
    Ok(Imported { database })
}

/// SQLite copying the rows the import wrote into an empty database with the same schema
/// (indexes, the full-text and day-count triggers included), in one transaction, with nothing
/// to parse or check: the floor of an import. The imported database is attached and read first,
/// so that its pages are in the OS cache as the import's file was.
fn floor(args: &Args, database: &Path) -> anyhow::Result<Duration> {
    let target = args.dir.join("floor.db");
    remove_database(&target);
    let status =
        Command::new(&args.chronik).arg("--database").arg(&target).arg("migrate").stderr(Stdio::null()).status()?;
    if !status.success() {
        bail!("chronik migrate failed");
    }
    let source = database.display().to_string().replace('\'', "''");
    let mut warm = format!("ATTACH '{source}' AS source;\n");
    let mut script = format!("PRAGMA foreign_keys = OFF;\nATTACH '{source}' AS source;\nBEGIN;\n");
    for (table, verb) in TABLES.iter().map(|t| (t, "INSERT")).chain(FULL_TEXT.iter().map(|t| (t, "INSERT OR REPLACE")))
    {
        // Generated columns (span_class) are not listed, so not copied: the database makes them.
        let columns: Vec<String> = columns(database, table)?.iter().map(|c| format!("\"{c}\"")).collect();
        let columns = columns.join(", ");
        warm.push_str(&format!("SELECT COUNT(*) FROM (SELECT {columns} FROM source.\"{table}\");\n"));
        script
            .push_str(&format!("{verb} INTO main.\"{table}\" ({columns}) SELECT {columns} FROM source.\"{table}\";\n"));
    }
    script.push_str("COMMIT;\n");
    sqlite(&target, &warm)?;
    eprintln!("bench: sqlite3 copying the same rows into the same schema (the floor)");
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
