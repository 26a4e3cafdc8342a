//! A revision's snapshot is kept once: as the `after` of the audit row that recorded it, which
//! `audit_id` names. Revisions written from now on store JSON `null` as their own `snapshot`;
//! those written before keep theirs. The audit trail is never purged, so nothing is lost, and
//! history takes half the room (a snapshot is some 2 KB, several times the event's own row).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum EventRevision {
    Table,
    AuditId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(EventRevision::Table).add_column(uuid_null(EventRevision::AuditId)).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Plain SQL: SQLite (3.35+) and PostgreSQL both drop a column this way.
        manager.get_connection().execute_unprepared("ALTER TABLE event_revision DROP COLUMN audit_id").await.map(|_| ())
    }
}
