//! The core tables: events, their tags, actors, participations, sources, citations and event links.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Event {
    Table,
    Id,
    ParentId,
    Title,
    Summary,
    Kind,
    StartValue,
    StartPrecision,
    StartEarliest,
    StartLatest,
    EndValue,
    EndPrecision,
    EndEarliest,
    EndLatest,
    SpanLatest,
    TimeZone,
    PlaceName,
    PlaceLatitude,
    PlaceLongitude,
    Confidence,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventTag {
    Table,
    EventId,
    Tag,
}

#[derive(DeriveIden, Clone, Copy)]
enum Actor {
    Table,
    Id,
    Name,
    Kind,
    Aliases,
    Description,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Participation {
    Table,
    Id,
    EventId,
    ActorId,
    Role,
    Note,
}

#[derive(DeriveIden, Clone, Copy)]
enum Source {
    Table,
    Id,
    Title,
    Url,
    Publisher,
    Author,
    PublishedValue,
    PublishedPrecision,
    PublishedEarliest,
    PublishedLatest,
    AccessedAt,
    ArchiveUrl,
    Notes,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Citation {
    Table,
    Id,
    EventId,
    SourceId,
    Quote,
    Supports,
    SupportsActorId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventLink {
    Table,
    Id,
    FromEventId,
    ToEventId,
    Kind,
    Note,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Event::Table)
                    .col(pk_uuid(Event::Id))
                    .col(uuid_null(Event::ParentId))
                    .col(text(Event::Title))
                    .col(text_null(Event::Summary))
                    .col(text(Event::Kind))
                    .col(text(Event::StartValue))
                    .col(small_integer(Event::StartPrecision))
                    .col(big_integer(Event::StartEarliest))
                    .col(big_integer(Event::StartLatest))
                    .col(text_null(Event::EndValue))
                    .col(small_integer_null(Event::EndPrecision))
                    .col(big_integer_null(Event::EndEarliest))
                    .col(big_integer_null(Event::EndLatest))
                    .col(big_integer(Event::SpanLatest))
                    .col(text_null(Event::TimeZone))
                    .col(text_null(Event::PlaceName))
                    .col(double_null(Event::PlaceLatitude))
                    .col(double_null(Event::PlaceLongitude))
                    .col(text(Event::Confidence))
                    .col(timestamp_with_time_zone(Event::CreatedAt))
                    .col(timestamp_with_time_zone(Event::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Event::DeletedAt))
                    .col(integer(Event::Version))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_event_parent")
                            .from(Event::Table, Event::ParentId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // The timeline's order and its keyset cursor: (earliest, precision, id).
        index(manager, "ix_event_start", Event::Table, &[Event::StartEarliest, Event::StartPrecision, Event::Id])
            .await?;
        index(manager, "ix_event_span_latest", Event::Table, &[Event::SpanLatest]).await?;
        index(manager, "ix_event_kind", Event::Table, &[Event::Kind, Event::StartEarliest]).await?;
        index(manager, "ix_event_parent", Event::Table, &[Event::ParentId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(EventTag::Table)
                    .col(uuid(EventTag::EventId))
                    .col(text(EventTag::Tag))
                    .primary_key(Index::create().col(EventTag::EventId).col(EventTag::Tag))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_event_tag_event")
                            .from(EventTag::Table, EventTag::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_event_tag_tag", EventTag::Table, &[EventTag::Tag, EventTag::EventId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Actor::Table)
                    .col(pk_uuid(Actor::Id))
                    .col(text(Actor::Name))
                    .col(text(Actor::Kind))
                    .col(json(Actor::Aliases))
                    .col(text_null(Actor::Description))
                    .col(timestamp_with_time_zone(Actor::CreatedAt))
                    .col(timestamp_with_time_zone(Actor::UpdatedAt))
                    .col(integer(Actor::Version))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_actor_name", Actor::Table, &[Actor::Name, Actor::Id]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Participation::Table)
                    .col(pk_uuid(Participation::Id))
                    .col(uuid(Participation::EventId))
                    .col(uuid(Participation::ActorId))
                    .col(text(Participation::Role))
                    .col(text_null(Participation::Note))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_participation_event")
                            .from(Participation::Table, Participation::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_participation_actor")
                            .from(Participation::Table, Participation::ActorId)
                            .to(Actor::Table, Actor::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_participation_event_actor_role",
            Participation::Table,
            &[Participation::EventId, Participation::ActorId, Participation::Role],
        )
        .await?;
        index(
            manager,
            "ix_participation_actor",
            Participation::Table,
            &[Participation::ActorId, Participation::EventId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Source::Table)
                    .col(pk_uuid(Source::Id))
                    .col(text(Source::Title))
                    .col(text_null(Source::Url))
                    .col(text_null(Source::Publisher))
                    .col(text_null(Source::Author))
                    .col(text_null(Source::PublishedValue))
                    .col(small_integer_null(Source::PublishedPrecision))
                    .col(big_integer_null(Source::PublishedEarliest))
                    .col(big_integer_null(Source::PublishedLatest))
                    .col(timestamp_with_time_zone_null(Source::AccessedAt))
                    .col(text_null(Source::ArchiveUrl))
                    .col(text_null(Source::Notes))
                    .col(timestamp_with_time_zone(Source::CreatedAt))
                    .col(timestamp_with_time_zone(Source::UpdatedAt))
                    .col(integer(Source::Version))
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_source_title", Source::Table, &[Source::Title, Source::Id]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Citation::Table)
                    .col(pk_uuid(Citation::Id))
                    .col(uuid(Citation::EventId))
                    .col(uuid(Citation::SourceId))
                    .col(text_null(Citation::Quote))
                    .col(text(Citation::Supports))
                    .col(uuid_null(Citation::SupportsActorId))
                    .col(timestamp_with_time_zone(Citation::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_citation_event")
                            .from(Citation::Table, Citation::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_citation_source")
                            .from(Citation::Table, Citation::SourceId)
                            .to(Source::Table, Source::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_citation_supports_actor")
                            .from(Citation::Table, Citation::SupportsActorId)
                            .to(Actor::Table, Actor::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        index(manager, "ix_citation_event", Citation::Table, &[Citation::EventId]).await?;
        index(manager, "ix_citation_source", Citation::Table, &[Citation::SourceId]).await?;
        index(manager, "ix_citation_supports_actor", Citation::Table, &[Citation::SupportsActorId]).await?;

        manager
            .create_table(
                Table::create()
                    .table(EventLink::Table)
                    .col(pk_uuid(EventLink::Id))
                    .col(uuid(EventLink::FromEventId))
                    .col(uuid(EventLink::ToEventId))
                    .col(text(EventLink::Kind))
                    .col(text_null(EventLink::Note))
                    .col(timestamp_with_time_zone(EventLink::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_event_link_from")
                            .from(EventLink::Table, EventLink::FromEventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_event_link_to")
                            .from(EventLink::Table, EventLink::ToEventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        unique_index(
            manager,
            "ux_event_link_from_to_kind",
            EventLink::Table,
            &[EventLink::FromEventId, EventLink::ToEventId, EventLink::Kind],
        )
        .await?;
        index(manager, "ix_event_link_to", EventLink::Table, &[EventLink::ToEventId]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EventLink::Table.into_iden(),
            Citation::Table.into_iden(),
            Source::Table.into_iden(),
            Participation::Table.into_iden(),
            Actor::Table.into_iden(),
            EventTag::Table.into_iden(),
            Event::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

/// Creates an index; `unique` makes it a uniqueness constraint too.
async fn create_index<T: IntoIden + Copy + 'static, C: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[C],
    unique: bool,
) -> Result<(), DbErr> {
    let mut statement = Index::create();
    statement.name(name).table(table);
    if unique {
        statement.unique();
    }
    for column in columns {
        statement.col(*column);
    }
    manager.create_index(statement.to_owned()).await
}

async fn index<T: IntoIden + Copy + 'static, C: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[C],
) -> Result<(), DbErr> {
    create_index(manager, name, table, columns, false).await
}

async fn unique_index<T: IntoIden + Copy + 'static, C: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[C],
) -> Result<(), DbErr> {
    create_index(manager, name, table, columns, true).await
}
