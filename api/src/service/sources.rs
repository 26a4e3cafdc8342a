//! Sources: the articles, documents and posts that events are cited from.

use chrono::{DateTime, Utc};
use entity::{citation, source};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, Value,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::history::{Operation, Touched};
use super::page::{self, Page, PageRequest};
use super::rules::{self, source::SourceDraft};
use super::search;
use super::write::{Written, write};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

#[derive(Debug, Clone, Default)]
pub struct NewSource {
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    /// A fuzzy date.
    pub published: Option<String>,
    pub accessed_at: Option<DateTime<Utc>>,
    pub archive_url: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct SourceChanges {
    pub title: Option<String>,
    pub url: Option<Option<String>>,
    pub publisher: Option<Option<String>>,
    pub author: Option<Option<String>>,
    pub published: Option<Option<String>>,
    pub accessed_at: Option<Option<DateTime<Utc>>>,
    pub archive_url: Option<Option<String>>,
    pub notes: Option<Option<String>>,
}

pub async fn create(db: &Database, input: NewSource) -> ServiceResult<source::Model> {
    let input = &input;
    write(db, |txn| {
        Box::pin(async move {
            let row = create_in(&txn, input).await?;
            Ok(Written::touching([Touched::source(row.id, Operation::Create)], row))
        })
    })
    .await
}

async fn create_in(txn: &DatabaseTransaction, input: &NewSource) -> ServiceResult<source::Model> {
    let fields = rules::source::fields(SourceDraft {
        title: &input.title,
        url: input.url.as_deref(),
        publisher: input.publisher.as_deref(),
        author: input.author.as_deref(),
        published: input.published.as_deref(),
        accessed_at: input.accessed_at,
        archive_url: input.archive_url.as_deref(),
        notes: input.notes.as_deref(),
    })?;
    let now = Utc::now();
    let mut model = source::ActiveModel {
        id: Set(Uuid::now_v7()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    fields.apply(&mut model);
    let row = source::Entity::insert(model).exec_with_returning(txn).await?;
    search::index_source(txn, &row).await?;
    Ok(row)
}

pub async fn update(db: &Database, id: Uuid, version: i32, changes: SourceChanges) -> ServiceResult<source::Model> {
    let changes = &changes;
    write(db, |txn| {
        Box::pin(async move {
            let row = update_in(&txn, id, version, changes).await?;
            Ok(Written::touching([Touched::source(row.id, Operation::Update)], row))
        })
    })
    .await
}

async fn update_in(
    txn: &DatabaseTransaction,
    id: Uuid,
    version: i32,
    changes: &SourceChanges,
) -> ServiceResult<source::Model> {
    let mut model =
        source::ActiveModel { updated_at: Set(Utc::now()), version: Set(version + 1), ..Default::default() };
    if let Some(title) = &changes.title {
        model.title = Set(rules::source::title(title)?);
    }
    if let Some(url) = &changes.url {
        model.url = Set(rules::source::url(url.as_deref())?);
    }
    if let Some(publisher) = &changes.publisher {
        model.publisher = Set(rules::source::publisher(publisher.as_deref())?);
    }
    if let Some(author) = &changes.author {
        model.author = Set(rules::source::author(author.as_deref())?);
    }
    if let Some(published) = &changes.published {
        rules::source::set_published(&mut model, rules::source::published(published.as_deref())?);
    }
    if let Some(accessed_at) = changes.accessed_at {
        model.accessed_at = Set(accessed_at);
    }
    if let Some(archive_url) = &changes.archive_url {
        model.archive_url = Set(rules::source::archive_url(archive_url.as_deref())?);
    }
    if let Some(notes) = &changes.notes {
        model.notes = Set(rules::source::notes(notes.as_deref())?);
    }
    let current =
        source::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| ServiceError::not_found("source", id))?;
    if current.version != version {
        return Err(ServiceError::Conflict(format!(
            "the source was changed since you read it: it is at version {}, you sent version {version}",
            current.version
        )));
    }
    let result = source::Entity::update_many()
        .set(model)
        .filter(source::Column::Id.eq(id))
        .filter(source::Column::Version.eq(version))
        .exec(txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(ServiceError::Conflict("the source was changed by another request at the same time".into()));
    }
    let row = source::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| ServiceError::not_found("source", id))?;
    search::index_source(txn, &row).await?;
    Ok(row)
}

/// Deletes a source no event cites.
pub async fn delete(db: &Database, id: Uuid) -> ServiceResult<Uuid> {
    write(db, |txn| {
        Box::pin(async move {
            source::Entity::find_by_id(id).one(&*txn).await?.ok_or_else(|| ServiceError::not_found("source", id))?;
            let cited = citation::Entity::find().filter(citation::Column::SourceId.eq(id)).count(&*txn).await?;
            if cited > 0 {
                return Err(ServiceError::Conflict(format!(
                    "the source is cited {cited} time(s): remove those citations first"
                )));
            }
            let told =
                entity::account::Entity::find().filter(entity::account::Column::SourceId.eq(id)).count(&*txn).await?;
            if told > 0 {
                return Err(ServiceError::Conflict(format!(
                    "{told} account(s) rest on the source: remove them first, or record its retraction instead"
                )));
            }
            source::Entity::delete_by_id(id).exec(&*txn).await?;
            search::remove(&*txn, search::Entity::Source, id).await?;
            Ok(Written::touching([Touched::source(id, Operation::Delete)], id))
        })
    })
    .await
}

pub async fn get(db: &Database, id: Uuid) -> ServiceResult<Option<source::Model>> {
    Ok(source::Entity::find_by_id(id).one(db.reader()).await?)
}

#[derive(Debug, Serialize, Deserialize)]
struct SourceKey(String, Uuid);

pub fn cursor(row: &source::Model) -> String {
    page::encode_cursor(&SourceKey(row.title.clone(), row.id))
}

fn filtered(db: &Database, search_text: Option<&str>) -> sea_orm::Select<source::Entity> {
    let mut condition = Condition::all();
    if let Some(matches) = search_text.and_then(|text| search::condition(db.backend(), search::Entity::Source, text)) {
        condition = condition.add(matches);
    }
    source::Entity::find().filter(condition)
}

/// Sources in title order, optionally those matching a full-text search over title, publisher, author and notes.
pub async fn list(
    db: &Database,
    search_text: Option<&str>,
    request: &PageRequest,
) -> ServiceResult<Page<source::Model>> {
    let key = request.key::<SourceKey>()?.map(|SourceKey(title, id)| vec![Value::from(title), Value::from(id)]);
    let columns = [source::Column::Title, source::Column::Id];
    Ok(page::fetch(db.reader(), filtered(db, search_text), &columns, key, request, false).await?)
}

pub async fn count(db: &Database, search_text: Option<&str>) -> ServiceResult<u64> {
    Ok(filtered(db, search_text).count(db.reader()).await?)
}
