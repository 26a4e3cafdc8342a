//! The Source type and the Citation that ties a quote from it to an event.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{ID, Object, Result};
use chrono::{DateTime, Utc};
use entity::{citation, source};
use uuid::Uuid;

use super::actor::{self, Actor, ActorRefs};
use super::date::FuzzyDate;
use super::event::{self, Event, EventRefs};
use crate::db::Database;
use crate::graphql::batch::{Lazy, unique};
use crate::graphql::cost;
use crate::ids::{self, NodeKind};
use crate::service::dates::DateView;
use crate::service::relations;

/// Sources by ID, loaded once for a batch of references.
pub type SourceRefs = Lazy<Source>;

struct SourceScope {
    db: Database,
    citations: Lazy<Vec<Citation>>,
    changes: Lazy<Vec<super::account::SourceChange>>,
}

/// Wraps sibling rows as sources sharing one scope.
pub fn wrap(db: &Database, rows: Vec<source::Model>) -> Vec<Source> {
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let scope = Arc::new(SourceScope { db: db.clone(), citations: Lazy::new(ids.clone()), changes: Lazy::new(ids) });
    rows.into_iter().map(|row| Source { row, scope: scope.clone() }).collect()
}

/// Loads sources by ID as one batch.
pub async fn load(db: &Database, ids: Vec<Uuid>) -> Result<HashMap<Uuid, Source>, sea_orm::DbErr> {
    let rows = relations::sources(db, &ids).await?;
    Ok(wrap(db, rows.into_values().collect()).into_iter().map(|source| (source.row.id, source)).collect())
}

/// An article, document, post or recording that events are cited from.
#[derive(Clone)]
pub struct Source {
    pub(crate) row: source::Model,
    scope: Arc<SourceScope>,
}

#[Object]
impl Source {
    pub async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::Source, self.row.id))
    }

    async fn title(&self) -> &str {
        &self.row.title
    }

    async fn url(&self) -> Option<&str> {
        self.row.url.as_deref()
    }

    async fn publisher(&self) -> Option<&str> {
        self.row.publisher.as_deref()
    }

    async fn author(&self) -> Option<&str> {
        self.row.author.as_deref()
    }

    /// When the source was published, as precisely as known.
    async fn published(&self) -> Option<FuzzyDate> {
        let row = &self.row;
        DateView::from_columns(
            row.published_value.as_deref(),
            row.published_precision,
            row.published_earliest,
            row.published_latest,
            None,
        )
        .map(FuzzyDate)
    }

    /// When the source was last read.
    async fn accessed_at(&self) -> Option<DateTime<Utc>> {
        self.row.accessed_at
    }

    /// An archived copy (e.g. in a web archive).
    async fn archive_url(&self) -> Option<&str> {
        self.row.archive_url.as_deref()
    }

    async fn notes(&self) -> Option<&str> {
        self.row.notes.as_deref()
    }

    async fn version(&self) -> i32 {
        self.row.version
    }

    /// PUBLISHED, or the kind of its latest change (a retraction is final).
    async fn status(&self) -> super::account::SourceStatus {
        super::account::SourceStatus::from_column(&self.row.status)
    }

    /// Its changes (updated, corrected, retracted), oldest first: `first` (at most 500) from
    /// `offset`.
    #[graphql(complexity = "cost::paged(first, child_complexity)")]
    async fn changes(
        &self,
        #[graphql(default_with = "cost::DEFAULT_PAGE")] first: i32,
        #[graphql(default)] offset: i32,
    ) -> Result<Vec<super::account::SourceChange>> {
        let db = &self.scope.db;
        let all = self
            .scope
            .changes
            .all(|ids| async move {
                let grouped =
                    crate::service::evidence::changes_of_sources(db, &ids).await.map_err(|error| match error {
                        crate::error::ServiceError::Database(error) => error,
                        other => sea_orm::DbErr::Custom(other.to_string()),
                    })?;
                Ok(grouped
                    .into_iter()
                    .map(|(key, rows)| {
                        (key, rows.into_iter().map(|row| super::account::SourceChange { row }).collect())
                    })
                    .collect())
            })
            .await?;
        Ok(cost::page(all.get(&self.row.id).cloned().unwrap_or_default(), first, offset)?)
    }

    /// The quotes taken from this source: `first` (at most 500) from `offset`.
    #[graphql(complexity = "cost::paged(first, child_complexity)")]
    async fn citations(
        &self,
        #[graphql(default_with = "cost::DEFAULT_PAGE")] first: i32,
        #[graphql(default)] offset: i32,
    ) -> Result<Vec<Citation>> {
        let db = &self.scope.db;
        let all = self
            .scope
            .citations
            .all(|ids| async move {
                let rows = relations::citations_of_sources(db, &ids).await?;
                Ok(CitationScope::wrap_grouped(db, rows))
            })
            .await?;
        Ok(cost::page(all.get(&self.row.id).cloned().unwrap_or_default(), first, offset)?)
    }
}

/// The sources, events and actors a set of sibling citations point to.
pub struct CitationScope {
    db: Database,
    sources: SourceRefs,
    events: EventRefs,
    actors: ActorRefs,
}

impl CitationScope {
    /// Wraps grouped citation rows so that what they point to loads as one batch each.
    pub fn wrap_grouped<K: std::hash::Hash + Eq>(
        db: &Database,
        grouped: HashMap<K, Vec<citation::Model>>,
    ) -> HashMap<K, Vec<Citation>> {
        let sources = Lazy::new(unique(grouped.values().flatten().map(|c| c.source_id)));
        Self::wrap_with(db, grouped, sources)
    }

    /// [`wrap_grouped`](Self::wrap_grouped), with their sources already loaded.
    pub fn wrap_grouped_with_sources<K: std::hash::Hash + Eq>(
        db: &Database,
        grouped: HashMap<K, Vec<citation::Model>>,
        sources: HashMap<Uuid, source::Model>,
    ) -> HashMap<K, Vec<Citation>> {
        let sources = wrap(db, sources.into_values().collect()).into_iter().map(|s| (s.row.id, s)).collect();
        Self::wrap_with(db, grouped, Lazy::ready(sources))
    }

    fn wrap_with<K: std::hash::Hash + Eq>(
        db: &Database,
        grouped: HashMap<K, Vec<citation::Model>>,
        sources: SourceRefs,
    ) -> HashMap<K, Vec<Citation>> {
        let rows = grouped.values().flatten();
        let scope = Arc::new(CitationScope {
            db: db.clone(),
            sources,
            events: Lazy::new(unique(rows.clone().map(|c| c.event_id))),
            actors: Lazy::new(unique(rows.filter_map(|c| c.supports_actor_id))),
        });
        grouped
            .into_iter()
            .map(|(key, rows)| (key, rows.into_iter().map(|row| Citation { row, scope: scope.clone() }).collect()))
            .collect()
    }
}

/// A quote from a source that supports an event, or one claim about it.
#[derive(Clone)]
pub struct Citation {
    pub(crate) row: citation::Model,
    scope: Arc<CitationScope>,
}

#[Object]
impl Citation {
    pub async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::Citation, self.row.id))
    }

    async fn quote(&self) -> Option<&str> {
        self.row.quote.as_deref()
    }

    /// What the quote supports: event (the whole record), date, place or participation.
    async fn supports(&self) -> &str {
        &self.row.supports
    }

    /// With `supports: "participation"`: whose participation.
    async fn supports_actor(&self) -> Result<Option<Actor>> {
        let Some(id) = self.row.supports_actor_id else {
            return Ok(None);
        };
        let db = &self.scope.db;
        let all = self.scope.actors.all(|ids| actor::load(db, ids)).await?;
        Ok(all.get(&id).cloned())
    }

    async fn source(&self) -> Result<Option<Source>> {
        let db = &self.scope.db;
        let all = self.scope.sources.all(|ids| load(db, ids)).await?;
        Ok(all.get(&self.row.source_id).cloned())
    }

    /// The event; null if it was deleted.
    async fn event(&self) -> Result<Option<Event>> {
        let db = &self.scope.db;
        let all = self.scope.events.all(|ids| event::load(db, ids)).await?;
        Ok(all.get(&self.row.event_id).cloned())
    }
}
