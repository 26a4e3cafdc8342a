//! Checkpoints of SQLite's write-ahead log, run beside the writer rather than inside its commits.
//!
//! SQLite checkpoints on its own in the COMMIT that takes the log past 1,000 pages: that commit
//! then copies the log's pages into the database file and syncs it while holding the one writer,
//! and every write queued behind it waits (the p99 of `createEvent` on 1,000,000 events was the
//! checkpoints'). Here a connection of its own runs a PASSIVE checkpoint shortly after commits,
//! which SQLite lets run while the writer goes on writing and readers go on reading. The
//! writer's own checkpoint stays, at a larger size (`connect::WRITER_AUTOCHECKPOINT_PAGES`), as the
//! bound on the log should this one fall behind (a reader holding an old snapshot keeps a
//! checkpoint from finishing).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};
use tokio::sync::Notify;

use super::connect;

/// How long after a commit the checkpoint runs: the commits in between are copied by the same one.
const DELAY: Duration = Duration::from_millis(100);

/// SQLite's page cache of the checkpointer's connection, in KiB: it copies pages, it reads none.
const CACHE_KIB: i64 = 1_024;

/// Runs the checkpoints of one database; told of each commit.
pub struct Checkpointer {
    shared: Arc<Shared>,
}

struct Shared {
    due: Notify,
    closed: AtomicBool,
    connection: DatabaseConnection,
}

impl Checkpointer {
    /// Opens the checkpointer's connection to the database at `url` and starts it; it ends when
    /// closed, or when the handle is dropped.
    pub async fn start(url: &str) -> Result<Self, DbErr> {
        let connection = connect::open(url, 1, CACHE_KIB, None, None).await?;
        let shared = Arc::new(Shared { due: Notify::new(), closed: AtomicBool::new(false), connection });
        tokio::spawn(run(Arc::downgrade(&shared)));
        Ok(Self { shared })
    }

    /// After a commit.
    pub fn committed(&self) {
        self.shared.due.notify_one();
    }

    /// Stops checkpointing and closes the connection (waiting for a checkpoint under way), so
    /// that the writer's close, the last, checkpoints the whole log and removes it.
    pub async fn close(&self) -> Result<(), DbErr> {
        self.shared.closed.store(true, Ordering::Release);
        self.shared.due.notify_one();
        self.shared.connection.clone().close().await
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        // Wakes the task, which then finds the handle gone and ends.
        self.shared.due.notify_one();
    }
}

async fn run(shared: Weak<Shared>) {
    loop {
        let Some(due) = shared.upgrade() else { return };
        due.due.notified().await;
        drop(due);
        tokio::time::sleep(DELAY).await;
        let Some(shared) = shared.upgrade() else { return };
        if shared.closed.load(Ordering::Acquire) {
            return;
        }
        if let Err(error) = shared.connection.execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await {
            tracing::warn!(%error, "a checkpoint of the write-ahead log failed (the writer's own will run)");
        }
    }
}
