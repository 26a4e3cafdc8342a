//! The relations a timeline page shows (its events' participations with their actors, its
//! citations with their sources), read in one statement for the page: only the columns the page
//! can show, by position. Every statement is a round trip to the database and back, and a
//! checkout of a pooled connection, which sqlx pings as it returns it: on PostgreSQL the page's
//! statements and their pings were most of the server's sends and thread wake-ups.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, QueryResult, Statement};
use uuid::Uuid;

use super::relations::padded;

/// A participation as the timeline's page shows it: ID, role, note, and its actor's ID, name,
/// kind and description (no name: the actor is gone).
pub struct PageParticipant {
    pub id: Uuid,
    pub role: String,
    pub note: Option<String>,
    pub actor_id: Uuid,
    pub actor: Option<(String, String, Option<String>)>,
}

/// A citation as the timeline's page shows it: ID, quote, what it supports, and its source's ID,
/// title, URL, publisher and author (no title: the source is gone).
pub struct PageCitation {
    pub id: Uuid,
    pub quote: Option<String>,
    pub supports: String,
    pub source_id: Uuid,
    pub source: Option<SourceColumns>,
}

/// A source's title, URL, publisher and author.
pub type SourceColumns = (String, Option<String>, Option<String>, Option<String>);

/// Which relations a page selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub participants: bool,
    pub citations: bool,
}

/// The relations of a page's events, by event, each list in the order of its rows' IDs.
#[derive(Default)]
pub struct PageRelations {
    pub participants: HashMap<Uuid, Vec<PageParticipant>>,
    pub citations: HashMap<Uuid, Vec<PageCitation>>,
}

/// Which relation a row of the statement belongs to (its first column).
const PARTICIPATION: i32 = 0;
const CITATION: i32 = 1;

/// One arm of the statement: a relation's rows (aliased `r`) for the events in the `IN` list,
/// each with what it points to (aliased `t`). All arms have the same ten columns: the arm's tag,
/// the row's ID, its event, the ID it points to, two columns of the row and four of the target
/// (NULL where a relation has fewer). On PostgreSQL the target is a LATERAL subquery that the
/// planner cannot flatten (`OFFSET 0`), so it is read by its primary key for each row: as a join
/// it hashed every actor (20,000) or source for each page, 5–9 ms of PostgreSQL a page against
/// 1.3 ms (EXPLAIN ANALYZE on 200,000 events).
fn arm(
    backend: DbBackend,
    tag: i32,
    (table, rows, key): (&str, &str, &str),
    (target, columns): (&str, &str),
    ids: &str,
) -> String {
    let join = if backend == DbBackend::Postgres {
        format!("LEFT JOIN LATERAL (SELECT {columns} FROM {target} AS t WHERE t.id = r.{key} OFFSET 0) AS t ON TRUE")
    } else {
        format!("LEFT JOIN {target} AS t ON t.id = r.{key}")
    };
    format!(
        "SELECT {tag} AS part, r.id, r.event_id, r.{key}, {rows}, {columns} FROM {table} AS r {join} WHERE r.event_id IN ({ids})"
    )
}

/// The relations `wanted` of these events, in one statement on `reader` (none when nothing is
/// wanted).
pub async fn read(reader: &impl ConnectionTrait, event_ids: &[Uuid], wanted: Wanted) -> Result<PageRelations, DbErr> {
    let mut relations = PageRelations::default();
    if event_ids.is_empty() || !(wanted.participants || wanted.citations) {
        return Ok(relations);
    }
    let backend = reader.get_database_backend();
    let ids = padded(event_ids);
    // Numbered placeholders, so that both arms bind the same values.
    let marker = if backend == DbBackend::Postgres { '$' } else { '?' };
    let mut list = String::with_capacity(ids.len() * 6);
    for i in 1..=ids.len() {
        if i > 1 {
            list.push_str(", ");
        }
        list.push(marker);
        list.push_str(&i.to_string());
    }
    let mut arms = Vec::new();
    if wanted.participants {
        arms.push(arm(
            backend,
            PARTICIPATION,
            ("participation", "r.role, r.note", "actor_id"),
            ("actor", "t.name, t.kind, t.description, NULL AS extra"),
            &list,
        ));
    }
    if wanted.citations {
        arms.push(arm(
            backend,
            CITATION,
            ("citation", "r.supports, r.quote", "source_id"),
            ("source", "t.title, t.url, t.publisher, t.author"),
            &list,
        ));
    }
    let sql = format!("{} ORDER BY 1, 2", arms.join(" UNION ALL "));
    let values = ids.into_iter().map(sea_orm::Value::from);
    let rows = reader.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
    for row in rows {
        let event: Uuid = row.try_get_by_index(2)?;
        if row.try_get_by_index::<i32>(0)? == PARTICIPATION {
            relations.participants.entry(event).or_default().push(participant(&row)?);
        } else {
            relations.citations.entry(event).or_default().push(citation(&row)?);
        }
    }
    Ok(relations)
}

fn participant(row: &QueryResult) -> Result<PageParticipant, DbErr> {
    let name: Option<String> = row.try_get_by_index(6)?;
    let kind: Option<String> = row.try_get_by_index(7)?;
    let actor = match name.zip(kind) {
        Some((name, kind)) => Some((name, kind, row.try_get_by_index(8)?)),
        None => None,
    };
    Ok(PageParticipant {
        id: row.try_get_by_index(1)?,
        actor_id: row.try_get_by_index(3)?,
        role: row.try_get_by_index(4)?,
        note: row.try_get_by_index(5)?,
        actor,
    })
}

fn citation(row: &QueryResult) -> Result<PageCitation, DbErr> {
    let title: Option<String> = row.try_get_by_index(6)?;
    let source = match title {
        Some(title) => Some((title, row.try_get_by_index(7)?, row.try_get_by_index(8)?, row.try_get_by_index(9)?)),
        None => None,
    };
    Ok(PageCitation {
        id: row.try_get_by_index(1)?,
        source_id: row.try_get_by_index(3)?,
        supports: row.try_get_by_index(4)?,
        quote: row.try_get_by_index(5)?,
        source,
    })
}
