//! Issue 18's "done when", through GraphQL on SQLite and PostgreSQL: events dated `-0044-03-15`,
//! `2023-35`, `../2019-05`, `2024-03/..` and `1985-XX-12` are read back with their earliest and
//! latest instants, found by a window they could overlap and not by one they cannot (an open
//! side overlaps every window on its side), and described in words; `describeDate` says the
//! same before anything is stored; dates beyond the stored years are refused by field.

mod common;

use std::collections::BTreeSet;

use chronik_api::exchange::{self, ExportFilter, Format};
use common::{Backend, TestDb, data, error_code, run};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

/// Title, date, earliest, latest (null for an open side), precision, the description.
type Expected = (&'static str, &'static str, Option<&'static str>, Option<&'static str>, &'static str, &'static str);

const EVENTS: [Expected; 5] = [
    (
        "Ides",
        "-0044-03-15",
        Some("-0044-03-15T00:00:00+00:00"),
        Some("-0044-03-15T23:59:59+00:00"),
        "DAY",
        "15 March 45 BC (day precision, ISO 8601 counts a year 0, so year -44 is 45 BC)",
    ),
    (
        "Third quarter",
        "2023-35",
        Some("2023-07-01T00:00:00+00:00"),
        Some("2023-09-30T23:59:59+00:00"),
        "SEASON",
        "the third quarter of 2023, July–September (season precision)",
    ),
    (
        "Before May 2019",
        "../2019-05",
        None,
        Some("2019-05-31T23:59:59+00:00"),
        "MONTH",
        "until May 2019 (no known start: it may have begun at any time before, month precision)",
    ),
    (
        "After March 2024",
        "2024-03/..",
        Some("2024-03-01T00:00:00+00:00"),
        None,
        "MONTH",
        "from March 2024 on (no known end: it may have lasted any time after, month precision)",
    ),
    (
        "Some 12th of 1985",
        "1985-XX-12",
        Some("1985-01-12T00:00:00+00:00"),
        Some("1985-12-12T23:59:59+00:00"),
        "DAY",
        "day 12 of an unspecified month of 1985 (day precision)",
    ),
];

const DATE_FIELDS: &str = "value earliest latest precision description";

async fn titles_in(test: &TestDb, from: &str, to: &str) -> BTreeSet<String> {
    let query = "query($filter: EventFilter) { events(first: 50, filter: $filter) { totalCount nodes { title } } }";
    let response = run(&test.schema(), query, json!({ "filter": { "from": from, "to": to } })).await;
    let events = data(response)["events"].clone();
    let titles: BTreeSet<String> = events["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| node["title"].as_str().expect("title").to_owned())
        .collect();
    assert_eq!(events["totalCount"].as_u64(), Some(titles.len() as u64), "{from}..{to}: the count agrees");
    titles
}

fn expected(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|title| (*title).to_owned()).collect()
}

async fn edtf_dates_are_stored_found_and_described(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    for (title, start, earliest, latest, precision, words) in EVENTS {
        let response = run(
            &schema,
            &format!(
                "mutation($input: CreateEventInput!) {{ createEvent(input: $input) {{ event {{ id start {{ {DATE_FIELDS} }} }} }} }}"
            ),
            json!({ "input": { "title": title, "start": start, "kind": "meeting" } }),
        )
        .await;
        let created = data(response)["createEvent"]["event"].clone();
        let id = created["id"].as_str().expect("id").to_owned();
        // Read back, by a query of its own.
        let response = run(
            &schema,
            &format!("query($id: ID!) {{ event(id: $id) {{ start {{ {DATE_FIELDS} }} }} }}"),
            json!({ "id": id }),
        )
        .await;
        let read = data(response)["event"]["start"].clone();
        assert_eq!(read, created["start"], "{start}: the same written and read");
        assert_eq!(read["value"], json!(start));
        assert_eq!(read["earliest"], json!(earliest), "{start} earliest");
        assert_eq!(read["latest"], json!(latest), "{start} latest");
        assert_eq!(read["precision"], json!(precision), "{start} precision");
        assert_eq!(read["description"], json!(words), "{start} in words");
        // The preview's query says the same before anything is stored.
        let response = run(
            &schema,
            &format!("query($text: String!) {{ describeDate(text: $text) {{ {DATE_FIELDS} }} }}"),
            json!({ "text": start }),
        )
        .await;
        assert_eq!(data(response)["describeDate"], read, "{start}: describeDate agrees");
    }

    // The span classes the migration m20261206_000010_open_dates gives: a length for a closed span
    // (also before year 0), 42 for an open start, 43 for an open end.
    let backend = test.db.reader().get_database_backend();
    let rows = test
        .db
        .reader()
        .query_all_raw(Statement::from_string(backend, "SELECT title, CAST(span_class AS BIGINT) AS class FROM event"))
        .await
        .expect("classes");
    let classes: BTreeSet<(String, i64)> = rows
        .iter()
        .map(|row| (row.try_get("", "title").expect("title"), row.try_get("", "class").expect("class")))
        .collect();
    let expected_classes: BTreeSet<(String, i64)> = [
        ("Ides", 17),
        ("Third quarter", 23),
        ("Before May 2019", 42),
        ("After March 2024", 43),
        ("Some 12th of 1985", 25),
    ]
    .into_iter()
    .map(|(title, class)| (title.to_owned(), class))
    .collect();
    assert_eq!(classes, expected_classes);

    // Each of the five both ways: found by a window it overlaps, and not by one beside it.
    let windows: [(&str, &str, &[&str]); 16] = [
        ("-0044-03", "-0044-03", &["Ides", "Before May 2019"]),
        ("-0100", "-0045", &["Before May 2019"]),
        ("-0044-03-16", "-0044-12", &["Before May 2019"]),
        ("2023-09-30", "2023-10-05", &["Third quarter"]),
        ("2023-10", "2023-12", &[]),
        ("1900", "1900", &["Before May 2019"]),
        ("2018", "2018", &["Before May 2019"]),
        ("2019-05-31", "2019-05-31", &["Before May 2019"]),
        ("2019-06", "2020", &[]),
        ("2030", "2031", &["After March 2024"]),
        ("2023", "2024-02", &["Third quarter"]),
        ("1985-06", "1985-06", &["Some 12th of 1985", "Before May 2019"]),
        ("1986", "1986", &["Before May 2019"]),
        // Some 12th of 1985 lies between 12 January and 12 December 1985.
        ("1985-01-01", "1985-01-11", &["Before May 2019"]),
        ("1985-12-13", "1985-12-31", &["Before May 2019"]),
        ("2023-06", "2023-06", &[]),
    ];
    for (from, to, titles) in windows {
        assert_eq!(titles_in(&test, from, to).await, expected(titles), "window {from}..{to}");
    }
    // A window of its own open side finds what it may overlap too.
    assert_eq!(
        titles_in(&test, "../1000", "../1000").await,
        expected(&["Ides", "Before May 2019"]),
        "everything up to 1000"
    );
    assert_eq!(
        titles_in(&test, "2024-02-29", "2024-03-01").await,
        expected(&["After March 2024"]),
        "the first day of an open end"
    );

    // The histogram's axis runs over real instants, not the open sides' sentinels.
    let response = run(&schema, "{ timelineHistogram(buckets: 4) { start end count } }", json!({})).await;
    let buckets = data(response)["timelineHistogram"].clone();
    let buckets = buckets.as_array().expect("buckets");
    assert_eq!(buckets.first().map(|b| b["start"].clone()), Some(json!("-0044-03-15T00:00:00+00:00")));
    let total: u64 = buckets.iter().map(|b| b["count"].as_u64().unwrap_or(0)).sum();
    assert_eq!(total, 5, "every event counted once: {buckets:?}");

    // Outside the stored years: refused by field, nothing written.
    let before = test.count("event").await;
    let response = run(
        &schema,
        "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }",
        json!({ "input": { "title": "Too early", "start": "2024", "end": "Y-100000", "kind": "meeting" } }),
    )
    .await;
    assert_eq!(error_code(&response), ("VALIDATION".to_owned(), Some("end".to_owned())));
    assert_eq!(test.count("event").await, before);
    let response = run(&schema, "query { describeDate(text: \"2024-13\") { value } }", Value::Null).await;
    assert_eq!(error_code(&response), ("VALIDATION".to_owned(), Some("text".to_owned())));
}

async fn export(test: &TestDb, format: Format) -> String {
    let mut out = Vec::new();
    exchange::export(&test.db, format, &ExportFilter::default(), &mut out).await.expect("export");
    String::from_utf8(out).expect("utf-8")
}

/// The value of `name` in the VEVENT whose X-CHRONIK-START is `start` (unfolded lines suffice:
/// these lines are short).
fn ics_value(ics: &str, start: &str, name: &str) -> Option<String> {
    let event = ics.split("BEGIN:VEVENT").find(|block| block.contains(&format!("X-CHRONIK-START:{start}\r\n")))?;
    event.split("\r\n").find_map(|line| line.strip_prefix(&format!("{name}:")).map(str::to_owned))
}

async fn edtf_dates_are_imported_and_exported(backend: Backend) {
    let test = TestDb::on(backend).await;
    let lines: String = EVENTS
        .iter()
        .enumerate()
        .map(|(i, (title, start, ..))| {
            format!(
                "{}\n",
                json!({ "type": "event", "key": format!("e{i}"), "title": title, "kind": "meeting", "start": start })
            )
        })
        .collect();
    exchange::import_bytes(&test.db, Format::JsonLines, lines.into_bytes()).await.expect("import");

    // chronik JSON keeps the EDTF text as typed.
    let chronik = export(&test, Format::JsonLines).await;
    for (_, start, ..) in EVENTS {
        assert!(chronik.contains(&format!("\"start\":\"{start}\"")), "{start} kept in {chronik}");
    }

    // iCalendar: a range over the days the date may fall on; an open side stands at its known
    // side; a year before 0 cannot be written in iCalendar's four digits and is left out.
    let ics = export(&test, Format::ICalendar).await;
    let range =
        |start: &str| (ics_value(&ics, start, "DTSTART;VALUE=DATE"), ics_value(&ics, start, "DTEND;VALUE=DATE"));
    let day = |d: &str| Some(d.to_owned());
    assert_eq!(range("2023-35"), (day("20230701"), day("20231001")));
    assert_eq!(range("1985-XX-12"), (day("19850112"), day("19851213")));
    assert_eq!(range("../2019-05"), (day("20190531"), day("20190601")));
    assert_eq!(range("2024-03/.."), (day("20240301"), day("20240302")));
    assert!(ics_value(&ics, "2024-03/..", "DESCRIPTION").is_some_and(|d| d.contains("from March 2024 on")));
    assert_eq!(range("-0044-03-15"), (None, None));
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 4);

    // TimelineJS: the nearest form its date fields can hold, and the whole meaning in display_date.
    let timeline: Value = serde_json::from_str(&export(&test, Format::TimelineJs).await).expect("json");
    let slides = timeline["events"].as_array().expect("events");
    assert_eq!(slides.len(), 5);
    for (title, _, _, _, _, words) in EVENTS {
        let slide = slides.iter().find(|s| s["text"]["headline"] == json!(title)).expect(title);
        assert_eq!(slide["display_date"], json!(words), "{title}");
    }
    let ides = slides.iter().find(|s| s["text"]["headline"] == json!("Ides")).expect("ides");
    assert_eq!(ides["start_date"], json!({ "year": "-44", "month": "3", "day": "15" }));
    let open = slides.iter().find(|s| s["text"]["headline"] == json!("Before May 2019")).expect("open");
    assert_eq!((open["start_date"].clone(), open.get("end_date")), (json!({ "year": "2019", "month": "5" }), None));
}

on_both_backends!(edtf_dates_are_stored_found_and_described, edtf_dates_are_imported_and_exported);
