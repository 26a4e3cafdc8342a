//! Evidence types (issue 11): the Account (one source's version of one aspect of an event), the
//! SourceChange, and their enums. Accounts of a page load together (see [`super::event`]); what
//! they point to (sources, actors, events) loads once for all of them.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Enum, ID, Object, Result};
use chrono::{DateTime, Utc};
use entity::{account, citation, source_change};
use uuid::Uuid;

use super::actor::{self, Actor, ActorRefs};
use super::date::FuzzyDate;
use super::event::{self, Event, EventRefs, Place};
use super::source::{Citation, CitationScope};
use crate::db::Database;
use crate::error::ServiceError;
use crate::graphql::batch::{Lazy, unique};
use crate::ids::{self, NodeKind};
use crate::service::dates::DateView;
use crate::service::evidence;

/// Which aspect of an event an account speaks to.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AccountAspect {
    /// When it happened: a fuzzy date and an optional end.
    When,
    /// Where: a place.
    Where,
    /// Who took part: an actor in a role.
    Who,
    /// Whether it happened at all.
    Whether,
}

impl AccountAspect {
    pub fn name(self) -> &'static str {
        match self {
            AccountAspect::When => "when",
            AccountAspect::Where => "where",
            AccountAspect::Who => "who",
            AccountAspect::Whether => "whether",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        [AccountAspect::When, AccountAspect::Where, AccountAspect::Who, AccountAspect::Whether]
            .into_iter()
            .find(|aspect| aspect.name() == name)
    }
}

/// Whether the account affirms its value or denies it.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AccountStance {
    Supports,
    Disputes,
}

impl AccountStance {
    pub fn name(self) -> &'static str {
        match self {
            AccountStance::Supports => "supports",
            AccountStance::Disputes => "disputes",
        }
    }
}

/// Whether the account still stands: a correction of its source supersedes it, a retraction
/// retracts it. A superseded or retracted account is kept, marked.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AccountStatus {
    Current,
    Superseded,
    Retracted,
}

/// How well an event is still backed by its sources (see ARCHITECTURE.md, "Evidence").
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum EventSupport {
    /// Nothing it rests on was lost.
    Supported,
    /// An aspect's accounts are all superseded or retracted, or a cited source is retracted: it
    /// stays where it was, for an editor to judge.
    Weakened,
    /// The standing accounts say it did not happen (a current WHETHER account disputes it and
    /// none supports it).
    Unsupported,
}

impl EventSupport {
    pub fn name(self) -> &'static str {
        match self {
            EventSupport::Supported => "supported",
            EventSupport::Weakened => "weakened",
            EventSupport::Unsupported => "unsupported",
        }
    }

    pub fn from_column(value: &str) -> Self {
        match value {
            "weakened" => EventSupport::Weakened,
            "unsupported" => EventSupport::Unsupported,
            _ => EventSupport::Supported,
        }
    }
}

/// The standing of a source: the kind of its latest change (a retraction is final).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum SourceStatus {
    Published,
    Updated,
    Corrected,
    Retracted,
}

impl SourceStatus {
    pub fn from_column(value: &str) -> Self {
        match value {
            "updated" => SourceStatus::Updated,
            "corrected" => SourceStatus::Corrected,
            "retracted" => SourceStatus::Retracted,
            _ => SourceStatus::Published,
        }
    }
}

/// What happened to a source.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum SourceChangeKind {
    Updated,
    Corrected,
    Retracted,
}

impl SourceChangeKind {
    pub fn name(self) -> &'static str {
        match self {
            SourceChangeKind::Updated => "updated",
            SourceChangeKind::Corrected => "corrected",
            SourceChangeKind::Retracted => "retracted",
        }
    }
}

/// Which date of an event the timeline's window, order and buckets use.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum TimeAxis {
    /// When it happened: `start` and `end`.
    #[default]
    Happened,
    /// When it became known: `firstReported` (events without one are left out).
    Reported,
}

/// The aspects named in an event's `disputed_aspects` column.
pub fn disputed_aspects(column: Option<&str>) -> Vec<AccountAspect> {
    column.unwrap_or_default().split(',').filter_map(AccountAspect::from_name).collect()
}

/// What a set of sibling accounts point to, each loaded once for all of them.
struct AccountScope {
    db: Database,
    actors: ActorRefs,
    events: EventRefs,
}

/// Wraps grouped account rows: their citations, actors and events load as one batch each.
pub fn wrap_grouped<K: std::hash::Hash + Eq>(
    db: &Database,
    grouped: HashMap<K, Vec<account::Model>>,
) -> HashMap<K, Vec<Account>> {
    let rows = grouped.values().flatten();
    let scope = Arc::new(AccountScope {
        db: db.clone(),
        actors: Lazy::new(unique(rows.clone().filter_map(|a| a.actor_id))),
        events: Lazy::new(unique(rows.clone().map(|a| a.event_id))),
    });
    // An account's citation is its source and quote, shown as a Citation with the account's ID.
    let citations: HashMap<Uuid, Vec<citation::Model>> = rows
        .map(|a| {
            let row = citation::Model {
                id: a.id,
                event_id: a.event_id,
                source_id: a.source_id,
                quote: a.quote.clone(),
                supports: a.aspect.clone(),
                supports_actor_id: None,
                created_at: a.created_at,
            };
            (a.id, vec![row])
        })
        .collect();
    let mut citations = CitationScope::wrap_grouped(db, citations);
    grouped
        .into_iter()
        .map(|(key, rows)| {
            let accounts = rows
                .into_iter()
                .filter_map(|row| {
                    let citation = citations.remove(&row.id)?.pop()?;
                    Some(Account { row, citation, scope: scope.clone() })
                })
                .collect();
            (key, accounts)
        })
        .collect()
}

/// One account by ID.
pub async fn load(db: &Database, id: Uuid) -> Result<Option<Account>, ServiceError> {
    let Some(row) = evidence::get(db, id).await? else {
        return Ok(None);
    };
    Ok(wrap_grouped(db, HashMap::from([(id, vec![row])])).remove(&id).and_then(|mut a| a.pop()))
}

/// One source's version of one aspect of an event, resting on a citation.
#[derive(Clone)]
pub struct Account {
    pub(crate) row: account::Model,
    citation: Citation,
    scope: Arc<AccountScope>,
}

impl Account {
    pub fn aspect_of(&self) -> Option<AccountAspect> {
        AccountAspect::from_name(&self.row.aspect)
    }
}

#[Object]
impl Account {
    pub async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::Account, self.row.id))
    }

    async fn aspect(&self) -> Result<AccountAspect> {
        self.aspect_of().ok_or_else(|| format!("account {} has an unknown aspect", self.row.id).into())
    }

    async fn stance(&self) -> AccountStance {
        if self.row.stance == "disputes" { AccountStance::Disputes } else { AccountStance::Supports }
    }

    async fn status(&self) -> AccountStatus {
        match self.row.status.as_str() {
            "superseded" => AccountStatus::Superseded,
            "retracted" => AccountStatus::Retracted,
            _ => AccountStatus::Current,
        }
    }

    /// The editor's choice among the accounts of its aspect (Wikidata's preferred rank): while it
    /// is current, the event's value of the aspect is this account's.
    async fn preferred(&self) -> bool {
        self.row.preferred
    }

    /// WHEN: the date (or the start of the span) this account gives.
    async fn date(&self) -> Option<FuzzyDate> {
        let row = &self.row;
        DateView::from_columns(row.date_value.as_deref(), row.date_precision, row.date_earliest, row.date_latest, None)
            .map(FuzzyDate)
    }

    /// WHEN: the end of the span, if the account gives one.
    async fn end(&self) -> Option<FuzzyDate> {
        let row = &self.row;
        DateView::from_columns(row.end_value.as_deref(), row.end_precision, row.end_earliest, row.end_latest, None)
            .map(FuzzyDate)
    }

    /// WHERE: the place this account gives.
    async fn place(&self) -> Option<Place> {
        let row = &self.row;
        if row.place_name.is_none() && row.place_latitude.is_none() {
            return None;
        }
        Some(Place { name: row.place_name.clone(), latitude: row.place_latitude, longitude: row.place_longitude })
    }

    /// WHO: the actor this account says took part (or, disputing, did not).
    async fn actor(&self) -> Result<Option<Actor>> {
        let Some(id) = self.row.actor_id else {
            return Ok(None);
        };
        let db = &self.scope.db;
        let all = self.scope.actors.all(|ids| actor::load(db, ids)).await?;
        Ok(all.get(&id).cloned())
    }

    /// WHO: the actor's role.
    async fn role(&self) -> Option<&str> {
        self.row.role.as_deref()
    }

    /// The source and quote the account rests on (the citation carries the account's ID).
    async fn citation(&self) -> &Citation {
        &self.citation
    }

    /// The event; null if it was deleted.
    async fn event(&self) -> Result<Option<Event>> {
        let db = &self.scope.db;
        let all = self.scope.events.all(|ids| event::load(db, ids)).await?;
        Ok(all.get(&self.row.event_id).cloned())
    }

    /// Changes with every edit; send it back with `updateAccount`.
    async fn version(&self) -> i32 {
        self.row.version
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }

    /// The name of the token that created it.
    async fn created_by(&self) -> Option<&str> {
        self.row.created_by.as_deref()
    }

    async fn updated_by(&self) -> Option<&str> {
        self.row.updated_by.as_deref()
    }
}

/// A change in the life of a source.
#[derive(Clone)]
pub struct SourceChange {
    pub(crate) row: source_change::Model,
}

#[Object]
impl SourceChange {
    /// When the source changed, as precisely as known.
    async fn at(&self) -> Result<FuzzyDate> {
        let row = &self.row;
        DateView::from_columns(
            Some(&row.at_value),
            Some(row.at_precision),
            Some(row.at_earliest),
            Some(row.at_latest),
            None,
        )
        .map(FuzzyDate)
        .ok_or_else(|| format!("source change {} has an unreadable date", row.id).into())
    }

    async fn kind(&self) -> SourceChangeKind {
        match self.row.kind.as_str() {
            "corrected" => SourceChangeKind::Corrected,
            "retracted" => SourceChangeKind::Retracted,
            _ => SourceChangeKind::Updated,
        }
    }

    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }

    /// The accounts this correction superseded.
    async fn supersedes(&self) -> Vec<ID> {
        let accounts: Vec<Uuid> = serde_json::from_value(self.row.supersedes.clone()).unwrap_or_default();
        accounts.into_iter().map(|id| ID(ids::encode(NodeKind::Account, id))).collect()
    }

    /// When it was recorded, and by whom.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    async fn recorded_by(&self) -> Option<&str> {
        self.row.created_by.as_deref()
    }
}
