//! Evidence (issue 11): the accounts of events and the life of sources. Each write goes through
//! [`write`]: it checks by [`rules::account`], writes the accounts or the source change, and then
//! *settles* every event it touched — works out again, by [`rules::account::evaluate`], the
//! event's value of each aspect, its disputed aspects, its support and when it became known, and
//! stores them on the event as a new version (so the timeline, its filters and its history read
//! them like any column).

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::{account, citation, event, participation, source, source_change};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QueryTrait,
};
use uuid::Uuid;

use super::dates;
use super::event_version::live;
use super::history::{self, Operation, Touched};
use super::rules::account::{self as account_rules, AccountDraft, Aspect};
use super::rules::event::Place;
use super::search;
use super::settlement::{Settlement, participations_to_add};
use super::write::{Written, write};
use crate::db::{Database, Editor};
use crate::error::{ServiceError, ServiceResult};

/// An account as given by a client. `event_id` is ignored within `createEvent`.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub event_id: Uuid,
    pub aspect: String,
    pub stance: Option<String>,
    pub date: Option<String>,
    pub end: Option<String>,
    pub place: Option<Place>,
    pub actor_id: Option<Uuid>,
    pub role: Option<String>,
    pub source_id: Uuid,
    pub quote: Option<String>,
}

/// Changes to an account: `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub stance: Option<String>,
    pub date: Option<Option<String>>,
    pub end: Option<Option<String>>,
    pub place: Option<Option<Place>>,
    pub actor_id: Option<Option<Uuid>>,
    pub role: Option<Option<String>>,
    pub source_id: Option<Uuid>,
    pub quote: Option<Option<String>>,
}

/// A change in the life of a source, as given by a client.
#[derive(Debug, Clone, Default)]
pub struct NewSourceChange {
    pub source_id: Uuid,
    pub kind: String,
    /// A fuzzy date; none: today.
    pub at: Option<String>,
    pub note: Option<String>,
    pub supersedes: Vec<Uuid>,
}

fn by(db: &Database) -> Option<String> {
    db.editor().and_then(|editor: &Editor| editor.name.clone())
}

/// Adds an account to an event; returns it and the event as settled.
pub async fn add(db: &Database, input: NewAccount) -> ServiceResult<(account::Model, event::Model)> {
    let input = &input;
    let by = by(db);
    let by = &by;
    write(db, |txn| {
        Box::pin(async move {
            let event = live(&*txn, input.event_id).await.map_err(|error| match error {
                ServiceError::NotFound { .. } => ServiceError::validation("eventId", "no event has this ID"),
                other => other,
            })?;
            history::keep(&*txn, &[event.id]).await?;
            let row = add_in(&txn, &event, "", input, by.clone()).await?;
            let settled = settle(&txn, &[event.id]).await?;
            let event = settled.into_iter().next().ok_or_else(|| ServiceError::not_found("event", input.event_id))?;
            let touched = [Touched::account(row.id, Operation::Create), Touched::event(event.id, Operation::Update)];
            Ok(Written::touching(touched, (row, event)))
        })
    })
    .await
}

/// Checks and writes one account of `event` (the caller settles the event); `at` prefixes the
/// field names of its errors.
pub async fn add_in(
    txn: &DatabaseTransaction,
    event: &event::Model,
    at: &str,
    input: &NewAccount,
    by: Option<String>,
) -> ServiceResult<account::Model> {
    let fields = check(txn, event, at, input.as_draft(event)?).await?;
    let now = Utc::now();
    let mut model = account::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event.id),
        status: Set("current".to_owned()),
        preferred: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(by.clone()),
        updated_by: Set(by),
        version: Set(1),
        external_id: Set(None),
        ..Default::default()
    };
    fields.apply(&mut model);
    Ok(account::Entity::insert(model).exec_with_returning(txn).await?)
}

impl NewAccount {
    fn as_draft<'a>(&'a self, event: &event::Model) -> ServiceResult<AccountDraft<'a>> {
        Ok(AccountDraft {
            aspect: &self.aspect,
            stance: self.stance.as_deref(),
            date: self.date.as_deref(),
            end: self.end.as_deref(),
            time_zone: super::rules::time_zone("timeZone", event.time_zone.as_deref())?,
            place: self.place.as_ref().map(Place::draft),
            actor_id: self.actor_id,
            role: self.role.as_deref(),
            source_id: self.source_id,
            quote: self.quote.as_deref(),
        })
    }
}

/// Checks an account's fields by the rules, and that its source and actor exist.
async fn check(
    connection: &impl ConnectionTrait,
    _event: &event::Model,
    at: &str,
    draft: AccountDraft<'_>,
) -> ServiceResult<account_rules::AccountFields> {
    let fields = account_rules::fields(at, draft)?;
    let name = |field: &str| if at.is_empty() { field.to_owned() } else { format!("{at}.{field}") };
    if source::Entity::find_by_id(fields.source_id).one(connection).await?.is_none() {
        return Err(ServiceError::validation(name("citation.sourceId"), "no source has this ID"));
    }
    if let Some(actor_id) = fields.actor_id
        && entity::actor::Entity::find_by_id(actor_id).one(connection).await?.is_none()
    {
        return Err(ServiceError::validation(name("actorId"), "no actor has this ID"));
    }
    Ok(fields)
}

async fn account_of(connection: &impl ConnectionTrait, id: Uuid) -> ServiceResult<account::Model> {
    account::Entity::find_by_id(id).one(connection).await?.ok_or_else(|| ServiceError::not_found("account", id))
}

/// Changes an account at `version` (a stale version is a CONFLICT); its aspect stays.
pub async fn update(
    db: &Database,
    id: Uuid,
    version: i32,
    changes: AccountChanges,
) -> ServiceResult<(account::Model, event::Model)> {
    let changes = &changes;
    let by = by(db);
    let by = &by;
    write(db, |txn| {
        Box::pin(async move {
            let current = account_of(&*txn, id).await?;
            if current.version != version {
                return Err(ServiceError::Conflict(format!(
                    "the account was changed since you read it: it is at version {}, you sent version {version}",
                    current.version
                )));
            }
            let event = live(&*txn, current.event_id).await?;
            history::keep(&*txn, &[event.id]).await?;
            let place = match &changes.place {
                Some(place) => place.clone(),
                None if current.place_name.is_some() || current.place_latitude.is_some() => Some(Place {
                    name: current.place_name.clone(),
                    latitude: current.place_latitude,
                    longitude: current.place_longitude,
                }),
                None => None,
            };
            let merged = NewAccount {
                event_id: current.event_id,
                aspect: current.aspect.clone(),
                stance: Some(changes.stance.clone().unwrap_or_else(|| current.stance.clone())),
                date: changes.date.clone().unwrap_or_else(|| current.date_value.clone()),
                end: changes.end.clone().unwrap_or_else(|| current.end_value.clone()),
                place,
                actor_id: changes.actor_id.unwrap_or(current.actor_id),
                role: changes.role.clone().unwrap_or_else(|| current.role.clone()),
                source_id: changes.source_id.unwrap_or(current.source_id),
                quote: changes.quote.clone().unwrap_or_else(|| current.quote.clone()),
            };
            let fields = check(&*txn, &event, "", merged.as_draft(&event)?).await?;
            let mut model = account::ActiveModel {
                updated_at: Set(Utc::now()),
                updated_by: Set(by.clone()),
                version: Set(version + 1),
                ..Default::default()
            };
            fields.apply(&mut model);
            let result = account::Entity::update_many()
                .set(model)
                .filter(account::Column::Id.eq(id))
                .filter(account::Column::Version.eq(version))
                .exec(&*txn)
                .await?;
            if result.rows_affected != 1 {
                return Err(ServiceError::Conflict(
                    "the account was changed by another request at the same time".into(),
                ));
            }
            let row = account_of(&*txn, id).await?;
            let event = settle_one(&txn, row.event_id).await?;
            let touched = [Touched::account(id, Operation::Update), Touched::event(event.id, Operation::Update)];
            Ok(Written::touching(touched, (row, event)))
        })
    })
    .await
}

/// Removes an account; returns its event as settled.
pub async fn remove(db: &Database, id: Uuid) -> ServiceResult<event::Model> {
    write(db, |txn| {
        Box::pin(async move {
            let current = account_of(&*txn, id).await?;
            live(&*txn, current.event_id).await?;
            history::keep(&*txn, &[current.event_id]).await?;
            account::Entity::delete_by_id(id).exec(&*txn).await?;
            let event = settle_one(&txn, current.event_id).await?;
            let touched = [Touched::account(id, Operation::Delete), Touched::event(event.id, Operation::Update)];
            Ok(Written::touching(touched, event))
        })
    })
    .await
}

/// Marks an account as the preferred one of its aspect (the others of that aspect lose the
/// mark); the event's value of the aspect becomes it while it is current. The accounts
/// themselves are otherwise unchanged.
pub async fn prefer(db: &Database, id: Uuid) -> ServiceResult<(account::Model, event::Model)> {
    let by = by(db);
    let by = &by;
    write(db, |txn| {
        Box::pin(async move {
            let chosen = account_of(&*txn, id).await?;
            live(&*txn, chosen.event_id).await?;
            if chosen.aspect == Aspect::Whether.name() {
                return Err(ServiceError::validation("id", "a WHETHER account has no value to prefer"));
            }
            history::keep(&*txn, &[chosen.event_id]).await?;
            let others = account::Entity::find()
                .filter(account::Column::EventId.eq(chosen.event_id))
                .filter(account::Column::Aspect.eq(chosen.aspect.clone()))
                .filter(account::Column::Preferred.eq(true))
                .filter(account::Column::Id.ne(id))
                .all(&*txn)
                .await?;
            let mut touched: Vec<Touched> = others.iter().map(|a| Touched::account(a.id, Operation::Update)).collect();
            let now = Utc::now();
            for (account_id, preferred) in others.iter().map(|a| (a.id, false)).chain([(id, true)]) {
                account::Entity::update_many()
                    .col_expr(account::Column::Preferred, Expr::value(preferred))
                    .col_expr(account::Column::Version, Expr::col(account::Column::Version).add(1))
                    .col_expr(account::Column::UpdatedAt, Expr::value(now))
                    .col_expr(account::Column::UpdatedBy, Expr::value(by.clone()))
                    .filter(account::Column::Id.eq(account_id))
                    .exec(&*txn)
                    .await?;
            }
            let row = account_of(&*txn, id).await?;
            let event = settle_one(&txn, row.event_id).await?;
            touched.push(Touched::account(id, Operation::Update));
            touched.push(Touched::event(event.id, Operation::Update));
            Ok(Written::touching(touched, (row, event)))
        })
    })
    .await
}

/// Sets when an event became known, as an editor's judgement; `None` hands it back to the
/// sources (the earliest publication date among those it rests on).
pub async fn set_first_reported(db: &Database, event_id: Uuid, date: Option<String>) -> ServiceResult<event::Model> {
    let date = &date;
    write(db, |txn| {
        Box::pin(async move {
            let event = live(&*txn, event_id).await?;
            history::keep(&*txn, &[event_id]).await?;
            let zone = super::rules::time_zone("timeZone", event.time_zone.as_deref())?;
            let stored = date
                .as_deref()
                .filter(|text| !text.trim().is_empty())
                .map(|text| dates::parse("date", text, zone))
                .transpose()?;
            event::Entity::update_many()
                .col_expr(event::Column::FirstReportedSet, Expr::value(stored.is_some()))
                .col_expr(event::Column::FirstReportedValue, Expr::value(stored.as_ref().map(|d| d.value.clone())))
                .col_expr(event::Column::FirstReportedPrecision, Expr::value(stored.as_ref().map(|d| d.precision)))
                .col_expr(event::Column::FirstReportedEarliest, Expr::value(stored.as_ref().map(|d| d.earliest)))
                .col_expr(event::Column::FirstReportedLatest, Expr::value(stored.as_ref().map(|d| d.latest)))
                .filter(event::Column::Id.eq(event_id))
                .exec(&*txn)
                .await?;
            let event = settle_one(&txn, event_id).await?;
            Ok(Written::touching([Touched::event(event_id, Operation::Update)], event))
        })
    })
    .await
}

/// Records a change in the life of a source: its status follows (a retraction is final), a
/// retraction marks every account resting on it RETRACTED, a correction marks the accounts it
/// supersedes SUPERSEDED. Returns the source and the events whose accounts or support changed,
/// settled (each a new version, announced to subscribers).
pub async fn record_source_change(
    db: &Database,
    input: NewSourceChange,
) -> ServiceResult<(source::Model, Vec<event::Model>)> {
    let input = &input;
    let by = by(db);
    let by = &by;
    write(db, |txn| {
        Box::pin(async move {
            let kind = account_rules::change_kind("kind", &input.kind)?;
            let note = account_rules::change_note("note", input.note.as_deref())?;
            let at = match input.at.as_deref().filter(|t| !t.trim().is_empty()) {
                Some(text) => dates::parse("at", text, None)?,
                None => dates::parse("at", &Utc::now().format("%Y-%m-%d").to_string(), None)?,
            };
            let source = source::Entity::find_by_id(input.source_id)
                .one(&*txn)
                .await?
                .ok_or_else(|| ServiceError::validation("sourceId", "no source has this ID"))?;
            let resting = account::Entity::find()
                .filter(account::Column::SourceId.eq(source.id))
                .order_by_asc(account::Column::Id)
                .all(&*txn)
                .await?;
            let on_source: HashSet<Uuid> = resting.iter().map(|a| a.id).collect();
            let supersedes =
                account_rules::supersedes("supersedes", &kind, &input.supersedes, |id| on_source.contains(&id))?;
            let (marked, status): (Vec<&account::Model>, &str) = match kind.as_str() {
                "retracted" => (resting.iter().filter(|a| a.status != "retracted").collect(), "retracted"),
                "corrected" => (
                    resting.iter().filter(|a| supersedes.contains(&a.id) && a.status == "current").collect(),
                    "superseded",
                ),
                _ => (Vec::new(), "current"),
            };
            // The events whose accounts change, and, when the source's standing changes, every
            // event citing it (its support depends on the source's status).
            let mut affected: Vec<Uuid> = marked.iter().map(|a| a.event_id).collect();
            if kind == "retracted" {
                let citing =
                    citation::Entity::find().filter(citation::Column::SourceId.eq(source.id)).all(&*txn).await?;
                affected.extend(citing.into_iter().map(|c| c.event_id));
            }
            let affected = unique(affected);
            history::keep(&*txn, &affected).await?;
            let now = Utc::now();
            let marked_ids: Vec<Uuid> = marked.iter().map(|a| a.id).collect();
            if !marked_ids.is_empty() {
                account::Entity::update_many()
                    .col_expr(account::Column::Status, Expr::value(status))
                    .col_expr(account::Column::Version, Expr::col(account::Column::Version).add(1))
                    .col_expr(account::Column::UpdatedAt, Expr::value(now))
                    .col_expr(account::Column::UpdatedBy, Expr::value(by.clone()))
                    .filter(account::Column::Id.is_in(marked_ids.clone()))
                    .exec(&*txn)
                    .await?;
            }
            let change = source_change::ActiveModel {
                id: Set(Uuid::now_v7()),
                source_id: Set(source.id),
                kind: Set(kind.clone()),
                at_value: Set(at.value),
                at_precision: Set(at.precision),
                at_earliest: Set(at.earliest),
                at_latest: Set(at.latest),
                note: Set(note),
                supersedes: Set(serde_json::json!(supersedes)),
                created_at: Set(now),
                created_by: Set(by.clone()),
            };
            let change = source_change::Entity::insert(change).exec_with_returning(&*txn).await?;
            source::Entity::update_many()
                .col_expr(source::Column::Status, Expr::value(account_rules::status_after(&source.status, &kind)))
                .col_expr(source::Column::Version, Expr::col(source::Column::Version).add(1))
                .col_expr(source::Column::UpdatedAt, Expr::value(now))
                .filter(source::Column::Id.eq(source.id))
                .exec(&*txn)
                .await?;
            let source = source::Entity::find_by_id(source.id)
                .one(&*txn)
                .await?
                .ok_or_else(|| ServiceError::not_found("source", input.source_id))?;
            let events = settle(&txn, &affected).await?;
            let mut touched = vec![
                Touched::source(source.id, Operation::Update),
                Touched::source_change(change.id, Operation::Create),
            ];
            touched.extend(marked_ids.iter().map(|id| Touched::account(*id, Operation::Update)));
            touched.extend(events.iter().map(|e| Touched::event(e.id, Operation::Update)));
            Ok(Written::touching(touched, (source, events)))
        })
    })
    .await
}

fn unique(ids: Vec<Uuid>) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    ids.into_iter().filter(|id| seen.insert(*id)).collect()
}

async fn settle_one(txn: &DatabaseTransaction, event_id: Uuid) -> ServiceResult<event::Model> {
    settle(txn, &[event_id]).await?.into_iter().next().ok_or_else(|| ServiceError::not_found("event", event_id))
}

/// Works out again what the accounts of these (live) events make of them and stores it, each
/// as a new version: the value of WHEN and WHERE (when some account gives one; otherwise the
/// event keeps its own), a participation for each current WHO account that supports one,
/// the disputed aspects, the support, and when it became known (unless an editor set it).
/// Returns the events as stored, in the order given. A few statements per call, and one
/// update per event.
pub async fn settle(txn: &DatabaseTransaction, ids: &[Uuid]) -> ServiceResult<Vec<event::Model>> {
    settle_as(txn, ids, true).await
}

/// [`settle`]; `new_version` false for an event being created, which stays at its first version.
pub async fn settle_as(txn: &DatabaseTransaction, ids: &[Uuid], new_version: bool) -> ServiceResult<Vec<event::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let events = event::Entity::find()
        .filter(event::Column::Id.is_in(ids.to_vec()))
        .filter(event::Column::DeletedAt.is_null())
        .all(txn)
        .await?;
    let mut accounts: HashMap<Uuid, Vec<account::Model>> = HashMap::new();
    for row in account::Entity::find().filter(account::Column::EventId.is_in(ids.to_vec())).all(txn).await? {
        accounts.entry(row.event_id).or_default().push(row);
    }
    let citations = citation::Entity::find()
        .filter(citation::Column::EventId.is_in(ids.to_vec()))
        .find_also_related(source::Entity)
        .all(txn)
        .await?;
    let account_sources: Vec<Uuid> = unique(accounts.values().flatten().map(|a| a.source_id).collect());
    let sources: HashMap<Uuid, source::Model> = if account_sources.is_empty() {
        HashMap::new()
    } else {
        source::Entity::find()
            .filter(source::Column::Id.is_in(account_sources))
            .all(txn)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect()
    };
    let mut cited: HashMap<Uuid, Vec<source::Model>> = HashMap::new();
    for (citation, source) in citations {
        if let Some(source) = source {
            cited.entry(citation.event_id).or_default().push(source);
        }
    }
    let participations: HashSet<(Uuid, Uuid, String)> = participation::Entity::find()
        .filter(participation::Column::EventId.is_in(ids.to_vec()))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.event_id, p.actor_id, p.role))
        .collect();
    let mut new_participations: Vec<participation::ActiveModel> = Vec::new();
    let now = Utc::now();
    let backend = txn.get_database_backend();
    // One update per event, each built while the one before it runs.
    let updates = events.iter().map(|event| {
        let own = accounts.remove(&event.id).unwrap_or_default();
        let cited_sources = cited.remove(&event.id).unwrap_or_default();
        let cited_sources: Vec<&source::Model> = cited_sources.iter().collect();
        let settlement = Settlement::of(event.first_reported_set, &own, &cited_sources, &sources);
        let mut update = event::Entity::update_many().col_expr(event::Column::UpdatedAt, Expr::value(now));
        if new_version {
            update = update.col_expr(event::Column::Version, Expr::col(event::Column::Version).add(1));
        }
        let statement = settlement.update(update).filter(event::Column::Id.eq(event.id)).build(backend);
        let has = |actor_id: Uuid, role: &str| participations.contains(&(event.id, actor_id, role.to_owned()));
        for (actor_id, role) in participations_to_add(&own, has) {
            new_participations.push(participation::ActiveModel {
                id: Set(Uuid::now_v7()),
                event_id: Set(event.id),
                actor_id: Set(actor_id),
                role: Set(role),
                note: Set(None),
            });
        }
        statement
    });
    crate::db::run_overlapped(txn, updates).await?;
    if !new_participations.is_empty() {
        participation::Entity::insert_many(new_participations).exec_without_returning(txn).await?;
        search::index_events(txn, ids).await?;
    }
    // Only the live events were settled: a deleted one that cites the source is not affected (and
    // given back, its unchanged version would be recorded again as a revision).
    let mut stored: HashMap<Uuid, event::Model> = event::Entity::find()
        .filter(event::Column::Id.is_in(ids.to_vec()))
        .filter(event::Column::DeletedAt.is_null())
        .all(txn)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok(ids.iter().filter_map(|id| stored.remove(id)).collect())
}

/// The accounts of these events, grouped by event, oldest first.
pub async fn accounts_of_events(
    connection: &impl ConnectionTrait,
    event_ids: &[Uuid],
) -> ServiceResult<HashMap<Uuid, Vec<account::Model>>> {
    let mut grouped: HashMap<Uuid, Vec<account::Model>> = HashMap::new();
    for row in account::Entity::find()
        .filter(account::Column::EventId.is_in(event_ids.to_vec()))
        .order_by_asc(account::Column::Id)
        .all(connection)
        .await?
    {
        grouped.entry(row.event_id).or_default().push(row);
    }
    Ok(grouped)
}

/// One account by ID.
pub async fn get(db: &Database, id: Uuid) -> ServiceResult<Option<account::Model>> {
    Ok(account::Entity::find_by_id(id).one(db.reader()).await?)
}

/// The changes of these sources, oldest first.
pub async fn changes_of_sources(
    db: &Database,
    source_ids: &[Uuid],
) -> ServiceResult<HashMap<Uuid, Vec<source_change::Model>>> {
    let mut grouped: HashMap<Uuid, Vec<source_change::Model>> = HashMap::new();
    for row in source_change::Entity::find()
        .filter(source_change::Column::SourceId.is_in(source_ids.to_vec()))
        .order_by_asc(source_change::Column::AtEarliest)
        .order_by_asc(source_change::Column::Id)
        .all(db.reader())
        .await?
    {
        grouped.entry(row.source_id).or_default().push(row);
    }
    Ok(grouped)
}
