//! Raw SQL on PostgreSQL (issue 15's mode): the expected rows of a window, read with the plain
//! overlap condition (not the span classes, so that the classes of Chronik and of the peer's
//! function are checked against it), and the floor: the whole page as JSON from one prepared
//! statement over the peer's function, as `pgbench` would run it.

use std::collections::HashMap;

use sea_orm::sqlx::postgres::{PgPool, PgPoolOptions};
use sea_orm::sqlx::{self, Row as _};
use serde_json::Value;
use uuid::Uuid;

use crate::raw::Row;
use crate::window::{Expected, Variant, Windows};

/// Ten connections: as many as the load's workers at c=10 (`pgbench -c 10`).
pub async fn open(url: &str) -> anyhow::Result<PgPool> {
    Ok(PgPoolOptions::new().max_connections(10).connect(url).await?)
}

/// A pool newtype, so that the expected rows come from this module rather than SQLite's.
pub struct Postgres(pub PgPool);

impl Expected for Postgres {
    async fn rows(&self, from: i64, to: i64, cursor: Option<i64>, accounts: bool) -> anyhow::Result<Vec<Row>> {
        anyhow::ensure!(!accounts, "the PostgreSQL mode does not read accounts");
        let pool = &self.0;
        let events = sqlx::query(
            "SELECT id, title FROM event WHERE deleted_at IS NULL AND span_latest >= $1 AND start_earliest <= $2 \
             AND ($3::bigint IS NULL OR (start_earliest, start_precision, id) > ($3, 0, $4)) \
             ORDER BY start_earliest, start_precision, id LIMIT 100",
        )
        .bind(from)
        .bind(to)
        .bind(cursor)
        .bind(Uuid::nil())
        .fetch_all(pool)
        .await?;
        let ids: Vec<Uuid> = events.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
        let participations = sqlx::query(
            "SELECT p.event_id, p.role, a.name FROM participation p JOIN actor a ON a.id = p.actor_id \
             WHERE p.event_id = ANY($1) ORDER BY p.id",
        )
        .bind(&ids)
        .fetch_all(pool)
        .await?;
        let citations = sqlx::query(
            "SELECT c.event_id, c.quote, s.title FROM citation c JOIN source s ON s.id = c.source_id \
             WHERE c.event_id = ANY($1) ORDER BY c.id",
        )
        .bind(&ids)
        .fetch_all(pool)
        .await?;
        let mut rows = Vec::with_capacity(events.len());
        let mut index = HashMap::new();
        for (i, event) in events.iter().enumerate() {
            index.insert(event.try_get::<Uuid, _>("id")?, i);
            rows.push(Row {
                title: event.try_get("title")?,
                participants: Vec::new(),
                citations: Vec::new(),
                disputed: false,
                accounts: Vec::new(),
            });
        }
        for p in &participations {
            if let Some(&i) = index.get(&p.try_get::<Uuid, _>("event_id")?) {
                rows[i].participants.push((p.try_get("role")?, p.try_get("name")?));
            }
        }
        for c in &citations {
            if let Some(&i) = index.get(&c.try_get::<Uuid, _>("event_id")?) {
                rows[i].citations.push((c.try_get("quote")?, c.try_get("title")?));
            }
        }
        Ok(rows)
    }
}

/// The page as one JSON document: each event with its ID, title, start, participants (role,
/// actor's name) and citations (quote, source's title), in the order of the window.
const FLOOR: &str = "SELECT coalesce(json_agg(json_build_object(\
    'id', e.id, 'title', e.title, 'start', e.start_value, 'precision', e.start_precision, \
    'participants', (SELECT coalesce(json_agg(json_build_array(p.role, a.name) ORDER BY p.id), '[]') \
        FROM participation p JOIN actor a ON a.id = p.actor_id WHERE p.event_id = e.id), \
    'citations', (SELECT coalesce(json_agg(json_build_array(c.quote, s.title) ORDER BY c.id), '[]') \
        FROM citation c JOIN source s ON s.id = c.source_id WHERE c.event_id = e.id)) \
    ORDER BY e.start_earliest, e.start_precision, e.id), '[]')::text \
    FROM chronik_window($1, $2, $3, $4, $5, 100) e";

/// The floor: one prepared statement (sqlx prepares it once per connection), its answer parsed
/// and checked field by field like the servers'.
pub async fn floor(pool: &PgPool, windows: &Windows, variant: Variant, i: usize) -> anyhow::Result<()> {
    let window = windows.pick(i);
    let cursor = variant.cursor().then_some(window.from);
    let text: String = sqlx::query_scalar(FLOOR)
        .bind(window.from)
        .bind(window.to)
        .bind(cursor)
        .bind(cursor.map(|_| 0_i16))
        .bind(cursor.map(|_| Uuid::nil()))
        .fetch_one(pool)
        .await?;
    let page: Value = serde_json::from_str(&text)?;
    let events = page.as_array().ok_or_else(|| anyhow::anyhow!("not a list: {text}"))?;
    let expected = window.expected(variant);
    anyhow::ensure!(
        events.len() == expected.len(),
        "raw SQL returned {} rows, expected {}",
        events.len(),
        expected.len()
    );
    for (event, row) in events.iter().zip(expected) {
        let pairs = |key: &str| -> Vec<(Option<String>, Option<String>)> {
            event[key]
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|pair| (pair[0].as_str().map(str::to_owned), pair[1].as_str().map(str::to_owned)))
                        .collect()
                })
                .unwrap_or_default()
        };
        let participants: Vec<(String, String)> = pairs("participants")
            .into_iter()
            .map(|(role, name)| (role.unwrap_or_default(), name.unwrap_or_default()))
            .collect();
        let citations: Vec<(Option<String>, String)> =
            pairs("citations").into_iter().map(|(quote, title)| (quote, title.unwrap_or_default())).collect();
        anyhow::ensure!(
            event["title"] == row.title.as_str() && participants == row.participants && citations == row.citations,
            "raw SQL's {} differs from the expected row",
            row.title
        );
    }
    Ok(())
}

/// Drops and creates the database of `url`, through the server's `postgres` database.
pub async fn recreate(url: &str) -> anyhow::Result<()> {
    let (server, name) = split(url)?;
    let admin = PgPoolOptions::new().max_connections(1).connect(&format!("{server}/postgres")).await?;
    // The name is an identifier, quoted; it cannot be bound.
    let name = name.replace('"', "\"\"");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
        .execute(&admin)
        .await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&admin).await?;
    admin.close().await;
    Ok(())
}

/// Drops the database of `url` (the servers are stopped by then).
pub async fn drop(url: &str) -> anyhow::Result<()> {
    let (server, name) = split(url)?;
    let admin = PgPoolOptions::new().max_connections(1).connect(&format!("{server}/postgres")).await?;
    let name = name.replace('"', "\"\"");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
        .execute(&admin)
        .await?;
    admin.close().await;
    Ok(())
}

/// Whether the database of `url` exists.
pub async fn exists(url: &str) -> anyhow::Result<bool> {
    let (server, name) = split(url)?;
    let admin = PgPoolOptions::new().max_connections(1).connect(&format!("{server}/postgres")).await?;
    let found: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1").bind(name).fetch_optional(&admin).await?;
    admin.close().await;
    Ok(found.is_some())
}

/// `postgres://user@host:port/name` into the server's part and the database's name.
pub fn split(url: &str) -> anyhow::Result<(&str, &str)> {
    let (server, name) = url.rsplit_once('/').ok_or_else(|| anyhow::anyhow!("no database in {url}"))?;
    anyhow::ensure!(
        server.contains("://") && !name.is_empty() && !name.contains('?'),
        "--postgres wants postgres://user@host:port/database, without options: {url}"
    );
    Ok((server, name))
}

/// Applies the peer's SQL function (`bench/peer/window.sql`).
pub async fn apply(pool: &PgPool, sql: &str) -> anyhow::Result<()> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())).execute(pool).await?;
    Ok(())
}
