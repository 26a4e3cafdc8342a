//! Search documents for the rows an import writes, built from what the import already holds and
//! written many per statement. Their content is what [`crate::service::search`] writes.

use sea_orm::{DatabaseTransaction, DbErr, Value};
use uuid::Uuid;

use super::sql;

/// One search document.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub id: Uuid,
    pub title: String,
    pub body: String,
    pub names: String,
}

/// Writes (or replaces) the documents of one kind of row: `event`, `actor` or `source`.
pub async fn upsert(txn: &DatabaseTransaction, entity: &str, documents: Vec<Document>) -> Result<(), DbErr> {
    let total = documents.len();
    let mut documents = documents.into_iter();
    for size in sql::chunk_sizes(total, 5) {
        let chunk: Vec<Document> = documents.by_ref().take(size).collect();
        let mut text = String::from("INSERT INTO search_document (entity, entity_id, title, body, names) VALUES ");
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5);
        for (index, document) in chunk.into_iter().enumerate() {
            text.push_str(if index == 0 { "(?, ?, ?, ?, ?)" } else { ", (?, ?, ?, ?, ?)" });
            values.push(entity.into());
            values.push(document.id.into());
            values.push(document.title.into());
            values.push(document.body.into());
            values.push(document.names.into());
        }
        text.push_str(
            " ON CONFLICT (entity, entity_id) DO UPDATE SET title = excluded.title, body = excluded.body, names = excluded.names",
        );
        sql::execute(txn, &text, values).await?;
    }
    Ok(())
}
