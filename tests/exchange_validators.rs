//! Every export read by a library made for its format, not only by Chronik's own reader, on
//! SQLite and PostgreSQL (tests/pyvalidate/run.sh: Python's `icalendar` and `networkx` from PyPI,
//! in a virtual environment under target/, and Python's csv module): the example affair's
//! iCalendar has a VEVENT per event with its title; its GraphML a node per actor and event and an
//! edge per participation and link, as the database holds them; its CSV a row per event whose
//! cells (commas, quotes and line breaks in them) read back as the database's values.
//! FollowTheMoney is validated in tests/exchange_ftm.rs, GEXF in tests/exchange_gexf.rs,
//! TimelineJS3 in the real TimelineJS3 library in tests/browser/timelinejs.test.mjs.

mod common;

use std::collections::BTreeMap;

use chronik_api::exchange::{self, ExportFilter, Format};
use chronik_api::{Database, seed};
use common::validate::python;
use common::{Backend, TestDb};
use sea_orm::EntityTrait;
use serde_json::Value;

async fn export(db: &Database, format: Format) -> String {
    let mut out = Vec::new();
    exchange::export(db, format, &ExportFilter::default(), &mut out).await.expect("export");
    String::from_utf8(out).expect("utf-8")
}

async fn example(backend: Backend) -> TestDb {
    let test = TestDb::on(backend).await;
    seed::load_example(&test.db).await.expect("example");
    test
}

/// The events as stored, by export key.
async fn events(test: &TestDb) -> BTreeMap<String, entity::event::Model> {
    entity::event::Entity::find()
        .all(test.db.reader())
        .await
        .expect("events")
        .into_iter()
        .map(|row| (row.external_id.clone().unwrap_or_else(|| row.id.to_string()), row))
        .collect()
}

async fn icalendar_reads_a_vevent_per_event(backend: Backend) {
    let test = example(backend).await;
    let report = python("ics", "affair.ics", &export(&test.db, Format::ICalendar).await);
    let stored = events(&test).await;
    assert_eq!(report["version"], "2.0");
    let parsed = report["events"].as_array().expect("events");
    assert_eq!(parsed.len(), stored.len(), "a VEVENT per event: {report}");
    let mut summaries: Vec<&str> = parsed.iter().map(|e| e["summary"].as_str().unwrap_or_default()).collect();
    let mut titles: Vec<&str> = stored.values().map(|row| row.title.as_str()).collect();
    summaries.sort_unstable();
    titles.sort_unstable();
    assert_eq!(summaries, titles);
    assert!(parsed.iter().all(|e| e["start"].is_string()), "every VEVENT has a start: {report}");
}

async fn networkx_reads_the_graphml_as_the_database_holds_it(backend: Backend) {
    let test = example(backend).await;
    let report = python("graphml", "affair.graphml", &export(&test.db, Format::GraphMl).await);
    let (events, actors, participations, links) = (
        test.count("event").await,
        test.count("actor").await,
        test.count("participation").await,
        test.count("event_link").await,
    );
    assert!(participations > 0 && links > 0, "the example has a network");
    assert_eq!(report["directed"], true);
    assert_eq!(report["nodes"], events + actors, "{report}");
    assert_eq!(report["edges"], participations + links, "{report}");
    assert_eq!((report["types"]["event"].as_i64(), report["types"]["actor"].as_i64()), (Some(events), Some(actors)));
    assert_eq!(
        (report["relations"]["participation"].as_i64(), report["relations"]["link"].as_i64()),
        (Some(participations), Some(links))
    );
    // networkx read `earliest` as the long the file declares, not as text.
    let stored = self::events(&test).await;
    for (key, row) in &stored {
        let node = &report["attributes"][format!("e:{key}")];
        assert_eq!(node["label"], row.title.as_str());
        assert_eq!(node["earliest"].as_i64(), Some(row.start_earliest), "{key}");
    }
}

async fn pythons_csv_module_reads_every_cell_back(backend: Backend) {
    let test = example(backend).await;
    let report = python("csv", "affair.csv", &export(&test.db, Format::Csv).await);
    let header: Vec<&str> = report["header"].as_array().expect("header").iter().filter_map(Value::as_str).collect();
    assert!(header.starts_with(&["key", "title", "start", "end", "kind", "summary"]), "{header:?}");
    let rows = report["rows"].as_array().expect("rows");
    let stored = events(&test).await;
    assert_eq!(rows.len(), stored.len(), "a row per event");
    let mut tricky = 0;
    for row in rows {
        let key = row["key"].as_str().unwrap_or_default();
        let event = stored.get(key).unwrap_or_else(|| panic!("no event {key}"));
        assert_eq!(row["title"], event.title.as_str(), "{key}");
        assert_eq!(row["start"], event.start_value.as_str(), "{key}");
        assert_eq!(row["summary"], event.summary.as_deref().unwrap_or_default(), "{key}");
        if [&event.title, event.summary.as_ref().unwrap_or(&String::new())]
            .iter()
            .any(|text| text.contains(',') || text.contains('"') || text.contains('\n'))
        {
            tricky += 1;
        }
    }
    assert!(tricky > 0, "the example has cells a CSV must quote");
}

on_both_backends!(
    icalendar_reads_a_vevent_per_event,
    networkx_reads_the_graphml_as_the_database_holds_it,
    pythons_csv_module_reads_every_cell_back
);
