//! Evidence (issue 11): accounts, each one source's version of one aspect of an event; the
//! changes in the life of a source (updated, corrected, retracted); and, on events, when they
//! became known and what their accounts make of them (disputed aspects, support).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Account {
    Table,
    Id,
    EventId,
    Aspect,
    Stance,
    DateValue,
    DatePrecision,
    DateEarliest,
    DateLatest,
    EndValue,
    EndPrecision,
    EndEarliest,
    EndLatest,
    PlaceName,
    PlaceLatitude,
    PlaceLongitude,
    ActorId,
    Role,
    SourceId,
    Quote,
    Status,
    Preferred,
    CreatedAt,
    UpdatedAt,
    CreatedBy,
    UpdatedBy,
    Version,
    ExternalId,
}

#[derive(DeriveIden, Clone, Copy)]
enum SourceChange {
    Table,
    Id,
    SourceId,
    Kind,
    AtValue,
    AtPrecision,
    AtEarliest,
    AtLatest,
    Note,
    Supersedes,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum Event {
    Table,
    Id,
    FirstReportedValue,
    FirstReportedPrecision,
    FirstReportedEarliest,
    FirstReportedLatest,
    FirstReportedSet,
    DisputedAspects,
    Support,
}

#[derive(DeriveIden, Clone, Copy)]
enum Source {
    Table,
    Id,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
enum Actor {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .col(pk_uuid(Account::Id))
                    .col(uuid(Account::EventId))
                    .col(text(Account::Aspect))
                    .col(text(Account::Stance))
                    .col(text_null(Account::DateValue))
                    .col(small_integer_null(Account::DatePrecision))
                    .col(big_integer_null(Account::DateEarliest))
                    .col(big_integer_null(Account::DateLatest))
                    .col(text_null(Account::EndValue))
                    .col(small_integer_null(Account::EndPrecision))
                    .col(big_integer_null(Account::EndEarliest))
                    .col(big_integer_null(Account::EndLatest))
                    .col(text_null(Account::PlaceName))
                    .col(double_null(Account::PlaceLatitude))
                    .col(double_null(Account::PlaceLongitude))
                    .col(uuid_null(Account::ActorId))
                    .col(text_null(Account::Role))
                    .col(uuid(Account::SourceId))
                    .col(text_null(Account::Quote))
                    .col(text(Account::Status))
                    .col(boolean(Account::Preferred))
                    .col(timestamp_with_time_zone(Account::CreatedAt))
                    .col(timestamp_with_time_zone(Account::UpdatedAt))
                    .col(text_null(Account::CreatedBy))
                    .col(text_null(Account::UpdatedBy))
                    .col(integer(Account::Version))
                    .col(text_null(Account::ExternalId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_event")
                            .from(Account::Table, Account::EventId)
                            .to(Event::Table, Event::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_source")
                            .from(Account::Table, Account::SourceId)
                            .to(Source::Table, Source::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_actor")
                            .from(Account::Table, Account::ActorId)
                            .to(Actor::Table, Actor::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column, unique) in [
            ("ix_account_event", Account::EventId, false),
            ("ix_account_source", Account::SourceId, false),
            ("ix_account_actor", Account::ActorId, false),
            ("ux_account_external_id", Account::ExternalId, true),
        ] {
            let mut statement = Index::create();
            statement.name(name).table(Account::Table).col(column);
            if unique {
                statement.unique();
            }
            manager.create_index(statement.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(SourceChange::Table)
                    .col(pk_uuid(SourceChange::Id))
                    .col(uuid(SourceChange::SourceId))
                    .col(text(SourceChange::Kind))
                    .col(text(SourceChange::AtValue))
                    .col(small_integer(SourceChange::AtPrecision))
                    .col(big_integer(SourceChange::AtEarliest))
                    .col(big_integer(SourceChange::AtLatest))
                    .col(text_null(SourceChange::Note))
                    // The IDs of the accounts the change supersedes, as a JSON array.
                    .col(json(SourceChange::Supersedes))
                    .col(timestamp_with_time_zone(SourceChange::CreatedAt))
                    .col(text_null(SourceChange::CreatedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_source_change_source")
                            .from(SourceChange::Table, SourceChange::SourceId)
                            .to(Source::Table, Source::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_source_change_source")
                    .table(SourceChange::Table)
                    .col(SourceChange::SourceId)
                    .col(SourceChange::AtEarliest)
                    .to_owned(),
            )
            .await?;

        // SQLite adds one column per ALTER TABLE.
        let columns = [
            ColumnDef::new(Event::FirstReportedValue).text().null().to_owned(),
            ColumnDef::new(Event::FirstReportedPrecision).small_integer().null().to_owned(),
            ColumnDef::new(Event::FirstReportedEarliest).big_integer().null().to_owned(),
            ColumnDef::new(Event::FirstReportedLatest).big_integer().null().to_owned(),
            ColumnDef::new(Event::FirstReportedSet).boolean().not_null().default(false).to_owned(),
            ColumnDef::new(Event::DisputedAspects).text().null().to_owned(),
            ColumnDef::new(Event::Support).text().not_null().default("supported").to_owned(),
        ];
        for column in columns {
            manager.alter_table(Table::alter().table(Event::Table).add_column(column).to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Source::Table)
                    .add_column(ColumnDef::new(Source::Status).text().not_null().default("published").to_owned())
                    .to_owned(),
            )
            .await?;
        // The "became known" axis: its order and its keyset cursor, live events only.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX ix_event_first_reported ON event
                 (first_reported_earliest, first_reported_precision, id) WHERE deleted_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DROP INDEX ix_event_first_reported").await?;
        manager.drop_table(Table::drop().table(SourceChange::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Account::Table).to_owned()).await?;
        for column in [
            Event::FirstReportedValue,
            Event::FirstReportedPrecision,
            Event::FirstReportedEarliest,
            Event::FirstReportedLatest,
            Event::FirstReportedSet,
            Event::DisputedAspects,
            Event::Support,
        ] {
            manager.alter_table(Table::alter().table(Event::Table).drop_column(column).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(Source::Table).drop_column(Source::Status).to_owned()).await?;
        Ok(())
    }
}
