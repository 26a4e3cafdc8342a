//! Dates written before EDTF came keep their meaning: a database made by the migrations before
//! `m20261206_000010_open_dates`, holding events as that schema stored them (the text, the
//! precision rank and the bounds in Unix seconds, written here by plain SQL), is migrated by the
//! rest; each event then reads back with the same earliest, latest and precision, is found by a
//! window it overlaps and not by one it does not, and its stored columns (the span class the
//! migration regenerates included) equal those of the same date written today. On SQLite and
//! PostgreSQL.

mod common;

use std::collections::BTreeSet;

use chronik_api::Database;
use chronik_api::config::RequestLimits;
use chronik_api::db::DatabaseOptions;
use chronik_api::graphql::{AppSchema, build_schema};
use common::{Backend, BlankDb, data, run};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value as SqlValue};
use serde_json::{Value, json};

/// The last migration of the schema these rows were written under.
const OLD_SCHEMA: &str = "m20261202_000009_revision_timeline_order";

/// An event as the old schema held it: title, start (text, rank, earliest, latest), end, time zone.
struct OldEvent {
    title: &'static str,
    start: (&'static str, i16, i64, i64),
    end: Option<(&'static str, i16, i64, i64)>,
    zone: Option<&'static str>,
    deleted: bool,
}

/// Ranks as they were: 0 century, 1 decade, 2 year, 3 month, 4 week, 5 day, 6 hour, 7 minute,
/// 8 second. The bounds are worked out by hand (UTC unless a zone is given).
const OLD: [OldEvent; 6] = [
    OldEvent {
        title: "Call in February",
        start: ("2024-02~", 3, 1_706_745_600, 1_709_251_199),
        end: None,
        zone: None,
        deleted: false,
    },
    OldEvent {
        title: "Refusal that week",
        start: ("2024-W09", 4, 1_708_905_600, 1_709_510_399),
        end: None,
        zone: None,
        deleted: false,
    },
    OldEvent {
        title: "The nineties",
        start: ("199X", 1, 631_152_000, 946_684_799),
        end: None,
        zone: None,
        deleted: false,
    },
    OldEvent {
        title: "Posted late Friday",
        start: ("2024-03-01T22:00", 7, 1_709_326_800, 1_709_326_859),
        end: None,
        zone: Some("Europe/Berlin"),
        deleted: false,
    },
    OldEvent {
        title: "Talks 2019 to June 2020",
        start: ("2019", 2, 1_546_300_800, 1_577_836_799),
        end: Some(("2020-06", 3, 1_590_969_600, 1_593_561_599)),
        zone: None,
        deleted: false,
    },
    OldEvent {
        title: "Deleted century",
        start: ("20XX", 0, 946_684_800, 4_102_444_799),
        end: None,
        zone: None,
        deleted: true,
    },
];

/// What GraphQL reads back: title, start and end as (value, precision, earliest, latest).
type Read = (&'static str, [&'static str; 4], Option<[&'static str; 4]>);

const READ: [Read; 5] = [
    ("Call in February", ["2024-02~", "MONTH", "2024-02-01T00:00:00+00:00", "2024-02-29T23:59:59+00:00"], None),
    ("Refusal that week", ["2024-W09", "WEEK", "2024-02-26T00:00:00+00:00", "2024-03-03T23:59:59+00:00"], None),
    ("The nineties", ["199X", "DECADE", "1990-01-01T00:00:00+00:00", "1999-12-31T23:59:59+00:00"], None),
    (
        "Posted late Friday",
        ["2024-03-01T22:00", "MINUTE", "2024-03-01T21:00:00+00:00", "2024-03-01T21:00:59+00:00"],
        None,
    ),
    (
        "Talks 2019 to June 2020",
        ["2019", "YEAR", "2019-01-01T00:00:00+00:00", "2019-12-31T23:59:59+00:00"],
        Some(["2020-06", "MONTH", "2020-06-01T00:00:00+00:00", "2020-06-30T23:59:59+00:00"]),
    ),
];

/// `?` or `$n` placeholders, as the backend wants them.
fn placeholders(backend: DatabaseBackend, count: usize) -> String {
    (1..=count)
        .map(|i| if backend == DatabaseBackend::Postgres { format!("${i}") } else { "?".to_owned() })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the old rows with the columns the old schema had (no span class: it is generated).
async fn write_old_rows(connection: &impl ConnectionTrait) {
    let backend = connection.get_database_backend();
    let columns = "id, title, kind, start_value, start_precision, start_earliest, start_latest, end_value, \
                   end_precision, end_earliest, end_latest, span_latest, time_zone, confidence, created_at, \
                   updated_at, deleted_at, version";
    let sql = format!("INSERT INTO event ({columns}) VALUES ({})", placeholders(backend, 18));
    let now = chrono::Utc::now();
    for old in &OLD {
        let (start_text, start_rank, start_earliest, start_latest) = old.start;
        let span_latest = old.end.map_or(start_latest, |(_, _, _, latest)| latest.max(start_latest));
        let values: Vec<SqlValue> = vec![
            uuid::Uuid::now_v7().into(),
            old.title.into(),
            "meeting".into(),
            start_text.into(),
            start_rank.into(),
            start_earliest.into(),
            start_latest.into(),
            old.end.map(|(text, ..)| text.to_owned()).into(),
            old.end.map(|(_, rank, ..)| rank).into(),
            old.end.map(|(_, _, earliest, _)| earliest).into(),
            old.end.map(|(.., latest)| latest).into(),
            span_latest.into(),
            old.zone.map(str::to_owned).into(),
            "reported".into(),
            now.into(),
            now.into(),
            old.deleted.then_some(now).into(),
            1_i32.into(),
        ];
        connection.execute_raw(Statement::from_sql_and_values(backend, &sql, values)).await.expect("an old row");
    }
}

async fn titles_in(schema: &AppSchema, from: &str, to: &str) -> BTreeSet<String> {
    let query = "query($filter: EventFilter) { events(first: 50, filter: $filter) { totalCount nodes { title } } }";
    let events = data(run(schema, query, json!({ "filter": { "from": from, "to": to } })).await)["events"].clone();
    let titles: BTreeSet<String> = events["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| node["title"].as_str().expect("title").to_owned())
        .collect();
    assert_eq!(events["totalCount"].as_u64(), Some(titles.len() as u64), "{from}..{to}: the count agrees");
    titles
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|title| (*title).to_owned()).collect()
}

/// The stored date columns and span class of each live event, by title.
async fn columns(db: &Database) -> Vec<(String, Vec<Option<i64>>)> {
    let backend = db.backend();
    let sql = "SELECT title, CAST(start_precision AS BIGINT) AS sp, start_earliest, start_latest, \
               CAST(end_precision AS BIGINT) AS ep, end_earliest, end_latest, span_latest, \
               CAST(span_class AS BIGINT) AS class FROM event WHERE deleted_at IS NULL ORDER BY title";
    let rows = db.reader().query_all_raw(Statement::from_string(backend, sql)).await.expect("columns");
    rows.iter()
        .map(|row| {
            let title: String = row.try_get("", "title").expect("title");
            let numbers =
                ["sp", "start_earliest", "start_latest", "ep", "end_earliest", "end_latest", "span_latest", "class"]
                    .iter()
                    .map(|name| row.try_get::<Option<i64>>("", name).expect(name))
                    .collect();
            (title, numbers)
        })
        .collect()
}

async fn old_dates_read_the_same_after_the_migrations(backend: Backend) {
    let blank = BlankDb::on(backend).await;
    let db = Database::connect(&blank.url, DatabaseOptions { readers: 2, observer: None, faults: None })
        .await
        .expect("open database");
    let writer = db.writer().expect("writer");
    let before = Migrator::migrations().iter().position(|m| m.name() == OLD_SCHEMA).expect("the old schema's last") + 1;
    Migrator::up(&writer, Some(u32::try_from(before).expect("few"))).await.expect("the old migrations");
    let pending = Migrator::get_pending_migrations(&writer).await.expect("pending");
    assert_eq!(pending.first().map(|m| m.name().to_owned()).as_deref(), Some("m20261206_000010_open_dates"));
    write_old_rows(&writer).await;

    let migrated = db.migrate().await.expect("the remaining migrations");
    assert_eq!(migrated.applied, pending.len());
    let schema = build_schema(db.clone(), &RequestLimits::default());

    // Read back through GraphQL: the same text, precision and bounds; the deleted one stays gone.
    let date = "value precision earliest latest description";
    let response = run(
        &schema,
        &format!("{{ events(first: 50) {{ nodes {{ title timeZone start {{ {date} }} end {{ {date} }} }} }} }}"),
        Value::Null,
    )
    .await;
    let nodes = data(response)["events"]["nodes"].as_array().expect("nodes").clone();
    assert_eq!(nodes.len(), READ.len(), "{nodes:?}");
    let fields = |d: [&str; 4]| json!({ "value": d[0], "precision": d[1], "earliest": d[2], "latest": d[3] });
    for (title, start, end) in READ {
        let node = nodes.iter().find(|n| n["title"] == json!(title)).unwrap_or_else(|| panic!("{title} read back"));
        let mut read = node["start"].clone();
        let description = read.as_object_mut().and_then(|o| o.remove("description"));
        assert_eq!(read, fields(start), "{title}: start");
        assert!(description.and_then(|d| d.as_str().map(|d| !d.is_empty())).unwrap_or(false), "{title}: described");
        match end {
            Some(end) => {
                let mut read = node["end"].clone();
                read.as_object_mut().map(|o| o.remove("description"));
                assert_eq!(read, fields(end), "{title}: end");
            }
            None => assert_eq!(node["end"], Value::Null, "{title}: no end"),
        }
    }
    assert_eq!(
        nodes.iter().find(|n| n["title"] == json!("Posted late Friday")).map(|n| n["timeZone"].clone()),
        Some(json!("Europe/Berlin"))
    );

    // Found by the windows they overlap, and by no other.
    let windows: [(&str, &str, &[&str]); 9] = [
        ("2024-02-10", "2024-02-10", &["Call in February"]),
        ("2024-02-26", "2024-02-29", &["Call in February", "Refusal that week"]),
        ("2024-03-01T21:00:30Z", "2024-03-01T21:00:30Z", &["Refusal that week", "Posted late Friday"]),
        ("2024-03-01T21:01:00Z", "2024-03-01T23:59:59Z", &["Refusal that week"]),
        ("2024-03-04", "2024-12", &[]),
        ("1995", "1995", &["The nineties"]),
        ("2000", "2000", &[]),
        ("2020-03", "2020-03", &["Talks 2019 to June 2020"]),
        ("2020-07", "2023", &[]),
    ];
    for (from, to, titles) in windows {
        assert_eq!(titles_in(&schema, from, to).await, set(titles), "window {from}..{to}");
    }

    // The same dates written today are stored with the same columns and span class.
    let old = columns(&db).await;
    for (title, start, end) in READ {
        let node = nodes.iter().find(|n| n["title"] == json!(title)).expect("node");
        let input = json!({
            "title": format!("{title} (today)"),
            "kind": "meeting",
            "start": start[0],
            "end": end.map(|e| e[0]),
            "timeZone": node["timeZone"],
        });
        let response = run(
            &schema,
            "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }",
            json!({ "input": input }),
        )
        .await;
        data(response);
    }
    let all = columns(&db).await;
    for (title, numbers) in &old {
        let today = all.iter().find(|(t, _)| t == &format!("{title} (today)")).expect("written today");
        assert_eq!(numbers, &today.1, "{title}: stored as today's code stores it");
    }
}

on_both_backends!(old_dates_read_the_same_after_the_migrations);
