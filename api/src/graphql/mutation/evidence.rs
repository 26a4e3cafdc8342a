//! Writing evidence (issue 11): accounts of events, the preferred account, and the changes in
//! the life of a source. Each resolver decodes IDs (naming the field) and calls one service write.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use super::input::{PlaceInput, change, decode_all};
use crate::auth::Role;
use crate::auth::guard::RoleGuard;
use crate::db::Database;
use crate::error::ServiceResult;
use crate::graphql::types::account::{self, Account, AccountAspect, AccountStance, SourceChangeKind};
use crate::graphql::types::{Event, Source, event, source};
use crate::ids::{self, NodeKind};
use crate::service::events::Place;
use crate::service::evidence::{self, AccountChanges, NewAccount, NewSourceChange};

/// The source an account rests on, and its words.
#[derive(InputObject)]
pub struct AccountCitationInput {
    pub source_id: ID,
    /// The words of the source, verbatim.
    pub quote: Option<String>,
}

/// An account of one aspect of an event. WHEN takes `date` (and `end`), WHERE `place`, WHO
/// `actorId` and `role`, WHETHER only `stance`.
#[derive(InputObject)]
pub struct AddAccountInput {
    pub event_id: ID,
    pub aspect: AccountAspect,
    /// SUPPORTS (default) or DISPUTES.
    pub stance: Option<AccountStance>,
    /// A fuzzy date, read in the event's time zone.
    pub date: Option<String>,
    pub end: Option<String>,
    pub place: Option<PlaceInput>,
    pub actor_id: Option<ID>,
    pub role: Option<String>,
    pub citation: AccountCitationInput,
}

/// An account given with `createEvent` (its event is the one being created).
#[derive(InputObject)]
pub struct EventAccountInput {
    pub aspect: AccountAspect,
    pub stance: Option<AccountStance>,
    pub date: Option<String>,
    pub end: Option<String>,
    pub place: Option<PlaceInput>,
    pub actor_id: Option<ID>,
    pub role: Option<String>,
    pub citation: AccountCitationInput,
}

/// The accounts of `createEvent`, as the service takes them.
pub fn event_accounts(list: Vec<EventAccountInput>) -> ServiceResult<Vec<NewAccount>> {
    list.into_iter()
        .enumerate()
        .map(|(i, input)| {
            let at = format!("accounts[{i}]");
            Ok(NewAccount {
                event_id: uuid::Uuid::nil(),
                aspect: input.aspect.name().to_owned(),
                stance: input.stance.map(|s| s.name().to_owned()),
                date: input.date,
                end: input.end,
                place: input.place.map(Place::from),
                actor_id: input
                    .actor_id
                    .map(|id| ids::decode(NodeKind::Actor, &id, &format!("{at}.actorId")))
                    .transpose()?,
                role: input.role,
                source_id: ids::decode(
                    NodeKind::Source,
                    &input.citation.source_id,
                    &format!("{at}.citation.sourceId"),
                )?,
                quote: input.citation.quote,
            })
        })
        .collect()
}

#[derive(InputObject)]
pub struct UpdateAccountInput {
    pub id: ID,
    /// The version you read; if the account changed since, nothing is written and you get CONFLICT.
    pub version: i32,
    pub stance: Option<AccountStance>,
    pub date: MaybeUndefined<String>,
    pub end: MaybeUndefined<String>,
    pub place: MaybeUndefined<PlaceInput>,
    pub actor_id: MaybeUndefined<ID>,
    pub role: MaybeUndefined<String>,
    pub citation: Option<AccountCitationInput>,
}

#[derive(InputObject)]
pub struct AccountIdInput {
    pub id: ID,
}

#[derive(InputObject)]
pub struct RecordSourceChangeInput {
    pub source_id: ID,
    pub kind: SourceChangeKind,
    /// A fuzzy date; today if left out.
    pub at: Option<String>,
    pub note: Option<String>,
    /// With CORRECTED: the accounts resting on this source that the correction replaces.
    pub supersedes: Option<Vec<ID>>,
}

#[derive(InputObject)]
pub struct SetFirstReportedInput {
    pub event_id: ID,
    /// A fuzzy date; null hands it back to the sources (the earliest publication date).
    pub date: Option<String>,
}

#[derive(SimpleObject)]
pub struct AccountPayload {
    pub account: Account,
    pub event: Event,
}

#[derive(SimpleObject)]
pub struct RemoveAccountPayload {
    pub deleted_id: ID,
    pub event: Event,
}

#[derive(SimpleObject)]
pub struct RecordSourceChangePayload {
    pub source: Source,
    /// The events whose accounts or support the change touched, each as it now stands.
    pub affected_events: Vec<Event>,
}

#[derive(SimpleObject)]
pub struct SetFirstReportedPayload {
    pub event: Event,
}

fn one_event(db: &Database, row: entity::event::Model) -> Result<Event> {
    event::wrap(db, vec![row]).pop().ok_or_else(|| "event vanished".into())
}

fn one_account(db: &Database, row: entity::account::Model) -> Result<Account> {
    let id = row.id;
    account::wrap_grouped(db, std::collections::HashMap::from([(id, vec![row])]))
        .remove(&id)
        .and_then(|mut a| a.pop())
        .ok_or_else(|| "account vanished".into())
}

#[derive(Default)]
pub struct EvidenceMutation;

#[Object]
impl EvidenceMutation {
    /// Adds one source's account of an aspect of an event; the event's value, disputes and
    /// support follow.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn add_account(&self, ctx: &Context<'_>, input: AddAccountInput) -> Result<AccountPayload> {
        let db = ctx.data::<Database>()?;
        let new = NewAccount {
            event_id: ids::decode(NodeKind::Event, &input.event_id, "eventId")?,
            aspect: input.aspect.name().to_owned(),
            stance: input.stance.map(|s| s.name().to_owned()),
            date: input.date,
            end: input.end,
            place: input.place.map(Place::from),
            actor_id: input.actor_id.map(|id| ids::decode(NodeKind::Actor, &id, "actorId")).transpose()?,
            role: input.role,
            source_id: ids::decode(NodeKind::Source, &input.citation.source_id, "citation.sourceId")?,
            quote: input.citation.quote,
        };
        let (row, event) = evidence::add(db, new).await?;
        Ok(AccountPayload { account: one_account(db, row)?, event: one_event(db, event)? })
    }

    /// Makes an account the preferred one of its aspect: the event's value becomes it (while it
    /// is current); the accounts are otherwise unchanged.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn prefer_account(&self, ctx: &Context<'_>, input: AccountIdInput) -> Result<AccountPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Account, &input.id, "id")?;
        let (row, event) = evidence::prefer(db, id).await?;
        Ok(AccountPayload { account: one_account(db, row)?, event: one_event(db, event)? })
    }

    /// Changes an account; fields left out stay as they are, null clears them. Its aspect stays.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn update_account(&self, ctx: &Context<'_>, input: UpdateAccountInput) -> Result<AccountPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Account, &input.id, "id")?;
        let actor_id = match change(input.actor_id) {
            None => None,
            Some(None) => Some(None),
            Some(Some(id)) => Some(Some(ids::decode(NodeKind::Actor, &id, "actorId")?)),
        };
        let (source_id, quote) = match input.citation {
            Some(citation) => {
                (Some(ids::decode(NodeKind::Source, &citation.source_id, "citation.sourceId")?), Some(citation.quote))
            }
            None => (None, None),
        };
        let changes = AccountChanges {
            stance: input.stance.map(|s| s.name().to_owned()),
            date: change(input.date),
            end: change(input.end),
            place: change(input.place).map(|p| p.map(Place::from)),
            actor_id,
            role: change(input.role),
            source_id,
            quote,
        };
        let (row, event) = evidence::update(db, id, input.version, changes).await?;
        Ok(AccountPayload { account: one_account(db, row)?, event: one_event(db, event)? })
    }

    /// Removes an account (to mark one a source no longer stands by, record the source's change
    /// instead: the account is then kept, marked).
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn remove_account(&self, ctx: &Context<'_>, input: AccountIdInput) -> Result<RemoveAccountPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Account, &input.id, "id")?;
        let event = evidence::remove(db, id).await?;
        Ok(RemoveAccountPayload { deleted_id: input.id, event: one_event(db, event)? })
    }

    /// Records a change in the life of a source: a retraction marks every account resting on it
    /// RETRACTED, a correction the accounts it supersedes SUPERSEDED; returns the events affected.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn record_source_change(
        &self,
        ctx: &Context<'_>,
        input: RecordSourceChangeInput,
    ) -> Result<RecordSourceChangePayload> {
        let db = ctx.data::<Database>()?;
        let new = NewSourceChange {
            source_id: ids::decode(NodeKind::Source, &input.source_id, "sourceId")?,
            kind: input.kind.name().to_owned(),
            at: input.at,
            note: input.note,
            supersedes: decode_all(NodeKind::Account, &input.supersedes.unwrap_or_default(), "supersedes")?,
        };
        let (row, events) = evidence::record_source_change(db, new).await?;
        let source = source::wrap(db, vec![row]).pop().ok_or("source vanished")?;
        Ok(RecordSourceChangePayload { source, affected_events: event::wrap(db, events) })
    }

    /// Sets when an event became known (an editor's judgement); null returns it to the sources.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn set_first_reported(
        &self,
        ctx: &Context<'_>,
        input: SetFirstReportedInput,
    ) -> Result<SetFirstReportedPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Event, &input.event_id, "eventId")?;
        let row = evidence::set_first_reported(db, id, input.date).await?;
        Ok(SetFirstReportedPayload { event: one_event(db, row)? })
    }
}
