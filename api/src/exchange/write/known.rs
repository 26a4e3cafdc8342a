//! The actors and sources an import has met, by key: what events need to refer to them (their
//! IDs) and to index them (actor names). A cache in front of the database bounded by the bytes it
//! holds, so memory stays flat however many there are and however long their keys (a GDELT
//! source's key is its URL); actors and sources named inline (stubs) are kept for the whole
//! import, since they are found by name or URL rather than by key.

use std::collections::{HashMap, HashSet};

use entity::{actor, source};
use sea_orm::{ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::service::history::Touched;

use super::sql;
use crate::service::search;

/// Bytes the cache of actors holds before it starts over: about 100,000 short keys.
const ACTOR_CACHE_BYTES: usize = 8 << 20;
/// Bytes the cache of sources holds: about 16,000 URLs as keys, or 20,000 short ones. A quarter of
/// the actors', as the same few thousand actors take part in events all through a file while a
/// source is cited by few events, mostly near each other (a GDELT article's); where a file's
/// citations spread over more sources than either would hold, a larger cache only held more
/// (8 MiB held at most a fifth of 289,272 GDELT URLs) while the batches looked up the rest.
const SOURCE_CACHE_BYTES: usize = 2 << 20;

/// What an entry costs besides its strings' bytes: its slot in the table (key and value headers,
/// control byte, spare capacity) and the allocator's rounding.
const ENTRY_OVERHEAD: usize = 80;

/// The bytes a cached value holds beyond its slot.
trait HeapSize {
    fn heap_size(&self) -> usize;
}

impl HeapSize for ActorInfo {
    fn heap_size(&self) -> usize {
        self.names.len()
    }
}

impl HeapSize for Uuid {
    fn heap_size(&self) -> usize {
        0
    }
}

/// Keys and what they stand for, with the bytes they take; emptied when a new entry would
/// take it over its budget.
struct Cache<V> {
    budget: usize,
    bytes: usize,
    entries: HashMap<String, V>,
}

impl<V: HeapSize> Cache<V> {
    fn new(budget: usize) -> Self {
        Self { budget, bytes: 0, entries: HashMap::new() }
    }

    fn get(&self, key: &str) -> Option<&V> {
        self.entries.get(key)
    }

    fn cost(key: &str) -> usize {
        key.len() + ENTRY_OVERHEAD
    }

    /// Whether keys of these lengths, added now, would take the cache over its budget.
    fn would_overflow<'a>(&self, keys: impl Iterator<Item = &'a String>) -> bool {
        self.bytes + keys.map(|key| Self::cost(key)).sum::<usize>() > self.budget
    }

    fn clear(&mut self) {
        self.entries = HashMap::new();
        self.bytes = 0;
    }

    /// Adds an entry, emptying the cache first when it would go over its budget.
    fn remember(&mut self, key: &str, value: V) {
        if self.bytes + Self::cost(key) + value.heap_size() > self.budget {
            self.clear();
        }
        self.keep(key.to_owned(), value);
    }

    /// Adds an entry without emptying the cache: a batch's keys, which it was emptied for already.
    fn keep(&mut self, key: String, value: V) {
        let key_cost = Self::cost(&key);
        let value_cost = value.heap_size();
        match self.entries.insert(key, value) {
            // The key was counted when it came in; only its value changes.
            Some(old) => self.bytes = self.bytes.saturating_sub(old.heap_size()) + value_cost,
            None => self.bytes += key_cost + value_cost,
        }
    }
}

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
    /// The actors and sources this import created or changed, for the audit trail.
    pub written: Vec<Touched>,
    actors: Cache<ActorInfo>,
    sources: Cache<Uuid>,
    stub_actors: HashMap<String, ActorInfo>,
    stub_sources: HashMap<String, Uuid>,
}

impl Default for Known {
    fn default() -> Self {
        Self::with_budgets(ACTOR_CACHE_BYTES, SOURCE_CACHE_BYTES)
    }
}

impl Known {
    /// A cache of actors holding at most `actors` bytes, and one of sources holding `sources`.
    fn with_budgets(actors: usize, sources: usize) -> Self {
        Self {
            written: Vec::new(),
            actors: Cache::new(actors),
            sources: Cache::new(sources),
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
        self.actors.remember(key, info);
    }

    pub fn remember_source(&mut self, key: &str, id: Uuid) {
        self.sources.remember(key, id);
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
        if self.actors.would_overflow(missing.iter()) {
            self.actors.clear();
            missing = actors.iter().filter(|key| self.actor(key).is_none()).map(|key| (*key).to_owned()).collect();
        }
        for chunk in missing.chunks(sql::rows_per_statement(1)) {
            let rows = actor::Entity::find().filter(actor::Column::ExternalId.is_in(chunk.to_vec())).all(txn).await?;
            for row in rows {
                if let Some(key) = row.external_id.clone() {
                    self.actors.keep(key, ActorInfo::of(&row));
                }
            }
        }
        let mut missing: Vec<String> =
            sources.iter().filter(|key| self.source(key).is_none()).map(|key| (*key).to_owned()).collect();
        if self.sources.would_overflow(missing.iter()) {
            self.sources.clear();
            missing = sources.iter().filter(|key| self.source(key).is_none()).map(|key| (*key).to_owned()).collect();
        }
        for chunk in missing.chunks(sql::rows_per_statement(1)) {
            let rows = source::Entity::find().filter(source::Column::ExternalId.is_in(chunk.to_vec())).all(txn).await?;
            for row in rows {
                if let Some(key) = row.external_id.clone() {
                    self.sources.keep(key, row.id);
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

    /// The cache counts what its entries hold, not how many there are: long keys and long lists
    /// of names fill it sooner, and it never holds more than its budget.
    #[test]
    fn the_cache_is_bounded_by_bytes() {
        let mut sources: Cache<Uuid> = Cache::new(3 * (100 + ENTRY_OVERHEAD));
        for i in 0..3 {
            sources.remember(&format!("https://example.org/{i:0>80}"), Uuid::nil());
        }
        assert_eq!(sources.entries.len(), 3);
        assert!(sources.bytes <= sources.budget);
        sources.remember(&format!("https://example.org/{:0>80}", 4), Uuid::nil());
        assert_eq!(sources.entries.len(), 1, "a fourth key of a hundred bytes empties it");

        let mut actors: Cache<ActorInfo> = Cache::new(3 * (100 + ENTRY_OVERHEAD));
        let info = |names: usize| ActorInfo { id: Uuid::nil(), names: "n".repeat(names) };
        actors.remember("a", info(10));
        actors.remember("b", info(10));
        assert_eq!(actors.entries.len(), 2);
        actors.remember("c", info(300));
        assert_eq!(actors.entries.len(), 1, "an actor with many names takes the room of several");
        actors.remember("c", info(10));
        assert_eq!(actors.bytes, 1 + ENTRY_OVERHEAD + 10, "a value replaced is counted once");
    }

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
        // Room for two one-byte keys.
        let mut known = Known::with_budgets(2 * (1 + ENTRY_OVERHEAD), 2 * (1 + ENTRY_OVERHEAD));
        known.load(&txn, HashSet::new(), HashSet::from(["a"])).await.expect("load a");
        assert_eq!(known.source("a"), Some(ids["a"]));
        // "a" is cached, "b" and "c" are not, and 1 + 2 > 2: the cache is emptied for them.
        known.load(&txn, HashSet::new(), HashSet::from(["a", "b", "c"])).await.expect("load all");
        for key in ["a", "b", "c"] {
            assert_eq!(known.source(key), Some(ids[key]), "{key} is known for the batch");
        }
    }
}
