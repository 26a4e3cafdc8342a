//! The actors and sources an import has met, by key: what events need to refer to them (their
//! IDs) and to index them (actor names). A bounded cache in front of the database, so memory stays
//! flat however many there are; actors and sources named inline (stubs) are kept for the whole
//! import, since they are found by name or URL rather than by key.

use std::collections::{HashMap, HashSet};

use entity::{actor, source};
use sea_orm::{ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::service::history::Touched;

use super::sql;
use crate::service::search;

/// Entries kept before the cache starts over.
const CACHE: usize = 100_000;

/// An actor as events refer to it.
#[derive(Debug, Clone)]
pub struct ActorInfo {
    pub id: Uuid,
    /// The name and aliases, one per line, for the search documents of its events.
    pub names: String,
}

impl ActorInfo {
    pub fn of(row: &actor::Model) -> Self {
        let mut names = row.name.clone();
        for alias in search::aliases(row) {
            names.push('\n');
            names.push_str(&alias);
        }
        Self { id: row.id, names }
    }
}

pub struct Known {
    /// Actors (and, apart, sources) kept at most; the cache is emptied when it would hold more.
    capacity: usize,
    /// The actors and sources this import created or changed, for the audit trail.
    pub written: Vec<Touched>,
    actors: HashMap<String, ActorInfo>,
    sources: HashMap<String, Uuid>,
    stub_actors: HashMap<String, ActorInfo>,
    stub_sources: HashMap<String, Uuid>,
}

impl Default for Known {
    fn default() -> Self {
        Self::with_capacity(CACHE)
    }
}

impl Known {
    fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity,
            written: Vec::new(),
            actors: HashMap::new(),
            sources: HashMap::new(),
            stub_actors: HashMap::new(),
            stub_sources: HashMap::new(),
        }
    }

    pub fn actor(&self, key: &str) -> Option<&ActorInfo> {
        self.stub_actors.get(key).or_else(|| self.actors.get(key))
    }

    pub fn source(&self, key: &str) -> Option<Uuid> {
        self.stub_sources.get(key).or_else(|| self.sources.get(key)).copied()
    }

    pub fn remember_actor(&mut self, key: &str, info: ActorInfo) {
        if self.actors.len() >= self.capacity {
            self.actors.clear();
        }
        self.actors.insert(key.to_owned(), info);
    }

    pub fn remember_source(&mut self, key: &str, id: Uuid) {
        if self.sources.len() >= self.capacity {
            self.sources.clear();
        }
        self.sources.insert(key.to_owned(), id);
    }

    pub fn remember_stub_actor(&mut self, key: &str, info: ActorInfo) {
        self.stub_actors.insert(key.to_owned(), info);
    }

    pub fn remember_stub_source(&mut self, key: &str, id: Uuid) {
        self.stub_sources.insert(key.to_owned(), id);
    }

    pub fn has_stub_actor(&self, key: &str) -> bool {
        self.stub_actors.contains_key(key)
    }

    pub fn has_stub_source(&self, key: &str) -> bool {
        self.stub_sources.contains_key(key)
    }

    /// Looks up, in the database, the actors and sources among `actors` and `sources` that are not
    /// known yet (those of earlier imports, or pushed out of the cache).
    pub async fn load(
        &mut self,
        txn: &DatabaseTransaction,
        actors: HashSet<&str>,
        sources: HashSet<&str>,
    ) -> Result<(), DbErr> {
        let mut missing: Vec<String> =
            actors.iter().filter(|key| self.actor(key).is_none()).map(|key| (*key).to_owned()).collect();
        // Make room first, so that what is loaded now stays until the batch has used it; what the
        // batch found in the cache is then gone too, so it is loaded again with the rest (an
        // import naming over 100,000 actors or sources failed here with "no source has this key").
        if self.actors.len() + missing.len() > self.capacity {
            self.actors.clear();
            missing = actors.iter().filter(|key| self.actor(key).is_none()).map(|key| (*key).to_owned()).collect();
        }
        for chunk in missing.chunks(sql::rows_per_statement(1)) {
            let rows = actor::Entity::find().filter(actor::Column::ExternalId.is_in(chunk.to_vec())).all(txn).await?;
            for row in rows {
                if let Some(key) = row.external_id.clone() {
                    self.actors.insert(key, ActorInfo::of(&row));
                }
            }
        }
        let mut missing: Vec<String> =
            sources.iter().filter(|key| self.source(key).is_none()).map(|key| (*key).to_owned()).collect();
        if self.sources.len() + missing.len() > self.capacity {
            self.sources.clear();
            missing = sources.iter().filter(|key| self.source(key).is_none()).map(|key| (*key).to_owned()).collect();
        }
        for chunk in missing.chunks(sql::rows_per_statement(1)) {
            let rows = source::Entity::find().filter(source::Column::ExternalId.is_in(chunk.to_vec())).all(txn).await?;
            for row in rows {
                if let Some(key) = row.external_id.clone() {
                    self.sources.insert(key, row.id);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use migration::MigratorTrait as _;
    use sea_orm::{ActiveValue::Set, ConnectOptions, TransactionTrait as _};

    use super::*;

    /// A batch whose keys are partly in the cache and partly not, when the cache is too full to
    /// take the rest: it is emptied, and every key of the batch is loaded, those it held too.
    #[tokio::test]
    async fn a_full_cache_keeps_every_key_of_the_batch() {
        let mut options = ConnectOptions::new("sqlite::memory:");
        options.max_connections(1).sqlx_logging(false);
        let db = sea_orm::Database::connect(options).await.expect("connect");
        migration::Migrator::up(&db, None).await.expect("migrate");
        let txn = db.begin().await.expect("begin");
        let now = chrono::Utc::now();
        let mut ids = HashMap::new();
        for key in ["a", "b", "c"] {
            let id = Uuid::now_v7();
            ids.insert(key, id);
            source::Entity::insert(source::ActiveModel {
                id: Set(id),
                title: Set(format!("Source {key}")),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                external_id: Set(Some(key.to_owned())),
                status: Set("published".to_owned()),
                ..Default::default()
            })
            .exec(&txn)
            .await
            .expect("insert");
        }
        let mut known = Known::with_capacity(2);
        known.load(&txn, HashSet::new(), HashSet::from(["a"])).await.expect("load a");
        assert_eq!(known.source("a"), Some(ids["a"]));
        // "a" is cached, "b" and "c" are not, and 1 + 2 > 2: the cache is emptied for them.
        known.load(&txn, HashSet::new(), HashSet::from(["a", "b", "c"])).await.expect("load all");
        for key in ["a", "b", "c"] {
            assert_eq!(known.source(key), Some(ids[key]), "{key} is known for the batch");
        }
    }
}
