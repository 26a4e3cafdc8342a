//! The small doors of an import (issue 16, item 8), on SQLite and PostgreSQL: a NUL character is
//! refused by the rules a mutation and a file share; one JSON Lines record is bounded in size; an
//! unterminated CSV quote, a bad latitude and a key used twice in one file are each reported as
//! what they are, with nothing written; and a server beside a running import answers writes
//! with UNAVAILABLE ("an import is running"), not INTERNAL.

mod common;

use std::io::Write as _;
use std::time::Duration;

use chronik_api::db::DatabaseOptions;
use chronik_api::exchange::{self, Format, ImportError, Position};
use chronik_api::{Database, error::BUSY};
use common::{Backend, TestDb, error_code, run};
use serde_json::{Value, json};

async fn import(db: &Database, format: Format, text: &str) -> Result<exchange::ImportSummary, ImportError> {
    exchange::import_bytes(db, format, text.as_bytes().to_vec()).await
}

fn invalid(error: &ImportError) -> (Option<Position>, String, String) {
    match error {
        ImportError::Invalid { at, field, message } => (at.clone(), field.clone(), message.clone()),
        other => panic!("expected an invalid record, got {other:?}"),
    }
}

async fn nul_characters_are_refused_by_mutations_and_files(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let create = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }";
    let response =
        run(&schema, create, json!({ "input": { "title": "a\u{0}b", "start": "2024", "kind": "meeting" } })).await;
    assert_eq!(error_code(&response), ("VALIDATION".to_owned(), Some("title".to_owned())));
    let response = run(
        &schema,
        create,
        json!({ "input": { "title": "ok", "start": "2024", "kind": "meeting", "tags": ["fine", "x\u{0}"] } }),
    )
    .await;
    assert_eq!(error_code(&response), ("VALIDATION".to_owned(), Some("tags[1]".to_owned())));

    let line = r#"{"type":"event","key":"e","title":"T","kind":"other","start":"2024","tags":["a\u0000b"]}"#;
    let error = import(&test.db, Format::JsonLines, line).await.expect_err("a NUL in a tag");
    let (at, field, message) = invalid(&error);
    assert_eq!((at, field.as_str()), (Some(Position::Line(1)), "tags[0]"));
    assert!(message.contains("NUL"), "{message}");
    let csv = "key,title,start\nk,\"Nul\u{0}title\",2024\n";
    let error = import(&test.db, Format::Csv, csv).await.expect_err("a NUL in a title");
    assert_eq!(invalid(&error).1, "title");
    assert_eq!(test.count("event").await, 0);
}

async fn a_json_lines_record_is_bounded_in_size(backend: Backend) {
    let test = TestDb::on(backend).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huge.jsonl");
    let mut file = std::fs::File::create(&path).expect("create");
    writeln!(file, r#"{{"type":"event","key":"a","title":"Fine","kind":"other","start":"2024"}}"#).expect("write");
    // A line of 20 MiB: a summary of that length, never terminated by a newline within the bound.
    write!(file, r#"{{"type":"event","key":"b","title":"Huge","kind":"other","start":"2024","summary":""#)
        .expect("write");
    let chunk = "x".repeat(1024 * 1024);
    for _ in 0..20 {
        file.write_all(chunk.as_bytes()).expect("write");
    }
    writeln!(file, "\"}}").expect("write");
    drop(file);
    let input = std::fs::File::open(&path).expect("open");
    let error = exchange::import(&test.db, Format::JsonLines, input).await.expect_err("too long a line");
    let (at, _, message) = invalid(&error);
    assert_eq!(at, Some(Position::Line(2)));
    assert!(message.contains("longer than 16 MiB"), "{message}");
    assert_eq!(test.count("event").await, 0, "nothing is written");
}

async fn csv_quotes_and_coordinates_are_reported_as_what_they_are(backend: Backend) {
    let test = TestDb::on(backend).await;
    let open_quote = "key,title,start\na,Fine,2024\nb,\"Never closed,2024\nc,Third,2025\n";
    let error = import(&test.db, Format::Csv, open_quote).await.expect_err("an open quote");
    let (at, _, message) = invalid(&error);
    assert_eq!(at, Some(Position::Line(3)));
    assert!(message.contains("never closed"), "{message}");
    assert!(!message.contains("empty"), "{message}");

    let latitude = "key,title,start,latitude,longitude\na,Somewhere,2024,abc,13.4\n";
    let error = import(&test.db, Format::Csv, latitude).await.expect_err("a bad latitude");
    let (at, field, message) = invalid(&error);
    assert_eq!((at, field.as_str()), (Some(Position::Line(2)), "latitude"));
    assert!(message.contains("\"abc\" is not a latitude"), "{message}");
    let alone = "key,title,start,latitude\na,Somewhere,2024,abc\n";
    let error = import(&test.db, Format::Csv, alone).await.expect_err("a bad latitude alone");
    assert!(invalid(&error).2.contains("is not a latitude"), "{error}");
    assert_eq!(test.count("event").await, 0);
}

async fn a_key_used_twice_in_one_file_is_reported_with_both_places(backend: Backend) {
    let test = TestDb::on(backend).await;
    let lines = "{\"type\":\"event\",\"key\":\"e\",\"title\":\"First\",\"kind\":\"other\",\"start\":\"2024\"}\n\
        {\"type\":\"actor\",\"key\":\"e\",\"name\":\"An actor may share an event's key\",\"kind\":\"person\"}\n\
        {\"type\":\"event\",\"key\":\"other\",\"title\":\"Between\",\"kind\":\"other\",\"start\":\"2024\"}\n\
        {\"type\":\"event\",\"key\":\"e\",\"title\":\"Second\",\"kind\":\"other\",\"start\":\"2025\"}\n";
    let error = import(&test.db, Format::JsonLines, lines).await.expect_err("a key twice");
    assert_eq!(
        error.to_string(),
        "line 4, field key: \"e\" is also the key of the record at line 1; a file uses each key once"
    );
    let csv = "key,title,start\nk,One,2024\nk,Two,2025\n";
    let error = import(&test.db, Format::Csv, csv).await.expect_err("a key twice");
    assert!(error.to_string().contains("at line 2"), "{error}");
    let document = r#"{"format":"chronik/1","events":[
        {"key":"a","title":"A","kind":"other","start":"2024"},
        {"key":"a","title":"B","kind":"other","start":"2024"}]}"#;
    let error = import(&test.db, Format::Json, document).await.expect_err("a key twice");
    assert_eq!(
        error.to_string(),
        "events[1].key: \"a\" is also the key of the record at events[0]; a file uses each key once"
    );
    assert_eq!(test.count("event").await, 0, "nothing is written");
    // Rows without a key that say the same are two events, not one key twice.
    let keyless = "title,start\nSame,2024\nSame,2024\n";
    assert_eq!(import(&test.db, Format::Csv, keyless).await.expect("keyless").events_created, 2);
    assert_eq!(import(&test.db, Format::Csv, keyless).await.expect("again").events_updated, 2);
}

/// `chronik import` holds the database's write lock for its whole transaction; a server on the
/// same SQLite file then answers writes with UNAVAILABLE, saying an import runs (after SQLite's
/// busy timeout), and writes again once the import is done.
#[tokio::test(flavor = "multi_thread")]
async fn a_server_beside_a_running_import_answers_writes_with_unavailable() {
    let test = TestDb::on(Backend::Sqlite).await;
    let address = test.serve().await;
    // The import's side: another process's connection to the same file, in its transaction.
    let importer = Database::connect(&test.url, DatabaseOptions::default()).await.expect("open");
    let import = importer.begin_write().await.expect("the import's transaction");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client");
    let mutation = json!({
        "query": "mutation { createEvent(input: { title: \"During\", start: \"2024\", kind: \"meeting\" }) { event { id } } }"
    });
    let post = || {
        client
            .post(format!("http://{address}/graphql"))
            .bearer_auth(common::token_for(address))
            .header("content-type", "application/json")
            .json(&mutation)
            .send()
    };
    let body: Value = post().await.expect("POST").json().await.expect("JSON");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAVAILABLE", "{body}");
    assert_eq!(body["errors"][0]["message"], BUSY, "{body}");
    import.rollback().await.expect("the import gives up");
    importer.close().await.expect("close");
    let body: Value = post().await.expect("POST").json().await.expect("JSON");
    assert!(body["data"]["createEvent"]["event"]["id"].is_string(), "{body}");
    assert_eq!(test.count("event").await, 1, "only the write after the import");
}

on_both_backends!(
    nul_characters_are_refused_by_mutations_and_files,
    a_json_lines_record_is_bounded_in_size,
    csv_quotes_and_coordinates_are_reported_as_what_they_are,
    a_key_used_twice_in_one_file_is_reported_with_both_places,
);
