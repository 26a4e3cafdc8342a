//! The feed of changes to events, for live updates: in-process on SQLite; through PostgreSQL
//! LISTEN/NOTIFY on PostgreSQL, so a change made through one instance reaches the subscribers
//! of every instance.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use uuid::Uuid;

/// The PostgreSQL channel the changes travel on.
const CHANNEL: &str = "chronik_event_changes";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    Created,
    Updated,
    Deleted,
}

/// One change to one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventChange {
    pub kind: ChangeKind,
    pub event_id: Uuid,
    /// The event's version after the change.
    pub version: i32,
}

/// Where changes are announced and heard.
#[derive(Clone)]
pub struct ChangeFeed {
    sender: broadcast::Sender<EventChange>,
    backend: DatabaseBackend,
}

impl ChangeFeed {
    /// A feed for `backend`; on PostgreSQL, also listens to the database at `url`.
    pub fn new(backend: DatabaseBackend, url: &str) -> Self {
        let (sender, _) = broadcast::channel(1024);
        if backend == DatabaseBackend::Postgres {
            tokio::spawn(listen(url.to_owned(), sender.clone()));
        }
        Self { sender, backend }
    }

    /// Changes from now on. A subscriber that falls more than 1,024 changes behind misses some.
    pub fn subscribe(&self) -> broadcast::Receiver<EventChange> {
        self.sender.subscribe()
    }

    /// Inside the write transaction: on PostgreSQL, a NOTIFY, which the database delivers to
    /// every listening instance when (and only if) the transaction commits.
    pub async fn record(&self, txn: &DatabaseTransaction, changes: &[EventChange]) -> Result<(), DbErr> {
        if self.backend != DatabaseBackend::Postgres {
            return Ok(());
        }
        for change in changes {
            let payload = serde_json::to_string(change).map_err(|error| DbErr::Custom(error.to_string()))?;
            txn.execute_raw(Statement::from_sql_and_values(
                self.backend,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), payload.into()],
            ))
            .await?;
        }
        Ok(())
    }

    /// After the commit: on SQLite, where this process is the only server, tell its subscribers.
    pub fn committed(&self, changes: &[EventChange]) {
        if self.backend == DatabaseBackend::Postgres {
            return;
        }
        for change in changes {
            // No subscriber is not an error.
            let _ = self.sender.send(*change);
        }
    }
}

/// Relays the database's notifications to this process's subscribers, reconnecting after errors.
async fn listen(url: String, sender: broadcast::Sender<EventChange>) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        let mut listener = match PgListener::connect(&url).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for event changes; retrying in 1 s");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(error) = listener.listen(CHANNEL).await {
            tracing::warn!(%error, "cannot LISTEN for event changes; retrying in 1 s");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        loop {
            match listener.recv().await {
                Ok(notification) => match serde_json::from_str::<EventChange>(notification.payload()) {
                    Ok(change) => {
                        let _ = sender.send(change);
                    }
                    Err(error) => tracing::warn!(%error, "ignoring a malformed event change notification"),
                },
                Err(error) => {
                    tracing::warn!(%error, "lost the event change listener; reconnecting");
                    break;
                }
            }
        }
    }
}
