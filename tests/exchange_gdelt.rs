//! GDELT 2.0's events table in, on SQLite and PostgreSQL, from
//! `tests/fixtures/20240219151500.export.CSV`: eight rows written by hand from GDELT's codebook
//! (61 tab-separated columns, no header, named as GDELT names its files), with two events of one
//! article, the same two actors in two rows, a row without Actor2 or place, a source that is a
//! name rather than a URL (`BBC Monitoring`), and CAMEO codes of four digits. The file is told from
//! CSV by its first line; `--format gdelt` reads any file name; a row of the wrong width names
//! its line; a file of thousands of rows keeps every event, actor and source across the chunks
//! it is read in; and a file `chronik generate --format gdelt` wrote imports with flat memory.

mod common;

use std::collections::HashMap;

use chronik_api::exchange::{self, ExportFilter, Format};
use common::process::{blocking, chronik};
use common::{Backend, BlankDb, TestDb};
use serde_json::{Value, json};

const FIXTURE: &str = include_str!("fixtures/20240219151500.export.CSV");

async fn document(test: &TestDb) -> Value {
    let mut out = Vec::new();
    exchange::export(&test.db, Format::Json, &ExportFilter::default(), &mut out).await.expect("export");
    serde_json::from_slice(&out).expect("json")
}

fn by_key(document: &Value, list: &str) -> HashMap<String, Value> {
    document[list]
        .as_array()
        .expect(list)
        .iter()
        .map(|entry| (entry["key"].as_str().unwrap_or_default().to_owned(), entry.clone()))
        .collect()
}

fn roles(event: &Value) -> Vec<(String, String)> {
    event["participants"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| {
                    (
                        p["actor"].as_str().unwrap_or_default().to_owned(),
                        p["role"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pair(actor: &str, role: &str) -> (String, String) {
    (format!("gdelt:actor:{actor}"), role.to_owned())
}

async fn a_gdelt_file_imports_with_its_actors_places_kinds_and_sources(backend: Backend) {
    let test = TestDb::on(backend).await;
    // As `csv`, as its name says: told by its first line.
    let summary = exchange::import_bytes(&test.db, Format::Csv, FIXTURE.as_bytes().to_vec()).await.expect("import");
    assert_eq!((summary.events_created, summary.actors_created, summary.sources_created), (8, 10, 6), "{summary:?}");
    let document = document(&test).await;
    let events = by_key(&document, "events");
    let actors = by_key(&document, "actors");
    let sources = by_key(&document, "sources");

    let protest = &events["gdelt:1170000001"];
    assert_eq!(protest["title"], "Protest: PROTESTER → POLICE (Paris, Ile-de-France, France)");
    assert_eq!(protest["kind"], "protest", "CAMEO 141, root 14");
    assert_eq!(protest["start"], "2024-02-19", "SQLDATE at day precision");
    assert_eq!(
        protest["place"],
        json!({ "name": "Paris, Ile-de-France, France", "latitude": 48.8667, "longitude": 2.3333 })
    );
    assert_eq!(roles(protest), [pair("PROTESTER", "actor1"), pair("POLICE", "actor2")]);
    let article = "https://www.example-news.fr/2024/02/19/manifestation-paris.html";
    assert_eq!(protest["citations"][0]["source"], format!("gdelt:{article}"));
    assert!(
        protest["summary"].as_str().is_some_and(|s| s.contains("CAMEO code 141") && s.contains("Goldstein scale -6.5"))
    );
    let source = &sources[&format!("gdelt:{article}")];
    assert_eq!((source["url"].as_str(), source["publisher"].as_str()), (Some(article), Some("example-news.fr")));
    assert_eq!(
        events["gdelt:1170000002"]["citations"][0]["source"],
        format!("gdelt:{article}"),
        "one article, two events"
    );

    let statement = &events["gdelt:1170000003"];
    assert_eq!(statement["kind"], "statement");
    assert_eq!(statement.get("place"), None, "ActionGeo_Type 0: no place");
    assert_eq!(roles(statement), [pair("UNITED STATES", "actor1")], "no Actor2");
    assert_eq!(events["gdelt:1170000004"]["kind"], "appeal", "CAMEO 0211");
    assert_eq!(events["gdelt:1170000004"]["start"], "2024-02-18");
    assert_eq!(events["gdelt:1170000005"]["kind"], "fight");
    assert_eq!(roles(&events["gdelt:1170000007"]), roles(protest), "the same two actors, once each");
    let monitoring = &sources["gdelt:BBC Monitoring"];
    assert_eq!((monitoring["title"].as_str(), monitoring.get("url")), (Some("BBC Monitoring"), None));

    let kind = |name: &str| actors[&format!("gdelt:actor:{name}")]["kind"].clone();
    assert_eq!(kind("POLICE"), "state_body", "type COP");
    assert_eq!(kind("UNITED STATES"), "state_body", "a country");
    assert_eq!(kind("BBC"), "media_outlet");
    assert_eq!(kind("UNITED NATIONS"), "organisation");
    assert_eq!(kind("PROTESTER"), "group");

    let again = exchange::import_bytes(&test.db, Format::Gdelt, FIXTURE.as_bytes().to_vec()).await.expect("again");
    assert_eq!((again.events_created, again.events_updated, again.actors_created, again.sources_created), (0, 8, 0, 0));
}

async fn a_row_of_the_wrong_width_names_its_line_and_nothing_is_written(backend: Backend) {
    let test = TestDb::on(backend).await;
    let mut lines: Vec<String> = FIXTURE.lines().map(str::to_owned).collect();
    let short: Vec<&str> = lines[2].split('\t').take(60).collect();
    lines[2] = short.join("\t");
    let error = exchange::import_bytes(&test.db, Format::Gdelt, lines.join("\n").into_bytes()).await.expect_err("60");
    assert!(
        error.to_string().starts_with("line 3: has 60 tab-separated columns; a GDELT 2.0 event row has 61"),
        "{error}"
    );
    assert_eq!((test.count("event").await, test.count("actor").await, test.count("source").await), (0, 0, 0));

    let mut lines: Vec<String> = FIXTURE.lines().map(str::to_owned).collect();
    lines[4] = lines[4].replacen("\t20240219\t", "\t2024-02-19\t", 1);
    let error = exchange::import_bytes(&test.db, Format::Gdelt, lines.join("\n").into_bytes()).await.expect_err("date");
    assert!(error.to_string().starts_with("line 5, field SQLDATE: \"2024-02-19\" is not a date"), "{error}");
    assert_eq!(test.count("event").await, 0);
}

/// `rows` rows naming `actors` actors and `urls` articles in turn: each actor and article comes
/// back in many chunks of the reader.
fn many(rows: usize, actors: usize, urls: usize) -> String {
    let template: Vec<&str> = FIXTURE.lines().next().expect("a row").split('\t').collect();
    let mut out = String::new();
    for i in 0..rows {
        let mut cells: Vec<String> = template.iter().map(|c| (*c).to_owned()).collect();
        cells[0] = (2_000_000_000 + i).to_string();
        cells[6] = format!("ACTOR {}", i % actors);
        cells[16] = format!("ACTOR {}", (i + 1) % actors);
        cells[60] = format!("https://example.org/{}", i % urls);
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

async fn thousands_of_rows_keep_every_event_actor_and_source(backend: Backend) {
    let test = TestDb::on(backend).await;
    let summary =
        exchange::import_bytes(&test.db, Format::Gdelt, many(3_000, 40, 700).into_bytes()).await.expect("import");
    assert_eq!(
        (summary.events_created, summary.actors_created, summary.sources_created),
        (3_000, 40, 700),
        "{summary:?}"
    );
    assert_eq!(test.count("participation").await, 6_000);
    assert_eq!(test.count("citation").await, 3_000);
}

async fn the_command_line_tells_gdelt_by_its_first_line_or_by_format(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("20240219151500.export.CSV"), FIXTURE).expect("write");
    std::fs::write(dir.path().join("events.tsv"), FIXTURE).expect("write");
    let database = BlankDb::on(backend).await;
    let import = |args: &[&str]| {
        let mut command = chronik(dir.path());
        command.args(["--database", &database.url, "import"]).args(args);
        blocking(|| command.output().expect("run chronik"))
    };
    let first = import(&["20240219151500.export.CSV"]);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    assert!(stderr.contains("8 events (8 new, 0 updated), 10 actors (10 new), 6 sources (6 new)"), "{stderr}");
    let second = import(&["--format", "gdelt", "events.tsv"]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(stderr.contains("8 events (0 new, 8 updated)"), "{stderr}");
}

/// VmHWM (peak resident set) of a running process, in kB.
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Generates `rows` GDELT rows with `chronik generate --format gdelt` and imports them with an
/// 8 MiB page cache into a new database; returns the importer's stderr and peak memory in kB.
async fn import_generated(backend: Backend, dir: &std::path::Path, rows: u64) -> (String, u64) {
    let database = BlankDb::on(backend).await;
    let file = format!("{rows}.export.CSV");
    let (events, sources) = (rows.to_string(), (rows / 3).to_string());
    let generate = ["generate", "--format", "gdelt", "--events", &events, "--actors", "3000", "--sources", &sources];
    let mut command = chronik(dir);
    command.args(generate).args(["--seed", "5", "--out", &file]);
    let output = blocking(|| command.output().expect("generate"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut command = chronik(dir);
    command.args(["--database", &database.url, "import", &file, "--cache-mib", "8"]);
    blocking(|| {
        let mut child = command.stdout(std::process::Stdio::null()).spawn().expect("spawn");
        let mut peak = 0;
        while child.try_wait().expect("wait").is_none() {
            peak = peak_kb(child.id()).unwrap_or(0).max(peak);
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let output = child.wait_with_output().expect("output");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "{stderr}");
        assert!(peak > 0, "the importer's memory was read");
        (stderr, peak)
    })
}

/// Flat memory, as tests/exchange_cli.rs asks of `chronik/1` files: three times the rows take no
/// more memory beyond noise (the reader keeps 16 bytes per distinct article, the writer 24 per
/// key), within the same bound.
async fn a_generated_gdelt_file_streams_with_flat_memory(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, small) = import_generated(backend, dir.path(), 10_000).await;
    let (stderr, large) = import_generated(backend, dir.path(), 30_000).await;
    assert!(stderr.contains("30000 events (30000 new, 0 updated)"), "{stderr}");
    eprintln!(
        "{backend:?}: the GDELT import's peak resident memory was {small} kB for 10,000 rows, {large} kB for 30,000"
    );
    assert!(large < small + 8 * 1024, "{small} kB for 10,000 rows, {large} kB for 30,000");
    assert!(large < 128 * 1024, "peak resident memory {large} kB");
}

on_both_backends!(
    a_generated_gdelt_file_streams_with_flat_memory,
    a_gdelt_file_imports_with_its_actors_places_kinds_and_sources,
    a_row_of_the_wrong_width_names_its_line_and_nothing_is_written,
    thousands_of_rows_keep_every_event_actor_and_source,
    the_command_line_tells_gdelt_by_its_first_line_or_by_format
);
