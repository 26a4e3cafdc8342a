//! External IDs: the key a record has in the file it was imported from (a `chronik/1` key, a
//! TimelineJS `unique_id`, a CSV `key`), unique per table, so importing the same file again
//! updates the rows it created instead of adding copies. NULL for rows made by hand.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables that get an `external_id` column, with the name of its unique index.
const TABLES: [(&str, &str); 3] =
    [("event", "ux_event_external_id"), ("actor", "ux_actor_external_id"), ("source", "ux_source_external_id")];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, index) in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(ColumnDef::new(Alias::new("external_id")).text().null())
                        .to_owned(),
                )
                .await?;
            // NULLs are distinct in a unique index on both backends: rows without an external ID never clash.
            manager
                .create_index(
                    Index::create()
                        .name(index)
                        .table(Alias::new(table))
                        .col(Alias::new("external_id"))
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        for (table, index) in TABLES {
            manager.drop_index(Index::drop().name(index).table(Alias::new(table)).to_owned()).await?;
            // Plain SQL: SQLite (3.35+) and PostgreSQL both drop a column this way.
            connection.execute_unprepared(&format!("ALTER TABLE \"{table}\" DROP COLUMN \"external_id\"")).await?;
        }
        Ok(())
    }
}
