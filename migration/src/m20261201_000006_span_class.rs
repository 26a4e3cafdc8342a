//! The span class of an event, for overlap queries: how long the event lasts, as the number of
//! bits of `span_latest - start_earliest` (0 for an instant, 17 for a day, 25 for a year, 29 for
//! a decade). Derived by the database (a generated column), so no writer can get it wrong.
//!
//! An event of class `c` lasts less than `2^c` seconds, so it overlaps an instant `F` only if it
//! starts after `F - 2^c`: "what overlaps [F, T]" becomes, per class, a range of the index on
//! `(span_class, start_earliest, …)`, instead of a scan of everything that started before `F`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Spans of up to 2^40 seconds (some 35,000 years) get their own class; longer ones share the last.
const LAST_BOUNDED_CLASS: u32 = 40;

/// `CASE` over the span's length: portable, where `log2` is not (SQLite has it only when built
/// with its math functions).
fn class_expression() -> String {
    let mut sql = String::from("CASE WHEN span_latest - start_earliest <= 0 THEN 0");
    for class in 1..=LAST_BOUNDED_CLASS {
        sql.push_str(&format!(" WHEN span_latest - start_earliest < {} THEN {class}", 1_i64 << class));
    }
    sql.push_str(&format!(" ELSE {} END", LAST_BOUNDED_CLASS + 1));
    sql
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        let expression = class_expression();
        let column = match manager.get_database_backend() {
            // SQLite can add only a VIRTUAL generated column; the index stores its values.
            DatabaseBackend::Sqlite => {
                format!("ALTER TABLE event ADD COLUMN span_class INTEGER GENERATED ALWAYS AS ({expression}) VIRTUAL")
            }
            DatabaseBackend::Postgres => {
                format!("ALTER TABLE event ADD COLUMN span_class smallint GENERATED ALWAYS AS ({expression}) STORED")
            }
            other => return Err(DbErr::Migration(format!("Chronik does not run on {other:?}"))),
        };
        connection.execute_unprepared(&column).await?;
        // Live events only, with `span_latest` in the index: an overlap query filters on it
        // without reading the rows it leaves out.
        connection
            .execute_unprepared(
                "CREATE INDEX ix_event_span_class ON event (span_class, start_earliest, start_precision, id, span_latest)
                 WHERE deleted_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        connection.execute_unprepared("DROP INDEX ix_event_span_class").await?;
        connection.execute_unprepared("ALTER TABLE event DROP COLUMN span_class").await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classes_bound_the_span_by_powers_of_two() {
        let sql = class_expression();
        assert!(sql.starts_with(
            "CASE WHEN span_latest - start_earliest <= 0 THEN 0 WHEN span_latest - start_earliest < 2 THEN 1"
        ));
        assert!(sql.contains("< 131072 THEN 17"), "a day (86,400 s) is class 17");
        assert!(sql.ends_with(&format!("< {} THEN 40 ELSE 41 END", 1_i64 << 40)));
    }
}
