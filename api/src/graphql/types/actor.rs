//! The Actor type and the Participation that ties an actor to an event.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{ID, Object, Result};
use chrono::{DateTime, Utc};
use entity::{actor, participation};
use uuid::Uuid;

use super::event::{self, Event, EventRefs};
use crate::db::Database;
use crate::graphql::batch::{Lazy, unique};
use crate::graphql::cost;
use crate::ids::{self, NodeKind};
use crate::service::{relations, search};

/// Actors by ID, loaded once for a batch of references.
pub type ActorRefs = Lazy<Actor>;

struct ActorScope {
    db: Database,
    participations: Lazy<Vec<Participation>>,
}

/// Wraps sibling rows as actors sharing one scope.
pub fn wrap(db: &Database, rows: Vec<actor::Model>) -> Vec<Actor> {
    let ids = rows.iter().map(|row| row.id).collect();
    let scope = Arc::new(ActorScope { db: db.clone(), participations: Lazy::new(ids) });
    rows.into_iter().map(|row| Actor { row, scope: scope.clone() }).collect()
}

/// Loads actors by ID as one batch.
pub async fn load(db: &Database, ids: Vec<Uuid>) -> Result<HashMap<Uuid, Actor>, sea_orm::DbErr> {
    let rows = relations::actors(db, &ids).await?;
    Ok(wrap(db, rows.into_values().collect()).into_iter().map(|actor| (actor.row.id, actor)).collect())
}

/// A person, organisation, state body, media outlet or group.
#[derive(Clone)]
pub struct Actor {
    pub(crate) row: actor::Model,
    scope: Arc<ActorScope>,
}

#[Object]
impl Actor {
    pub async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::Actor, self.row.id))
    }

    async fn name(&self) -> &str {
        &self.row.name
    }

    /// person, organisation, state_body, media_outlet or group.
    async fn kind(&self) -> &str {
        &self.row.kind
    }

    /// Other names the actor is known by.
    async fn aliases(&self) -> Vec<String> {
        search::aliases(&self.row)
    }

    async fn description(&self) -> Option<&str> {
        self.row.description.as_deref()
    }

    async fn version(&self) -> i32 {
        self.row.version
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }

    /// The events this actor takes part in, with their role: `first` (at most 500) from `offset`.
    #[graphql(complexity = "cost::paged(first, child_complexity)")]
    async fn participations(
        &self,
        #[graphql(default_with = "cost::DEFAULT_PAGE")] first: i32,
        #[graphql(default)] offset: i32,
    ) -> Result<Vec<Participation>> {
        let db = &self.scope.db;
        let all = self
            .scope
            .participations
            .all(|ids| async move {
                let rows = relations::participations_of_actors(db, &ids).await?;
                Ok(ParticipationScope::wrap_grouped(db, rows))
            })
            .await?;
        Ok(cost::page(all.get(&self.row.id).cloned().unwrap_or_default(), first, offset)?)
    }
}

/// The actors and events a set of sibling participations point to.
pub struct ParticipationScope {
    db: Database,
    actors: ActorRefs,
    events: EventRefs,
}

impl ParticipationScope {
    /// Wraps grouped participation rows so that their actors and events load as one batch each.
    pub fn wrap_grouped<K: std::hash::Hash + Eq>(
        db: &Database,
        grouped: HashMap<K, Vec<participation::Model>>,
    ) -> HashMap<K, Vec<Participation>> {
        let actors = Lazy::new(unique(grouped.values().flatten().map(|p| p.actor_id)));
        Self::wrap_with(db, grouped, actors)
    }

    /// [`wrap_grouped`](Self::wrap_grouped), with their actors already loaded.
    pub fn wrap_grouped_with_actors<K: std::hash::Hash + Eq>(
        db: &Database,
        grouped: HashMap<K, Vec<participation::Model>>,
        actors: HashMap<Uuid, actor::Model>,
    ) -> HashMap<K, Vec<Participation>> {
        let actors = wrap(db, actors.into_values().collect()).into_iter().map(|a| (a.row.id, a)).collect();
        Self::wrap_with(db, grouped, Lazy::ready(actors))
    }

    fn wrap_with<K: std::hash::Hash + Eq>(
        db: &Database,
        grouped: HashMap<K, Vec<participation::Model>>,
        actors: ActorRefs,
    ) -> HashMap<K, Vec<Participation>> {
        let events = Lazy::new(unique(grouped.values().flatten().map(|p| p.event_id)));
        let scope = Arc::new(ParticipationScope { db: db.clone(), actors, events });
        grouped
            .into_iter()
            .map(|(key, rows)| (key, rows.into_iter().map(|row| Participation { row, scope: scope.clone() }).collect()))
            .collect()
    }

    /// Wraps single participation rows (looked up by ID).
    pub fn wrap(db: &Database, rows: Vec<participation::Model>) -> Vec<Participation> {
        let grouped: HashMap<usize, Vec<participation::Model>> =
            rows.into_iter().enumerate().map(|(i, r)| (i, vec![r])).collect();
        let mut wrapped: Vec<(usize, Vec<Participation>)> = Self::wrap_grouped(db, grouped).into_iter().collect();
        wrapped.sort_by_key(|(i, _)| *i);
        wrapped.into_iter().flat_map(|(_, p)| p).collect()
    }
}

/// An actor's part in an event.
#[derive(Clone)]
pub struct Participation {
    pub(crate) row: participation::Model,
    scope: Arc<ParticipationScope>,
}

#[Object]
impl Participation {
    pub async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::Participation, self.row.id))
    }

    /// organiser, participant, speaker, subject, target, leaker, investigator, … — or a role of your own.
    async fn role(&self) -> &str {
        &self.row.role
    }

    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }

    async fn actor(&self) -> Result<Option<Actor>> {
        let db = &self.scope.db;
        let all = self.scope.actors.all(|ids| load(db, ids)).await?;
        Ok(all.get(&self.row.actor_id).cloned())
    }

    /// The event; null if it was deleted.
    async fn event(&self) -> Result<Option<Event>> {
        let db = &self.scope.db;
        let all = self.scope.events.all(|ids| event::load(db, ids)).await?;
        Ok(all.get(&self.row.event_id).cloned())
    }
}
