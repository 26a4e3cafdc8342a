//! An import into an empty SQLite database builds its secondary indexes once, at its end, rather
//! than growing them row by row: SQLite builds an index by sorting, into full pages, while a
//! million inserts at random places of fifteen B-trees make the writer and its page cache take
//! turns with the disk. The indexes the import itself reads (by key, by event) stay.
//!
//! The full-text index is filled at the end too, by one statement. FTS5 gathers words in memory
//! and writes them in sorted runs, but it must write what it holds whenever a statement opens a
//! savepoint, which in a transaction every multi-row insert does: filled as the rows were, it
//! wrote a small segment per statement of any table, then merged them (a tenth of SQLite's time
//! in the import). So the import's documents wait in a temporary table named like the view the
//! writers insert into (`search_entry`), which shadows it on the import's connection (SQLite
//! resolves an unqualified name in `temp` first): the writers are unchanged, and their documents
//! reach the index in the order they were written. That statement still leaves the index in
//! many segments (FTS5 writes one whenever the words it holds exceed its memory bound) and a
//! merge of them begun: the writes after the import would carry it on, a little each, rewriting
//! the whole index (on 1,000,000 events: 200 MB over the first few thousand `createEvent`s, at
//! 60% of their rate, the server's memory with them to 240 MB). So
//! the index is merged into one segment ('optimize') before the import commits. All of it
//! happens in the import's transaction: a failed import rolls the schema back, the temporary
//! table with it.

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, Statement};

/// Indexes no import reads, built at the end of an import into an empty database.
const INDEXES: &[&str] = &[
    "ix_event_start",
    "ix_event_span_latest",
    "ix_event_kind",
    "ix_event_parent",
    "ix_event_span_class",
    "ix_event_first_reported",
    "ix_event_tag_tag",
    "ix_participation_actor",
    "ix_citation_source",
    "ix_citation_supports_actor",
    "ix_event_link_to",
    "ix_event_revision_at",
    "ix_event_revision_timeline",
    "ix_account_actor",
    "ix_audit_log_entity",
];

/// SQLite's page cache (and so its sorter's memory) while the indexes are built, in KiB.
const BUILD_CACHE_KIB: i64 = 8_192;

/// What an import into an empty database put off: the statements that create it again.
pub struct Deferred {
    creates: Vec<String>,
}

/// Drops the deferred indexes, and sets the search documents aside until the end, when the
/// database is SQLite and empty (no event, nothing indexed for search); None otherwise, and
/// nothing changes.
pub async fn defer(txn: &DatabaseTransaction) -> Result<Option<Deferred>, DbErr> {
    let backend = txn.get_database_backend();
    if backend != DatabaseBackend::Sqlite {
        return Ok(None);
    }
    let empty = txn
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT NOT EXISTS (SELECT 1 FROM event) AND NOT EXISTS (SELECT 1 FROM search_document) AS empty",
        ))
        .await?
        .map(|row| row.try_get::<bool>("", "empty"))
        .transpose()?
        .unwrap_or(false);
    if !empty {
        return Ok(None);
    }
    let names: Vec<String> = INDEXES.iter().map(|name| format!("'{name}'")).collect();
    let schema = txn
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT type, name, sql FROM sqlite_master WHERE name IN ({}) ORDER BY name", names.join(", ")),
        ))
        .await?;
    let mut creates = Vec::with_capacity(schema.len());
    for row in schema {
        let (kind, name, sql): (String, String, String) =
            (row.try_get("", "type")?, row.try_get("", "name")?, row.try_get("", "sql")?);
        let drop = match kind.as_str() {
            "index" => format!("DROP INDEX \"{name}\""),
            other => return Err(DbErr::Custom(format!("{name} is a {other}, not an index"))),
        };
        txn.execute_unprepared(&drop).await?;
        creates.push(sql);
    }
    // Untyped columns keep each value as it was bound, as the view passes it on.
    txn.execute_unprepared("CREATE TEMP TABLE search_entry (entity, entity_id, title, body, names)").await?;
    Ok(Some(Deferred { creates }))
}

impl Deferred {
    /// Writes the waiting documents into the full-text index, then creates the indexes again, as
    /// the migrations made them.
    pub async fn build(self, txn: &DatabaseTransaction) -> Result<(), DbErr> {
        // SQLite sorts an index's keys in memory up to the page cache's size before it spills
        // runs to a temporary file: with the import's cache (up to 128 MiB) that would be up to
        // as much again on top of the cache. The builds read the tables in order and append to
        // the indexes, so a small cache costs them little and the import's peak stays its own.
        txn.execute_unprepared(&format!("PRAGMA cache_size = -{BUILD_CACHE_KIB}")).await?;
        txn.execute_unprepared(
            "INSERT INTO main.search_entry (entity, entity_id, title, body, names) \
             SELECT entity, entity_id, title, body, names FROM temp.search_entry ORDER BY rowid; \
             DROP TABLE temp.search_entry; \
             INSERT INTO main.search_fts (search_fts) VALUES ('optimize')",
        )
        .await?;
        for create in &self.creates {
            txn.execute_unprepared(create).await?;
        }
        Ok(())
    }
}
