//! Database connections: a reader pool and a writer, SQLite tuned for a server, migrations on start.

mod group;

pub use group::CommitCounts;

use std::sync::Arc;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};

use crate::changes::ChangeFeed;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, IsolationLevel,
    TransactionOptions, TransactionTrait,
};

/// Called with the SQL text of every statement the database runs (tests count them).
pub type StatementObserver = Arc<dyn Fn(&str) + Send + Sync>;

/// How to open the database.
#[derive(Clone)]
pub struct DatabaseOptions {
    /// Connections in the SQLite reader pool; PostgreSQL uses this as its pool size.
    pub readers: u32,
    pub observer: Option<StatementObserver>,
}

impl Default for DatabaseOptions {
    fn default() -> Self {
        Self { readers: 4, observer: None }
    }
}

/// The database, split into reads and writes.
///
/// SQLite allows one writer at a time: every write goes through a pool of one connection, so
/// writers queue in the pool instead of failing with "database is locked", while readers use
/// their own pool (WAL lets them read during a write). On PostgreSQL both are the same pool.
#[derive(Clone)]
pub struct Database {
    read: DatabaseConnection,
    write: DatabaseConnection,
    /// SQLite's writes, committed in groups (see [`group`]); None on PostgreSQL.
    group: Option<Arc<group::Group>>,
    changes: ChangeFeed,
    editor: Option<Arc<Editor>>,
}

/// A write transaction from [`Database::begin_write`]: commit it with [`WriteTransaction::commit`],
/// which returns once the write is durable, or drop it (or [`WriteTransaction::rollback`]) to
/// undo everything it did.
pub struct WriteTransaction {
    // Dropped first: an unfinished write rolls back before its place in the group is given up.
    txn: DatabaseTransaction,
    member: Option<group::Member>,
}

impl std::ops::Deref for WriteTransaction {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

impl WriteTransaction {
    /// Commits; on SQLite, waits for the group commit that makes the write durable.
    pub async fn commit(self) -> Result<(), DbErr> {
        let WriteTransaction { txn, member } = self;
        txn.commit().await?;
        match member {
            Some(member) => member.committed().await,
            None => Ok(()),
        }
    }

    /// Undoes the write.
    pub async fn rollback(self) -> Result<(), DbErr> {
        let WriteTransaction { txn, member } = self;
        let result = txn.rollback().await;
        drop(member);
        result
    }
}

/// Who is writing, for the audit trail: a handle on the database made for one request carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    /// The name of the token the request came with.
    pub name: Option<String>,
    pub request_id: Option<String>,
}

/// What [`Database::migrate`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migrated {
    /// How many migrations were applied.
    pub applied: usize,
    /// The database was empty: every migration ran, so it was created just now.
    pub created: bool,
}

/// Turns what the user typed into a URL sqlx understands: a plain path becomes a SQLite file,
/// created when missing. Other schemes than `sqlite:` and `postgres(ql)://` are refused.
pub fn normalise_url(database: &str) -> Result<String, DbErr> {
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        Ok(database.to_owned())
    } else if let Some(rest) = database.strip_prefix("sqlite:") {
        let rest = rest.trim_start_matches("//");
        Ok(if rest.contains("mode=") || rest.starts_with(":memory:") {
            format!("sqlite://{rest}")
        } else if rest.contains('?') {
            format!("sqlite://{rest}&mode=rwc")
        } else {
            format!("sqlite://{rest}?mode=rwc")
        })
    } else if let Some((scheme, _)) = database.split_once("://") {
        Err(DbErr::Custom(format!(
            "unsupported database {scheme}://: use a SQLite file path, sqlite:// or postgres://"
        )))
    } else {
        Ok(format!("sqlite://{database}?mode=rwc"))
    }
}

impl Database {
    /// Opens the database at `database` (a URL or a SQLite file path).
    pub async fn connect(database: &str, options: DatabaseOptions) -> Result<Self, DbErr> {
        let url = normalise_url(database)?;
        if url.starts_with("sqlite:") {
            let read = open(&url, options.readers.max(1), &options).await?;
            let write = open(&url, 1, &options).await?;
            Ok(Self {
                read,
                group: Some(Arc::new(group::Group::new(write.clone()))),
                write,
                changes: ChangeFeed::new(DatabaseBackend::Sqlite, &url),
                editor: None,
            })
        } else {
            let pool = open(&url, options.readers.max(2), &options).await?;
            Ok(Self {
                read: pool.clone(),
                write: pool,
                group: None,
                changes: ChangeFeed::new(DatabaseBackend::Postgres, &url),
                editor: None,
            })
        }
    }

    /// The connection for writes outside the services' transactions (bookkeeping such as a
    /// token's last use).
    pub fn writer(&self) -> &DatabaseConnection {
        &self.write
    }

    /// How many writes SQLite's group commit has committed, in how many commits (None on
    /// PostgreSQL, whose writers commit on their own).
    pub fn commit_counts(&self) -> Option<CommitCounts> {
        self.group.as_ref().map(|group| group.counts())
    }

    /// The connection for reads.
    pub fn reader(&self) -> &DatabaseConnection {
        &self.read
    }

    /// The same database, with writes recorded in the audit trail as made by `editor`.
    pub fn acting_as(&self, editor: Editor) -> Self {
        Self { editor: Some(Arc::new(editor)), ..self.clone() }
    }

    /// Who writes through this handle (None: the command line or the example loader).
    pub fn editor(&self) -> Option<&Editor> {
        self.editor.as_deref()
    }

    /// The feed of changes to events.
    pub fn changes(&self) -> &ChangeFeed {
        &self.changes
    }

    pub fn backend(&self) -> DatabaseBackend {
        self.read.get_database_backend()
    }

    /// Begins a write transaction. On SQLite it is a savepoint in a transaction begun with
    /// `BEGIN IMMEDIATE`, which takes the write lock up front, so a transaction that reads
    /// before it writes cannot fail with SQLITE_BUSY half-way (a deferred one can, without
    /// waiting for the busy timeout); writes that queue meanwhile share that transaction and
    /// its commit (see [`group`]).
    ///
    /// On PostgreSQL it is REPEATABLE READ (snapshot isolation): writers run concurrently, reads
    /// see one snapshot, and of two transactions that update the same row the database aborts
    /// the second (SQLSTATE 40001), which [`crate::service`] retries as a whole; the retry then
    /// sees the first's change (and a stale `version` becomes a CONFLICT). Races to insert the
    /// same thing twice are caught by unique indexes. SERIALIZABLE was measured to abort most
    /// of 40 concurrent creates (UUID v7 keys put them on the same index pages) for no gain here.
    pub async fn begin_write(&self) -> Result<WriteTransaction, DbErr> {
        if let Some(group) = &self.group {
            let (txn, member) = group.begin().await?;
            return Ok(WriteTransaction { txn, member: Some(member) });
        }
        let options = TransactionOptions {
            isolation_level: Some(IsolationLevel::RepeatableRead),
            ..TransactionOptions::default()
        };
        Ok(WriteTransaction { txn: self.write.begin_with_options(options).await?, member: None })
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<Migrated, DbErr> {
        let pending = Migrator::get_pending_migrations(&self.write).await?.len();
        Migrator::up(&self.write, None).await?;
        Ok(Migrated { applied: pending, created: pending == Migrator::migrations().len() })
    }

    /// Runs a statement that checks the database answers (for health checks).
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.read.ping().await
    }

    /// Closes both pools, waiting for connections to finish (SQLite checkpoints its WAL on close).
    pub async fn close(self) -> Result<(), DbErr> {
        if let Some(group) = &self.group {
            group.flush().await?;
        }
        let same = self.backend() != DatabaseBackend::Sqlite;
        self.read.close().await?;
        if !same {
            self.write.close().await?;
        }
        Ok(())
    }
}

/// SQLite's page cache per connection, in KiB.
pub const SQLITE_CACHE_KIB: i64 = 8_192;

async fn open(url: &str, connections: u32, options: &DatabaseOptions) -> Result<DatabaseConnection, DbErr> {
    let mut connect = ConnectOptions::new(url.to_owned());
    connect
        .max_connections(connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|sqlite| {
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
                // 8 MiB of pages per connection instead of SQLite's 2: a window of the timeline
                // reads some hundred index and row pages, and each one not in the cache is a
                // system call. Five connections stay well inside the memory a server may use.
                // (`cache_size` takes KiB as a negative number).
                .pragma("cache_size", format!("-{SQLITE_CACHE_KIB}"))
        });
    let mut connection = sea_orm::Database::connect(connect).await?;
    if let Some(observer) = options.observer.clone() {
        connection.set_metric_callback(move |info| observer(&info.statement.sql));
    }
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use super::normalise_url;

    #[test]
    fn urls_are_normalised_and_unknown_schemes_refused() {
        assert_eq!(normalise_url("chronik.db").ok().as_deref(), Some("sqlite://chronik.db?mode=rwc"));
        assert_eq!(normalise_url("sqlite://a.db").ok().as_deref(), Some("sqlite://a.db?mode=rwc"));
        assert_eq!(normalise_url("sqlite:a.db?mode=ro").ok().as_deref(), Some("sqlite://a.db?mode=ro"));
        assert_eq!(normalise_url("postgres://h/db").ok().as_deref(), Some("postgres://h/db"));
        assert!(normalise_url("mysql://h/db").is_err());
    }
}
