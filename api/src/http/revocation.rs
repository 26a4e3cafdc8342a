//! Which tokens are revoked, for the WebSockets opened with them: one task per server re-reads
//! the names of revoked tokens every few seconds (a revocation may come from the command line or
//! from another instance on PostgreSQL) and at once when this process revokes one; each open
//! WebSocket watches the list and closes (4403) when its token joins it.

use std::collections::HashSet;
use std::sync::{Arc, Weak};
use std::time::Duration;

use entity::access_token;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::sync::watch;

use crate::db::Database;

/// The names of the revoked tokens, as last read.
pub type Revoked = Arc<HashSet<String>>;

/// The list of revoked tokens, kept fresh while any WebSocket watches it.
#[derive(Clone)]
pub struct Revocations {
    sender: Arc<watch::Sender<Revoked>>,
}

impl Revocations {
    /// Starts watching `db` every `every` (the task ends when the server's state is dropped).
    /// Outside a Tokio runtime (a state built for a unit test) nothing is watched.
    pub fn start(db: Database, every: Duration) -> Self {
        let sender = Arc::new(watch::Sender::new(Revoked::default()));
        if tokio::runtime::Handle::try_current().is_ok() {
            tokio::spawn(watch(db, every, Arc::downgrade(&sender)));
        }
        Self { sender }
    }

    /// The list from now on.
    pub fn subscribe(&self) -> watch::Receiver<Revoked> {
        self.sender.subscribe()
    }
}

async fn watch(db: Database, every: Duration, sender: Weak<watch::Sender<Revoked>>) {
    let mut revoked_here = db.revocations();
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            changed = revoked_here.changed() => {
                if changed.is_err() {
                    return;
                }
            }
        }
        let Some(sender) = sender.upgrade() else { return };
        // Nobody with a WebSocket open: nothing to read.
        if sender.receiver_count() == 0 {
            continue;
        }
        let rows =
            access_token::Entity::find().filter(access_token::Column::RevokedAt.is_not_null()).all(db.reader()).await;
        match rows {
            Ok(rows) => {
                let names: HashSet<String> = rows.into_iter().map(|row| row.name).collect();
                sender.send_if_modified(|current| {
                    let changed = **current != names;
                    if changed {
                        *current = Arc::new(names);
                    }
                    changed
                });
            }
            Err(error) => tracing::warn!(%error, "cannot read the revoked tokens; trying again later"),
        }
    }
}
