//! TimelineJS3 files no one here wrote: every published example in
//! `../shared/corpora/timelinejs3/` (where CI places the shared corpora, beside the clone)
//! imports with every slide kept, on SQLite and PostgreSQL: as many events as the file has
//! slides, its eras as eras and its title slide as the timeline's title event; importing it again
//! creates nothing; the untitled media slides of `marktwain.json` are named by their captions; a
//! `unique_id` used twice is reported with both places; and the TimelineJS export of what was
//! imported holds the same slides, title and eras.

mod common;

use std::path::PathBuf;

use chronik_api::exchange::{self, ExportFilter, Format};
use common::{Backend, TestDb, data, run};
use serde_json::{Value, json};

fn corpus() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/timelinejs3");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("the TimelineJS3 corpus at {}: {error}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, std::fs::read_to_string(&path).expect("read"))
        })
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the corpus holds the published examples: {files:?}");
    files
}

async fn kinds(test: &TestDb) -> Vec<(String, String)> {
    let response = run(&test.schema(), "{ events(first: 200) { edges { node { kind title } } } }", json!({})).await;
    data(response)["events"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            (e["node"]["kind"].as_str().unwrap_or("").to_owned(), e["node"]["title"].as_str().unwrap_or("").to_owned())
        })
        .collect()
}

async fn every_published_example_imports_with_every_slide(backend: Backend) {
    for (name, text) in corpus() {
        let file: Value = serde_json::from_str(&text).expect("JSON");
        let slides = file["events"].as_array().map_or(0, Vec::len);
        let eras = file["eras"].as_array().map_or(0, Vec::len);
        let titles = usize::from(file.get("title").is_some());
        let test = TestDb::on(backend).await;
        let summary = exchange::import_bytes(&test.db, Format::Json, text.clone().into_bytes())
            .await
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(summary.events_created, slides + eras + titles, "{name}: {summary:?}");
        assert_eq!(summary.events_updated, 0, "{name}: no slide overwrites another");
        let events = kinds(&test).await;
        let of = |kind: &str| events.iter().filter(|(k, _)| k == kind).count();
        assert_eq!((of("other"), of("era"), of("title")), (slides, eras, titles), "{name}");
        assert!(events.iter().all(|(_, title)| !title.starts_with("Untitled")), "{name}: {events:?}");

        let again = exchange::import_bytes(&test.db, Format::Json, text.into_bytes()).await.expect("again");
        assert_eq!((again.events_created, again.events_updated), (0, slides + eras + titles), "{name}");

        let mut out = Vec::new();
        exchange::export(&test.db, Format::TimelineJs, &ExportFilter::default(), &mut out).await.expect("export");
        let back: Value = serde_json::from_slice(&out).expect("JSON");
        assert_eq!(back["events"].as_array().map_or(0, Vec::len), slides, "{name}");
        assert_eq!(back["eras"].as_array().map_or(0, Vec::len), eras, "{name}");
        assert_eq!(back.get("title").is_some(), titles == 1, "{name}");
        if name == "marktwain.json" {
            // Three media slides of one date, without headline or unique_id: three events,
            // named by their captions.
            for caption in ["a Youtube video", "a tweet", "another youtube video"] {
                assert!(events.iter().any(|(_, title)| title == caption), "{caption}: {events:?}");
            }
        }
    }
}

async fn a_unique_id_used_twice_is_reported_with_both_places(backend: Backend) {
    let test = TestDb::on(backend).await;
    let file = r#"{"events": [
        {"start_date": {"year": 2020}, "text": {"headline": "One"}, "unique_id": "same"},
        {"start_date": {"year": 2021}, "text": {"headline": "Two"}},
        {"start_date": {"year": 2022}, "text": {"headline": "Three"}, "unique_id": "same"}]}"#;
    let error =
        exchange::import_bytes(&test.db, Format::TimelineJs, file.as_bytes().to_vec()).await.expect_err("twice");
    assert_eq!(
        error.to_string(),
        "events[2].key: \"same\" is also the key of the record at events[0]; a file uses each key once"
    );
    assert_eq!(test.count("event").await, 0);
}

on_both_backends!(
    every_published_example_imports_with_every_slide,
    a_unique_id_used_twice_is_reported_with_both_places
);
