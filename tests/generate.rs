//! `chronik generate`'s data: the same seed gives the same bytes; the data looks like an
//! investigation (power-law actors, bursts, every precision, 1–4 participants, 0–3 citations);
//! written into the database it is what importing its JSON Lines file gives, search and history
//! included.

mod common;

use common::{Backend, TestDb};

use std::collections::HashMap;

use chronik_api::Database;
use chronik_api::config::RequestLimits;
use chronik_api::exchange::record::Record;
use chronik_api::exchange::{self, ExportFilter, Format};
use chronik_api::generate::{self, Spec};
use chronik_api::graphql::build_schema;
use fuzzydate::{FuzzyDate, Precision};

const SPEC: Spec = Spec { events: 20_000, actors: 1_000, sources: 300, seed: 3 };

fn jsonl(spec: Spec) -> Vec<u8> {
    let mut out = Vec::new();
    generate::write_jsonl(spec, &mut out).expect("write");
    out
}

#[test]
fn the_same_seed_gives_the_same_file_and_another_seed_another() {
    let small = Spec { events: 2_000, actors: 100, sources: 50, seed: 11 };
    assert_eq!(jsonl(small), jsonl(small));
    assert_ne!(jsonl(small), jsonl(Spec { seed: 12, ..small }));
    let text = String::from_utf8(jsonl(small)).expect("utf-8");
    assert_eq!(text.lines().next(), Some(r#"{"format":"chronik/1"}"#));
    assert_eq!(text.lines().count(), 1 + 100 + 50 + 2_000 + 100);
}

#[test]
fn the_data_looks_like_an_investigation() {
    let mut precisions: HashMap<Precision, usize> = HashMap::new();
    let mut participants = [0usize; 5];
    let mut citations = [0usize; 4];
    let mut activity: HashMap<String, usize> = HashMap::new();
    let mut months: HashMap<i64, usize> = HashMap::new();
    let (mut qualified, mut ended, mut zoned, mut parents, mut links) = (0, 0, 0, 0, 0);
    for record in generate::records(SPEC) {
        match record {
            Record::Event(event) => {
                let entry = event.entry;
                let zone = entry.time_zone.as_deref().and_then(|z| z.parse().ok());
                let start = FuzzyDate::parse(&entry.start, zone).unwrap_or_else(|e| panic!("{}: {e}", entry.start));
                *precisions.entry(start.precision()).or_default() += 1;
                if start.precision() >= Precision::Month {
                    *months
                        .entry(start.earliest().expect("a generated date has a start").timestamp() / (30 * 86_400))
                        .or_default() += 1;
                }
                qualified += usize::from(start.approximate() || start.uncertain());
                ended += usize::from(entry.end.is_some());
                zoned += usize::from(zone.is_some());
                parents += usize::from(entry.parent.is_some());
                participants[entry.participants.len()] += 1;
                citations[entry.citations.len()] += 1;
                for p in entry.participants {
                    *activity.entry(p.actor).or_default() += 1;
                }
            }
            Record::Link(_) => links += 1,
            _ => {}
        }
    }
    // Every precision dates had before EDTF level 2 (the generator writes no millennia or
    // seasons, so generated data sets stay comparable across versions).
    let written = Precision::ALL.iter().filter(|p| !matches!(p, Precision::Millennium | Precision::Season)).count();
    assert_eq!(precisions.len(), written, "every precision: {precisions:?}");
    assert_eq!(participants[0], 0, "every event has a participant");
    assert!(participants[1..].iter().all(|&n| n > 0), "1 to 4 participants: {participants:?}");
    assert!(citations.iter().all(|&n| n > 0), "0 to 3 citations: {citations:?}");
    assert!(qualified > 500 && ended > 500 && zoned > 500 && parents > 100 && links > 900);

    // A power law: the 1% most active actors take part far more often than the median one.
    let mut counts: Vec<usize> = activity.values().copied().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let total: usize = counts.iter().sum();
    let top: usize = counts.iter().take(10).sum();
    assert!(top * 100 / total > 20, "the top 10 of 1,000 actors hold {top} of {total} participations");
    assert!(
        counts[0] > 50 * counts[counts.len() / 2].max(1),
        "{} vs a median of {}",
        counts[0],
        counts[counts.len() / 2]
    );

    // Bursts: the busiest month holds many times the events of a typical one.
    let mut per_month: Vec<usize> = months.values().copied().collect();
    per_month.sort_unstable();
    let median = per_month[per_month.len() / 2];
    assert!(per_month[per_month.len() - 1] > 8 * median, "busiest month {:?} vs median {median}", per_month.last());
}

/// A migrated database of the test's own on `backend`; the second value keeps it alive.
async fn database(backend: Backend) -> (Database, TestDb) {
    let test = TestDb::on(backend).await;
    (test.db.clone(), test)
}

async fn export(db: &Database) -> Vec<u8> {
    let mut out = Vec::new();
    exchange::export(db, Format::JsonLines, &ExportFilter::default(), &mut out).await.expect("export");
    out
}

async fn generated_into_the_database_it_equals_the_imported_file(backend: Backend) {
    let spec = Spec { events: 3_000, actors: 200, sources: 80, seed: 5 };
    let (direct, direct_test) = database(backend).await;
    let summary = generate::into_database(&direct, spec, &|_| {}).await.expect("generate");
    assert_eq!((summary.events_created, summary.actors_created, summary.sources_created), (3_000, 200, 80));
    let (imported, imported_test) = database(backend).await;
    exchange::import_bytes(&imported, Format::JsonLines, jsonl(spec)).await.expect("import");
    assert!(export(&direct).await == export(&imported).await, "the same rows either way");
    // And the same history: a revision per version, an audit row per actor and source (events'
    // versions are kept copy-on-write), and one for what was written: the file, or each of
    // the generator's transactions.
    let revisions = direct_test.count("event_revision").await;
    assert!(revisions >= 3_000, "event_revision: {revisions} rows");
    assert_eq!(revisions, imported_test.count("event_revision").await, "event_revision");
    let records = "audit_log WHERE entity <> 'import'";
    assert_eq!(direct_test.count(records).await, 280, "an audit row per actor and source");
    assert_eq!(imported_test.count(records).await, 280, "an audit row per actor and source");
    assert_eq!(imported_test.count("audit_log WHERE entity = 'import'").await, 1, "the file's");
    assert!(direct_test.count("audit_log WHERE entity = 'import'").await >= 1, "the generator's");

    // Search documents are written with the rows.
    let schema = build_schema(direct.clone(), &RequestLimits::default());
    let response = schema
        .execute(async_graphql::Request::new(
            "{ events(first: 5, filter: { search: \"pipeline\" }) { totalCount } actors(search: \"schmidt\") { totalCount } }",
        ))
        .await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().expect("json");
    assert!(data["events"]["totalCount"].as_i64().unwrap_or(0) > 50, "{data}");
    assert!(data["actors"]["totalCount"].as_i64().unwrap_or(0) > 0, "{data}");
}

on_both_backends!(generated_into_the_database_it_equals_the_imported_file,);
