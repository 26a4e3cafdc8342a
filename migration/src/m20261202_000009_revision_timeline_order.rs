//! The "as known at" timeline walks revisions in the timeline's order (earliest start,
//! precision, event): without an index on that order, every page, count and histogram of the
//! past sorted all revisions, and a walk through them sorted them again for each step
//! (measured on 100,000 events: 22 s for one histogram of the past, 65 ms for one page).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum EventRevision {
    Table,
    StartEarliest,
    StartPrecision,
    EventId,
}

const INDEX: &str = "ix_event_revision_timeline";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(EventRevision::Table)
                    .col(EventRevision::StartEarliest)
                    .col(EventRevision::StartPrecision)
                    .col(EventRevision::EventId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(INDEX).table(EventRevision::Table).to_owned()).await
    }
}
