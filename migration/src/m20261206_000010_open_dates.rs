//! EDTF dates with an open or unknown side (`../2019-05`, `2024-03/..`) get span classes of their
//! own. Such a side is stored as a sentinel outside the representable years −99,999 to 99,999:
//! `start_earliest = -4·10¹²` for an open start, `span_latest = 4·10¹²` for an open end (see
//! `chronik_api::service::dates`). Under the classes of `m20261201_000006_span_class` their
//! "span" would put them all in class 41, which every overlap query reads whole; now an open
//! start is class 42 (it overlaps from `F` exactly when `span_latest >= F`) and an open end is
//! class 43 (when `start_earliest <= T`), each one range of the same index.
//!
//! Dates stored before are unchanged: their columns are not touched, and a closed span gets the
//! class it had. Years far before 0 needed nothing: the bounds are `BIGINT` seconds.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The sentinels, as this migration knows them (a migration never follows later code).
const OPEN_START: i64 = -4_000_000_000_000;
const OPEN_END: i64 = 4_000_000_000_000;
const LAST_BOUNDED_CLASS: u32 = 40;

/// The span class: 42 for an open start, 43 for an open end, else as before.
fn class_expression(open: bool) -> String {
    let mut sql = String::from("CASE");
    if open {
        sql.push_str(&format!(" WHEN start_earliest <= {OPEN_START} THEN 42 WHEN span_latest >= {OPEN_END} THEN 43"));
    }
    sql.push_str(" WHEN span_latest - start_earliest <= 0 THEN 0");
    for class in 1..=LAST_BOUNDED_CLASS {
        sql.push_str(&format!(" WHEN span_latest - start_earliest < {} THEN {class}", 1_i64 << class));
    }
    sql.push_str(&format!(" ELSE {} END", LAST_BOUNDED_CLASS + 1));
    sql
}

async fn replace_class(manager: &SchemaManager<'_>, open: bool) -> Result<(), DbErr> {
    let expression = class_expression(open);
    let column = match manager.get_database_backend() {
        DatabaseBackend::Sqlite => {
            format!("ALTER TABLE event ADD COLUMN span_class INTEGER GENERATED ALWAYS AS ({expression}) VIRTUAL")
        }
        DatabaseBackend::Postgres => {
            format!("ALTER TABLE event ADD COLUMN span_class smallint GENERATED ALWAYS AS ({expression}) STORED")
        }
        other => return Err(DbErr::Migration(format!("Chronik does not run on {other:?}"))),
    };
    // One call, so one connection: run from a pool, separate calls may land on two SQLite
    // connections, and the second may still see the column the first dropped.
    let statements = [
        "DROP INDEX ix_event_span_class".to_owned(),
        "ALTER TABLE event DROP COLUMN span_class".to_owned(),
        column,
        "CREATE INDEX ix_event_span_class ON event (span_class, start_earliest, start_precision, id, span_latest)
         WHERE deleted_at IS NULL"
            .to_owned(),
    ];
    manager.get_connection().execute_unprepared(&statements.join(";\n")).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace_class(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        replace_class(manager, false).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_sides_come_first_and_closed_spans_keep_their_class() {
        let sql = class_expression(true);
        assert!(sql.starts_with(
            "CASE WHEN start_earliest <= -4000000000000 THEN 42 WHEN span_latest >= 4000000000000 THEN 43 \
             WHEN span_latest - start_earliest <= 0 THEN 0"
        ));
        assert!(sql.contains("< 131072 THEN 17"), "a day (86,400 s) is class 17");
        assert!(sql.ends_with(&format!("< {} THEN 40 ELSE 41 END", 1_i64 << 40)));
        assert!(!class_expression(false).contains("THEN 42"), "no open classes before this migration");
    }
}
