//! The floor: the window's rows read with raw SQL in-process (sqlx on the same SQLite file, four
//! read connections like the server's), the statements the server's query needs: the page of
//! events, their participations with their actors, their citations with their sources, and (when
//! asked) their accounts with their sources.

use std::collections::HashMap;
use std::path::Path;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow};
use sea_orm::sqlx::{self, Row as _};
use uuid::Uuid;

pub async fn open(path: &Path) -> anyhow::Result<SqlitePool> {
    let options = SqliteConnectOptions::new().filename(path).read_only(true).journal_mode(SqliteJournalMode::Wal);
    Ok(SqlitePoolOptions::new().max_connections(4).connect_with(options).await?)
}

/// One event of a window as the check needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub title: String,
    /// (role, actor name) by participation ID.
    pub participants: Vec<(String, String)>,
    /// (quote, source title) by citation ID.
    pub citations: Vec<(Option<String>, String)>,
    /// Whether it has disputed aspects (stored comma-separated, `None` for none).
    pub disputed: bool,
    /// (aspect, status, preferred, date, quote, source title) by account ID, when asked for.
    pub accounts: Vec<Account>,
}

/// One account of an event, as the check compares it.
pub type Account = (String, String, bool, Option<String>, Option<String>, String);

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

async fn by_ids(pool: &SqlitePool, sql: &str, ids: &[Uuid]) -> anyhow::Result<Vec<SqliteRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = sql.replace("{}", &placeholders(ids.len()));
    // Only `?` placeholders are spliced in; values are bound.
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(pool).await?)
}

/// The first 100 live events overlapping [from, to] in the timeline's order, after `cursor`
/// (start_earliest) when given, with their participants and citations, and their accounts when
/// `accounts`.
pub async fn window(
    pool: &SqlitePool,
    from: i64,
    to: i64,
    cursor: Option<i64>,
    accounts: bool,
) -> anyhow::Result<Vec<Row>> {
    let mut sql =
        String::from("SELECT * FROM event WHERE deleted_at IS NULL AND span_latest >= ? AND start_earliest <= ?");
    if cursor.is_some() {
        sql.push_str(" AND (start_earliest, start_precision, id) > (?, 0, ?)");
    }
    sql.push_str(" ORDER BY start_earliest, start_precision, id LIMIT 100");
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to);
    if let Some(cursor) = cursor {
        query = query.bind(cursor).bind(Uuid::nil());
    }
    let events = query.fetch_all(pool).await?;
    let ids: Vec<Uuid> = events.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
    // Each relation with what it points to, one join each (as the server reads them).
    let participations = by_ids(
        pool,
        "SELECT p.event_id, p.role, a.name FROM participation p JOIN actor a ON a.id = p.actor_id \
         WHERE p.event_id IN ({}) ORDER BY p.id",
        &ids,
    )
    .await?;
    let citations = by_ids(
        pool,
        "SELECT c.event_id, c.quote, s.title FROM citation c JOIN source s ON s.id = c.source_id \
         WHERE c.event_id IN ({}) ORDER BY c.id",
        &ids,
    )
    .await?;
    let account_rows = if accounts {
        by_ids(
            pool,
            "SELECT c.event_id, c.aspect, c.status, c.preferred, c.date_value, c.quote, s.title \
             FROM account c JOIN source s ON s.id = c.source_id WHERE c.event_id IN ({}) ORDER BY c.id",
            &ids,
        )
        .await?
    } else {
        Vec::new()
    };
    let mut rows: Vec<Row> = Vec::with_capacity(events.len());
    let mut index: HashMap<Uuid, usize> = HashMap::new();
    for (i, event) in events.iter().enumerate() {
        index.insert(event.try_get("id")?, i);
        let disputed: Option<String> = event.try_get("disputed_aspects")?;
        rows.push(Row {
            title: event.try_get("title")?,
            participants: Vec::new(),
            citations: Vec::new(),
            disputed: disputed.is_some_and(|aspects| !aspects.is_empty()),
            accounts: Vec::new(),
        });
    }
    for a in &account_rows {
        let event: Uuid = a.try_get("event_id")?;
        if let Some(&i) = index.get(&event) {
            rows[i].accounts.push((
                a.try_get::<String, _>("aspect")?.to_uppercase(),
                a.try_get::<String, _>("status")?.to_uppercase(),
                a.try_get("preferred")?,
                a.try_get("date_value")?,
                a.try_get("quote")?,
                a.try_get("title")?,
            ));
        }
    }
    for p in &participations {
        let event: Uuid = p.try_get("event_id")?;
        if let Some(&i) = index.get(&event) {
            rows[i].participants.push((p.try_get("role")?, p.try_get("name")?));
        }
    }
    for c in &citations {
        let event: Uuid = c.try_get("event_id")?;
        if let Some(&i) = index.get(&event) {
            rows[i].citations.push((c.try_get("quote")?, c.try_get("title")?));
        }
    }
    Ok(rows)
}

/// Live events.
pub async fn count(pool: &SqlitePool) -> anyhow::Result<u64> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM event WHERE deleted_at IS NULL").fetch_one(pool).await?;
    Ok(u64::try_from(n)?)
}
