//! GEXF out, read by a library no one here wrote, on SQLite and PostgreSQL: the export of the
//! example affair (and an event whose start is unknown, `../2019-05`) is parsed by
//! `graphology-gexf` (tests/gexf/parse.sh installs it from npm on first use and runs it in node):
//! a dynamic graph with a node per actor and event and an edge per participation and link, each
//! event node present from the first to the last day its dates may cover (in its time zone), each
//! participation over its event's days, each actor over its events', and an unknown side left out.

mod common;

use std::collections::HashMap;
use std::process::Command;
use std::sync::Mutex;

use chronik_api::exchange::{self, ExportFilter, Format};
use chronik_api::seed;
use common::{Backend, TestDb};
use sea_orm::EntityTrait;
use serde_json::Value;

/// One parse at a time: the first one installs the npm packages.
static PARSE: Mutex<()> = Mutex::new(());

fn parse(text: &str) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("affair.gexf");
    std::fs::write(&path, text).expect("write");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/gexf/parse.sh");
    let output = {
        let _one = PARSE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        common::process::blocking(|| Command::new(script).arg(&path).output().expect("run parse.sh"))
    };
    assert!(
        output.status.success(),
        "graphology-gexf refused the export:\n{}\n{}",
        String::from_utf8_lossy(&output.stderr),
        text.lines().take(40).collect::<Vec<_>>().join("\n")
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

/// The day an instant falls on in the event's zone, as `YYYY-MM-DD`; none for an open side.
fn day(seconds: i64, zone: Option<&str>) -> Option<String> {
    if seconds <= chronik_api::service::dates::OPEN_START || seconds >= chronik_api::service::dates::OPEN_END {
        return None;
    }
    let instant = chrono::DateTime::from_timestamp(seconds, 0)?;
    let date = match zone.and_then(|zone| zone.parse::<chrono_tz::Tz>().ok()) {
        Some(zone) => instant.with_timezone(&zone).date_naive(),
        None => instant.date_naive(),
    };
    Some(date.format("%Y-%m-%d").to_string())
}

/// A node's or edge's first and last day, each `None` when open.
type Days = (Option<String>, Option<String>);

fn interval(value: &Value) -> Days {
    (value["start"].as_str().map(str::to_owned), value["end"].as_str().map(str::to_owned))
}

const BEFORE_MAY_2019: &str = r#"{"format":"chronik/1",
  "actors":[{"key":"x-anon","name":"An anonymous go-between","kind":"person"}],
  "events":[{"key":"x-before","title":"Talks, some time before May 2019","kind":"meeting","start":"../2019-05",
             "participants":[{"actor":"x-anon","role":"participant"}]}]}"#;

async fn the_gexf_export_opens_in_graphology_with_its_time_intervals(backend: Backend) {
    let test = TestDb::on(backend).await;
    seed::load_example(&test.db).await.expect("example");
    exchange::import_bytes(&test.db, Format::Json, BEFORE_MAY_2019.as_bytes().to_vec()).await.expect("open event");
    let mut out = Vec::new();
    let summary = exchange::export(&test.db, Format::Gexf, &ExportFilter::default(), &mut out).await.expect("export");
    let graph = parse(&String::from_utf8(out).expect("utf-8"));

    let (events, actors, participations, links) = (
        test.count("event").await,
        test.count("actor").await,
        test.count("participation").await,
        test.count("event_link").await,
    );
    assert!(
        events > 10 && participations > 10 && links > 0,
        "the example has a network: {events} {participations} {links}"
    );
    assert_eq!((graph["mode"].as_str(), graph["timeformat"].as_str()), (Some("dynamic"), Some("date")));
    assert_eq!(graph["order"], events + actors, "a node per event and actor");
    assert_eq!(graph["size"], participations + links, "an edge per participation and link");
    assert_eq!((graph["types"]["event"].as_i64(), graph["types"]["actor"].as_i64()), (Some(events), Some(actors)));
    assert_eq!(graph["relations"]["participation"], participations);
    assert_eq!(graph["relations"]["link"], links);
    assert_eq!((summary.events, summary.actors), (events as usize, actors as usize));

    // Each event node over the days of its stored bounds.
    let nodes = graph["nodes"].as_object().expect("nodes");
    let rows = entity::event::Entity::find().all(test.db.reader()).await.expect("events");
    let mut days = HashMap::new();
    for row in &rows {
        let key = format!("e:{}", row.external_id.clone().unwrap_or_else(|| row.id.to_string()));
        let node = nodes.get(&key).unwrap_or_else(|| panic!("no node {key}"));
        assert_eq!(node["label"], row.title.as_str());
        let zone = row.time_zone.as_deref();
        let expected = (day(row.start_earliest, zone), day(row.span_latest, zone));
        assert_eq!(interval(node), expected, "{key} ({} – {:?})", row.start_value, row.end_value);
        days.insert(key, expected);
    }
    assert!(rows.iter().any(|row| row.time_zone.is_some()), "the example has an event in a time zone of its own");
    assert_eq!(
        interval(&nodes["e:x-before"]),
        (None, Some("2019-05-31".to_owned())),
        "an unknown start is left out, as GEXF means an unbounded side"
    );

    // Each participation over its event's days; each actor over all of its events'.
    let mut spans: HashMap<String, Vec<Days>> = HashMap::new();
    for edge in graph["edges"].as_array().expect("edges") {
        let (source, target) = (edge["source"].as_str().unwrap_or(""), edge["target"].as_str().unwrap_or(""));
        match edge["relation"].as_str() {
            Some("participation") => {
                assert_eq!(Some(&interval(edge)), days.get(target), "{source} → {target}");
                spans.entry(source.to_owned()).or_default().push(interval(edge));
            }
            Some("link") => {
                let (from, to) = (&days[source], &days[target]);
                let start = from.0.clone().zip(to.0.clone()).map(|(a, b)| a.min(b));
                let end = from.1.clone().zip(to.1.clone()).map(|(a, b)| a.max(b));
                assert_eq!(interval(edge), (start, end), "a link spans both its events: {source} → {target}");
            }
            other => panic!("an edge of relation {other:?}"),
        }
    }
    for (actor, intervals) in &spans {
        let start = intervals.iter().map(|i| i.0.clone()).collect::<Option<Vec<_>>>().and_then(|s| s.into_iter().min());
        let end = intervals.iter().map(|i| i.1.clone()).collect::<Option<Vec<_>>>().and_then(|s| s.into_iter().max());
        assert_eq!(interval(&nodes[actor.as_str()]), (start, end), "{actor}");
    }
    assert_eq!(interval(&nodes["a:x-anon"]), (None, Some("2019-05-31".to_owned())));
    assert!(spans.len() > 5, "actors with events: {}", spans.len());
}

on_both_backends!(the_gexf_export_opens_in_graphology_with_its_time_intervals);
