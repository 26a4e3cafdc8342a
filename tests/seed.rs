//! The example affair, loaded through the import, and `chronik/1` documents, on SQLite and
//! PostgreSQL databases built by the real migrations; the example's quotes against the article
//! they come from.

mod common;

use std::collections::HashSet;

use chronik_api::Database;
use chronik_api::exchange::chronik::Document;
use chronik_api::exchange::{self, Format, ImportError, ImportSummary, Position};
use chronik_api::seed;
use common::{Backend, TestDb};
use entity::{actor, citation, event, event_link, participation, source};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

/// Rows in each table: actors, sources, events, links, participations, citations.
async fn counts(db: &Database) -> [u64; 6] {
    let r = db.reader();
    [
        actor::Entity::find().count(r).await.expect("count actors"),
        source::Entity::find().count(r).await.expect("count sources"),
        event::Entity::find().count(r).await.expect("count events"),
        event_link::Entity::find().count(r).await.expect("count links"),
        participation::Entity::find().count(r).await.expect("count participations"),
        citation::Entity::find().count(r).await.expect("count citations"),
    ]
}

/// Imports a `chronik/1` document, as the example is loaded.
async fn load(db: &Database, json: &str) -> Result<ImportSummary, ImportError> {
    exchange::import_bytes(db, Format::Json, json.as_bytes().to_vec()).await
}

async fn event_titled(db: &Database, title: &str) -> event::Model {
    let row = event::Entity::find().filter(event::Column::Title.eq(title)).one(db.reader()).await.expect("find event");
    row.unwrap_or_else(|| panic!("no event titled {title:?}"))
}

async fn the_example_loads_completely(backend: Backend) {
    let test = TestDb::on(backend).await;
    let db = &test.db;
    let summary = seed::load_example(db).await.expect("load the example");
    assert!(summary.events_created >= 12, "{summary:?}");
    assert!(summary.actors_created >= 12, "{summary:?}");
    assert!(summary.links >= 8, "{summary:?}");
    assert_eq!(summary.sources_created, 1);
    assert_eq!((summary.events_updated, summary.actors_updated, summary.sources_updated), (0, 0, 0));

    let [actors, sources, events, links, _, _] = counts(db).await;
    assert_eq!(
        (actors, sources, events, links),
        (summary.actors_created as u64, 1, summary.events_created as u64, summary.links as u64)
    );

    let cited: HashSet<Uuid> =
        citation::Entity::find().all(db.reader()).await.expect("citations").into_iter().map(|c| c.event_id).collect();
    let taking_part: HashSet<Uuid> = participation::Entity::find()
        .all(db.reader())
        .await
        .expect("participations")
        .into_iter()
        .map(|p| p.event_id)
        .collect();
    let all = event::Entity::find().all(db.reader()).await.expect("events");
    for row in &all {
        assert!(cited.contains(&row.id), "{:?} has no citation", row.title);
        assert!(taking_part.contains(&row.id), "{:?} has no participant", row.title);
    }

    let affair = event_titled(db, "The Taurus leak affair").await;
    assert_eq!(affair.parent_id, None);
    for row in all.iter().filter(|row| row.id != affair.id) {
        assert_eq!(row.parent_id, Some(affair.id), "{:?} is not in the affair", row.title);
    }
    let source = source::Entity::find().one(db.reader()).await.expect("find source").expect("a source");
    assert_eq!(source.url, None);
    assert_eq!(source.published_value.as_deref(), Some("2024-03-02"));
}

/// Needs no database: the example document is checked against the article beside the repository.
#[test]
fn every_quote_is_verbatim_in_the_article() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds/taurus-leak-article.txt");
    let Ok(article) = std::fs::read_to_string(path) else {
        println!("skipped: the article is not at {path} (a clone without ../shared)");
        return;
    };
    let document: Document = serde_json::from_str(seed::EXAMPLE).expect("parse the example");
    let mut quotes = 0;
    for event in &document.events {
        assert!(!event.citations.is_empty(), "{} has no citation", event.key);
        for citation in &event.citations {
            let quote = citation.quote.as_deref().unwrap_or_else(|| panic!("{}: a citation without quote", event.key));
            assert!(quote.chars().count() <= 200, "{}: quote too long: {quote}", event.key);
            assert!(article.contains(quote), "{}: not in the article: {quote}", event.key);
            quotes += 1;
        }
        // Accounts rest on the article's own words too.
        for account in &event.accounts {
            let quote = account.quote.as_deref().unwrap_or_else(|| panic!("{}: an account without quote", event.key));
            assert!(article.contains(quote), "{}: not in the article: {quote}", event.key);
        }
    }
    assert!(quotes >= document.events.len());
}

async fn dates_are_stored_as_precisely_as_the_article_allows(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let db = &test.db;

    let call = event_titled(db, "Secret Luftwaffe video call on Taurus missiles for Ukraine").await;
    assert_eq!(call.start_value, "2024-02");
    assert_eq!(call.start_precision, 3, "MONTH");
    assert_eq!(
        chrono::DateTime::from_timestamp(call.start_earliest, 0).map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-02-01T00:00:00+00:00")
    );
    assert_eq!(
        chrono::DateTime::from_timestamp(call.start_latest, 0).map(|d| d.to_rfc3339()).as_deref(),
        Some("2024-02-29T23:59:59+00:00")
    );

    let leak = event_titled(db, "Head of RT posts the 38-minute recording online").await;
    assert_eq!(leak.start_value, "2024-03-01");
    assert_eq!(leak.start_precision, 5, "DAY");

    let refusal = event_titled(db, "Scholz says Taurus cannot be given to Kyiv").await;
    assert_eq!((refusal.start_value.as_str(), refusal.start_precision), ("2024-W08?", 4));
    let arrest = event_titled(db, "Senior BND officer arrested on suspicion of spying for Moscow").await;
    assert_eq!((arrest.start_value.as_str(), arrest.start_precision), ("202X", 1));
    let vatican = event_titled(db, "Scholz promises a fast, thorough inquiry during a Vatican visit").await;
    assert_eq!(vatican.time_zone.as_deref(), Some("Europe/Rome"));
    assert_eq!((vatican.place_latitude, vatican.place_longitude), (Some(41.9029), Some(12.4534)));
}

async fn an_unknown_key_names_its_path_and_writes_nothing(backend: Backend) {
    let test = TestDb::on(backend).await;
    let json = r#"{
        "format": "chronik/1",
        "actors": [{ "key": "a", "name": "Someone", "kind": "person" }],
        "sources": [{ "key": "s", "title": "A source" }],
        "events": [
            { "key": "e1", "title": "First", "kind": "meeting", "start": "2024-02",
              "participants": [{ "actor": "a", "role": "organiser" }],
              "citations": [{ "source": "s", "quote": "q" }] },
            { "key": "e2", "title": "Second", "kind": "statement", "start": "2024-03",
              "participants": [{ "actor": "a", "role": "speaker" }, { "actor": "nobody", "role": "speaker" }] }
        ]
    }"#;
    match load(&test.db, json).await {
        Err(ImportError::Invalid { at, field, .. }) => {
            assert_eq!((at, field.as_str()), (Some(Position::Path("events[1]".into())), "participants[1].actor"));
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(counts(&test.db).await, [0; 6]);
}

async fn a_failure_half_way_rolls_everything_back(backend: Backend) {
    let test = TestDb::on(backend).await;
    // The references resolve, so writing starts; the second event's date is refused.
    let json = r#"{
        "format": "chronik/1",
        "actors": [{ "key": "a", "name": "Someone", "kind": "person" }],
        "events": [
            { "key": "e1", "title": "First", "kind": "meeting", "start": "2024-02",
              "participants": [{ "actor": "a", "role": "organiser" }] },
            { "key": "e2", "parent": "e1", "title": "Second", "kind": "statement", "start": "2024-13" }
        ],
        "links": [{ "from": "e2", "to": "e1", "kind": "follows" }]
    }"#;
    match load(&test.db, json).await {
        Err(ImportError::Invalid { at, field, .. }) => {
            assert_eq!((at, field.as_str()), (Some(Position::Path("events[1]".into())), "start"));
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(counts(&test.db).await, [0; 6]);

    // The same document with a valid date loads, and the database is usable after the rollback.
    let summary = load(&test.db, &json.replace("2024-13", "2024-03")).await.expect("load the fixed document");
    assert_eq!(summary, ImportSummary { events_created: 2, actors_created: 1, links: 1, ..ImportSummary::default() });
    assert_eq!(counts(&test.db).await, [1, 0, 2, 1, 1, 0]);
}

on_both_backends!(
    the_example_loads_completely,
    dates_are_stored_as_precisely_as_the_article_allows,
    an_unknown_key_names_its_path_and_writes_nothing,
    a_failure_half_way_rolls_everything_back,
);
