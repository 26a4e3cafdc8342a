//! An import into an empty SQLite database builds its secondary indexes at its end (issue 15):
//! afterwards the schema is exactly the migrations', the indexes and the full-text index hold
//! every row, and a failed import leaves the schema as it found it.

mod common;

use chronik_api::exchange::{Format, import::import_bytes};
use chronik_api::generate::{Spec, write_jsonl};
use common::{TestDb, data, run};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

/// Every index and trigger, with the SQL that made it.
async fn schema(test: &TestDb) -> Vec<(String, String)> {
    let rows = test
        .db
        .reader()
        .query_all_raw(Statement::from_string(
            test.db.backend(),
            "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name",
        ))
        .await
        .expect("schema");
    rows.iter().map(|row| (row.try_get("", "name").expect("name"), row.try_get("", "sql").expect("sql"))).collect()
}

/// The one text value `sql` answers, on a connection of its own: a pooled reader's FTS5 table
/// can keep the full-text index's structure from before a write, and SQLite's integrity check
/// then reports the index it no longer matches as corrupt (searches are not affected).
async fn check(test: &TestDb, sql: &str) -> String {
    let connection = sea_orm::Database::connect(format!("sqlite://{}", test.url)).await.expect("connect");
    let row = connection
        .query_one_raw(Statement::from_string(test.db.backend(), sql.to_owned()))
        .await
        .expect(sql)
        .expect("a row");
    let text = row.try_get_by_index::<String>(0).expect("text");
    connection.close().await.expect("close");
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_into_an_empty_database_ends_with_every_index_built() {
    let test = TestDb::new().await;
    let migrated = schema(&test).await;
    assert!(migrated.iter().any(|(name, _)| name == "ix_event_span_class"));
    let mut file = Vec::new();
    write_jsonl(Spec { events: 2_000, actors: 100, sources: 40, seed: 3 }, &mut file).expect("generate");
    import_bytes(&test.db, Format::JsonLines, file).await.expect("import");
    assert_eq!(schema(&test).await, migrated, "the migrations' indexes and triggers, as they made them");
    assert_eq!(check(&test, "PRAGMA integrity_check").await, "ok", "every index holds every row");
    // FTS5's own check of its index's structure (an error if not).
    let connection = sea_orm::Database::connect(format!("sqlite://{}", test.url)).await.expect("connect");
    connection
        .execute_unprepared("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
        .await
        .expect("the full-text index matches its documents");
    connection.close().await.expect("close");
    let documents = test.count("search_document").await;
    let indexed = check(&test, "SELECT CAST(COUNT(*) AS TEXT) FROM search_fts").await;
    assert_eq!(indexed, documents.to_string());
    // And the search and the timeline answer from them.
    let title = check(&test, "SELECT title FROM event ORDER BY id LIMIT 1").await;
    let word = title.split_whitespace().max_by_key(|word| word.len()).expect("a word").to_owned();
    let found = data(
        run(
            &test.schema(),
            "query($q: String!) { events(first: 5, filter: { search: $q }) { totalCount } }",
            json!({ "q": word }),
        )
        .await,
    );
    assert!(found["events"]["totalCount"].as_i64().is_some_and(|n| n >= 1), "{word}: {found}");

    // A second import finds the database no longer empty and changes no index.
    let mut again = Vec::new();
    write_jsonl(Spec { events: 50, actors: 10, sources: 5, seed: 4 }, &mut again).expect("generate");
    import_bytes(&test.db, Format::JsonLines, again).await.expect("import");
    assert_eq!(schema(&test).await, migrated);
    assert_eq!(check(&test, "PRAGMA integrity_check").await, "ok");
}

/// The full-text index's segments: FTS5 keeps the first term of each leaf page of each segment
/// in its `_idx` table, by segment.
async fn segments(test: &TestDb) -> String {
    check(test, "SELECT CAST(COUNT(DISTINCT segid) AS TEXT) FROM search_fts_idx").await
}

/// The import leaves the full-text index in one segment, with no merge begun for the writes
/// after it to carry on. FTS5's memory bound for the words it holds is made small here, so that
/// filling the index writes many segments, as a large import does.
#[tokio::test(flavor = "multi_thread")]
async fn an_import_into_an_empty_database_leaves_its_full_text_index_in_one_segment() {
    let test = TestDb::new().await;
    let writer = test.db.writer().expect("writer");
    writer
        .execute_unprepared("INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', 4096)")
        .await
        .expect("hashsize");
    let mut file = Vec::new();
    write_jsonl(Spec { events: 2_000, actors: 100, sources: 40, seed: 5 }, &mut file).expect("generate");
    import_bytes(&test.db, Format::JsonLines, file).await.expect("import");
    assert_eq!(segments(&test).await, "1");
    let documents = test.count("search_document").await;
    assert_eq!(check(&test, "SELECT CAST(COUNT(*) AS TEXT) FROM search_fts").await, documents.to_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_import_into_an_empty_database_leaves_its_indexes() {
    let test = TestDb::new().await;
    let migrated = schema(&test).await;
    let mut file = Vec::new();
    write_jsonl(Spec { events: 1_200, actors: 50, sources: 20, seed: 3 }, &mut file).expect("generate");
    // A bad record after the first batches: they are written, then rolled back.
    file.extend_from_slice(b"{\"type\": \"event\", \"key\": \"bad\", \"title\": \"\", \"start\": \"2024\"}\n");
    import_bytes(&test.db, Format::JsonLines, file).await.expect_err("a bad record");
    assert_eq!(test.count("event").await, 0);
    assert_eq!(schema(&test).await, migrated, "every index and trigger is back");

    // The documents set aside went with the rollback: the next import into the database, still
    // empty, sets its own aside and indexes them, and nothing of the failed one.
    let mut good = Vec::new();
    write_jsonl(Spec { events: 30, actors: 5, sources: 3, seed: 5 }, &mut good).expect("generate");
    good.extend_from_slice(
        b"{\"type\": \"event\", \"key\": \"late\", \"title\": \"Quokkaflight\", \"kind\": \"meeting\", \"start\": \"2024\"}\n",
    );
    import_bytes(&test.db, Format::JsonLines, good).await.expect("an import after the failed one");
    assert_eq!(test.count("event").await, 31);
    assert_eq!(
        check(&test, "SELECT CAST(COUNT(*) AS TEXT) FROM search_fts").await,
        test.count("search_document").await.to_string()
    );
    let found = data(
        run(&test.schema(), "{ events(first: 5, filter: { search: \"Quokkaflight\" }) { totalCount } }", json!({}))
            .await,
    );
    assert_eq!(found["events"]["totalCount"], 1, "{found}");
    assert_eq!(schema(&test).await, migrated);
}
