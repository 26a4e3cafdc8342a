//! SQLite's full-text index without a copy of the text: `search_fts` becomes a contentless FTS5
//! table (`contentless_delete=1`, SQLite ≥ 3.43) and `search_document` keeps only each
//! document's key, so a document's words are stored once, in the index, instead of twice (a
//! third of a million-event database was that copy). Writers insert a document through the
//! view `search_entry`, whose trigger gives it its key and replaces its words; deleting the key
//! deletes the words. PostgreSQL, whose index is a generated column of the document, is unchanged.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "DROP TRIGGER search_document_au",
    "DROP TRIGGER search_document_ad",
    "DROP TRIGGER search_document_ai",
    "DROP TABLE search_fts",
    "CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, names,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 2'
    )",
    "INSERT INTO search_fts (rowid, title, body, names) SELECT doc_id, title, body, names FROM search_document",
    "ALTER TABLE search_document DROP COLUMN title",
    "ALTER TABLE search_document DROP COLUMN body",
    "ALTER TABLE search_document DROP COLUMN names",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        DELETE FROM search_fts WHERE rowid = old.doc_id;
    END",
    // The view's columns are what a writer gives; reading it yields keys only (the text is gone).
    "CREATE VIEW search_entry AS
        SELECT entity, entity_id, NULL AS title, NULL AS body, NULL AS names FROM search_document",
    "CREATE TRIGGER search_entry_insert INSTEAD OF INSERT ON search_entry BEGIN
        INSERT OR IGNORE INTO search_document (entity, entity_id) VALUES (new.entity, new.entity_id);
        INSERT OR REPLACE INTO search_fts (rowid, title, body, names)
            SELECT doc_id, new.title, new.body, new.names FROM search_document
            WHERE entity = new.entity AND entity_id = new.entity_id;
    END",
];

/// Back to the external-content index of `m20261125_000002_search_index`. The words are not
/// stored anywhere a contentless index can give them back, so the documents come back empty:
/// every search document must be written again (an export and an import do).
const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER search_entry_insert",
    "DROP VIEW search_entry",
    "DROP TRIGGER search_document_ad",
    "DROP TABLE search_fts",
    "ALTER TABLE search_document ADD COLUMN title TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE search_document ADD COLUMN body TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE search_document ADD COLUMN names TEXT NOT NULL DEFAULT ''",
    "CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, names,
        content = 'search_document', content_rowid = 'doc_id',
        tokenize = 'unicode61 remove_diacritics 2'
    )",
    // Each document in the index, empty, so that replacing or deleting one finds what it removes.
    "INSERT INTO search_fts (search_fts) VALUES ('rebuild')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_fts (rowid, title, body, names) VALUES (new.doc_id, new.title, new.body, new.names);
    END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_fts (search_fts, rowid, title, body, names) VALUES ('delete', old.doc_id, old.title, old.body, old.names);
    END",
    "CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_fts (search_fts, rowid, title, body, names) VALUES ('delete', old.doc_id, old.title, old.body, old.names);
        INSERT INTO search_fts (rowid, title, body, names) VALUES (new.doc_id, new.title, new.body, new.names);
    END",
];

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    for statement in statements {
        connection.execute_unprepared(statement).await?;
    }
    Ok(())
}

fn unsupported(backend: DatabaseBackend) -> DbErr {
    DbErr::Migration(format!("full-text search is not implemented for {backend:?}"))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => run(manager, SQLITE_UP).await,
            DatabaseBackend::Postgres => Ok(()),
            other => Err(unsupported(other)),
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => run(manager, SQLITE_DOWN).await,
            DatabaseBackend::Postgres => Ok(()),
            other => Err(unsupported(other)),
        }
    }
}
