//! The Event type, its place and its links to other events.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{event, event_link, event_revision};
use uuid::Uuid;

use super::account::{self, Account, AccountAspect, EventSupport};
use super::actor::{Participation, ParticipationScope};
use super::date::FuzzyDate;
use super::source::{Citation, CitationScope};
use crate::db::Database;
use crate::error::ServiceError;
use crate::graphql::batch::{Lazy, unique};
use crate::graphql::cost;
use crate::ids::{self, NodeKind};
use crate::service::dates::DateView;
use crate::service::history::{self, Snapshot};
use crate::service::relations;

/// The relations of a set of sibling events, each loaded once for all of them.
pub struct EventScope {
    db: Database,
    revisions: Lazy<Vec<history::Revision>>,
    tags: Lazy<Vec<String>>,
    participants: Lazy<Vec<Participation>>,
    citations: Lazy<Vec<Citation>>,
    accounts: Lazy<Vec<Account>>,
    notes: Lazy<Vec<super::Note>>,
    stars: Lazy<(bool, u64)>,
    outgoing: Lazy<Vec<EventLink>>,
    incoming: Lazy<Vec<EventLink>>,
    parents: Lazy<Event>,
}

/// Events by ID, loaded once for a batch of references (link targets, parents, …).
pub type EventRefs = Lazy<Event>;

/// Wraps sibling rows as events sharing one scope.
pub fn wrap(db: &Database, rows: Vec<event::Model>) -> Vec<Event> {
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let parents = unique(rows.iter().filter_map(|row| row.parent_id));
    let scope = Arc::new(EventScope {
        db: db.clone(),
        revisions: Lazy::new(ids.clone()),
        tags: Lazy::new(ids.clone()),
        participants: Lazy::new(ids.clone()),
        citations: Lazy::new(ids.clone()),
        accounts: Lazy::new(ids.clone()),
        notes: Lazy::new(ids.clone()),
        stars: Lazy::new(ids.clone()),
        outgoing: Lazy::new(ids.clone()),
        incoming: Lazy::new(ids),
        parents: Lazy::new(parents),
    });
    rows.into_iter().map(|row| Event { row, scope: scope.clone() }).collect()
}

/// Wraps events as they stood in revisions: their tags, participants, citations and links come
/// from the snapshots, not from the tables (actors and sources they point to are read as they are now).
pub fn wrap_snapshots(db: &Database, snapshots: Vec<Snapshot>) -> Vec<Event> {
    let ids: Vec<Uuid> = snapshots.iter().map(|s| s.event.id).collect();
    let parents = unique(snapshots.iter().filter_map(|s| s.event.parent_id));
    let tags = snapshots.iter().map(|s| (s.event.id, s.tags.clone())).collect();
    let participants = ParticipationScope::wrap_grouped(
        db,
        snapshots.iter().map(|s| (s.event.id, s.participants.clone())).collect::<HashMap<_, _>>(),
    );
    let citations = CitationScope::wrap_grouped(
        db,
        snapshots.iter().map(|s| (s.event.id, s.citations.clone())).collect::<HashMap<_, _>>(),
    );
    let outgoing = wrap_links(db, snapshots.iter().map(|s| (s.event.id, s.links.clone())).collect());
    let accounts = account::wrap_grouped(db, snapshots.iter().map(|s| (s.event.id, s.accounts.clone())).collect());
    let scope = Arc::new(EventScope {
        db: db.clone(),
        revisions: Lazy::new(ids.clone()),
        tags: Lazy::ready(tags),
        participants: Lazy::ready(participants),
        citations: Lazy::ready(citations),
        accounts: Lazy::ready(accounts),
        notes: Lazy::new(ids.clone()),
        stars: Lazy::new(ids.clone()),
        outgoing: Lazy::ready(outgoing),
        incoming: Lazy::new(ids),
        parents: Lazy::new(parents),
    });
    snapshots.into_iter().map(|s| Event { row: s.event, scope: scope.clone() }).collect()
}

/// Loads events by ID as one batch.
pub async fn load(db: &Database, ids: Vec<Uuid>) -> Result<HashMap<Uuid, Event>, sea_orm::DbErr> {
    let rows = relations::events(db, &ids).await?;
    Ok(wrap(db, rows.into_values().collect()).into_iter().map(|event| (event.row.id, event)).collect())
}

/// Something that happened, dated as precisely as its sources allow.
#[derive(Clone)]
pub struct Event {
    pub(crate) row: event::Model,
    scope: Arc<EventScope>,
}

impl Event {
    pub fn row(&self) -> &event::Model {
        &self.row
    }

    /// Whether the request's token starred this event and how many tokens did (loaded once for
    /// the sibling events).
    async fn stars(&self, ctx: &async_graphql::Context<'_>) -> Result<(bool, u64)> {
        let db = &self.scope.db;
        let token = ctx.data_opt::<crate::auth::Principal>().map(|principal| principal.name.clone());
        let all = self
            .scope
            .stars
            .all(|ids| async move {
                crate::service::notes::stars_of_events(db, &ids, token.as_deref()).await.map_err(into_db)
            })
            .await?;
        Ok(all.get(&self.row.id).copied().unwrap_or_default())
    }

    /// The revisions of this event (loaded for all its siblings at once), with what each changed.
    async fn load_revisions(&self) -> Result<Vec<EventRevision>> {
        let db = &self.scope.db;
        let all =
            self.scope.revisions.all(|ids| async move { history::revisions(db, &ids).await.map_err(into_db) }).await?;
        let rows = all.get(&self.row.id).cloned().unwrap_or_default();
        let mut revisions = Vec::with_capacity(rows.len());
        let mut previous: Option<Snapshot> = None;
        for (row, snapshot) in rows {
            let changes = history::changed_fields(previous.as_ref(), &snapshot);
            revisions.push(EventRevision { row, changes, snapshot: snapshot.clone(), db: db.clone() });
            previous = Some(snapshot);
        }
        Ok(revisions)
    }
}

/// Service errors from a loader, as the loader's error type (the error text is kept for the log).
fn into_db(error: ServiceError) -> sea_orm::DbErr {
    match error {
        ServiceError::Database(error) => error,
        other => sea_orm::DbErr::Custom(other.to_string()),
    }
}

/// One version of an event.
#[derive(Clone)]
pub struct EventRevision {
    row: event_revision::Model,
    changes: Vec<String>,
    snapshot: Snapshot,
    db: Database,
}

#[Object]
impl EventRevision {
    async fn version(&self) -> i32 {
        self.row.version
    }

    /// When this version was written.
    async fn at(&self) -> DateTime<Utc> {
        self.row.at
    }

    /// The name of the token that wrote it; null for the command line and the example loader.
    async fn by(&self) -> Option<&str> {
        self.row.by.as_deref()
    }

    /// create, update, delete, restore, merge or revert.
    async fn operation(&self) -> &str {
        &self.row.operation
    }

    /// The fields that differ from the version before ("created" for the first).
    async fn changes(&self) -> &[String] {
        &self.changes
    }

    /// The event as it stood at this version.
    async fn event(&self) -> Option<Event> {
        wrap_snapshots(&self.db, vec![self.snapshot.clone()]).pop()
    }
}

/// Where an event took place.
#[derive(SimpleObject)]
pub struct Place {
    pub name: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

#[Object]
impl Event {
    pub async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::Event, self.row.id))
    }

    async fn title(&self) -> &str {
        &self.row.title
    }

    async fn summary(&self) -> Option<&str> {
        self.row.summary.as_deref()
    }

    /// meeting, leak, publication, statement, investigation, arrest, decision, correction, other — or a kind of your own.
    async fn kind(&self) -> &str {
        &self.row.kind
    }

    async fn start(&self) -> Result<FuzzyDate> {
        let row = &self.row;
        let view = DateView::start_of(row);
        let corrupt =
            || ServiceError::Database(sea_orm::DbErr::Custom(format!("event {} has an unreadable start date", row.id)));
        Ok(FuzzyDate(view.ok_or_else(corrupt)?))
    }

    async fn end(&self) -> Option<FuzzyDate> {
        DateView::end_of(&self.row).map(FuzzyDate)
    }

    /// The IANA time zone local dates of this event are read in, where known.
    async fn time_zone(&self) -> Option<&str> {
        self.row.time_zone.as_deref()
    }

    async fn place(&self) -> Option<Place> {
        let row = &self.row;
        if row.place_name.is_none() && row.place_latitude.is_none() {
            return None;
        }
        Some(Place { name: row.place_name.clone(), latitude: row.place_latitude, longitude: row.place_longitude })
    }

    /// confirmed, reported, alleged or disputed.
    async fn confidence(&self) -> &str {
        &self.row.confidence
    }

    async fn tags(&self) -> Result<Vec<String>> {
        let db = &self.scope.db;
        let all = self.scope.tags.all(|ids| async move { relations::tags(db, &ids).await }).await?;
        Ok(all.get(&self.row.id).cloned().unwrap_or_default())
    }

    /// Changes with every edit; send it back with `updateEvent` to detect concurrent changes.
    async fn version(&self) -> i32 {
        self.row.version
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }

    /// The event this one is part of (an affair groups its events).
    async fn parent(&self) -> Result<Option<Event>> {
        let Some(parent) = self.row.parent_id else {
            return Ok(None);
        };
        let db = &self.scope.db;
        let all = self.scope.parents.all(|ids| load(db, ids)).await?;
        Ok(all.get(&parent).cloned())
    }

    /// Who took part, and in what role (at most 200, as writes allow).
    #[graphql(complexity = "cost::capped(child_complexity)")]
    async fn participants(&self) -> Result<Vec<Participation>> {
        let db = &self.scope.db;
        let all = self
            .scope
            .participants
            .all(|ids| async move {
                let (rows, actors) = relations::participations_with_actors(db, &ids).await?;
                Ok(ParticipationScope::wrap_grouped_with_actors(db, rows, actors))
            })
            .await?;
        Ok(all.get(&self.row.id).cloned().unwrap_or_default())
    }

    /// The quotes from sources that support this event (at most 200, as writes allow).
    #[graphql(complexity = "cost::capped(child_complexity)")]
    async fn citations(&self) -> Result<Vec<Citation>> {
        let db = &self.scope.db;
        let all = self
            .scope
            .citations
            .all(|ids| async move {
                let (rows, sources) = relations::citations_with_sources(db, &ids).await?;
                Ok(CitationScope::wrap_grouped_with_sources(db, rows, sources))
            })
            .await?;
        Ok(all.get(&self.row.id).cloned().unwrap_or_default())
    }

    /// The accounts of this event, of one aspect or all, oldest first: each source's version of
    /// when, where, who or whether, with its status and whether an editor prefers it.
    /// `first` (at most 500) from `offset`.
    #[graphql(complexity = "cost::paged(first, child_complexity)")]
    async fn accounts(
        &self,
        aspect: Option<AccountAspect>,
        #[graphql(default_with = "cost::DEFAULT_PAGE")] first: i32,
        #[graphql(default)] offset: i32,
    ) -> Result<Vec<Account>> {
        let db = &self.scope.db;
        let all = self
            .scope
            .accounts
            .all(|ids| async move {
                let grouped = crate::service::evidence::accounts_of_events(db.reader(), &ids).await.map_err(into_db)?;
                Ok(account::wrap_grouped(db, grouped))
            })
            .await?;
        let accounts = all.get(&self.row.id).cloned().unwrap_or_default();
        let accounts = match aspect {
            Some(aspect) => accounts.into_iter().filter(|a| a.aspect_of() == Some(aspect)).collect(),
            None => accounts,
        };
        Ok(cost::page(accounts, first, offset)?)
    }

    /// Whether two current accounts of one aspect cannot both be true (computed, never typed).
    async fn disputed(&self) -> bool {
        self.row.disputed_aspects.as_deref().is_some_and(|aspects| !aspects.is_empty())
    }

    /// The aspects whose current accounts disagree.
    async fn disputed_aspects(&self) -> Vec<AccountAspect> {
        account::disputed_aspects(self.row.disputed_aspects.as_deref())
    }

    /// When the event became known: set by an editor, or the earliest publication date of the
    /// sources it rests on.
    async fn first_reported(&self) -> Option<FuzzyDate> {
        let row = &self.row;
        DateView::from_columns(
            row.first_reported_value.as_deref(),
            row.first_reported_precision,
            row.first_reported_earliest,
            row.first_reported_latest,
            row.time_zone.as_deref(),
        )
        .map(FuzzyDate)
    }

    /// Whether `firstReported` is an editor's judgement rather than the sources' earliest date.
    async fn first_reported_set(&self) -> bool {
        self.row.first_reported_set
    }

    /// How well its sources still back it: UNSUPPORTED when the standing accounts say it did not
    /// happen (a current WHETHER account disputes it and none supports it); WEAKENED when an
    /// aspect's accounts are all superseded or retracted, or a source it cites is retracted (an
    /// event whose every source was retracted stays on its date, weakened); SUPPORTED otherwise.
    async fn support(&self) -> EventSupport {
        EventSupport::from_column(&self.row.support)
    }
    /// Links from this event to others ("this leak reveals that meeting"): `first` (at most
    /// 500) from `offset`, oldest first.
    #[graphql(complexity = "cost::paged(first, child_complexity)")]
    async fn links(
        &self,
        #[graphql(default_with = "cost::DEFAULT_PAGE")] first: i32,
        #[graphql(default)] offset: i32,
    ) -> Result<Vec<EventLink>> {
        let db = &self.scope.db;
        let all = self.scope.outgoing.all(|ids| load_links(db, ids, true)).await?;
        Ok(cost::page(all.get(&self.row.id).cloned().unwrap_or_default(), first, offset)?)
    }

    /// The versions of this event, oldest first: when, by whom, and which fields changed;
    /// `first` (at most 500) from `offset`.
    #[graphql(complexity = "cost::paged(first, child_complexity.saturating_add(cost::SNAPSHOT))")]
    async fn revisions(
        &self,
        #[graphql(default_with = "cost::DEFAULT_PAGE")] first: i32,
        #[graphql(default)] offset: i32,
    ) -> Result<Vec<EventRevision>> {
        Ok(cost::page(self.load_revisions().await?, first, offset)?)
    }

    /// This event as it stood at `version`; null if there is no such version.
    #[graphql(complexity = "cost::times(1, child_complexity.saturating_add(cost::SNAPSHOT))")]
    async fn revision(&self, version: i32) -> Result<Option<EventRevision>> {
        Ok(self.load_revisions().await?.into_iter().find(|revision| revision.row.version == version))
    }

    /// The team's notes on this event, oldest first (loaded once for the sibling events):
    /// `first` (at most 500) from `offset`.
    #[graphql(complexity = "cost::paged(first, child_complexity)")]
    async fn notes(
        &self,
        #[graphql(default_with = "cost::DEFAULT_PAGE")] first: i32,
        #[graphql(default)] offset: i32,
    ) -> Result<Vec<super::Note>> {
        let db = &self.scope.db;
        let all = self
            .scope
            .notes
            .all(|ids| async move {
                let grouped = crate::service::notes::of_events(db, &ids).await.map_err(into_db)?;
                Ok(super::note::wrap_grouped(db, grouped))
            })
            .await?;
        Ok(cost::page(all.get(&self.row.id).cloned().unwrap_or_default(), first, offset)?)
    }

    /// Whether the token of this request starred (flagged) this event.
    async fn starred(&self, ctx: &async_graphql::Context<'_>) -> Result<bool> {
        Ok(self.stars(ctx).await?.0)
    }

    /// How many tokens starred this event.
    async fn star_count(&self, ctx: &async_graphql::Context<'_>) -> Result<u64> {
        Ok(self.stars(ctx).await?.1)
    }

    /// Links from other events to this one: `first` (at most 500) from `offset`, oldest first.
    #[graphql(complexity = "cost::paged(first, child_complexity)")]
    async fn backlinks(
        &self,
        #[graphql(default_with = "cost::DEFAULT_PAGE")] first: i32,
        #[graphql(default)] offset: i32,
    ) -> Result<Vec<EventLink>> {
        let db = &self.scope.db;
        let all = self.scope.incoming.all(|ids| load_links(db, ids, false)).await?;
        Ok(cost::page(all.get(&self.row.id).cloned().unwrap_or_default(), first, offset)?)
    }
}

async fn load_links(
    db: &Database,
    ids: Vec<Uuid>,
    outgoing: bool,
) -> Result<HashMap<Uuid, Vec<EventLink>>, sea_orm::DbErr> {
    let grouped = relations::links(db, &ids, outgoing).await?;
    Ok(wrap_links(db, grouped))
}

/// Wraps link rows so that their ends load as one batch.
pub fn wrap_links(db: &Database, grouped: HashMap<Uuid, Vec<event_link::Model>>) -> HashMap<Uuid, Vec<EventLink>> {
    let ends = unique(grouped.values().flatten().flat_map(|link| [link.from_event_id, link.to_event_id]));
    let ends = Arc::new(EventRefs::new(ends));
    grouped
        .into_iter()
        .map(|(key, rows)| {
            let links = rows.into_iter().map(|row| EventLink { row, ends: ends.clone(), db: db.clone() }).collect();
            (key, links)
        })
        .collect()
}

/// A typed, directed link between two events.
#[derive(Clone)]
pub struct EventLink {
    pub(crate) row: event_link::Model,
    ends: Arc<EventRefs>,
    db: Database,
}

impl EventLink {
    async fn end(&self, id: Uuid) -> Result<Option<Event>> {
        let db = &self.db;
        let all = self.ends.all(|ids| load(db, ids)).await?;
        Ok(all.get(&id).cloned())
    }
}

#[Object]
impl EventLink {
    pub async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::EventLink, self.row.id))
    }

    /// reveals, responds_to, causes, investigates, corrects, follows, part_of — or a kind of your own.
    async fn kind(&self) -> &str {
        &self.row.kind
    }

    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }

    /// The event the link starts from. Null only if it was deleted.
    async fn source(&self) -> Result<Option<Event>> {
        self.end(self.row.from_event_id).await
    }

    /// The event the link points to. Null only if it was deleted.
    async fn target(&self) -> Result<Option<Event>> {
        self.end(self.row.to_event_id).await
    }
}
