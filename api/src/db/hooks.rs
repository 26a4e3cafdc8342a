//! SQLite's commit and rollback hooks on the writer connection: how the group commit learns that
//! SQLite rolled a transaction back on its own (it may, on a full disk or an I/O error), and the
//! failures tests inject into commits and savepoints.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::future::BoxFuture;
use sea_orm::sqlx::SqliteConnection;
use sea_orm::sqlx::pool::PoolConnectionMetadata;

/// What the writer connection's hooks report, shared by every connection the writer opens.
#[derive(Debug, Default)]
pub struct WriterHooks {
    rolled_back: AtomicBool,
    /// Failures to inject; none unless a test arms them.
    pub faults: Arc<Faults>,
}

impl WriterHooks {
    pub fn new(faults: Arc<Faults>) -> Self {
        Self { rolled_back: AtomicBool::new(false), faults }
    }

    /// Forgets earlier rollbacks: called once a new shared transaction has begun (a rollback
    /// before it, of a statement run outside the group, is no loss of the group's writes).
    pub fn begin(&self) {
        self.rolled_back.store(false, Ordering::SeqCst);
    }

    /// Whether SQLite rolled back a whole transaction since [`WriterHooks::begin`] (savepoints
    /// rolled back to do not count: SQLite's rollback hook ignores them).
    pub fn rolled_back(&self) -> bool {
        self.rolled_back.load(Ordering::SeqCst)
    }

    /// Installs the hooks on a newly opened writer connection (sqlx's `after_connect`).
    pub fn install<'c>(
        self: &Arc<Self>,
        connection: &'c mut SqliteConnection,
        _: PoolConnectionMetadata,
    ) -> BoxFuture<'c, Result<(), sea_orm::sqlx::Error>> {
        let hooks = self.clone();
        Box::pin(async move {
            let mut handle = connection.lock_handle().await?;
            let rollbacks = hooks.clone();
            handle.set_rollback_hook(move || rollbacks.rolled_back.store(true, Ordering::SeqCst));
            // sqlx's hook returns whether the commit may go ahead; false turns it into a rollback:
            // a real failed COMMIT, for tests.
            let faults = hooks.faults.clone();
            handle.set_commit_hook(move || !faults.take(Fault::CommitRolledBack));
            Ok(())
        })
    }
}

/// A failure the group commit can be made to meet, each the way SQLite or the disk produce it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// COMMIT fails and SQLite rolls the transaction back (a commit hook refuses it).
    CommitRolledBack,
    /// COMMIT fails and the transaction stays open, as with SQLITE_BUSY (the COMMIT is not sent).
    CommitLeftOpen,
    /// SQLite rolls the whole transaction back just as a write ends, as it may on SQLITE_FULL:
    /// the write's rows are gone before it is acknowledged.
    RollbackBeforeRelease,
    /// SQLite rolls the whole transaction back just before a write's savepoint is made: the
    /// SAVEPOINT then succeeds, silently starting a new transaction.
    RollbackBeforeSavepoint,
    /// RELEASE of the last write's savepoint, sent with the next write's SAVEPOINT, fails (it is
    /// not sent; the savepoint's rows stay).
    ReleaseFails,
    /// SAVEPOINT fails (it is not sent).
    SavepointFails,
}

const FAULTS: usize = 6;

impl Fault {
    fn index(self) -> usize {
        match self {
            Fault::CommitRolledBack => 0,
            Fault::CommitLeftOpen => 1,
            Fault::RollbackBeforeRelease => 2,
            Fault::RollbackBeforeSavepoint => 3,
            Fault::ReleaseFails => 4,
            Fault::SavepointFails => 5,
        }
    }
}

/// Failures armed by tests (through [`crate::db::DatabaseOptions::faults`]); the server never
/// arms any.
#[derive(Debug, Default)]
pub struct Faults {
    /// Per fault: how many occurrences pass before the armed ones, and how many fail.
    armed: std::sync::Mutex<[(u32, u32); FAULTS]>,
}

impl Faults {
    /// Makes the next `times` occurrences of the step fail as `fault` says.
    pub fn arm(&self, fault: Fault, times: u32) {
        self.arm_after(fault, 0, times);
    }

    /// Lets `skip` occurrences of the step pass, then makes the next `times` fail.
    pub fn arm_after(&self, fault: Fault, skip: u32, times: u32) {
        self.lock()[fault.index()] = (skip, times);
    }

    /// How many armed failures of this kind have not happened yet.
    pub fn pending(&self, fault: Fault) -> u32 {
        self.lock()[fault.index()].1
    }

    /// Whether this occurrence should fail (and counts it).
    pub fn take(&self, fault: Fault) -> bool {
        let mut armed = self.lock();
        let (skip, times) = &mut armed[fault.index()];
        if *times == 0 {
            false
        } else if *skip > 0 {
            *skip -= 1;
            false
        } else {
            *times -= 1;
            true
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, [(u32, u32); FAULTS]> {
        self.armed.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
