//! Database connections: a reader pool and a writer, SQLite tuned for a server, migrations on start.

mod checkpoint;
mod connect;
mod group;
mod held;
mod hooks;
mod write_error;

pub use connect::{DatabaseOptions, SQLITE_CACHE_KIB, StatementObserver};
pub use group::{CommitCounts, Footprint};
pub use held::HeldReader;
pub use hooks::{Fault, Faults};
pub use write_error::{NotSaved, WriteError, is_busy, is_disk_full};

use std::sync::Arc;

use migration::{Migrator, MigratorTrait};

use crate::changes::ChangeFeed;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, IsolationLevel, Statement,
    TransactionOptions, TransactionTrait,
};

/// The database, split into reads and writes.
///
/// SQLite allows one writer at a time: every write goes through the group commit's connection
/// (see [`group`]), so writers queue instead of failing with "database is locked", while readers
/// use their own pool (WAL lets them read during a write). On PostgreSQL both are the same pool.
#[derive(Clone)]
pub struct Database {
    read: DatabaseConnection,
    /// Told each statement a [`HeldReader`] runs (the pools tell it theirs themselves).
    observer: Option<StatementObserver>,
    write: Writer,
    changes: ChangeFeed,
    editor: Option<Arc<Editor>>,
    /// Counts the tokens revoked through this process, so its open WebSockets can end at once.
    revocations: Arc<tokio::sync::watch::Sender<u64>>,
}

/// Where writes go.
#[derive(Clone)]
enum Writer {
    /// SQLite's single writer, committing in groups.
    Group(Arc<group::Group>),
    /// PostgreSQL's pool, whose writers commit on their own.
    Pool(DatabaseConnection),
}

/// A write transaction from [`Database::begin_write`]: commit it with [`WriteTransaction::commit`],
/// which returns once the write is durable, or roll it back with [`WriteTransaction::rollback`].
/// Dropped without either, it is rolled back (on SQLite by a task that holds the writer until
/// the rollback is done).
pub struct WriteTransaction {
    txn: Arc<DatabaseTransaction>,
    /// SQLite's place in the group commit; None on PostgreSQL.
    member: Option<group::Member>,
}

impl std::ops::Deref for WriteTransaction {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

impl WriteTransaction {
    /// Commits; returns once the write is durable (on SQLite, once the group commit holding it
    /// has returned success). Any error means the write was not saved.
    pub async fn commit(self) -> Result<(), WriteError> {
        self.commit_after(Vec::new()).await
    }

    /// Runs `last`, the write's last statements, which read nothing back (its history), then
    /// commits. On SQLite they go with the next statement the writer sends (the next write's
    /// SAVEPOINT, or the group's COMMIT): one round trip to SQLite's thread fewer while the other
    /// writes wait. Should they fail, the write is not saved, like any write of its group.
    pub async fn commit_after(mut self, last: Vec<Statement>) -> Result<(), WriteError> {
        let txn = self.txn.clone();
        match self.member.take() {
            Some(mut member) => {
                drop(self);
                member.release_after(&txn, last).await?;
                drop(txn);
                member.committed().await
            }
            None => {
                drop(self);
                let txn = own(txn)?;
                for statement in last {
                    txn.execute_raw(statement).await?;
                }
                Ok(txn.commit().await?)
            }
        }
    }

    /// Undoes the write.
    pub async fn rollback(mut self) -> Result<(), WriteError> {
        let txn = self.txn.clone();
        match self.member.take() {
            Some(member) => {
                drop(self);
                member.roll_back(txn).await
            }
            None => {
                drop(self);
                Ok(own(txn)?.rollback().await?)
            }
        }
    }
}

impl Drop for WriteTransaction {
    fn drop(&mut self) {
        if let Some(member) = self.member.take() {
            member.roll_back_later(self.txn.clone());
        }
        // On PostgreSQL, dropping the transaction rolls it back.
    }
}

/// Statements as one text, their values in order: SQLite's driver runs the statements of a text
/// in turn, each taking its share of the values, in one round trip to the connection's thread.
/// (PostgreSQL takes one statement with values per message: not for it.)
pub fn joined(backend: DatabaseBackend, statements: impl IntoIterator<Item = Statement>) -> Statement {
    let mut sql = String::new();
    let mut values = Vec::new();
    for statement in statements {
        if !sql.is_empty() {
            sql.push_str("; ");
        }
        sql.push_str(&statement.sql);
        values.extend(statement.values.map(|v| v.0).unwrap_or_default());
    }
    Statement::from_sql_and_values(backend, sql, values)
}

/// Runs `statements` in order, building each while the one before it runs. The database runs a
/// statement on a thread of its own (SQLite's connection thread, PostgreSQL's process) while the
/// next one is built here: an import's statements, hundreds of rows each, take about as long to
/// build as to run, so building and running them in turn left one of two cores idle.
pub async fn run_overlapped(
    txn: &DatabaseTransaction,
    mut statements: impl Iterator<Item = Statement>,
) -> Result<(), DbErr> {
    let mut next = statements.next();
    while let Some(statement) = next {
        // `join` polls the statement first, which sends it to the database, then builds the next.
        let (ran, following) =
            futures_util::future::join(txn.execute_raw(statement), async { statements.next() }).await;
        ran?;
        next = following;
    }
    Ok(())
}

/// The transaction, once the handle that shared it is gone.
fn own(txn: Arc<DatabaseTransaction>) -> Result<DatabaseTransaction, DbErr> {
    Arc::try_unwrap(txn).map_err(|_| DbErr::Custom("the write transaction is still in use".into()))
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
        let observer = options.observer.as_ref();
        if url.starts_with("sqlite:") {
            let read =
                connect::open(&url, options.readers.max(1), connect::SQLITE_READER_CACHE_KIB, observer, None).await?;
            let faults = options.faults.clone().unwrap_or_default();
            let group = group::Group::open(&url, options.observer.clone(), faults).await?;
            Ok(Self {
                read,
                observer: options.observer.clone(),
                write: Writer::Group(Arc::new(group)),
                changes: ChangeFeed::new(DatabaseBackend::Sqlite, &url),
                editor: None,
                revocations: Arc::default(),
            })
        } else {
            let pool =
                connect::open(&url, options.readers.max(2), connect::SQLITE_READER_CACHE_KIB, observer, None).await?;
            Ok(Self {
                read: pool.clone(),
                observer: options.observer.clone(),
                write: Writer::Pool(pool),
                changes: ChangeFeed::new(DatabaseBackend::Postgres, &url),
                editor: None,
                revocations: Arc::default(),
            })
        }
    }

    /// The connection for writes outside the services' transactions (bookkeeping such as a
    /// token's last use, migrations).
    pub fn writer(&self) -> Result<DatabaseConnection, DbErr> {
        match &self.write {
            Writer::Group(group) => group.connection(),
            Writer::Pool(pool) => Ok(pool.clone()),
        }
    }

    /// How many writes SQLite's group commit has committed, in how many commits (None on
    /// PostgreSQL, whose writers commit on their own).
    pub fn commit_counts(&self) -> Option<CommitCounts> {
        match &self.write {
            Writer::Group(group) => Some(group.counts()),
            Writer::Pool(_) => None,
        }
    }

    /// How many whole writes wait for SQLite's writer (see [`Database::write_whole`]); 0 on
    /// PostgreSQL.
    pub fn queued_whole_writes(&self) -> usize {
        match &self.write {
            Writer::Group(group) => group.queued(),
            Writer::Pool(_) => 0,
        }
    }

    /// The connection for reads.
    pub fn reader(&self) -> &DatabaseConnection {
        &self.read
    }

    /// One of the readers' connections, held for a few statements in a row (see [`HeldReader`]).
    pub async fn held_reader(&self) -> Result<HeldReader, DbErr> {
        HeldReader::acquire(&self.read, self.observer.clone()).await
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

    /// Tells this process that a token was revoked (a revocation elsewhere is found by polling).
    pub fn token_revoked(&self) {
        self.revocations.send_modify(|count| *count += 1);
    }

    /// Hears of the tokens revoked through this process from now on.
    pub fn revocations(&self) -> tokio::sync::watch::Receiver<u64> {
        self.revocations.subscribe()
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
    pub async fn begin_write(&self) -> Result<WriteTransaction, WriteError> {
        self.begin_write_of(Footprint::Unbounded).await
    }

    /// [`Database::begin_write`] for a write of this footprint: on SQLite, a small one keeps its
    /// savepoint's journal in memory (see [`group`]); PostgreSQL has no such choice to make.
    pub async fn begin_write_of(&self, footprint: Footprint) -> Result<WriteTransaction, WriteError> {
        match &self.write {
            Writer::Group(group) => {
                let (txn, member) = group.begin(footprint).await?;
                Ok(WriteTransaction { txn, member: Some(member) })
            }
            Writer::Pool(pool) => {
                let options = TransactionOptions {
                    isolation_level: Some(IsolationLevel::RepeatableRead),
                    ..TransactionOptions::default()
                };
                Ok(WriteTransaction { txn: Arc::new(pool.begin_with_options(options).await?), member: None })
            }
        }
    }

    /// Writes `text` on SQLite: a small write built whole before it takes the writer (its rows
    /// and its history, reading nothing back, as one text: see [`joined`]). Returns once it is
    /// durable. Whole writes queued at once go to the writer together (see
    /// [`group::Group::write_whole`]).
    pub async fn write_whole(&self, text: Statement) -> Result<(), WriteError> {
        match &self.write {
            Writer::Group(group) => group.write_whole(text).await,
            // A joined text is SQLite's: PostgreSQL takes one statement with values at a time.
            Writer::Pool(_) => Err(WriteError::Database(DbErr::Custom("a whole write is for SQLite only".into()))),
        }
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<Migrated, DbErr> {
        let writer = self.writer()?;
        let pending = Migrator::get_pending_migrations(&writer).await?.len();
        Migrator::up(&writer, None).await?;
        Ok(Migrated { applied: pending, created: pending == Migrator::migrations().len() })
    }

    /// Runs a statement that checks the database answers (for health checks).
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.read.ping().await
    }

    /// Closes both pools, waiting for connections to finish (SQLite checkpoints its WAL on close).
    pub async fn close(self) -> Result<(), WriteError> {
        if let Writer::Group(group) = &self.write {
            group.close().await?;
        }
        // On PostgreSQL the reader is the writer's pool.
        self.read.close().await?;
        Ok(())
    }
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
