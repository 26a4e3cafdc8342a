//! The audit trail (every write: who, what, before and after) and the revisions of events (each
//! version as it stood, for `revisions` and the timeline "as known at" an instant).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    At,
    By,
    RequestId,
    Operation,
    Entity,
    EntityId,
    Before,
    After,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventRevision {
    Table,
    EventId,
    Version,
    At,
    By,
    Operation,
    Deleted,
    StartEarliest,
    StartPrecision,
    SpanLatest,
    Kind,
    ParentId,
    Snapshot,
}

#[derive(DeriveIden, Clone, Copy)]
enum Event {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_uuid(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(text_null(AuditLog::By))
                    .col(text_null(AuditLog::RequestId))
                    .col(text(AuditLog::Operation))
                    .col(text(AuditLog::Entity))
                    .col(uuid(AuditLog::EntityId))
                    .col(json_null(AuditLog::Before))
                    .col(json_null(AuditLog::After))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_entity")
                    .table(AuditLog::Table)
                    .col(AuditLog::Entity)
                    .col(AuditLog::EntityId)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventRevision::Table)
                    .col(uuid(EventRevision::EventId))
                    .col(integer(EventRevision::Version))
                    .col(timestamp_with_time_zone(EventRevision::At))
                    .col(text_null(EventRevision::By))
                    .col(text(EventRevision::Operation))
                    .col(boolean(EventRevision::Deleted))
                    .col(big_integer(EventRevision::StartEarliest))
                    .col(small_integer(EventRevision::StartPrecision))
                    .col(big_integer(EventRevision::SpanLatest))
                    .col(text(EventRevision::Kind))
                    .col(uuid_null(EventRevision::ParentId))
                    .col(json(EventRevision::Snapshot))
                    .primary_key(Index::create().col(EventRevision::EventId).col(EventRevision::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_event_revision_event")
                            .from(EventRevision::Table, EventRevision::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_event_revision_at")
                    .table(EventRevision::Table)
                    .col(EventRevision::At)
                    .col(EventRevision::EventId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(EventRevision::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(AuditLog::Table).to_owned()).await
    }
}
