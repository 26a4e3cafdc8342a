//! Group commit for SQLite's single writer: writes that queue for the writer while another is
//! running share its transaction, each in a savepoint of its own, and one commit (one fsync)
//! makes them all durable. A write is acknowledged only once that commit has returned success,
//! so nothing acknowledged can be lost; a write that fails rolls back to its savepoint and leaves
//! the others alone.
//!
//! The writer's state sits behind a fair (FIFO) lock. A write takes the lock, opens the shared
//! transaction if none is open, works inside a savepoint, and hands its place to the next in line
//! while it waits for the commit. The committer, told after every write, queues for the lock like
//! a write does: by the time it gets it, every write that queued before it has had its turn, and
//! it commits them together. Alone, a write is committed at once.
//!
//! A write that succeeded leaves its savepoint open, and its last statements (its history, which
//! nothing in the write reads) unsent: the next write sends them in the text that opens its own
//! savepoint (`RELEASE …; <last statements>; SAVEPOINT …`), or the committer does before its
//! COMMIT. Each statement is a round trip to SQLite's thread while every other write waits for
//! the writer; the RELEASE and the history were two of five for a `createEvent`. At most one
//! savepoint is ever open besides the running write's, so ROLLBACK TO still undoes the failed
//! write alone; should the last statements fail, the whole shared transaction is abandoned.
//!
//! A savepoint keeps the pages it changes that existed before it in a statement journal, so it
//! can be undone alone. SQLite keeps that journal in memory up to 64 KiB and then in a temporary
//! file: four of our 16 KiB pages, so nearly every write wrote its journal to a file, page by page
//! (two thirds of the writer's system calls under `createEvent`). A write that declares a small
//! [`Footprint`] runs in a transaction begun with `temp_store = MEMORY`, which keeps the journal in
//! memory (emptied at each RELEASE); any other write runs in one begun with files as before, so a
//! write that may touch thousands of pages (an import, a merge) never holds their copies in memory.
//!
//! When the last commit held more than one write, the committer waits a millisecond before it
//! queues for the writer, so that writes of concurrent clients on their way (their requests being
//! read and parsed) join this commit rather than wait for the next fsync; a lone writer is never
//! kept waiting (as PostgreSQL's `commit_delay` with `commit_siblings`).
//!
//! Failure is the hard part. SQLite may roll the whole transaction back on its own when the disk
//! is full or an I/O error occurs, and a COMMIT may fail with the transaction left open or rolled
//! back. So every step is checked: the savepoints are plain SQL on the shared transaction (sqlx's
//! own nesting counter cannot drift from SQLite's), each SAVEPOINT, RELEASE, ROLLBACK TO and
//! COMMIT is awaited and its result read, and SQLite's rollback hook tells whether the shared
//! transaction still exists. When any step fails, or the transaction is gone, the shared
//! transaction is abandoned: every write in it is told it was not saved, it is rolled back, and
//! a writer connection whose state is in doubt is closed and a new one opened.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, RuntimeErr, SqliteTransactionMode,
    Statement, TransactionOptions, TransactionTrait,
};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, oneshot};

use super::checkpoint::Checkpointer;
use super::connect::{self, StatementObserver};
use super::hooks::{Fault, Faults, WriterHooks};
use super::write_error::{NotSaved, WriteError};

/// How much of the database a write may change, which decides where its savepoint's journal goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Footprint {
    /// A few rows and their index entries (one record and its parts): the journal stays in memory.
    Small,
    /// Any number of rows: the journal spills to a temporary file past 64 KiB.
    Unbounded,
}

/// The one savepoint name: writes hold the writer one at a time, so savepoints never nest.
const SAVEPOINT: &str = "chronik_write";

/// What the writer holds: its connection, the shared transaction, and the writes in it waiting
/// for its commit.
struct State {
    /// None when opening a new connection after a failure failed too (the next write tries again).
    writer: Option<DatabaseConnection>,
    shared: Option<Arc<DatabaseTransaction>>,
    waiting: Vec<oneshot::Sender<Result<(), WriteError>>>,
    /// Why the shared transaction can no longer be committed, when a step failed where it could
    /// not be abandoned at once (a write dropped outside the runtime).
    broken: Option<NotSaved>,
    /// The shared transaction journals its savepoints in memory: only small writes may join it.
    in_memory: bool,
    /// The writer connection's `temp_store` is MEMORY (a new connection's is not).
    temp_store_memory: bool,
    /// The last write's savepoint is still open in the shared transaction: the next write
    /// releases it as it opens its own.
    unreleased: bool,
    /// The last write's last statements, not yet run: they go with the next write's SAVEPOINT,
    /// or before the COMMIT.
    pending: Option<Statement>,
}

/// How many writes were committed, in how many commits.
#[derive(Debug, Default)]
struct Counts {
    writes: AtomicU64,
    commits: AtomicU64,
    abandoned: AtomicU64,
    /// Writes in the last commit.
    last_group: AtomicU64,
}

/// The counts at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitCounts {
    /// Writes acknowledged.
    pub writes: u64,
    /// Commits that made them durable.
    pub commits: u64,
    /// Shared transactions abandoned after a failed step (their writes were refused).
    pub abandoned: u64,
}

/// What the group and its committer share.
struct Inner {
    url: String,
    observer: Option<StatementObserver>,
    hooks: Arc<WriterHooks>,
    counts: Counts,
    due: Notify,
    checkpointer: Checkpointer,
    /// The writer connection for writes outside the group (bookkeeping, migrations): replaced
    /// with the state's when a new one is opened.
    current: std::sync::Mutex<Option<DatabaseConnection>>,
    /// Whole writes waiting for the writer, sent together (see [`Group::write_whole`]).
    queue: std::sync::Mutex<Vec<Whole>>,
    queued: Notify,
}

/// A write built whole before it takes the writer, and who waits for its outcome.
struct Whole {
    text: Statement,
    done: oneshot::Sender<Result<(), WriteError>>,
}

/// At most this many whole writes go in one text. SQLite's driver compiles each distinct text
/// and keeps it in the connection's statement cache (100 texts), every statement of it: a text
/// of 8 writes (each with its lists capped by the rules) keeps that cache's size within a few
/// times what single writes make it, and the writer's turn short.
const BATCH: usize = 8;

/// The group-commit writer of one SQLite database.
pub struct Group {
    inner: Arc<Inner>,
    state: Arc<Mutex<State>>,
}

/// A write's place in the group: held while it works, given up when it commits or rolls back.
pub struct Member {
    guard: Option<OwnedMutexGuard<State>>,
    inner: Arc<Inner>,
}

impl Group {
    /// Opens the writer (a pool of one connection) of the SQLite database at `url` and starts its
    /// committer and its checkpointer.
    pub async fn open(url: &str, observer: Option<StatementObserver>, faults: Arc<Faults>) -> Result<Self, DbErr> {
        let hooks = Arc::new(WriterHooks::new(faults));
        let writer = connect::open(url, 1, connect::SQLITE_CACHE_KIB, observer.as_ref(), Some(&hooks)).await?;
        let inner = Arc::new(Inner {
            url: url.to_owned(),
            observer,
            hooks,
            counts: Counts::default(),
            due: Notify::new(),
            checkpointer: Checkpointer::start(url).await?,
            current: std::sync::Mutex::new(Some(writer.clone())),
            queue: std::sync::Mutex::new(Vec::new()),
            queued: Notify::new(),
        });
        let state = Arc::new(Mutex::new(State {
            writer: Some(writer),
            shared: None,
            waiting: Vec::new(),
            broken: None,
            in_memory: false,
            temp_store_memory: false,
            unreleased: false,
            pending: None,
        }));
        tokio::spawn(commit_when_due(Arc::downgrade(&state), inner.clone()));
        tokio::spawn(write_when_queued(Arc::downgrade(&state), inner.clone()));
        Ok(Self { inner, state })
    }

    /// The writer connection, for writes outside the group's transactions.
    pub fn connection(&self) -> Result<DatabaseConnection, DbErr> {
        self.inner.current()
    }

    /// How many writes have been committed so far, in how many commits.
    pub fn counts(&self) -> CommitCounts {
        let counts = &self.inner.counts;
        CommitCounts {
            writes: counts.writes.load(Ordering::Relaxed),
            commits: counts.commits.load(Ordering::Relaxed),
            abandoned: counts.abandoned.load(Ordering::Relaxed),
        }
    }

    /// How many whole writes wait for the writer.
    pub fn queued(&self) -> usize {
        self.inner.queue().len()
    }

    /// Takes the writer: a savepoint in the shared transaction (which this opens, `BEGIN
    /// IMMEDIATE`, when none is open), and the place that keeps other writes out until it ends.
    /// A write of [`Footprint::Unbounded`] does not join a transaction that journals in memory:
    /// the writes in it are committed first, and it begins one of its own.
    pub async fn begin(&self, footprint: Footprint) -> Result<(Arc<DatabaseTransaction>, Member), WriteError> {
        begin(self.state.clone(), &self.inner, footprint).await
    }

    /// Writes `text`, a small write built whole before it takes the writer (its rows and its
    /// history), and returns once it is durable. Whole writes that queue while the writer is busy
    /// go to it together, up to [`BATCH`], in one text in one savepoint: one round trip to
    /// SQLite's thread for them all instead of two for each. Should that text fail, it is rolled
    /// back and each write is sent again on its own, so only the failed one fails, with its own
    /// error.
    pub async fn write_whole(&self, text: Statement) -> Result<(), WriteError> {
        let (done, outcome) = oneshot::channel();
        self.inner.queue().push(Whole { text, done });
        self.inner.queued.notify_one();
        outcome
            .await
            .unwrap_or_else(|_| Err(WriteError::NotSaved(NotSaved::new("the writer stopped before the write"))))
    }

    /// Commits what is pending now (before the database is closed).
    pub async fn flush(&self) -> Result<(), WriteError> {
        let mut guard = self.state.lock().await;
        match commit_pending(&mut guard, &self.inner).await {
            Ok(()) => Ok(()),
            Err(reason) => Err(WriteError::NotSaved(reason)),
        }
    }

    /// Commits what is pending and closes the writer.
    pub async fn close(&self) -> Result<(), WriteError> {
        self.flush().await?;
        self.inner.checkpointer.close().await?;
        let writer = self.state.lock().await.writer.take();
        self.inner.set_current(None);
        if let Some(writer) = writer {
            writer.close().await?;
        }
        Ok(())
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        // Wakes the committer and the batch writer, which then find the state gone and end.
        self.inner.due.notify_one();
        self.inner.queued.notify_one();
    }
}

impl Member {
    /// Ends the write: its rows stay in the shared transaction, in its savepoint, which the next
    /// write's SAVEPOINT or the COMMIT releases (see the module's comment); `last`, its last
    /// statements, are sent with that SAVEPOINT, or before that COMMIT. Checks that SQLite has
    /// not rolled the shared transaction back under it. The caller then gives up its handle on
    /// the transaction and waits with [`Member::committed`].
    pub async fn release_after(
        &mut self,
        shared: &DatabaseTransaction,
        last: Vec<Statement>,
    ) -> Result<(), WriteError> {
        if self.inner.hooks.faults.take(Fault::RollbackBeforeRelease) {
            let _ = shared.execute_unprepared("ROLLBACK").await;
        }
        if self.inner.hooks.rolled_back() {
            let reason = rolled_back_by_sqlite();
            self.fail(reason.clone());
            return Err(WriteError::NotSaved(reason));
        }
        if let Some(guard) = self.guard.as_mut() {
            guard.unreleased = true;
            guard.pending = (!last.is_empty()).then(|| super::joined(DbBackend::Sqlite, last));
        }
        Ok(())
    }

    /// After [`Member::release`], and once the caller holds no handle on the shared transaction:
    /// waits until the shared transaction holding the write has been committed. Ok only once the
    /// COMMIT has returned success.
    pub async fn committed(self) -> Result<(), WriteError> {
        let (sender, receiver) = oneshot::channel();
        self.enlist([sender]);
        receiver.await.unwrap_or_else(|_| abandoned())
    }

    /// [`Member::committed`] for the writes of a batch: each is told through its own sender.
    fn enlist(mut self, writes: impl IntoIterator<Item = oneshot::Sender<Result<(), WriteError>>>) {
        if let Some(mut guard) = self.guard.take() {
            guard.waiting.extend(writes);
        }
        self.inner.due.notify_one();
    }

    /// Undoes the write: ROLLBACK TO its savepoint, then RELEASE it, leaving the writes before
    /// it in the shared transaction as they were.
    pub async fn roll_back(mut self, shared: Arc<DatabaseTransaction>) -> Result<(), WriteError> {
        let undone = if self.inner.hooks.rolled_back() {
            Err(rolled_back_by_sqlite())
        } else {
            let sql = format!("ROLLBACK TO SAVEPOINT {SAVEPOINT}; RELEASE SAVEPOINT {SAVEPOINT}");
            shared
                .execute_unprepared(&sql)
                .await
                .map(drop)
                .map_err(|error| NotSaved::from_error("could not roll back the write's savepoint", &error))
        };
        drop(shared);
        match undone {
            Ok(()) => Ok(()),
            Err(reason) => {
                self.fail(reason.clone());
                Err(WriteError::NotSaved(reason))
            }
        }
    }

    /// A write that was dropped without ending: rolls it back on a task of its own, holding the
    /// writer until it is done (or, outside the runtime, gives up the shared transaction).
    pub fn roll_back_later(mut self, shared: Arc<DatabaseTransaction>) {
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(error) = self.roll_back(shared).await {
                        tracing::error!(%error, "a dropped write could not be rolled back");
                    }
                });
            }
            Err(_) => {
                drop(shared);
                self.fail(NotSaved::new("a write was dropped outside the runtime"));
            }
        }
    }

    /// Marks the shared transaction as lost: the next holder of the writer abandons it.
    fn fail(&mut self, reason: NotSaved) {
        tracing::error!(reason = %reason, "the shared write transaction is lost; its writes will be refused");
        if let Some(guard) = self.guard.as_mut() {
            guard.broken = Some(reason);
        }
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        // A write that ends without `committed` gives up its place too; whatever the shared
        // transaction holds still gets committed (or abandoned, if it broke).
        drop(self.guard.take());
        self.inner.due.notify_one();
    }
}

impl Inner {
    fn current(&self) -> Result<DatabaseConnection, DbErr> {
        let current = self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        current.clone().ok_or_else(|| DbErr::Custom("the database's writer is closed".into()))
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, Vec<Whole>> {
        self.queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn set_current(&self, writer: Option<DatabaseConnection>) {
        *self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = writer;
    }

    /// The state's writer connection, opening a new one if the last failure left none.
    async fn writer(&self, state: &mut State) -> Result<DatabaseConnection, WriteError> {
        if let Some(writer) = &state.writer {
            return Ok(writer.clone());
        }
        let writer =
            connect::open(&self.url, 1, connect::SQLITE_CACHE_KIB, self.observer.as_ref(), Some(&self.hooks)).await?;
        state.writer = Some(writer.clone());
        state.temp_store_memory = false;
        self.set_current(Some(writer.clone()));
        tracing::info!("opened a new writer connection");
        Ok(writer)
    }

    /// Gives up the shared transaction: tells each write in it that it was not saved, rolls it
    /// back, and replaces the writer connection unless the rollback leaves it known-clean.
    async fn abandon(&self, state: &mut State, reason: NotSaved) {
        self.counts.abandoned.fetch_add(1, Ordering::Relaxed);
        state.pending = None;
        let refused = state.waiting.len();
        for write in state.waiting.drain(..) {
            let _ = write.send(Err(WriteError::NotSaved(reason.clone())));
        }
        tracing::error!(reason = %reason, refused, "abandoned the shared write transaction; its writes were refused");
        let clean = match state.shared.take().map(Arc::try_unwrap) {
            None => true,
            Some(Ok(shared)) => shared.rollback().await.is_ok(),
            Some(Err(_)) => false,
        };
        if !clean {
            self.replace_writer(state);
        }
    }

    /// Closes the writer connection, whose state SQLite and sqlx may no longer agree on, and
    /// leaves the next write to open a new one. Closing rolls back whatever it still holds.
    fn replace_writer(&self, state: &mut State) {
        state.temp_store_memory = false;
        if let Some(old) = state.writer.take() {
            tokio::spawn(async move {
                if let Err(error) = old.close().await {
                    tracing::warn!(%error, "closing the old writer connection");
                }
            });
        }
        self.set_current(None);
    }
}

/// [`Group::begin`]: the writer's state and what the group shares.
async fn begin(
    state: Arc<Mutex<State>>,
    inner: &Arc<Inner>,
    footprint: Footprint,
) -> Result<(Arc<DatabaseTransaction>, Member), WriteError> {
    let mut guard = state.lock_owned().await;
    if let Some(reason) = guard.broken.take() {
        inner.abandon(&mut guard, reason).await;
    }
    if guard.shared.is_some() && guard.in_memory && footprint == Footprint::Unbounded {
        // A failure has been logged and reported to each write in it; this one goes on in a
        // transaction of its own.
        let _ = commit_pending(&mut guard, inner).await;
    }
    let shared = match guard.shared.clone() {
        Some(shared) => shared,
        None => {
            let writer = inner.writer(&mut guard).await?;
            let in_memory = footprint == Footprint::Small;
            if guard.temp_store_memory != in_memory {
                // Outside any transaction (SQLite refuses the change inside one); the
                // setting holds until changed, so a run of small writes sets it once.
                let pragma = if in_memory { "PRAGMA temp_store = MEMORY" } else { "PRAGMA temp_store = DEFAULT" };
                writer.execute_unprepared(pragma).await?;
                guard.temp_store_memory = in_memory;
            }
            guard.in_memory = in_memory;
            let options = TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            };
            // A BEGIN that fails leaves no transaction behind: nothing to abandon.
            let shared = Arc::new(writer.begin_with_options(options).await?);
            // Only rollbacks of this transaction count, so the flag is cleared once it has
            // begun: until then the connection may run bookkeeping outside the group (a
            // token's last use), whose failure SQLite reports as a rollback too.
            inner.hooks.begin();
            guard.shared = Some(shared.clone());
            guard.unreleased = false;
            shared
        }
    };
    let faults = &inner.hooks.faults;
    if faults.take(Fault::RollbackBeforeSavepoint) {
        // What SQLite does on its own after SQLITE_FULL: the whole transaction is gone.
        let _ = shared.execute_unprepared("ROLLBACK").await;
    }
    let pending = guard.pending.take();
    let savepoint = if guard.unreleased && faults.take(Fault::ReleaseFails) {
        Err(injected("RELEASE"))
    } else if faults.take(Fault::SavepointFails) {
        Err(injected("SAVEPOINT"))
    } else {
        // One text: the last write's savepoint released, its last statements, this write's
        // savepoint. The RELEASE goes first: should SQLite have rolled the transaction back,
        // it fails and nothing after it runs (a statement run then would commit on its own).
        let with_values = pending.is_some();
        let mut text = Vec::with_capacity(3);
        if guard.unreleased {
            text.push(Statement::from_string(DbBackend::Sqlite, format!("RELEASE SAVEPOINT {SAVEPOINT}")));
        }
        text.extend(pending);
        text.push(Statement::from_string(DbBackend::Sqlite, format!("SAVEPOINT {SAVEPOINT}")));
        let text = super::joined(DbBackend::Sqlite, text);
        if with_values {
            shared.execute_raw(text).await.map(drop)
        } else {
            shared.execute_unprepared(&text.sql).await.map(drop)
        }
    };
    guard.unreleased = false;
    let failure = match savepoint {
        // The last write's statements or its RELEASE failed: its rows cannot be told apart
        // from this one's, and the whole shared transaction goes.
        Err(error) => Some(NotSaved::from_error("could not open the write's savepoint", &error)),
        // SAVEPOINT outside a transaction starts one: it succeeds, but the writes before it
        // in the shared transaction are gone.
        Ok(()) if inner.hooks.rolled_back() => Some(rolled_back_by_sqlite()),
        Ok(()) => None,
    };
    if let Some(reason) = failure {
        drop(shared);
        inner.abandon(&mut guard, reason.clone()).await;
        return Err(WriteError::NotSaved(reason));
    }
    Ok((shared, Member { guard: Some(guard), inner: inner.clone() }))
}

/// The batch writer: each time whole writes are queued, it takes the writer and sends those
/// queued by then (see [`Group::write_whole`]).
async fn write_when_queued(state: Weak<Mutex<State>>, inner: Arc<Inner>) {
    loop {
        inner.queued.notified().await;
        let Some(state) = state.upgrade() else {
            return;
        };
        while write_batch(&state, &inner).await {}
    }
}

/// Writes the whole writes queued once it holds the writer, at most [`BATCH`] of them; true when
/// more are left.
async fn write_batch(state: &Arc<Mutex<State>>, inner: &Arc<Inner>) -> bool {
    if inner.queue().is_empty() {
        return false;
    }
    // The writer first, the batch then: writes queued while it waits for its turn join it.
    let begun = begin(state.clone(), inner, Footprint::Small).await;
    let (batch, more) = {
        let mut queue = inner.queue();
        // A write whose request is gone (its client left) is not written.
        queue.retain(|whole| !whole.done.is_closed());
        let taken = queue.len().min(BATCH);
        let batch: Vec<Whole> = queue.drain(..taken).collect();
        (batch, !queue.is_empty())
    };
    let (shared, mut member) = match begun {
        Ok(begun) => begun,
        Err(error) => {
            // The writer could not be taken (its transaction lost, or no connection): these
            // writes are refused as any would be; the next ones try again.
            let reason = not_saved(error, "could not begin the write");
            for whole in batch {
                let _ = whole.done.send(Err(WriteError::NotSaved(reason.clone())));
            }
            return more;
        }
    };
    let (mut texts, dones): (Vec<Statement>, Vec<_>) = batch.into_iter().map(|w| (w.text, w.done)).unzip();
    let alone = texts.len() == 1;
    let text = match texts.len() {
        0 => {
            // Their clients all left: an empty savepoint, committed with the rest.
            let _ = member.release_after(&shared, Vec::new()).await;
            return more;
        }
        1 => texts.remove(0),
        _ => super::joined(DbBackend::Sqlite, texts.iter().cloned()),
    };
    let outcome = write_in(&shared, member, text).await;
    drop(shared);
    match outcome {
        Ok(member) => member.enlist(dones),
        // Alone, it is told its own error.
        Err(WriteError::Database(error)) if alone => {
            if let Some(done) = dones.into_iter().next() {
                let _ = done.send(Err(WriteError::Database(error)));
            }
        }
        Err(WriteError::Database(_)) => {
            // One of them failed, and its rows are gone with the others': each is written again
            // alone, so that only the one that fails is refused, with its own error.
            for (text, done) in texts.into_iter().zip(dones) {
                match write_alone(state, inner, text).await {
                    Ok(member) => member.enlist([done]),
                    Err(error) => {
                        let _ = done.send(Err(error));
                    }
                }
            }
        }
        // The shared transaction is lost, and with it every write in it: refused.
        Err(WriteError::NotSaved(reason)) => {
            for done in dones {
                let _ = done.send(Err(WriteError::NotSaved(reason.clone())));
            }
        }
    }
    more
}

/// One whole write in a savepoint of its own: the member, once no handle on the shared
/// transaction is left, to be enlisted for the commit.
async fn write_alone(state: &Arc<Mutex<State>>, inner: &Arc<Inner>, text: Statement) -> Result<Member, WriteError> {
    let (shared, member) = begin(state.clone(), inner, Footprint::Small).await?;
    write_in(&shared, member, text).await
}

/// Runs `text` in `member`'s savepoint: on success the member, left to be enlisted for the
/// commit; on failure the savepoint rolled back and the error.
async fn write_in(
    shared: &Arc<DatabaseTransaction>,
    mut member: Member,
    text: Statement,
) -> Result<Member, WriteError> {
    match shared.execute_raw(text).await {
        Ok(_) => {
            member.release_after(shared, Vec::new()).await?;
            Ok(member)
        }
        Err(error) => {
            member.roll_back(shared.clone()).await?;
            Err(WriteError::Database(error))
        }
    }
}

/// The committer: each time it is told, it waits its turn for the writer and commits.
async fn commit_when_due(state: Weak<Mutex<State>>, inner: Arc<Inner>) {
    loop {
        inner.due.notified().await;
        if inner.counts.last_group.load(Ordering::Relaxed) > 1 {
            // Writers are concurrent: a millisecond for those on their way to join the commit.
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        let Some(state) = state.upgrade() else {
            return;
        };
        let mut guard = state.lock().await;
        // A failure has been logged and reported to each write where it happened.
        let _ = commit_pending(&mut guard, &inner).await;
    }
}

/// Commits the shared transaction, if one is open, and tells its writes how it went: success
/// only when COMMIT returned success.
async fn commit_pending(state: &mut State, inner: &Inner) -> Result<(), NotSaved> {
    if let Some(reason) = state.broken.take() {
        inner.abandon(state, reason.clone()).await;
        return Err(reason);
    }
    let Some(shared) = state.shared.take() else {
        return Ok(());
    };
    let shared = match Arc::try_unwrap(shared) {
        Ok(shared) => shared,
        Err(shared) => {
            // A write still holds the transaction: a bug, and nothing in it can be trusted.
            state.shared = Some(shared);
            let reason = NotSaved::new("the shared transaction was still in use at its commit");
            inner.abandon(state, reason.clone()).await;
            return Err(reason);
        }
    };
    // The last write's last statements run only in a transaction known to be there: outside
    // one, each would commit on its own.
    let committed = if inner.hooks.rolled_back() {
        Err(rolled_back_by_sqlite())
    } else if let Some(last) = state.pending.take()
        && let Err(error) = shared.execute_raw(last).await
    {
        drop(shared);
        Err(NotSaved::from_error("could not write the last write's statements", &error))
    } else if inner.hooks.faults.take(Fault::CommitLeftOpen) {
        drop(shared);
        Err(NotSaved::from_error("the commit failed", &injected("COMMIT")))
    } else {
        shared.commit().await.map_err(|error| NotSaved::from_error("the commit failed", &error))
    };
    match committed {
        Ok(()) => {
            inner.counts.commits.fetch_add(1, Ordering::Relaxed);
            inner.counts.writes.fetch_add(state.waiting.len() as u64, Ordering::Relaxed);
            inner.counts.last_group.store(state.waiting.len() as u64, Ordering::Relaxed);
            inner.checkpointer.committed();
            for write in state.waiting.drain(..) {
                // A write that stopped waiting (its request was cancelled) is committed all the same.
                let _ = write.send(Ok(()));
            }
            Ok(())
        }
        Err(reason) => {
            // Whether SQLite rolled back or kept the transaction open, the connection is not to
            // be trusted: it is closed (which rolls back what it holds) and replaced.
            inner.abandon(state, reason.clone()).await;
            inner.replace_writer(state);
            Err(reason)
        }
    }
}

/// Why a write that failed before its statements ran was not saved.
fn not_saved(error: WriteError, step: &str) -> NotSaved {
    match error {
        WriteError::NotSaved(reason) => reason,
        WriteError::Database(error) => NotSaved::from_error(step, &error),
    }
}

fn abandoned() -> Result<(), WriteError> {
    Err(WriteError::NotSaved(NotSaved::new("the shared write transaction was abandoned")))
}

fn rolled_back_by_sqlite() -> NotSaved {
    NotSaved::new("SQLite rolled the shared transaction back (a full disk or an I/O error)")
}

fn injected(step: &str) -> DbErr {
    DbErr::Exec(RuntimeErr::Internal(format!("{step} failed (injected by a test)")))
}
