//! SQLite's full-text index keeps no copy of the text (`m20261206_000014_contentless_search`):
//! documents written under the schema before it are found by the same words after it, and
//! their text is gone from `search_document`; afterwards a document replaced or removed is
//! found by its new words only, or not at all, as with the copy.

mod common;

use common::{TestDb, data, event, run};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

const MIGRATION: &str = "m20261206_000014_contentless_search";

/// The titles of the events a search finds.
async fn found(test: &TestDb, words: &str) -> Vec<String> {
    let response = run(
        &test.schema(),
        "query($q: String!) { events(first: 10, filter: { search: $q }) { nodes { title } } }",
        json!({ "q": words }),
    )
    .await;
    let mut titles: Vec<String> = data(response)["events"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| node["title"].as_str().expect("title").to_owned())
        .collect();
    titles.sort();
    titles
}

async fn execute(test: &TestDb, sql: &str) {
    let writer = test.db.writer().expect("writer");
    writer.execute_raw(Statement::from_string(test.db.backend(), sql.to_owned())).await.expect(sql);
}

async fn text_columns(test: &TestDb) -> i64 {
    let sql = "SELECT COUNT(*) AS n FROM pragma_table_info('search_document') WHERE name IN ('title', 'body', 'names')";
    let row = test
        .db
        .reader()
        .query_one_raw(Statement::from_string(test.db.backend(), sql.to_owned()))
        .await
        .expect("columns")
        .expect("a row");
    row.try_get::<i64>("", "n").expect("n")
}

#[tokio::test(flavor = "multi_thread")]
async fn documents_written_before_the_migration_are_found_after_it() {
    let test = TestDb::new().await;
    let schema = test.schema();
    event(&schema, "Recording of the call", "2024-02-19").await;
    event(&schema, "Publication by the broadcaster", "2024-03-01").await;
    assert_eq!(text_columns(&test).await, 0, "the migrated schema keeps no text");

    // Back to the schema before: the documents are keys with empty text, written again here as
    // that schema held them (its triggers index them).
    let writer = test.db.writer().expect("writer");
    let after = Migrator::migrations().iter().skip_while(|m| m.name() != MIGRATION).count();
    Migrator::down(&writer, Some(after as u32)).await.expect("down to the schema before");
    let pending = Migrator::get_pending_migrations(&writer).await.expect("pending");
    assert_eq!(pending.first().map(|m| m.name().to_owned()).as_deref(), Some(MIGRATION));
    assert_eq!(pending.len(), after);
    assert_eq!(text_columns(&test).await, 3);
    execute(
        &test,
        "UPDATE search_document SET title = e.title, body = 'taurus Simonyan', names = 'Gräfe' \
         FROM event e WHERE e.id = search_document.entity_id AND e.title LIKE 'Publication%'",
    )
    .await;
    execute(
        &test,
        "UPDATE search_document SET title = e.title, body = 'taurus Webex', names = '' \
         FROM event e WHERE e.id = search_document.entity_id AND e.title LIKE 'Recording%'",
    )
    .await;
    assert_eq!(found(&test, "simonyan").await, ["Publication by the broadcaster"]);

    test.db.migrate().await.expect("the migration");
    assert_eq!(text_columns(&test).await, 0, "the copy of the text is gone");
    assert_eq!(found(&test, "simonyan").await, ["Publication by the broadcaster"]);
    assert_eq!(found(&test, "grafe").await, ["Publication by the broadcaster"], "diacritics removed as before");
    assert_eq!(found(&test, "webex").await, ["Recording of the call"]);
    assert_eq!(found(&test, "taurus").await, ["Publication by the broadcaster", "Recording of the call"]);
    assert_eq!(found(&test, "recording").await, ["Recording of the call"]);
    assert!(found(&test, "kiesewetter").await.is_empty());
    let check = "INSERT INTO search_fts (search_fts) VALUES ('integrity-check')";
    execute(&test, check).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replaced_or_removed_document_keeps_no_old_words() {
    let test = TestDb::new().await;
    let schema = test.schema();
    let id = event(&schema, "Leak of the recording", "2024-03-01").await;
    event(&schema, "Leak inquiry opened", "2024-03-04").await;
    assert_eq!(found(&test, "leak").await, ["Leak inquiry opened", "Leak of the recording"]);

    let response = run(
        &schema,
        "mutation($input: UpdateEventInput!) { updateEvent(input: $input) { event { title } } }",
        json!({ "input": { "id": id, "version": 1, "title": "Publication of the audio" } }),
    )
    .await;
    assert_eq!(data(response)["updateEvent"]["event"]["title"], "Publication of the audio");
    assert_eq!(found(&test, "leak").await, ["Leak inquiry opened"], "the old title's words are gone");
    assert_eq!(found(&test, "audio").await, ["Publication of the audio"]);
    assert_eq!(test.count("search_document").await, 2, "replaced in place");

    let response =
        run(&schema, "mutation($id: ID!) { purgeEvent(input: { id: $id }) { purgedId } }", json!({ "id": id })).await;
    assert_eq!(data(response)["purgeEvent"]["purgedId"], json!(id));
    assert!(found(&test, "audio").await.is_empty(), "a purged event's words are gone");
    assert_eq!(test.count("search_document").await, 1);
    assert_eq!(test.count("search_fts").await, 1, "the index holds one document");
    execute(&test, "INSERT INTO search_fts (search_fts) VALUES ('integrity-check')").await;
}
