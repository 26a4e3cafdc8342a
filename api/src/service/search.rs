//! Full-text search: one document per event, actor and source, kept current inside the same
//! transaction as every write, and queried natively (SQLite FTS5, PostgreSQL `tsvector`).

use std::collections::HashMap;

use entity::{actor, citation, event, event_tag, participation, source};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, Statement};
use uuid::Uuid;

/// What a search document describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Event,
    Actor,
    Source,
}

impl Entity {
    fn name(self) -> &'static str {
        match self {
            Entity::Event => "event",
            Entity::Actor => "actor",
            Entity::Source => "source",
        }
    }
}

/// The words of a search, as the index splits them: runs of letters and digits, at most 16.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).take(16).map(str::to_lowercase).collect()
}

/// An SQL condition: the row's `id` is the ID of a document of `entity` matching every word of
/// `text` (each as a prefix). `None` when the text has no words, which filters nothing.
pub fn condition(backend: DatabaseBackend, entity: Entity, text: &str) -> Option<SimpleExpr> {
    let words = words(text);
    if words.is_empty() {
        return None;
    }
    // Words hold only letters and digits, so quoting them cannot break the query syntax. The
    // placeholders are each backend's own: sea-query substitutes them.
    let (subquery, query) = match backend {
        DatabaseBackend::Postgres => (
            "SELECT entity_id FROM search_document WHERE entity = $1 AND document @@ to_tsquery('simple', $2)",
            words.iter().map(|word| format!("{word}:*")).collect::<Vec<_>>().join(" & "),
        ),
        _ => (
            "SELECT d.entity_id FROM search_fts JOIN search_document d ON d.doc_id = search_fts.rowid \
             WHERE d.entity = ? AND search_fts MATCH ?",
            words.iter().map(|word| format!("\"{word}\"*")).collect::<Vec<_>>().join(" "),
        ),
    };
    // The table name is one of three constants, quoted the same way on both backends.
    let sql = format!("\"{table}\".\"id\" IN ({subquery})", table = entity.name());
    Some(Expr::cust_with_values(sql, [entity.name().to_owned(), query]))
}

/// An SQL condition: the row's `id` is the ID of a document of `entity` holding at least one of
/// `words` whole (not as a prefix): the rows that may bear one of several names, which the caller
/// then matches exactly. Words are cut as the index cuts them (letters and digits, lower case);
/// `None` when none is left.
pub fn condition_any(backend: DatabaseBackend, entity: Entity, words: &[String]) -> Option<SimpleExpr> {
    let words: Vec<String> = words.iter().flat_map(|word| words_all(word)).collect();
    if words.is_empty() {
        return None;
    }
    // As in `condition`: words of letters and digits only, so the query's syntax is ours.
    let (subquery, query) = match backend {
        DatabaseBackend::Postgres => (
            "SELECT entity_id FROM search_document WHERE entity = $1 AND document @@ to_tsquery('simple', $2)",
            words.join(" | "),
        ),
        _ => (
            "SELECT d.entity_id FROM search_fts JOIN search_document d ON d.doc_id = search_fts.rowid \
             WHERE d.entity = ? AND search_fts MATCH ?",
            words.iter().map(|word| format!("\"{word}\"")).collect::<Vec<_>>().join(" OR "),
        ),
    };
    let sql = format!("\"{table}\".\"id\" IN ({subquery})", table = entity.name());
    Some(Expr::cust_with_values(sql, [entity.name().to_owned(), query]))
}

/// Every word of `text`, as the index splits them (no cap: the caller bounds how many it asks).
fn words_all(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_lowercase)
}

/// Writes (or replaces) one search document.
async fn upsert(
    connection: &impl ConnectionTrait,
    entity: Entity,
    id: Uuid,
    title: &str,
    body: &str,
    names: &str,
) -> Result<(), DbErr> {
    let statement = upsert_statement(connection.get_database_backend(), entity, id, title, body, names);
    connection.execute_raw(statement).await.map(|_| ())
}

/// The statement [`upsert`] runs.
fn upsert_statement(
    backend: DatabaseBackend,
    entity: Entity,
    id: Uuid,
    title: &str,
    body: &str,
    names: &str,
) -> Statement {
    Statement::from_sql_and_values(
        backend,
        upsert_sql(backend, 1),
        [entity.name().into(), id.into(), title.into(), body.into(), names.into()],
    )
}

/// The statement that writes, or replaces, `rows` search documents, each given as its entity,
/// entity ID, title, body and names. On SQLite through the view `search_entry`, whose trigger
/// gives a document its key and replaces its words in the contentless index; on PostgreSQL an
/// upsert of the document, whose `tsvector` is generated from it.
pub(crate) fn upsert_sql(backend: DatabaseBackend, rows: usize) -> String {
    let postgres = backend == DatabaseBackend::Postgres;
    let mut sql = String::with_capacity(80 + rows * 30);
    sql.push_str(if postgres { "INSERT INTO search_document" } else { "INSERT INTO search_entry" });
    sql.push_str(" (entity, entity_id, title, body, names) VALUES ");
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..5 {
            if column > 0 {
                sql.push_str(", ");
            }
            if postgres {
                sql.push_str(&format!("${}", row * 5 + column + 1));
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    if postgres {
        sql.push_str(
            " ON CONFLICT (entity, entity_id) DO UPDATE SET title = excluded.title, body = excluded.body, names = excluded.names",
        );
    }
    sql
}

/// Removes the search document of a row that is gone.
pub async fn remove(connection: &impl ConnectionTrait, entity: Entity, id: Uuid) -> Result<(), DbErr> {
    let backend = connection.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => "DELETE FROM search_document WHERE entity = $1 AND entity_id = $2",
        _ => "DELETE FROM search_document WHERE entity = ? AND entity_id = ?",
    };
    connection
        .execute_raw(Statement::from_sql_and_values(backend, sql, [entity.name().into(), id.into()]))
        .await
        .map(|_| ())
}

/// Rebuilds the documents of these events from their title, summary, quotes, tags, place and
/// the names of their actors. A constant number of queries, whatever the number of events.
pub async fn index_events(connection: &impl ConnectionTrait, ids: &[Uuid]) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let events = event::Entity::find().filter(event::Column::Id.is_in(ids.to_vec())).all(connection).await?;
    let mut quotes: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in citation::Entity::find().filter(citation::Column::EventId.is_in(ids.to_vec())).all(connection).await? {
        if let Some(quote) = row.quote {
            quotes.entry(row.event_id).or_default().push(quote);
        }
    }
    let mut names: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in event_tag::Entity::find().filter(event_tag::Column::EventId.is_in(ids.to_vec())).all(connection).await? {
        names.entry(row.event_id).or_default().push(row.tag);
    }
    let participations = participation::Entity::find()
        .filter(participation::Column::EventId.is_in(ids.to_vec()))
        .find_also_related(actor::Entity)
        .all(connection)
        .await?;
    for (participation, actor) in participations {
        if let Some(actor) = actor {
            let entry = names.entry(participation.event_id).or_default();
            entry.push(actor.name.clone());
            entry.extend(aliases(&actor));
        }
    }
    for row in events {
        let quotes = quotes.remove(&row.id).unwrap_or_default();
        let names = names.remove(&row.id).unwrap_or_default();
        write_event_document(connection, &row, quotes, names).await?;
    }
    Ok(())
}

/// Writes the document of an event just created, from what its writer has in hand: no reads.
pub async fn index_new_event<'a>(
    connection: &impl ConnectionTrait,
    row: &event::Model,
    tags: &[String],
    citations: &[citation::Model],
    actors: impl IntoIterator<Item = &'a actor::Model>,
) -> Result<(), DbErr> {
    connection
        .execute_raw(new_event_statement(connection.get_database_backend(), row, tags, citations, actors))
        .await?;
    Ok(())
}

/// The statement [`index_new_event`] runs (a new event's writer may send it with others).
pub fn new_event_statement<'a>(
    backend: DatabaseBackend,
    row: &event::Model,
    tags: &[String],
    citations: &[citation::Model],
    actors: impl IntoIterator<Item = &'a actor::Model>,
) -> Statement {
    let quotes = citations.iter().filter_map(|c| c.quote.clone()).collect();
    let mut names = tags.to_vec();
    for actor in actors {
        names.push(actor.name.clone());
        names.extend(aliases(actor));
    }
    let (body, names) = event_document(row, quotes, names);
    upsert_statement(backend, Entity::Event, row.id, &row.title, &body, &names)
}

/// An event's document: the title; the summary and the quotes (the body); the tags, the actors'
/// names and aliases (`names`) and the place.
fn event_document(row: &event::Model, quotes: Vec<String>, mut names: Vec<String>) -> (String, String) {
    let mut body = row.summary.clone().unwrap_or_default();
    for quote in quotes {
        body.push('\n');
        body.push_str(&quote);
    }
    names.extend(row.place_name.clone());
    (body, names.join("\n"))
}

/// Writes an event's document (see [`event_document`]).
async fn write_event_document(
    connection: &impl ConnectionTrait,
    row: &event::Model,
    quotes: Vec<String>,
    names: Vec<String>,
) -> Result<(), DbErr> {
    let (body, names) = event_document(row, quotes, names);
    upsert(connection, Entity::Event, row.id, &row.title, &body, &names).await
}

/// The aliases of an actor, from their JSON column.
pub fn aliases(actor: &actor::Model) -> Vec<String> {
    serde_json::from_value(actor.aliases.clone()).unwrap_or_default()
}

pub async fn index_actor(connection: &impl ConnectionTrait, actor: &actor::Model) -> Result<(), DbErr> {
    let body = actor.description.clone().unwrap_or_default();
    upsert(connection, Entity::Actor, actor.id, &actor.name, &body, &aliases(actor).join("\n")).await
}

pub async fn index_source(connection: &impl ConnectionTrait, source: &source::Model) -> Result<(), DbErr> {
    let body = source.notes.clone().unwrap_or_default();
    let names: Vec<&str> = [source.publisher.as_deref(), source.author.as_deref()].into_iter().flatten().collect();
    upsert(connection, Entity::Source, source.id, &source.title, &body, &names.join("\n")).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_drop_syntax_so_queries_cannot_be_injected() {
        assert_eq!(words("Taurus \"OR\" NEAR(x* -y) 'Kerch'"), vec!["taurus", "or", "near", "x", "y", "kerch"]);
        assert!(words("  *** ").is_empty());
        assert_eq!(words("Gerhartz’s Brücke"), vec!["gerhartz", "s", "brücke"]);
    }
}
