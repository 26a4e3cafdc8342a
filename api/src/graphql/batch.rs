//! Sibling batching: objects resolved from the same page share one loader per relation, and the
//! first sibling to need a relation loads it for all of them in one `IN (…)` query. The number
//! of SQL statements then depends on the shape of the query, not on the number of rows, and no
//! timer-based DataLoader delay sits on the hot path.

use std::collections::HashMap;
use std::future::Future;

use sea_orm::DbErr;
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::error::ServiceError;

/// A relation of many rows, loaded once for all of them.
pub struct Lazy<V> {
    keys: Vec<Uuid>,
    cell: OnceCell<HashMap<Uuid, V>>,
}

impl<V> Lazy<V> {
    pub fn new(keys: Vec<Uuid>) -> Self {
        Self { keys, cell: OnceCell::new() }
    }

    /// A relation known already (e.g. from a revision's snapshot): nothing is loaded.
    pub fn ready(values: HashMap<Uuid, V>) -> Self {
        Self { keys: Vec::new(), cell: OnceCell::new_with(Some(values)) }
    }

    /// The loaded relation; `load` runs once, for every key of the batch.
    pub async fn all<F, Fut>(&self, load: F) -> Result<&HashMap<Uuid, V>, ServiceError>
    where
        F: FnOnce(Vec<Uuid>) -> Fut,
        Fut: Future<Output = Result<HashMap<Uuid, V>, DbErr>>,
    {
        Ok(self.cell.get_or_try_init(|| load(self.keys.clone())).await?)
    }
}

/// Unique keys in first-seen order.
pub fn unique(keys: impl IntoIterator<Item = Uuid>) -> Vec<Uuid> {
    let mut seen = std::collections::HashSet::new();
    keys.into_iter().filter(|key| seen.insert(*key)).collect()
}
