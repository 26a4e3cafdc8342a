//! The real `chronik` binary on a new SQLite file and a new PostgreSQL database: `generate` writes
//! a file that `import` reads with flat memory (peak resident memory of the child, from /proc:
//! no more for 30,000 events than for 10,000, under a bound), no progress bar when stderr is not a terminal, a failed
//! import that names the line and writes nothing, and `export` to stdout or a file.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::process::{blocking, chronik};
use common::{Backend, BlankDb};

/// Peak resident memory an import with an 8 MiB page cache may reach (the debug binary), on
/// either backend. Only the importer is measured, not the PostgreSQL server it writes to.
const MEMORY_BOUND_KB: u64 = 128 * 1024;
/// How much more memory the import of three times the events may take.
const GROWTH_BOUND_KB: u64 = 8 * 1024;

/// Runs `chronik ARGS` in `dir` to a successful end and returns what it printed.
fn run(dir: &Path, args: &[&str]) -> Output {
    let output = chronik(dir).args(args).stdout(Stdio::piped()).output().expect("run chronik");
    assert!(output.status.success(), "chronik failed: {}\n{}", output.status, String::from_utf8_lossy(&output.stderr));
    output
}

/// VmHWM (peak resident set) of a running process, in kB.
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs the command to its end and returns its output and peak resident memory (sampled until
/// it exits: /proc forgets a process once it is reaped).
fn run_measured(mut command: Command) -> (Output, u64) {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let mut peak = 0;
    loop {
        if let Some(kb) = peak_kb(child.id()) {
            peak = peak.max(kb);
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (child.wait_with_output().expect("output"), peak)
}

/// Imports `events` generated events into a new database with an 8 MiB page cache; returns the
/// database (for exports), the importer's stderr and its peak resident memory in kB.
async fn import_generated(backend: Backend, dir: &Path, events: u32) -> (BlankDb, String, u64) {
    let database = BlankDb::on(backend).await;
    let file = format!("data-{events}.jsonl");
    let events = events.to_string();
    let generate = ["generate", "--events", &events, "--actors", "2000", "--sources", "500", "--seed", "9"];
    blocking(|| run(dir, &[&generate[..], &["--out", &file]].concat()));
    let mut import = chronik(dir);
    import.args(["--database", &database.url, "import", &file, "--cache-mib", "8"]);
    // jemalloc hands freed pages back to the system after ten seconds by default, so a short
    // import's peak also holds pages it no longer uses (4-5 MB more at 30,000 events than at
    // 10,000, measured). Returned at once, the peak is what the import holds: the data's growth.
    import.env("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0");
    let (output, peak) = blocking(|| run_measured(import));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    assert!(peak > 0, "the child's memory was read");
    (database, stderr, peak)
}

async fn a_generated_file_imports_with_flat_memory_and_no_progress_bar_off_a_terminal(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, _, small) = import_generated(backend, dir.path(), 10_000).await;
    let (database, stderr, large) = import_generated(backend, dir.path(), 30_000).await;
    let db = database.url.as_str();
    assert!(stderr.contains("30000 events (30000 new, 0 updated), 2000 actors"), "{stderr}");
    assert!(!stderr.contains('\r') && !stderr.contains('\u{1b}'), "no progress bar off a terminal: {stderr:?}");
    eprintln!("{backend:?}: the import's peak resident memory was {small} kB for 10,000 events, {large} kB for 30,000");
    // Flat: three times the events (and their history, in the same transaction) take no more
    // memory beyond noise; the page cache is the same for both. (Below some 10,000 events the
    // importer is still warming up: measured 67 MB for 6,000 events, 82 MB for 18,000 and 30,000
    // on PostgreSQL.)
    assert!(large < small + GROWTH_BOUND_KB, "{small} kB for 10,000 events, {large} kB for 30,000");
    assert!(large < MEMORY_BOUND_KB, "peak resident memory {large} kB, bound {MEMORY_BOUND_KB} kB");

    // Exports: to stdout, and to a file whose format is named.
    let out = blocking(|| run(dir.path(), &["--database", db, "export", "--format", "csv", "--tag", "leak"]));
    let csv = String::from_utf8(out.stdout).expect("utf-8");
    assert!(csv.starts_with("key,title,start,end"));
    assert!(csv.lines().count() > 1_000);
    blocking(|| run(dir.path(), &["--database", db, "export", "--format", "ics", "-o", "all.ics"]));
    let ics = std::fs::read_to_string(dir.path().join("all.ics")).expect("ics");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 30_000);
}

async fn a_failed_import_names_the_line_and_writes_nothing(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = BlankDb::on(backend).await;
    let db = database.url.as_str();
    std::fs::write(
        dir.path().join("bad.csv"),
        "key,title,start\na,Fine,2024-02\nb,Also fine,2024-03\nc,Broken,March 2024\n",
    )
    .expect("write");
    let output = blocking(|| chronik(dir.path()).args(["--database", db, "import", "bad.csv"]).output().expect("run"));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("nothing was imported: line 4, field start:"), "{stderr}");
    let listed = blocking(|| run(dir.path(), &["--database", db, "export", "--format", "jsonl"]));
    assert_eq!(String::from_utf8_lossy(&listed.stdout).trim(), r#"{"format":"chronik/1"}"#);
    let unknown =
        blocking(|| chronik(dir.path()).args(["--database", db, "import", "file.txt"]).output().expect("run"));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("give --format"));
}

on_both_backends!(
    a_generated_file_imports_with_flat_memory_and_no_progress_bar_off_a_terminal,
    a_failed_import_names_the_line_and_writes_nothing,
);
