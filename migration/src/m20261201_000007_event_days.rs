//! Live events per day of their earliest start, on SQLite: what the zoomed-out timeline's
//! histogram sums instead of reading every event (26 years are some 9,500 rows, whatever the
//! number of events). Triggers keep it in every write's transaction, whichever code writes.
//!
//! Not on PostgreSQL: there, concurrent writers do not queue, and two transactions adding events
//! of the same day would update one counter row and abort each other (SQLSTATE 40001); a long
//! import would hold those rows for its whole transaction. PostgreSQL counts from the events.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The day of `start_earliest` (Unix seconds) of the row `row`, rounded down, also before 1970
/// (SQLite's `/` and `%` truncate towards zero).
fn day(row: &str) -> String {
    format!("(({row}.start_earliest - ((({row}.start_earliest % 86400) + 86400) % 86400)) / 86400)")
}

fn statements() -> Vec<String> {
    let (new, old) = (day("new"), day("old"));
    vec![
        "CREATE TABLE event_day (day INTEGER PRIMARY KEY, events INTEGER NOT NULL)".to_owned(),
        format!(
            "INSERT INTO event_day (day, events) SELECT {day}, COUNT(*) FROM event WHERE deleted_at IS NULL GROUP BY 1",
            day = day("event")
        ),
        format!(
            "CREATE TRIGGER event_day_ai AFTER INSERT ON event WHEN new.deleted_at IS NULL BEGIN
                INSERT INTO event_day (day, events) VALUES ({new}, 1)
                ON CONFLICT (day) DO UPDATE SET events = events + 1;
            END"
        ),
        format!(
            "CREATE TRIGGER event_day_ad AFTER DELETE ON event WHEN old.deleted_at IS NULL BEGIN
                UPDATE event_day SET events = events - 1 WHERE day = {old};
            END"
        ),
        format!(
            "CREATE TRIGGER event_day_au AFTER UPDATE OF start_earliest, deleted_at ON event
             WHEN old.start_earliest IS NOT new.start_earliest
               OR (old.deleted_at IS NULL) IS NOT (new.deleted_at IS NULL) BEGIN
                UPDATE event_day SET events = events - 1 WHERE day = {old} AND old.deleted_at IS NULL;
                INSERT INTO event_day (day, events) SELECT {new}, 1 WHERE new.deleted_at IS NULL
                ON CONFLICT (day) DO UPDATE SET events = events + 1;
            END"
        ),
    ]
}

const DOWN: [&str; 4] =
    ["DROP TRIGGER event_day_au", "DROP TRIGGER event_day_ad", "DROP TRIGGER event_day_ai", "DROP TABLE event_day"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        for statement in statements() {
            manager.get_connection().execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        for statement in DOWN {
            manager.get_connection().execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
