//! Multi-row statements, cut to stay under the bound-parameter limits of SQLite and PostgreSQL.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, EntityTrait,
    IdenStatic, Iterable, QueryFilter, QuerySelect, QueryTrait, Statement,
};
use uuid::Uuid;

/// Parameters per statement: SQLite allows 32,766, PostgreSQL 65,535; large statements gain little.
const MAX_PARAMS: usize = 16_000;

/// Rows per statement for a table of `columns` columns.
pub fn rows_per_statement(columns: usize) -> usize {
    (MAX_PARAMS / columns.max(1)).max(1)
}

/// How to cut `total` rows into statements: full statements, then powers of two. Statements are
/// prepared once and cached by their text, so a few distinct sizes keep that cache (and the time
/// spent preparing) small, where one size per batch would fill it with large statements.
pub fn chunk_sizes(total: usize, columns: usize) -> impl Iterator<Item = usize> {
    let most = rows_per_statement(columns);
    let most = if most.is_power_of_two() { most } else { most.next_power_of_two() / 2 };
    let mut left = total;
    std::iter::from_fn(move || {
        if left == 0 {
            return None;
        }
        let size = if left >= most { most } else { 1 << (usize::BITS - 1 - left.leading_zeros()) };
        left -= size;
        Some(size)
    })
}

/// Inserts `models` (every column set) in as few statements as the limits allow, with an optional
/// ON CONFLICT clause.
pub async fn insert_all<A>(
    txn: &DatabaseTransaction,
    models: Vec<A>,
    on_conflict: Option<&OnConflict>,
) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
{
    let backend = txn.get_database_backend();
    crate::db::run_overlapped(txn, insert_chunks(backend, models, on_conflict.cloned())).await
}

/// The statements that insert `models` as [`insert_all`] does, each built when it is asked for.
pub fn insert_chunks<A>(
    backend: DatabaseBackend,
    models: Vec<A>,
    on_conflict: Option<OnConflict>,
) -> impl Iterator<Item = Statement>
where
    A: ActiveModelTrait,
{
    let columns = <A::Entity as EntityTrait>::Column::iter().count();
    let total = models.len();
    let mut models = models.into_iter();
    chunk_sizes(total, columns).map(move |size| {
        let rows: Vec<A> = models.by_ref().take(size).collect();
        let mut insert = A::Entity::insert_many(rows);
        if let Some(clause) = &on_conflict {
            insert = insert.on_conflict(clause.clone());
        }
        insert.build(backend)
    })
}

/// ON CONFLICT (id) DO UPDATE every column of `E` but the ID, the creation time and the external
/// ID: a record a file gives again (by its key) takes all the rest from the file.
pub fn update_on_id<E: EntityTrait>() -> OnConflict {
    const KEPT: [&str; 3] = ["id", "created_at", "external_id"];
    OnConflict::column(Alias::new("id"))
        .update_columns(E::Column::iter().filter(|column| !KEPT.contains(&column.as_str())))
        .to_owned()
}

/// The rows of `entity` whose `external_id` column is one of `keys`: key → (id, version).
pub async fn by_external_id<E, C>(
    txn: &DatabaseTransaction,
    id: C,
    external_id: C,
    version: C,
    keys: &[String],
) -> Result<HashMap<String, (Uuid, i32)>, DbErr>
where
    E: EntityTrait,
    C: ColumnTrait,
{
    let mut found = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(rows_per_statement(1)) {
        let rows: Vec<(Uuid, Option<String>, i32)> = E::find()
            .select_only()
            .column(id)
            .column(external_id)
            .column(version)
            .filter(external_id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(txn)
            .await?;
        for (id, key, version) in rows {
            if let Some(key) = key {
                found.insert(key, (id, version));
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_split_into_chunks_within_the_parameter_limit() {
        assert_eq!(rows_per_statement(25), 640);
        let sizes: Vec<usize> = chunk_sizes(1300, 25).collect();
        assert_eq!(sizes, [512, 512, 256, 16, 4]);
        assert_eq!(chunk_sizes(0, 5).count(), 0);
    }
}
