//! Restoring an earlier version of an event: its fields, tags, parent, participants, citations
//! and outgoing links become what its revision recorded, written as a new version (operation
//! `revert` in the audit trail and the revisions), so nothing of the history is lost.

use std::collections::HashSet;

use chrono::Utc;
use entity::{event_link, event_revision};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::event_parts::{NewCitation, NewParticipant};
use super::event_version::live;
use super::events::{self, EventChanges, Place};
use super::history::{self, Operation, Snapshot, Touched};
use super::write::{Written, write};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

/// Makes the event at `version` what it was at `to_version`, as a new version. A stale `version`
/// is a CONFLICT; a version the event never had is a VALIDATION error of `toVersion`. Links to
/// events deleted since are not brought back; an actor or source deleted since is a VALIDATION
/// error naming the participant or citation, and nothing is written.
pub async fn restore_version(
    db: &Database,
    id: Uuid,
    version: i32,
    to_version: i32,
) -> ServiceResult<entity::event::Model> {
    // Revisions are never rewritten (a purge removes the event with them), so the snapshot may be
    // read before the write's transaction.
    let revision = event_revision::Entity::find()
        .filter(event_revision::Column::EventId.eq(id))
        .filter(event_revision::Column::Version.eq(to_version))
        .one(db.reader())
        .await?
        .ok_or_else(|| ServiceError::validation("toVersion", format!("the event has no version {to_version}")))?;
    if revision.deleted {
        return Err(ServiceError::validation("toVersion", "that version is a deletion; restore a version before it"));
    }
    let snapshot = history::snapshot_of(db, revision).await?;
    let changes = changes_to(&snapshot);
    let (snapshot, changes) = (&snapshot, &changes);
    write(db, |txn| {
        Box::pin(async move {
            let row = events::update_in(&txn, id, version, changes).await?;
            restore_links(&txn, id, snapshot).await?;
            Ok(Written::touching([Touched::event(id, Operation::Revert)], row))
        })
    })
    .await
}

/// Every field an update can set, as the snapshot has it.
fn changes_to(snapshot: &Snapshot) -> EventChanges {
    let event = &snapshot.event;
    let place =
        (event.place_name.is_some() || event.place_latitude.is_some() || event.place_longitude.is_some()).then(|| {
            Place { name: event.place_name.clone(), latitude: event.place_latitude, longitude: event.place_longitude }
        });
    EventChanges {
        title: Some(event.title.clone()),
        summary: Some(event.summary.clone()),
        kind: Some(event.kind.clone()),
        start: Some(event.start_value.clone()),
        end: Some(event.end_value.clone()),
        time_zone: Some(event.time_zone.clone()),
        place: Some(place),
        confidence: Some(event.confidence.clone()),
        tags: Some(snapshot.tags.clone()),
        parent_id: Some(event.parent_id),
        participants: Some(
            snapshot
                .participants
                .iter()
                .map(|p| NewParticipant { actor_id: p.actor_id, role: p.role.clone(), note: p.note.clone() })
                .collect(),
        ),
        citations: Some(
            snapshot
                .citations
                .iter()
                .map(|c| NewCitation {
                    source_id: c.source_id,
                    quote: c.quote.clone(),
                    supports: Some(c.supports.clone()),
                    actor_id: c.supports_actor_id,
                })
                .collect(),
        ),
    }
}

/// The event's outgoing links become the snapshot's: links it did not have go, links it had come
/// back (to events that still exist), and the notes of the others are as they were.
async fn restore_links(txn: &DatabaseTransaction, id: Uuid, snapshot: &Snapshot) -> ServiceResult<()> {
    let current = event_link::Entity::find().filter(event_link::Column::FromEventId.eq(id)).all(txn).await?;
    let wanted: HashSet<(Uuid, &str)> = snapshot.links.iter().map(|l| (l.to_event_id, l.kind.as_str())).collect();
    for link in &current {
        if !wanted.contains(&(link.to_event_id, link.kind.as_str())) {
            event_link::Entity::delete_by_id(link.id).exec(txn).await?;
        }
    }
    for old in &snapshot.links {
        let same = current.iter().find(|l| l.to_event_id == old.to_event_id && l.kind == old.kind);
        match same {
            Some(link) if link.note != old.note => {
                event_link::Entity::update(event_link::ActiveModel {
                    id: Set(link.id),
                    note: Set(old.note.clone()),
                    ..Default::default()
                })
                .exec(txn)
                .await?;
            }
            Some(_) => {}
            None => {
                // A link to an event deleted since stays gone.
                if live(txn, old.to_event_id).await.is_err() {
                    continue;
                }
                event_link::Entity::insert(event_link::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    from_event_id: Set(id),
                    to_event_id: Set(old.to_event_id),
                    kind: Set(old.kind.clone()),
                    note: Set(old.note.clone()),
                    created_at: Set(Utc::now()),
                })
                .exec(txn)
                .await?;
            }
        }
    }
    Ok(())
}
