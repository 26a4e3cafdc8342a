//! The example affair and the `chronik/1` loader, against a real SQLite file built by the real migrations.

use std::collections::HashSet;

use chronik_api::seed::{self, SeedSummary};
use chronik_api::{Database, ServiceError};
use entity::{actor, citation, event, event_link, participation, source};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

type TestResult = Result<(), Box<dyn std::error::Error>>;

async fn database(dir: &tempfile::TempDir) -> Result<Database, Box<dyn std::error::Error>> {
    let path = dir.path().join("t.db");
    let db = Database::connect(path.to_str().ok_or("temporary path is not UTF-8")?, Default::default()).await?;
    db.migrate().await?;
    Ok(db)
}

/// Rows in each table: actors, sources, events, links, participations, citations.
async fn counts(db: &Database) -> Result<[u64; 6], sea_orm::DbErr> {
    let r = db.reader();
    Ok([
        actor::Entity::find().count(r).await?,
        source::Entity::find().count(r).await?,
        event::Entity::find().count(r).await?,
        event_link::Entity::find().count(r).await?,
        participation::Entity::find().count(r).await?,
        citation::Entity::find().count(r).await?,
    ])
}

async fn event_titled(db: &Database, title: &str) -> Result<event::Model, Box<dyn std::error::Error>> {
    let row = event::Entity::find().filter(event::Column::Title.eq(title)).one(db.reader()).await?;
    Ok(row.ok_or_else(|| format!("no event titled {title:?}"))?)
}

#[tokio::test]
async fn the_example_loads_completely() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = database(&dir).await?;
    let summary = seed::load_example(&db).await?;
    assert!(summary.events >= 12, "{summary:?}");
    assert!(summary.actors >= 12, "{summary:?}");
    assert!(summary.links >= 8, "{summary:?}");
    assert_eq!(summary.sources, 1);

    let [actors, sources, events, links, _, _] = counts(&db).await?;
    assert_eq!(
        (actors, sources, events, links),
        (summary.actors as u64, 1, summary.events as u64, summary.links as u64)
    );

    let cited: HashSet<Uuid> =
        citation::Entity::find().all(db.reader()).await?.into_iter().map(|c| c.event_id).collect();
    let taking_part: HashSet<Uuid> =
        participation::Entity::find().all(db.reader()).await?.into_iter().map(|p| p.event_id).collect();
    let all = event::Entity::find().all(db.reader()).await?;
    for row in &all {
        assert!(cited.contains(&row.id), "{:?} has no citation", row.title);
        assert!(taking_part.contains(&row.id), "{:?} has no participant", row.title);
    }

    let affair = event_titled(&db, "The Taurus leak affair").await?;
    assert_eq!(affair.parent_id, None);
    for row in all.iter().filter(|row| row.id != affair.id) {
        assert_eq!(row.parent_id, Some(affair.id), "{:?} is not in the affair", row.title);
    }
    let source = source::Entity::find().one(db.reader()).await?.ok_or("no source")?;
    assert_eq!(source.url, None);
    assert_eq!(source.published_value.as_deref(), Some("2024-03-02"));
    Ok(())
}

#[tokio::test]
async fn every_quote_is_verbatim_in_the_article() -> TestResult {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/seeds/taurus-leak-article.txt");
    let Ok(article) = std::fs::read_to_string(path) else {
        println!("skipped: the article is not at {path} (a clone without ../shared)");
        return Ok(());
    };
    let document = seed::parse(seed::EXAMPLE)?;
    let mut quotes = 0;
    for event in &document.events {
        assert!(!event.citations.is_empty(), "{} has no citation", event.key);
        for citation in &event.citations {
            let quote = citation.quote.as_deref().ok_or_else(|| format!("{}: a citation without quote", event.key))?;
            assert!(quote.chars().count() <= 200, "{}: quote too long: {quote}", event.key);
            assert!(article.contains(quote), "{}: not in the article: {quote}", event.key);
            quotes += 1;
        }
    }
    assert!(quotes >= document.events.len());
    Ok(())
}

#[tokio::test]
async fn dates_are_stored_as_precisely_as_the_article_allows() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = database(&dir).await?;
    seed::load_example(&db).await?;

    let call = event_titled(&db, "Secret Luftwaffe video call on Taurus missiles for Ukraine").await?;
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

    let leak = event_titled(&db, "Head of RT posts the 38-minute recording online").await?;
    assert_eq!(leak.start_value, "2024-03-01");
    assert_eq!(leak.start_precision, 5, "DAY");

    let refusal = event_titled(&db, "Scholz says Taurus cannot be given to Kyiv").await?;
    assert_eq!((refusal.start_value.as_str(), refusal.start_precision), ("2024-W08?", 4));
    let arrest = event_titled(&db, "Senior BND officer arrested on suspicion of spying for Moscow").await?;
    assert_eq!((arrest.start_value.as_str(), arrest.start_precision), ("202X", 1));
    let vatican = event_titled(&db, "Scholz promises a fast, thorough inquiry during a Vatican visit").await?;
    assert_eq!(vatican.time_zone.as_deref(), Some("Europe/Rome"));
    assert_eq!((vatican.place_latitude, vatican.place_longitude), (Some(41.9029), Some(12.4534)));
    Ok(())
}

#[tokio::test]
async fn an_unknown_key_names_its_path_and_writes_nothing() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = database(&dir).await?;
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
    match seed::load(&db, json).await {
        Err(ServiceError::Validation { field, .. }) => assert_eq!(field, "events[1].participants[1].actor"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(counts(&db).await?, [0; 6]);
    Ok(())
}

#[tokio::test]
async fn a_failure_half_way_rolls_everything_back() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = database(&dir).await?;
    // The references resolve, so writing starts; the second event's date is refused by the service.
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
    match seed::load(&db, json).await {
        Err(ServiceError::Validation { field, .. }) => assert_eq!(field, "events[1].start"),
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(counts(&db).await?, [0; 6]);

    // The same document with a valid date loads, and the database is usable after the rollback.
    let summary = seed::load(&db, &json.replace("2024-13", "2024-03")).await?;
    assert_eq!(summary, SeedSummary { events: 2, actors: 1, sources: 0, links: 1 });
    assert_eq!(counts(&db).await?, [1, 0, 2, 1, 1, 0]);
    Ok(())
}
