//! Search documents for the rows an import writes, built from what the import already holds and
//! written many per statement. Their content is what [`crate::service::search`] writes.

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, Statement, Value};
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
    let backend = txn.get_database_backend();
    for size in sql::chunk_sizes(total, 5) {
        let mut values: Vec<Value> = Vec::with_capacity(size * 5);
        for document in documents.by_ref().take(size) {
            values.push(entity.into());
            values.push(document.id.into());
            values.push(document.title.into());
            values.push(document.body.into());
            values.push(document.names.into());
        }
        let text = crate::service::search::upsert_sql(backend, size);
        txn.execute_raw(Statement::from_sql_and_values(backend, text, values)).await?;
    }
    Ok(())
}
