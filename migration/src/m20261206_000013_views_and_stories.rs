//! Saved views (a named state of the page: filters, lanes, window, axis, display time zone, "as
//! known at") and stories (an ordered selection of events with a text per step). Each keeps its
//! validated content as one JSON document: the service layer checks every field before it is
//! written, and nothing else reads inside it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum SavedView {
    Table,
    Id,
    Name,
    State,
    Author,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Story {
    Table,
    Id,
    Title,
    Steps,
    Author,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SavedView::Table)
                    .col(pk_uuid(SavedView::Id))
                    .col(text(SavedView::Name))
                    .col(text(SavedView::State))
                    .col(text_null(SavedView::Author))
                    .col(integer(SavedView::Version))
                    .col(timestamp_with_time_zone(SavedView::CreatedAt))
                    .col(timestamp_with_time_zone(SavedView::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // Views are listed by name.
        manager
            .create_index(
                Index::create()
                    .name("ix_saved_view_name")
                    .table(SavedView::Table)
                    .col(SavedView::Name)
                    .col(SavedView::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Story::Table)
                    .col(pk_uuid(Story::Id))
                    .col(text(Story::Title))
                    .col(text(Story::Steps))
                    .col(text_null(Story::Author))
                    .col(integer(Story::Version))
                    .col(timestamp_with_time_zone(Story::CreatedAt))
                    .col(timestamp_with_time_zone(Story::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_story_title").table(Story::Table).col(Story::Title).col(Story::Id).to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Story::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(SavedView::Table).to_owned()).await
    }
}
