//! SQLite's full-text index merges its segments 16 at a time instead of 4. FTS5 writes each
//! write's documents as a new small segment (at every savepoint: one per write in the group
//! commit) and merges segments of a level once `automerge` of them have gathered, a little with
//! every write. At 4, a database of a million events spent a quarter of its writer's time
//! merging, and one write in a hundred waited 60 ms behind a merge; at 16 each document is
//! merged about half as often (log₁₆ instead of log₄ of the index's size in levels). A search
//! then reads more segments per level, up to 15 small ones beside the large ones: FTS5's
//! documented trade-off, and a small one next to the index's few large segments.
//! PostgreSQL's index is a column of its documents: nothing to change there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// FTS5's own default.
const DEFAULT: i32 = 4;
const WIDTH: i32 = 16;

async fn set_automerge(manager: &SchemaManager<'_>, width: i32) -> Result<(), DbErr> {
    match manager.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let sql = format!("INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', {width})");
            manager.get_connection().execute_unprepared(&sql).await.map(drop)
        }
        DatabaseBackend::Postgres => Ok(()),
        other => Err(DbErr::Migration(format!("full-text search is not implemented for {other:?}"))),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        set_automerge(manager, WIDTH).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        set_automerge(manager, DEFAULT).await
    }
}
