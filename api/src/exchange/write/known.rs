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

#[derive(Default)]
pub struct Known {
    /// The actors and sources this import created or changed, for the audit trail.
    pub written: Vec<Touched>,
    actors: HashMap<String, ActorInfo>,
    sources: HashMap<String, Uuid>,
    stub_actors: HashMap<String, ActorInfo>,
    stub_sources: HashMap<String, Uuid>,
}

impl Known {
    pub fn actor(&self, key: &str) -> Option<&ActorInfo> {
        self.stub_actors.get(key).or_else(|| self.actors.get(key))
    }

    pub fn source(&self, key: &str) -> Option<Uuid> {
        self.stub_sources.get(key).or_else(|| self.sources.get(key)).copied()
    }

    pub fn remember_actor(&mut self, key: &str, info: ActorInfo) {
        if self.actors.len() >= CACHE {
            self.actors.clear();
        }
        self.actors.insert(key.to_owned(), info);
    }

    pub fn remember_source(&mut self, key: &str, id: Uuid) {
        if self.sources.len() >= CACHE {
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
        let missing: Vec<String> =
            actors.into_iter().filter(|key| self.actor(key).is_none()).map(str::to_owned).collect();
        // Make room first, so that what is loaded now stays until the batch has used it.
        if self.actors.len() + missing.len() > CACHE {
            self.actors.clear();
        }
        for chunk in missing.chunks(sql::rows_per_statement(1)) {
            let rows = actor::Entity::find().filter(actor::Column::ExternalId.is_in(chunk.to_vec())).all(txn).await?;
            for row in rows {
                if let Some(key) = row.external_id.clone() {
                    self.actors.insert(key, ActorInfo::of(&row));
                }
            }
        }
        let missing: Vec<String> =
            sources.into_iter().filter(|key| self.source(key).is_none()).map(str::to_owned).collect();
        if self.sources.len() + missing.len() > CACHE {
            self.sources.clear();
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
