//! Sources: the articles, documents and posts that events are cited from.

use chrono::{DateTime, Utc};
use entity::{citation, source};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, Value,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::dates;
use super::history::{Operation, Touched};
use super::page::{self, Page, PageRequest};
use super::search;
use super::validate::{self, MAX_TEXT, MAX_TITLE};
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

fn set_published(model: &mut source::ActiveModel, published: Option<&str>) -> ServiceResult<()> {
    let date = match published.map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(dates::parse("published", text, None)?),
    };
    model.published_value = Set(date.as_ref().map(|d| d.value.clone()));
    model.published_precision = Set(date.as_ref().map(|d| d.precision));
    model.published_earliest = Set(date.as_ref().map(|d| d.earliest));
    model.published_latest = Set(date.as_ref().map(|d| d.latest));
    Ok(())
}

fn text(field: &str, value: Option<&str>) -> ServiceResult<Option<String>> {
    validate::optional_text(field, value, MAX_TITLE)
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
    let now = Utc::now();
    let mut model = source::ActiveModel {
        id: Set(Uuid::now_v7()),
        title: Set(validate::required_text("title", &input.title, MAX_TITLE)?),
        url: Set(validate::optional_url("url", input.url.as_deref())?),
        publisher: Set(text("publisher", input.publisher.as_deref())?),
        author: Set(text("author", input.author.as_deref())?),
        accessed_at: Set(input.accessed_at),
        archive_url: Set(validate::optional_url("archiveUrl", input.archive_url.as_deref())?),
        notes: Set(validate::optional_text("notes", input.notes.as_deref(), MAX_TEXT)?),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    set_published(&mut model, input.published.as_deref())?;
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
        model.title = Set(validate::required_text("title", title, MAX_TITLE)?);
    }
    if let Some(url) = &changes.url {
        model.url = Set(validate::optional_url("url", url.as_deref())?);
    }
    if let Some(publisher) = &changes.publisher {
        model.publisher = Set(text("publisher", publisher.as_deref())?);
    }
    if let Some(author) = &changes.author {
        model.author = Set(text("author", author.as_deref())?);
    }
    if let Some(published) = &changes.published {
        set_published(&mut model, published.as_deref())?;
    }
    if let Some(accessed_at) = changes.accessed_at {
        model.accessed_at = Set(accessed_at);
    }
    if let Some(archive_url) = &changes.archive_url {
        model.archive_url = Set(validate::optional_url("archiveUrl", archive_url.as_deref())?);
    }
    if let Some(notes) = &changes.notes {
        model.notes = Set(validate::optional_text("notes", notes.as_deref(), MAX_TEXT)?);
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
