//! The full-text search index: one document per event, actor and source, indexed natively per backend
//! (SQLite FTS5 over an external-content table; PostgreSQL a generated `tsvector` with a GIN index).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "CREATE TABLE search_document (
        doc_id INTEGER PRIMARY KEY,
        entity TEXT NOT NULL,
        entity_id uuid_text NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        names TEXT NOT NULL,
        UNIQUE (entity, entity_id)
    )",
    "CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, names,
        content = 'search_document', content_rowid = 'doc_id',
        tokenize = 'unicode61 remove_diacritics 2'
    )",
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

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER search_document_au",
    "DROP TRIGGER search_document_ad",
    "DROP TRIGGER search_document_ai",
    "DROP TABLE search_fts",
    "DROP TABLE search_document",
];

const POSTGRES_UP: &[&str] = &[
    "CREATE TABLE search_document (
        entity TEXT NOT NULL,
        entity_id UUID NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        names TEXT NOT NULL,
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', title), 'A')
            || setweight(to_tsvector('simple', body), 'B')
            || setweight(to_tsvector('simple', names), 'C')
        ) STORED,
        PRIMARY KEY (entity, entity_id)
    )",
    "CREATE INDEX ix_search_document_document ON search_document USING GIN (document)",
];

const POSTGRES_DOWN: &[&str] = &["DROP TABLE search_document"];

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
            DatabaseBackend::Postgres => run(manager, POSTGRES_UP).await,
            other => Err(unsupported(other)),
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => run(manager, SQLITE_DOWN).await,
            DatabaseBackend::Postgres => run(manager, POSTGRES_DOWN).await,
            other => Err(unsupported(other)),
        }
    }
}
