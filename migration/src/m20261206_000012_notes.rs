//! Notes on events (a team member's plain text, with its author and times) and the stars a token
//! puts on events. Both go with their event when it is purged.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Note {
    Table,
    Id,
    EventId,
    Body,
    Author,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventStar {
    Table,
    EventId,
    Token,
    CreatedAt,
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
                    .table(Note::Table)
                    .col(pk_uuid(Note::Id))
                    .col(uuid(Note::EventId))
                    .col(text(Note::Body))
                    .col(text_null(Note::Author))
                    .col(integer(Note::Version))
                    .col(timestamp_with_time_zone(Note::CreatedAt))
                    .col(timestamp_with_time_zone(Note::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_note_event")
                            .from(Note::Table, Note::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // An event's notes in the order they were written.
        manager
            .create_index(
                Index::create()
                    .name("ix_note_event")
                    .table(Note::Table)
                    .col(Note::EventId)
                    .col(Note::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EventStar::Table)
                    .col(uuid(EventStar::EventId))
                    .col(text(EventStar::Token))
                    .col(timestamp_with_time_zone(EventStar::CreatedAt))
                    .primary_key(Index::create().col(EventStar::EventId).col(EventStar::Token))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_event_star_event")
                            .from(EventStar::Table, EventStar::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(EventStar::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Note::Table).to_owned()).await
    }
}
