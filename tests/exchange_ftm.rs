//! FollowTheMoney out and in, on SQLite and PostgreSQL: the export of the example affair passes
//! the `followthemoney` library's own validation (tests/pyvalidate/run.sh installs it from PyPI
//! into a virtual environment under target/ on first use), with an entity for each event,
//! actor, source and participation; imported into an empty database and exported again it is the
//! same file; and entities as Aleph writes them (hashed IDs, fragments, `involved` without an
//! interval) import with their actors, places and sources.

mod common;

use chronik_api::exchange::{self, ExportFilter, Format};
use chronik_api::{Database, seed};
use common::{Backend, TestDb, data, run};
use serde_json::{Value, json};

async fn export(db: &Database) -> String {
    let mut out = Vec::new();
    exchange::export(db, Format::FollowTheMoney, &ExportFilter::default(), &mut out).await.expect("export");
    String::from_utf8(out).expect("utf-8")
}

fn validate(text: &str) -> Value {
    common::validate::python("ftm", "export.ftm", text)
}

async fn the_export_passes_followthemoney_and_comes_back_identical(backend: Backend) {
    let test = TestDb::on(backend).await;
    seed::load_example(&test.db).await.expect("example");
    let (events, actors, sources, participations) = (
        test.count("event").await,
        test.count("actor").await,
        test.count("source").await,
        test.count("participation").await,
    );
    let text = export(&test.db).await;
    let counts = validate(&text);
    let of = |schema: &str| counts[schema].as_i64().unwrap_or(0);
    assert_eq!(of("Event"), events, "{counts}");
    assert_eq!(of("Person") + of("Organization") + of("PublicBody"), actors, "{counts}");
    assert_eq!(of("Article"), sources, "{counts}");
    assert!(of("UnknownLink") >= participations, "an interval per participation: {counts}");
    assert!(of("Documentation") > 0, "citations: {counts}");

    let copy = TestDb::on(backend).await;
    let summary =
        exchange::import_bytes(&copy.db, Format::FollowTheMoney, text.clone().into_bytes()).await.expect("import");
    assert_eq!(
        (summary.events_created, summary.actors_created, summary.sources_created),
        (events as usize, actors as usize, sources as usize)
    );
    assert_eq!(copy.count("participation").await, participations);
    let again = export(&copy.db).await;
    assert!(again == text, "the round trip changed the file:\n{}", first_difference(&text, &again));
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .find(|(x, y)| x != y)
        .map(|(x, y)| format!("- {x}\n+ {y}"))
        .unwrap_or_else(|| format!("{} vs {} lines", a.lines().count(), b.lines().count()))
}

async fn entities_as_aleph_writes_them_import(backend: Backend) {
    let test = TestDb::on(backend).await;
    // Out of order, in fragments, with hashed IDs, as an Aleph or `ftm` export may be.
    let file = r#"{"id":"9b1e","schema":"Event","properties":{"name":["Board meeting"],"date":["2023-05-04"],"involved":["c0ff"],"organizer":["77aa"],"location":["Riga"]}}
{"id":"c0ff","schema":"Person","properties":{"name":["Anna Berzina"]}}
{"id":"77aa","schema":"Company","properties":{"name":["Baltic Holdings SIA"]}}
{"id":"9b1e","schema":"Event","properties":{"keywords":["shipping"],"summary":["Minutes leaked later."]}}
{"id":"d0c5","schema":"Document","properties":{"fileName":["minutes.pdf"],"sourceUrl":["https://example.org/minutes.pdf"]}}
{"id":"d1","schema":"Documentation","properties":{"document":["d0c5"],"entity":["9b1e"]}}
{"id":"u1","schema":"UnknownLink","properties":{"subject":["c0ff"],"object":["9b1e"],"role":["Chair of the meeting"]}}
"#;
    let summary =
        exchange::import_bytes(&test.db, Format::FollowTheMoney, file.as_bytes().to_vec()).await.expect("import");
    assert_eq!((summary.events_created, summary.actors_created, summary.sources_created), (1, 2, 1));
    let response = run(
        &test.schema(),
        "{ events { edges { node { title summary start { value } place { name } tags
            participants { role actor { name kind } } citations { source { title url } } } } } }",
        json!({}),
    )
    .await;
    let event = data(response)["events"]["edges"][0]["node"].clone();
    assert_eq!(event["title"], "Board meeting");
    assert_eq!(event["summary"], "Minutes leaked later.", "fragments are merged");
    assert_eq!(event["start"]["value"], "2023-05-04");
    assert_eq!(event["place"]["name"], "Riga");
    assert_eq!(event["tags"], json!(["shipping"]));
    let mut roles: Vec<String> = event["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .map(|p| {
            format!(
                "{} {} {}",
                p["actor"]["name"].as_str().unwrap_or(""),
                p["actor"]["kind"].as_str().unwrap_or(""),
                p["role"].as_str().unwrap_or("")
            )
        })
        .collect();
    roles.sort();
    assert_eq!(roles, ["Anna Berzina person chair_of_the_meeting", "Baltic Holdings SIA organisation organizer"]);
    assert_eq!(
        event["citations"][0]["source"],
        json!({ "title": "minutes.pdf", "url": "https://example.org/minutes.pdf" })
    );
}

on_both_backends!(the_export_passes_followthemoney_and_comes_back_identical, entities_as_aleph_writes_them_import);
