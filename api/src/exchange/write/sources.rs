//! Writing the sources of a batch: checked by the rules `service::sources` obeys, inserted or updated
//! (by key) many per statement, with their search documents.

use std::collections::HashMap;

use chrono::Utc;
use entity::source;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::service::history::{Operation, Touched};

use super::known::Known;
use super::search::{self, Document};
use super::sql;
use super::summary::Summary;
use crate::error::ServiceResult;
use crate::exchange::chronik::SourceEntry;
use crate::exchange::error::{ImportError, Position};
use crate::service::rules::{
    self,
    source::{SourceDraft, SourceFields},
};

fn check(entry: &SourceEntry) -> ServiceResult<SourceFields> {
    rules::source::fields(SourceDraft {
        title: &entry.title,
        url: entry.url.as_deref(),
        publisher: entry.publisher.as_deref(),
        author: entry.author.as_deref(),
        published: entry.published.as_deref(),
        accessed_at: entry.accessed_at,
        archive_url: entry.archive_url.as_deref(),
        notes: entry.notes.as_deref(),
    })
}

fn model(id: Uuid, version: i32, key: &str, fields: SourceFields, status: String) -> (source::ActiveModel, Document) {
    let now = Utc::now();
    let names: Vec<&str> = [fields.publisher.as_deref(), fields.author.as_deref()].into_iter().flatten().collect();
    let document = Document {
        id,
        title: fields.title.clone(),
        body: fields.notes.clone().unwrap_or_default(),
        names: names.join("\n"),
    };
    let mut model = source::ActiveModel {
        id: Set(id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(version),
        external_id: Set(Some(key.to_owned())),
        status: Set(status),
        ..Default::default()
    };
    fields.apply(&mut model);
    (model, document)
}

/// Writes a batch of sources: new keys are created, known ones updated.
pub async fn flush(
    txn: &DatabaseTransaction,
    batch: Vec<(Position, SourceEntry)>,
    known: &mut Known,
    summary: &mut Summary,
    supersedes: &mut Vec<super::evidence::Supersedes>,
) -> Result<(), ImportError> {
    let mut written = Vec::with_capacity(batch.len());
    let keys: Vec<String> = batch.iter().map(|(_, entry)| entry.key.clone()).collect();
    let mut existing: HashMap<String, (Uuid, i32)> = HashMap::new();
    for chunk in keys.chunks(sql::rows_per_statement(1)) {
        for row in source::Entity::find().filter(source::Column::ExternalId.is_in(chunk.to_vec())).all(txn).await? {
            if let Some(key) = row.external_id.clone() {
                existing.insert(key, (row.id, row.version));
            }
        }
    }
    let mut models = Vec::with_capacity(batch.len());
    let mut documents = Vec::with_capacity(batch.len());
    for (at, entry) in &batch {
        let checked = check(entry).map_err(|error| ImportError::at(at, error))?;
        let (id, version) = match existing.get(&entry.key) {
            Some((id, version)) => {
                summary.sources_updated += 1;
                known.written.push(Touched::source(*id, Operation::Update));
                (*id, version + 1)
            }
            None => {
                summary.sources_created += 1;
                let id = Uuid::now_v7();
                known.written.push(Touched::source(id, Operation::Create));
                (id, 1)
            }
        };
        let status = super::evidence::source_status(entry).map_err(|error| ImportError::at(at, error))?;
        let (model, document) = model(id, version, &entry.key, checked, status);
        models.push(model);
        documents.push(document);
        known.remember_source(&entry.key, id);
        written.push((id, entry, at.clone()));
    }
    sql::insert_all(txn, models, Some(&sql::update_on_id::<source::Entity>())).await?;
    search::upsert(txn, "source", documents).await?;
    super::evidence::source_changes(txn, &written, supersedes).await?;
    Ok(())
}

/// A source named inline: the one with this key, else the first with this URL, else a new one.
pub async fn stub(
    txn: &DatabaseTransaction,
    at: &Position,
    entry: &SourceEntry,
    known: &mut Known,
    summary: &mut Summary,
) -> Result<(), ImportError> {
    if known.has_stub_source(&entry.key) {
        return Ok(());
    }
    let mut found = source::Entity::find().filter(source::Column::ExternalId.eq(entry.key.clone())).one(txn).await?;
    if found.is_none()
        && let Some(url) = entry.url.as_deref().map(str::trim).filter(|url| !url.is_empty())
    {
        found = source::Entity::find()
            .filter(source::Column::Url.eq(url))
            .order_by_asc(source::Column::Id)
            .one(txn)
            .await?;
    }
    let id = match found {
        Some(row) => row.id,
        None => {
            let checked = check(entry).map_err(|error| ImportError::at(at, error))?;
            let id = Uuid::now_v7();
            let (model, document) = model(id, 1, &entry.key, checked, "published".to_owned());
            sql::insert_all(txn, vec![model], None).await?;
            search::upsert(txn, "source", vec![document]).await?;
            summary.sources_created += 1;
            known.written.push(Touched::source(id, Operation::Create));
            id
        }
    };
    known.remember_stub_source(&entry.key, id);
    Ok(())
}
