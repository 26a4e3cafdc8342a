//! Search documents for the rows an import writes, built from what the import already holds and
//! written many per statement. Their content is what [`crate::service::search`] writes.

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, Statement, Value};
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
pub async fn upsert(txn: &DatabaseTransaction, entity: &'static str, documents: Vec<Document>) -> Result<(), DbErr> {
    crate::db::run_overlapped(txn, upsert_chunks(txn.get_database_backend(), entity, documents)).await
}

/// The statements [`upsert`] runs, each built when it is asked for.
pub fn upsert_chunks(
    backend: DatabaseBackend,
    entity: &'static str,
    documents: Vec<Document>,
) -> impl Iterator<Item = Statement> {
    let total = documents.len();
    let mut documents = documents.into_iter();
    sql::chunk_sizes(total, 5).map(move |size| {
        let mut values: Vec<Value> = Vec::with_capacity(size * 5);
        for document in documents.by_ref().take(size) {
            values.push(entity.into());
            values.push(document.id.into());
            values.push(document.title.into());
            values.push(document.body.into());
            values.push(document.names.into());
        }
        Statement::from_sql_and_values(backend, crate::service::search::upsert_sql(backend, size), values)
    })
}
