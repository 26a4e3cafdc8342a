//! Opening a connection pool: SQLite tuned for a server (WAL, synchronous FULL, busy timeout,
//! page size and cache), PostgreSQL as it comes; the statement observer tests count with.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, DatabaseConnection, DbErr};

use super::hooks::{Faults, WriterHooks};

/// Called with the SQL text of every statement the database runs (tests count them).
pub type StatementObserver = Arc<dyn Fn(&str) + Send + Sync>;

/// How to open the database.
#[derive(Clone)]
pub struct DatabaseOptions {
    /// Connections in the SQLite reader pool; PostgreSQL uses this as its pool size.
    pub readers: u32,
    pub observer: Option<StatementObserver>,
    /// Failures to inject into SQLite's group commit (tests only; None in the server).
    pub faults: Option<Arc<Faults>>,
}

impl Default for DatabaseOptions {
    fn default() -> Self {
        Self { readers: 4, observer: None, faults: None }
    }
}

/// SQLite's page cache for the writer connection, in KiB.
pub const SQLITE_CACHE_KIB: i64 = 8_192;

/// SQLite's page cache per reader connection, in KiB: a window of the timeline reads some
/// hundred index and row pages, and the file's pages are in the system's cache anyway. Measured
/// on 1,000,000 events (BENCHMARKS.md): the same window rates as with 8 MiB, and the server's
/// peak memory 104–111 MB instead of 134–154 MB (each cached page costs more than its 16 KiB in
/// the allocator, and each reader fills its own cache).
pub const SQLITE_READER_CACHE_KIB: i64 = 4_096;

/// How long a pooled connection may sit idle before it is checked (pinged) as it is handed out.
/// sqlx pings on every checkout by default: on PostgreSQL one more round trip for every
/// statement (a timeline page's three statements made nine sends and some 25 thread wake-ups), on
/// SQLite one more hand-off to the connection's thread. A connection used moments ago is taken as
/// alive; should the server have gone away meanwhile, the statement fails where the ping would
/// have opened a new connection first (`tests/pool_checkout.rs` counts the round trips).
pub const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(10);

/// Pages of the write-ahead log at which a connection checkpoints it in its own commit (16 KiB
/// pages: 128 MiB). The checkpoints run beside the writer (`checkpoint.rs`); this is the bound
/// should they fall behind.
pub const WRITER_AUTOCHECKPOINT_PAGES: u32 = 8_192;

/// Opens a pool of `connections` to `url`, each with a page cache of `cache_kib` on SQLite.
/// `hooks`, for SQLite's writer, are installed on every connection the pool opens.
pub async fn open(
    url: &str,
    connections: u32,
    cache_kib: i64,
    observer: Option<&StatementObserver>,
    hooks: Option<&Arc<WriterHooks>>,
) -> Result<DatabaseConnection, DbErr> {
    let mut connect = ConnectOptions::new(url.to_owned());
    connect
        .max_connections(connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .test_before_acquire_if_idle_for(PING_WHEN_IDLE_FOR)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |sqlite| {
            // sqlx applies the busy timeout when it opens the connection, before these pragmas,
            // so switching to WAL waits for other connections instead of failing.
            sqlite
                // 16 KiB pages for a new database (an existing one keeps its own): a quarter of
                // the pages for the same rows, so fewer B-tree levels, fewer cache misses and a
                // WAL index a quarter the size to search (measured: an import of 300,000 events
                // in 75 s instead of 97).
                .page_size(16_384)
                .busy_timeout(Duration::from_secs(10))
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                // (`cache_size` takes KiB as a negative number).
                .pragma("cache_size", format!("-{cache_kib}"))
                .pragma("wal_autocheckpoint", WRITER_AUTOCHECKPOINT_PAGES.to_string())
        });
    if let Some(hooks) = hooks {
        let hooks = hooks.clone();
        connect.map_sqlx_sqlite_pool_opts(move |pool| {
            let hooks = hooks.clone();
            pool.after_connect(move |connection, meta| hooks.install(connection, meta))
        });
    }
    let mut connection = sea_orm::Database::connect(connect).await?;
    if let Some(observer) = observer.cloned() {
        connection.set_metric_callback(move |info| observer(&info.statement.sql));
    }
    Ok(connection)
}
