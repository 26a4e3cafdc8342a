//! ACLED's CSV export in, on SQLite and PostgreSQL, from `tests/fixtures/acled.csv`: twelve rows
//! written by hand from ACLED's codebook (its 31 columns as ACLED's export has them), with the
//! tricky parts of real files: quoted commas and quotes in `notes`, `location` and `source`, rows
//! without `actor2`, `;`-separated associated actors and sources, the same actors in several
//! rows, both of ACLED's date forms, and week and month precision. A `.csv` file is recognised
//! by its header (`chronik import export.csv`), and `--format acled` reads any file name.

mod common;

use std::collections::HashMap;

use chronik_api::exchange::{self, ExportFilter, Format};
use common::process::{blocking, chronik};
use common::{Backend, BlankDb, TestDb};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/acled.csv");

/// The database as a `chronik/1` document: events, actors and sources by their keys.
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

/// `(actor key, role)` of an event's participants, sorted.
fn participants(event: &Value) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = event["participants"]
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
        .unwrap_or_default();
    list.sort();
    list
}

fn actor(name: &str) -> String {
    format!("acled:actor:{name}")
}

async fn an_acled_export_imports_with_its_actors_places_and_sources(backend: Backend) {
    let test = TestDb::on(backend).await;
    // As `csv`: told from Chronik's own CSV by its header.
    let summary = exchange::import_bytes(&test.db, Format::Csv, FIXTURE.as_bytes().to_vec()).await.expect("import");
    assert_eq!(
        (summary.events_created, summary.actors_created, summary.sources_created),
        (12, 15, 7),
        "12 rows; 15 actors and 7 sources, each named once however many rows name it: {summary:?}"
    );
    let document = document(&test).await;
    let events = by_key(&document, "events");
    let actors = by_key(&document, "actors");
    let sources = by_key(&document, "sources");

    let protest = &events["acled:NIG31001"];
    assert_eq!(protest["title"], "Peaceful protest in Ikeja");
    assert_eq!(protest["kind"], "protests");
    assert_eq!(protest["start"], "2024-02-19");
    assert_eq!(protest["tags"], serde_json::json!(["Peaceful protest"]));
    assert_eq!(protest["place"]["name"], "Ikeja, Lagos, Nigeria");
    assert_eq!(
        (protest["place"]["latitude"].as_f64(), protest["place"]["longitude"].as_f64()),
        (Some(6.6018), Some(3.3515))
    );
    assert_eq!(
        participants(protest),
        [
            (actor("Labour Group (Nigeria)"), "assoc_actor_1".to_owned()),
            (actor("NLC: Nigeria Labour Congress"), "assoc_actor_1".to_owned()),
            (actor("Protesters (Nigeria)"), "actor1".to_owned()),
        ],
        "no actor2 in this row; two associated actors in one cell"
    );
    let quote = "On 19 February 2024, around 300 members of the NLC protested in Ikeja, Lagos, over the rising cost of living, saying \"enough is enough\". The protest ended peacefully.";
    assert_eq!(protest["summary"], quote, "quoted commas and doubled quotes come through whole");
    let cited: Vec<(&str, &str)> = protest["citations"]
        .as_array()
        .expect("citations")
        .iter()
        .map(|c| (c["source"].as_str().unwrap_or_default(), c["quote"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(cited, [("acled:source:Punch (Nigeria)", quote), ("acled:source:Vanguard (Nigeria)", quote)]);
    assert_eq!(sources["acled:source:Punch (Nigeria)"]["title"], "Punch (Nigeria)");

    assert_eq!(events["acled:NIG31002"]["start"], "2024-02-19", "\"19 February 2024\" is the same day");
    assert_eq!(events["acled:NIG31005"]["start"], "2024-W08", "time_precision 2: the week of 21 February");
    assert_eq!(events["acled:NIG31006"]["start"], "2024-02", "time_precision 3: the month");
    assert_eq!(events["acled:NIG31008"]["kind"], "explosions_remote_violence");
    assert!(
        events["acled:NIG31003"]["summary"].as_str().is_some_and(|s| s.ends_with("Fatalities (ACLED): 4")),
        "{}",
        events["acled:NIG31003"]["summary"]
    );

    let lagos = &events["acled:NIG31009"];
    assert_eq!(lagos["title"], "Peaceful protest in Lagos Island, Lagos");
    assert_eq!(lagos["place"]["name"], "Lagos Island, Lagos, Nigeria", "admin1 is not said twice");
    assert_eq!(lagos["citations"][0]["source"], "acled:source:Channels TV, Lagos", "a quoted comma in source");
    assert_eq!(events["acled:NIG31011"].get("summary"), None, "empty notes, no fatalities");
    assert_eq!(events["acled:NIG31011"]["citations"][0].get("quote"), None);

    // The army and Boko Haram fight in two rows: the same two actors, once each.
    let army = actor("Military Forces of Nigeria (2023-)");
    let jas = actor("Boko Haram - Jamaatu Ahli is-Sunna lid-Dawati wal-Jihad");
    for key in ["acled:NIG31003", "acled:NIG31004"] {
        assert_eq!(
            participants(&events[key]),
            [(jas.clone(), "actor2".to_owned()), (army.clone(), "actor1".to_owned())]
        );
    }
    assert_eq!(actors[&army]["kind"], "state_body", "inter1: State forces");
    assert_eq!(actors[&jas]["kind"], "group");
    assert_eq!(actors.len(), 15);
    assert_eq!(
        actors.values().filter(|a| a["name"] == "NLC: Nigeria Labour Congress").count(),
        1,
        "named as an associated actor and as actor2: one actor"
    );

    // Importing the file again updates what it wrote.
    let again = exchange::import_bytes(&test.db, Format::Acled, FIXTURE.as_bytes().to_vec()).await.expect("again");
    assert_eq!(
        (again.events_created, again.events_updated, again.actors_created, again.sources_created),
        (0, 12, 0, 0)
    );
}

async fn a_bad_acled_row_names_its_line_and_field_and_writes_nothing(backend: Backend) {
    let test = TestDb::on(backend).await;
    let mut lines: Vec<&str> = FIXTURE.lines().collect();
    let broken = lines[5].replacen("21 Feb 2024", "Feb the 21st", 1);
    lines[5] = &broken;
    let error =
        exchange::import_bytes(&test.db, Format::Csv, lines.join("\n").into_bytes()).await.expect_err("bad date");
    let message = error.to_string();
    assert!(message.starts_with("line 6, field event_date:"), "{message}");
    assert!(message.contains("\"Feb the 21st\""), "{message}");
    assert_eq!(test.count("event").await, 0, "nothing was written");
    assert_eq!(test.count("actor").await, 0);

    let header = "event_id_cnty,event_type,actor1\nX1,Protests,Protesters\n";
    let error = exchange::import_bytes(&test.db, Format::Acled, header.as_bytes().to_vec()).await.expect_err("no date");
    assert!(error.to_string().starts_with("line 1, field event_date: the header has no such column"), "{error}");
}

async fn the_command_line_tells_acled_by_its_header_or_by_format(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("2024-02-nigeria.csv"), FIXTURE).expect("write");
    std::fs::write(dir.path().join("nigeria.txt"), FIXTURE).expect("write");
    let database = BlankDb::on(backend).await;
    let import = |args: &[&str]| {
        let mut command = chronik(dir.path());
        command.args(["--database", &database.url, "import"]).args(args);
        blocking(|| command.output().expect("run chronik"))
    };
    let first = import(&["2024-02-nigeria.csv"]);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    assert!(stderr.contains("12 events (12 new, 0 updated), 15 actors (15 new), 7 sources (7 new)"), "{stderr}");
    let unnamed = import(&["nigeria.txt"]);
    assert!(!unnamed.status.success(), "a .txt file names no format");
    let second = import(&["--format", "acled", "nigeria.txt"]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(stderr.contains("12 events (0 new, 12 updated)"), "{stderr}");
}

on_both_backends!(
    an_acled_export_imports_with_its_actors_places_and_sources,
    a_bad_acled_row_names_its_line_and_field_and_writes_nothing,
    the_command_line_tells_acled_by_its_header_or_by_format
);
