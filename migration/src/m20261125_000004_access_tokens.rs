//! API tokens: who may read and write. A token is stored only as its SHA-256 hash, with a short
//! prefix kept so people can tell their tokens apart.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AccessToken {
    Table,
    Id,
    Name,
    Role,
    Prefix,
    Hash,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccessToken::Table)
                    .col(pk_uuid(AccessToken::Id))
                    .col(text(AccessToken::Name))
                    .col(text(AccessToken::Role))
                    .col(text(AccessToken::Prefix))
                    .col(text(AccessToken::Hash))
                    .col(timestamp_with_time_zone(AccessToken::CreatedAt))
                    .col(timestamp_with_time_zone_null(AccessToken::LastUsedAt))
                    .col(timestamp_with_time_zone_null(AccessToken::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_access_token_name")
                    .table(AccessToken::Table)
                    .col(AccessToken::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_access_token_hash")
                    .table(AccessToken::Table)
                    .col(AccessToken::Hash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AccessToken::Table).to_owned()).await
    }
}
