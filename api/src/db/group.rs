//! Group commit for SQLite's single writer: writes that queue for the writer while another is
//! running share its transaction, each in a savepoint of its own, and one commit (one fsync)
//! makes them all durable. A write is acknowledged only once that commit has returned, so
//! nothing acknowledged can be lost; a write that fails rolls back to its savepoint and leaves
//! the others alone.
//!
//! The writer's state sits behind a fair (FIFO) lock. A write takes the lock, opens the shared
//! transaction if none is open, works inside a savepoint, releases it, and hands its place to
//! the next in line while it waits for the commit. The committer, told after every write, queues
//! for the lock like a write does: by the time it gets it, every write that queued before it has
//! had its turn, and it commits them together. Alone, a write is committed at once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard, oneshot};

/// What the writer holds: the shared transaction, and the writes in it waiting for its commit.
#[derive(Default)]
struct State {
    shared: Option<DatabaseTransaction>,
    waiting: Vec<oneshot::Sender<Result<(), String>>>,
    counts: Arc<Counts>,
}

/// How many writes were committed, in how many commits.
#[derive(Debug, Default)]
pub struct Counts {
    writes: AtomicU64,
    commits: AtomicU64,
}

/// The counts at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitCounts {
    /// Writes acknowledged.
    pub writes: u64,
    /// Commits that made them durable.
    pub commits: u64,
}

/// The group-commit writer of one SQLite database.
pub struct Group {
    writer: DatabaseConnection,
    state: Arc<Mutex<State>>,
    due: Arc<Notify>,
    counts: Arc<Counts>,
}

/// A write's place in the group: held while it works, given up when it commits or rolls back.
pub struct Member {
    guard: Option<OwnedMutexGuard<State>>,
    due: Arc<Notify>,
}

impl Group {
    /// A group over `writer` (a pool of one connection); starts its committer.
    pub fn new(writer: DatabaseConnection) -> Self {
        let counts = Arc::new(Counts::default());
        let state = Arc::new(Mutex::new(State { counts: counts.clone(), ..State::default() }));
        let due = Arc::new(Notify::new());
        tokio::spawn(commit_when_due(Arc::downgrade(&state), due.clone()));
        Self { writer, state, due, counts }
    }

    /// How many writes have been committed so far, in how many commits.
    pub fn counts(&self) -> CommitCounts {
        CommitCounts {
            writes: self.counts.writes.load(Ordering::Relaxed),
            commits: self.counts.commits.load(Ordering::Relaxed),
        }
    }

    /// Takes the writer: a savepoint in the shared transaction (which this opens, `BEGIN
    /// IMMEDIATE`, when none is open), and the place that keeps other writes out until it ends.
    pub async fn begin(&self) -> Result<(DatabaseTransaction, Member), DbErr> {
        let mut guard = self.state.clone().lock_owned().await;
        let shared = match guard.shared.take() {
            Some(shared) => shared,
            None => {
                let options = TransactionOptions {
                    sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                    ..TransactionOptions::default()
                };
                self.writer.begin_with_options(options).await?
            }
        };
        let savepoint = shared.begin().await;
        guard.shared = Some(shared);
        let member = Member { guard: Some(guard), due: self.due.clone() };
        Ok((savepoint?, member))
    }

    /// Commits what is pending now (before the database is closed).
    pub async fn flush(&self) -> Result<(), DbErr> {
        commit_pending(&mut *self.state.lock().await).await.map_err(DbErr::Custom)
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        // Wakes the committer, which then finds the state gone and ends.
        self.due.notify_one();
    }
}

impl Member {
    /// After the write's savepoint is released: waits until the shared transaction holding it
    /// has been committed.
    pub async fn committed(mut self) -> Result<(), DbErr> {
        let (sender, receiver) = oneshot::channel();
        if let Some(mut guard) = self.guard.take() {
            guard.waiting.push(sender);
        }
        self.due.notify_one();
        match receiver.await {
            Ok(result) => result.map_err(DbErr::Custom),
            Err(_) => Err(DbErr::Custom("the shared write transaction was abandoned".into())),
        }
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        // A write that ends without `committed` (rolled back, or failed) gives up its place too;
        // whatever the shared transaction holds still gets committed.
        drop(self.guard.take());
        self.due.notify_one();
    }
}

/// The committer: each time it is told, it waits its turn for the writer and commits.
async fn commit_when_due(state: Weak<Mutex<State>>, due: Arc<Notify>) {
    loop {
        due.notified().await;
        let Some(state) = state.upgrade() else {
            return;
        };
        let mut guard = state.lock().await;
        if let Err(error) = commit_pending(&mut guard).await {
            tracing::error!(%error, "a group commit failed; its writes were refused");
        }
    }
}

/// Commits the shared transaction, if one is open, and tells its writes how it went.
async fn commit_pending(state: &mut State) -> Result<(), String> {
    let Some(shared) = state.shared.take() else {
        return Ok(());
    };
    let result = shared.commit().await.map_err(|error| format!("the commit failed: {error}"));
    if result.is_ok() {
        state.counts.commits.fetch_add(1, Ordering::Relaxed);
        state.counts.writes.fetch_add(state.waiting.len() as u64, Ordering::Relaxed);
    }
    for write in state.waiting.drain(..) {
        // A write that stopped waiting (its request was cancelled) is committed all the same.
        let _ = write.send(result.clone());
    }
    result
}
