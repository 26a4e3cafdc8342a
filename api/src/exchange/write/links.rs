//! Writing the links of a batch: both ends looked up by key, checked by the rules `service::links`
//! obeys, and written many per statement; a link that exists already keeps its ID and takes the note.
//! A link is a change of the event it starts from (a new version, as `service::links` makes it).

use chrono::Utc;
use entity::{event, event_link};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::sql;
use super::summary::Summary;
use crate::exchange::chronik::LinkEntry;
use crate::exchange::error::{ImportError, Position};
use crate::service::history::{self, Operation, Touched};
use crate::service::rules::{self, link::LinkFields};

/// Writes the batch; returns the events the links start from, for their history.
pub async fn flush(
    txn: &DatabaseTransaction,
    batch: Vec<(Position, LinkEntry)>,
    summary: &mut Summary,
) -> Result<Vec<Touched>, ImportError> {
    let mut keys: Vec<String> = batch.iter().flat_map(|(_, link)| [link.from.clone(), link.to.clone()]).collect();
    keys.sort_unstable();
    keys.dedup();
    let found = sql::by_external_id::<event::Entity, _>(
        txn,
        event::Column::Id,
        event::Column::ExternalId,
        event::Column::Version,
        &keys,
    )
    .await?;
    let now = Utc::now();
    let mut rows = Vec::with_capacity(batch.len());
    for (at, link) in &batch {
        let invalid = |field: &str, message: &str| ImportError::invalid(Some(at.clone()), field, message);
        let from = found.get(&link.from).ok_or_else(|| invalid("from", "no event has this key"))?.0;
        let to = found.get(&link.to).ok_or_else(|| invalid("to", "no event has this key"))?.0;
        let LinkFields { kind, note } = rules::link::fields(from, to, "to", &link.kind, link.note.as_deref())
            .map_err(|e| ImportError::at(at, e))?;
        rows.push((
            (from, to, kind.clone()),
            event_link::ActiveModel {
                id: Set(Uuid::now_v7()),
                from_event_id: Set(from),
                to_event_id: Set(to),
                kind: Set(kind),
                note: Set(note),
                created_at: Set(now),
            },
        ));
    }
    // The same link twice in one statement: PostgreSQL refuses to update a row twice, so keep
    // the last (as importing them one after the other would).
    let mut seen = std::collections::HashSet::new();
    let mut rows: Vec<event_link::ActiveModel> =
        rows.into_iter().rev().filter(|(key, _)| seen.insert(key.clone())).map(|(_, row)| row).collect();
    rows.reverse();
    summary.links += rows.len();
    let update =
        OnConflict::columns([event_link::Column::FromEventId, event_link::Column::ToEventId, event_link::Column::Kind])
            .update_column(event_link::Column::Note)
            .to_owned();
    let mut from: Vec<Uuid> = rows.iter().filter_map(|row| row.from_event_id.try_as_ref().copied()).collect();
    from.sort_unstable();
    from.dedup();
    history::keep(txn, &from).await.map_err(ImportError::unplaced)?;
    sql::insert_all(txn, rows, Some(&update)).await?;
    for chunk in from.chunks(sql::rows_per_statement(1)) {
        event::Entity::update_many()
            .col_expr(event::Column::Version, Expr::col(event::Column::Version).add(1))
            .col_expr(event::Column::UpdatedAt, Expr::value(now))
            .filter(event::Column::Id.is_in(chunk.to_vec()))
            .exec(txn)
            .await?;
    }
    Ok(from.into_iter().map(|id| Touched::event(id, Operation::Update)).collect())
}
