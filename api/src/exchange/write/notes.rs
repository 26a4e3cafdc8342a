//! Writing the notes of a `chronik/1` file's events: a note the event does not hold yet (the same
//! author, text and time of writing) is added, checked by the rules a mutation obeys; none is
//! removed, so importing an older file never takes back what the team wrote since.

use std::collections::HashSet;

use chrono::{DateTime, SubsecRound, Utc};
use entity::note;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::sql;
use crate::exchange::chronik::NoteEntry;
use crate::exchange::error::{ImportError, Position};
use crate::service::history::{Operation, Touched};
use crate::service::notes;

/// The notes an event entry gives, with where the entry is.
pub struct EventNotes<'a> {
    pub event: Uuid,
    pub notes: &'a [NoteEntry],
    pub at: Position,
}

/// What identifies a note across an export and an import (its time to the microsecond, which
/// PostgreSQL keeps and SQLite may exceed).
type Identity = (Option<String>, String, i64);

fn identity(author: Option<&String>, body: &str, at: DateTime<Utc>) -> Identity {
    (author.cloned(), body.to_owned(), at.trunc_subsecs(6).timestamp_micros())
}

/// Adds the notes not yet held; returns them for the audit trail.
pub async fn add(txn: &DatabaseTransaction, pending: &[EventNotes<'_>]) -> Result<Vec<Touched>, ImportError> {
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let events: Vec<Uuid> = pending.iter().map(|p| p.event).collect();
    let mut held: HashSet<(Uuid, Identity)> = HashSet::new();
    for chunk in events.chunks(sql::rows_per_statement(1)) {
        for row in note::Entity::find().filter(note::Column::EventId.is_in(chunk.to_vec())).all(txn).await? {
            held.insert((row.event_id, identity(row.author.as_ref(), &row.body, row.created_at)));
        }
    }
    let now = Utc::now();
    let mut rows = Vec::new();
    let mut touched = Vec::new();
    for entry in pending {
        for (index, note) in entry.notes.iter().enumerate() {
            let field = format!("notes[{index}]");
            let body = notes::body(&format!("{field}.body"), &note.body).map_err(|e| ImportError::at(&entry.at, e))?;
            let author = crate::service::rules::optional_text(&format!("{field}.author"), note.author.as_deref(), 200)
                .map_err(|e| ImportError::at(&entry.at, e))?;
            let created = note.created_at.unwrap_or(now);
            let updated = note.updated_at.unwrap_or(created);
            if updated < created {
                return Err(ImportError::invalid(
                    Some(entry.at.clone()),
                    format!("{field}.updatedAt"),
                    "is before the note was created",
                ));
            }
            // A file that says the same note twice adds it once.
            if !held.insert((entry.event, identity(author.as_ref(), &body, created))) {
                continue;
            }
            let id = Uuid::now_v7();
            touched.push(Touched::note(id, Operation::Create));
            rows.push(note::ActiveModel {
                id: Set(id),
                event_id: Set(entry.event),
                body: Set(body),
                author: Set(author),
                version: Set(1),
                created_at: Set(created),
                updated_at: Set(updated),
            });
        }
    }
    sql::insert_all(txn, rows, None).await?;
    Ok(touched)
}
