//! Reading what an export writes, a page at a time in a fixed order: actors, sources and links by
//! ID; events in the timeline's order (earliest instant, precision, ID) with their tags,
//! participations, citations, accounts and notes, and the actors, sources and parents these name.

use std::collections::HashMap;

use entity::{account, actor, citation, event, event_link, note, participation, source};
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::filter::Checked;
use crate::db::Database;
use crate::service::relations;

/// Rows per page.
pub const PAGE: u64 = 1_000;

/// The key a row is exported under: its external ID, or its UUID for rows made by hand.
pub fn key(external_id: Option<&String>, id: Uuid) -> String {
    external_id.cloned().unwrap_or_else(|| id.to_string())
}

/// One event with its parts.
pub struct Item {
    pub row: event::Model,
    pub tags: Vec<String>,
    pub participants: Vec<participation::Model>,
    pub citations: Vec<citation::Model>,
    /// Its accounts, oldest first.
    pub accounts: Vec<account::Model>,
    /// The team's notes on it, oldest first.
    pub notes: Vec<note::Model>,
}

impl Item {
    pub fn key(&self) -> String {
        key(self.row.external_id.as_ref(), self.row.id)
    }
}

/// A page of events and what they refer to.
pub struct Page {
    pub events: Vec<Item>,
    pub actors: HashMap<Uuid, actor::Model>,
    pub sources: HashMap<Uuid, source::Model>,
    /// The keys of the parents that are exported too.
    pub parents: HashMap<Uuid, String>,
}

impl Page {
    pub fn actor_key(&self, id: Uuid) -> String {
        self.actors.get(&id).map_or_else(|| id.to_string(), |a| key(a.external_id.as_ref(), a.id))
    }

    pub fn source_key(&self, id: Uuid) -> String {
        self.sources.get(&id).map_or_else(|| id.to_string(), |s| key(s.external_id.as_ref(), s.id))
    }

    pub fn parent_key(&self, item: &Item) -> Option<&String> {
        item.row.parent_id.and_then(|parent| self.parents.get(&parent))
    }
}

/// The next page of events after `after` (the last one's order key).
pub async fn events(db: &Database, filter: &Checked, after: Option<&event::Model>) -> Result<Page, DbErr> {
    let mut select = event::Entity::find().filter(filter.condition());
    if let Some(last) = after {
        let columns = Expr::tuple([
            SimpleExpr::Column(event::Column::StartEarliest.into_column_ref()),
            SimpleExpr::Column(event::Column::StartPrecision.into_column_ref()),
            SimpleExpr::Column(event::Column::Id.into_column_ref()),
        ]);
        let values = Expr::tuple([
            SimpleExpr::Value(last.start_earliest.into()),
            SimpleExpr::Value(last.start_precision.into()),
            SimpleExpr::Value(last.id.into()),
        ]);
        select = select.filter(columns.gt(values));
    }
    let rows = select
        .order_by_asc(event::Column::StartEarliest)
        .order_by_asc(event::Column::StartPrecision)
        .order_by_asc(event::Column::Id)
        .limit(PAGE)
        .all(db.reader())
        .await?;
    with_parts(db, rows, filter.condition()).await
}

/// The events `rows` with their parts, actors and sources, and the keys of those of their
/// parents that `parents_in` picks.
pub async fn with_parts(db: &Database, rows: Vec<event::Model>, parents_in: Condition) -> Result<Page, DbErr> {
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut tags = relations::tags(db, &ids).await?;
    let mut participations = relations::participations_of_events(db, &ids).await?;
    let mut citations = relations::citations_of_events(db, &ids).await?;
    let db_error = |error| match error {
        crate::error::ServiceError::Database(error) => error,
        other => DbErr::Custom(other.to_string()),
    };
    let mut accounts = crate::service::evidence::accounts_of_events(db.reader(), &ids).await.map_err(db_error)?;
    let mut notes = crate::service::notes::of_events(db, &ids).await.map_err(db_error)?;
    let mut actor_ids: Vec<Uuid> = participations.values().flatten().map(|p| p.actor_id).collect();
    actor_ids.extend(citations.values().flatten().filter_map(|c| c.supports_actor_id));
    actor_ids.extend(accounts.values().flatten().filter_map(|a| a.actor_id));
    actor_ids.sort_unstable();
    actor_ids.dedup();
    let mut source_ids: Vec<Uuid> = citations.values().flatten().map(|c| c.source_id).collect();
    source_ids.extend(accounts.values().flatten().map(|a| a.source_id));
    source_ids.sort_unstable();
    source_ids.dedup();
    let parent_ids: Vec<Uuid> = rows.iter().filter_map(|row| row.parent_id).collect();
    let parents: Vec<(Uuid, Option<String>)> = if parent_ids.is_empty() {
        Vec::new()
    } else {
        event::Entity::find()
            .select_only()
            .column(event::Column::Id)
            .column(event::Column::ExternalId)
            .filter(parents_in)
            .filter(event::Column::Id.is_in(parent_ids))
            .into_tuple()
            .all(db.reader())
            .await?
    };
    let events = rows
        .into_iter()
        .map(|row| {
            let mut tags = tags.remove(&row.id).unwrap_or_default();
            tags.sort();
            Item {
                tags,
                participants: participations.remove(&row.id).unwrap_or_default(),
                citations: citations.remove(&row.id).unwrap_or_default(),
                accounts: accounts.remove(&row.id).unwrap_or_default(),
                notes: notes.remove(&row.id).unwrap_or_default(),
                row,
            }
        })
        .collect();
    Ok(Page {
        events,
        actors: relations::actors(db, &actor_ids).await?,
        sources: relations::sources(db, &source_ids).await?,
        parents: parents.into_iter().map(|(id, external)| (id, key(external.as_ref(), id))).collect(),
    })
}

/// The next page of actors after `after`: all of them, or those the filtered events name.
pub async fn actors(db: &Database, filter: &Checked, after: Option<Uuid>) -> Result<Vec<actor::Model>, DbErr> {
    let mut select = actor::Entity::find();
    if !filter.is_everything() {
        let named = Condition::any()
            .add(
                actor::Column::Id.in_subquery(
                    Query::select()
                        .column(participation::Column::ActorId)
                        .from(participation::Entity)
                        .and_where(participation::Column::EventId.in_subquery(filter.event_ids()))
                        .to_owned(),
                ),
            )
            .add(
                actor::Column::Id.in_subquery(
                    Query::select()
                        .column(citation::Column::SupportsActorId)
                        .from(citation::Entity)
                        .and_where(citation::Column::EventId.in_subquery(filter.event_ids()))
                        .to_owned(),
                ),
            )
            .add(
                actor::Column::Id.in_subquery(
                    Query::select()
                        .column(account::Column::ActorId)
                        .from(account::Entity)
                        .and_where(account::Column::EventId.in_subquery(filter.event_ids()))
                        .to_owned(),
                ),
            );
        select = select.filter(named);
    }
    if let Some(after) = after {
        select = select.filter(actor::Column::Id.gt(after));
    }
    select.order_by_asc(actor::Column::Id).limit(PAGE).all(db.reader()).await
}

/// The next page of sources after `after`: all of them, or those the filtered events cite.
pub async fn sources(db: &Database, filter: &Checked, after: Option<Uuid>) -> Result<Vec<source::Model>, DbErr> {
    let mut select = source::Entity::find();
    if !filter.is_everything() {
        let cited = Query::select()
            .column(citation::Column::SourceId)
            .from(citation::Entity)
            .and_where(citation::Column::EventId.in_subquery(filter.event_ids()))
            .to_owned();
        let told = Query::select()
            .column(account::Column::SourceId)
            .from(account::Entity)
            .and_where(account::Column::EventId.in_subquery(filter.event_ids()))
            .to_owned();
        select = select.filter(
            Condition::any().add(source::Column::Id.in_subquery(cited)).add(source::Column::Id.in_subquery(told)),
        );
    }
    if let Some(after) = after {
        select = select.filter(source::Column::Id.gt(after));
    }
    select.order_by_asc(source::Column::Id).limit(PAGE).all(db.reader()).await
}

/// A link with the keys of its ends.
pub struct Link {
    pub row: event_link::Model,
    pub from: String,
    pub to: String,
}

/// The next page of links after `after`, keeping those whose two ends are both exported. A page
/// may come back empty while more follow: the export stops on `None`.
pub async fn links(db: &Database, filter: &Checked, after: Option<Uuid>) -> Result<Option<(Uuid, Vec<Link>)>, DbErr> {
    let mut select = event_link::Entity::find();
    if let Some(after) = after {
        select = select.filter(event_link::Column::Id.gt(after));
    }
    let rows = select.order_by_asc(event_link::Column::Id).limit(PAGE).all(db.reader()).await?;
    let Some(last) = rows.last().map(|row| row.id) else {
        return Ok(None);
    };
    let mut ends: Vec<Uuid> = rows.iter().flat_map(|row| [row.from_event_id, row.to_event_id]).collect();
    ends.sort_unstable();
    ends.dedup();
    // The ends the export writes (live, and matching the filter), with their keys.
    let found: Vec<(Uuid, Option<String>)> = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .column(event::Column::ExternalId)
        .filter(filter.condition())
        .filter(event::Column::Id.is_in(ends))
        .into_tuple()
        .all(db.reader())
        .await?;
    let keys: HashMap<Uuid, String> =
        found.into_iter().map(|(id, external)| (id, key(external.as_ref(), id))).collect();
    let links = rows
        .into_iter()
        .filter_map(|row| {
            let from = keys.get(&row.from_event_id)?.clone();
            let to = keys.get(&row.to_event_id)?.clone();
            Some(Link { row, from, to })
        })
        .collect();
    Ok(Some((last, links)))
}

/// The changes of these sources, oldest first, with the keys of the accounts they superseded
/// that the export writes (those of the filtered events; a file must import on its own).
pub async fn source_changes(
    db: &Database,
    filter: &Checked,
    sources: &[source::Model],
) -> Result<HashMap<Uuid, Vec<(entity::source_change::Model, Vec<String>)>>, DbErr> {
    let ids: Vec<Uuid> = sources.iter().map(|s| s.id).collect();
    let changes = crate::service::evidence::changes_of_sources(db, &ids).await.map_err(|error| match error {
        crate::error::ServiceError::Database(error) => error,
        other => DbErr::Custom(other.to_string()),
    })?;
    let superseded: Vec<Uuid> = changes
        .values()
        .flatten()
        .flat_map(|c| serde_json::from_value::<Vec<Uuid>>(c.supersedes.clone()).unwrap_or_default())
        .collect();
    let keys: HashMap<Uuid, String> = if superseded.is_empty() {
        HashMap::new()
    } else {
        let mut select = account::Entity::find().filter(account::Column::Id.is_in(superseded));
        if !filter.is_everything() {
            select = select.filter(account::Column::EventId.in_subquery(filter.event_ids()));
        }
        select.all(db.reader()).await?.into_iter().map(|a| (a.id, key(a.external_id.as_ref(), a.id))).collect()
    };
    Ok(changes
        .into_iter()
        .map(|(source, rows)| {
            let rows = rows
                .into_iter()
                .map(|row| {
                    let ids = serde_json::from_value::<Vec<Uuid>>(row.supersedes.clone()).unwrap_or_default();
                    let names = ids.iter().filter_map(|id| keys.get(id).cloned()).collect();
                    (row, names)
                })
                .collect();
            (source, rows)
        })
        .collect())
}
