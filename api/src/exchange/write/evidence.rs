//! Writing the evidence of a `chronik/1` file (issue 11): the accounts of its events, checked by
//! the rules a mutation obeys ([`rules::account`]), and the changes of its sources. A change names
//! the accounts it superseded by key, and sources come before events in a file, so those names
//! are resolved when the whole file is in ([`resolve_supersedes`]).

use std::collections::HashMap;

use chrono::Utc;
use entity::{account, event, source_change};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::known::Known;
use super::sql;
use crate::error::{ServiceError, ServiceResult};
use crate::exchange::chronik::{AccountEntry, EventEntry, SourceEntry};
use crate::exchange::error::{ImportError, Position};
use crate::service::dates;
use crate::service::rules::account::{self as rules, AccountDraft};
use crate::service::rules::event::PlaceDraft;

/// A change whose superseded accounts are named by key, to set once every account is written.
#[derive(Debug)]
pub struct Supersedes {
    pub change: Uuid,
    pub keys: Vec<String>,
    pub at: Position,
}

/// The status of a source entry, checked (`published` when left out).
pub fn source_status(entry: &SourceEntry) -> ServiceResult<String> {
    rules_source_status(entry.status.as_deref())
}

fn rules_source_status(value: Option<&str>) -> ServiceResult<String> {
    crate::service::rules::closed_term("status", value.unwrap_or("published"), rules::SOURCE_STATUSES)
}

/// Replaces the changes of these sources (written just now, `(id, entry, where)`) by those their
/// entries list; the accounts they supersede are left for [`resolve_supersedes`].
pub async fn source_changes(
    txn: &DatabaseTransaction,
    sources: &[(Uuid, &SourceEntry, Position)],
    pending: &mut Vec<Supersedes>,
) -> Result<(), ImportError> {
    let ids: Vec<Uuid> = sources.iter().map(|(id, _, _)| *id).collect();
    for chunk in ids.chunks(sql::rows_per_statement(1)) {
        source_change::Entity::delete_many()
            .filter(source_change::Column::SourceId.is_in(chunk.to_vec()))
            .exec(txn)
            .await?;
    }
    let now = Utc::now();
    let mut rows = Vec::new();
    for (source_id, entry, at) in sources {
        for (index, change) in entry.changes.iter().enumerate() {
            let field = format!("changes[{index}]");
            let checked = (|| -> ServiceResult<_> {
                let kind = rules::change_kind(&format!("{field}.kind"), &change.kind)?;
                let date = dates::parse(&format!("{field}.at"), &change.at, None)?;
                let note = rules::change_note(&format!("{field}.note"), change.note.as_deref())?;
                crate::service::rules::list_len(&format!("{field}.supersedes"), &change.supersedes)?;
                if !change.supersedes.is_empty() && kind != "corrected" {
                    return Err(ServiceError::validation(
                        format!("{field}.supersedes"),
                        "only a correction supersedes accounts",
                    ));
                }
                Ok((kind, date, note))
            })()
            .map_err(|error| ImportError::at(at, error))?;
            let (kind, date, note) = checked;
            let id = Uuid::now_v7();
            if !change.supersedes.is_empty() {
                pending.push(Supersedes { change: id, keys: change.supersedes.clone(), at: at.clone() });
            }
            rows.push(source_change::ActiveModel {
                id: Set(id),
                source_id: Set(*source_id),
                kind: Set(kind),
                at_value: Set(date.value),
                at_precision: Set(date.precision),
                at_earliest: Set(date.earliest),
                at_latest: Set(date.latest),
                note: Set(note),
                supersedes: Set(serde_json::json!([])),
                created_at: Set(now),
                created_by: Set(None),
            });
        }
    }
    sql::insert_all(txn, rows, None).await?;
    Ok(())
}

/// Sets the accounts each change superseded, by their keys; each must be an account of the
/// change's source.
pub async fn resolve_supersedes(txn: &DatabaseTransaction, pending: Vec<Supersedes>) -> Result<(), ImportError> {
    for item in pending {
        let change = source_change::Entity::find_by_id(item.change)
            .one(txn)
            .await?
            .ok_or_else(|| ImportError::unplaced(ServiceError::not_found("source change", item.change)))?;
        let found: HashMap<String, Uuid> = account::Entity::find()
            .filter(account::Column::ExternalId.is_in(item.keys.clone()))
            .filter(account::Column::SourceId.eq(change.source_id))
            .all(txn)
            .await?
            .into_iter()
            .filter_map(|row| Some((row.external_id?, row.id)))
            .collect();
        let mut ids = Vec::with_capacity(item.keys.len());
        for (index, key) in item.keys.iter().enumerate() {
            let Some(id) = found.get(key) else {
                return Err(ImportError::invalid(
                    Some(item.at.clone()),
                    format!("supersedes[{index}]"),
                    "no account on this source has this key",
                ));
            };
            ids.push(*id);
        }
        source_change::Entity::update_many()
            .col_expr(source_change::Column::Supersedes, Expr::value(serde_json::json!(ids)))
            .filter(source_change::Column::Id.eq(item.change))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// The account rows of an event entry, checked; the sources and actors it names must be `known`.
pub fn accounts(entry: &EventEntry, event_id: Uuid, known: &Known) -> ServiceResult<Vec<account::ActiveModel>> {
    crate::service::rules::list_len("accounts", &entry.accounts)?;
    let zone = crate::service::rules::time_zone("timeZone", entry.time_zone.as_deref())?;
    let now = Utc::now();
    let mut rows = Vec::with_capacity(entry.accounts.len());
    for (index, item) in entry.accounts.iter().enumerate() {
        let at = format!("accounts[{index}]");
        rows.push(account_row(&at, item, event_id, zone, known, now)?);
    }
    Ok(rows)
}

fn account_row(
    at: &str,
    item: &AccountEntry,
    event_id: Uuid,
    zone: Option<chrono_tz::Tz>,
    known: &Known,
    now: chrono::DateTime<Utc>,
) -> ServiceResult<account::ActiveModel> {
    let source_id = known
        .source(&item.source)
        .ok_or_else(|| ServiceError::validation(format!("{at}.source"), "no source has this key"))?;
    let actor_id = match item.actor.as_deref() {
        None => None,
        Some(key) => Some(
            known
                .actor(key)
                .ok_or_else(|| ServiceError::validation(format!("{at}.actor"), "no actor has this key"))?
                .id,
        ),
    };
    let fields = rules::fields(
        at,
        AccountDraft {
            aspect: &item.aspect,
            stance: item.stance.as_deref(),
            date: item.date.as_deref(),
            end: item.end.as_deref(),
            time_zone: zone,
            place: item.place.as_ref().map(|place| PlaceDraft {
                name: place.name.as_deref(),
                latitude: place.latitude,
                longitude: place.longitude,
            }),
            actor_id,
            role: item.role.as_deref(),
            source_id,
            quote: item.quote.as_deref(),
        },
    )?;
    let status = rules::status(&format!("{at}.status"), item.status.as_deref())?;
    let key = crate::service::rules::optional_text(&format!("{at}.key"), item.key.as_deref(), 500)?;
    let mut model = account::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        status: Set(status),
        preferred: Set(item.preferred),
        created_at: Set(now),
        updated_at: Set(now),
        created_by: Set(None),
        updated_by: Set(None),
        version: Set(1),
        external_id: Set(key),
        ..Default::default()
    };
    fields.apply(&mut model);
    Ok(model)
}

/// Replaces the accounts of these events by the rows given. The caller settles the events (their
/// value, disputes, support and first report follow from the accounts, as after a mutation).
pub async fn write_accounts(
    txn: &DatabaseTransaction,
    events: &[Uuid],
    rows: Vec<account::ActiveModel>,
) -> Result<(), ImportError> {
    if events.is_empty() {
        return Ok(());
    }
    for chunk in events.chunks(sql::rows_per_statement(1)) {
        account::Entity::delete_many().filter(account::Column::EventId.is_in(chunk.to_vec())).exec(txn).await?;
    }
    sql::insert_all(txn, rows, None).await?;
    Ok(())
}

/// The columns of a first report an editor set, for an event entry that gives one.
pub fn first_reported(entry: &EventEntry, model: &mut event::ActiveModel) -> ServiceResult<()> {
    let zone = crate::service::rules::time_zone("timeZone", entry.time_zone.as_deref())?;
    let date = entry
        .first_reported
        .as_deref()
        .filter(|text| !text.trim().is_empty())
        .map(|text| dates::parse("firstReported", text, zone))
        .transpose()?;
    model.first_reported_set = Set(date.is_some());
    model.first_reported_value = Set(date.as_ref().map(|d| d.value.clone()));
    model.first_reported_precision = Set(date.as_ref().map(|d| d.precision));
    model.first_reported_earliest = Set(date.as_ref().map(|d| d.earliest));
    model.first_reported_latest = Set(date.as_ref().map(|d| d.latest));
    model.disputed_aspects = Set(None);
    model.support = Set(rules::SUPPORTED.to_owned());
    Ok(())
}
