//! The Subscription root: live changes to events, for the timeline page and other clients.

use async_graphql::{Context, Enum, ID, Object, Result, Subscription};
use futures_util::{Stream, StreamExt};
use tokio_stream::wrappers::BroadcastStream;

use crate::changes::{self, EventChange};
use crate::db::Database;
use crate::graphql::types::{Event, event};
use crate::ids::{self, NodeKind};

#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Updated,
    Deleted,
}

impl From<changes::ChangeKind> for ChangeKind {
    fn from(kind: changes::ChangeKind) -> Self {
        match kind {
            changes::ChangeKind::Created => ChangeKind::Created,
            changes::ChangeKind::Updated => ChangeKind::Updated,
            changes::ChangeKind::Deleted => ChangeKind::Deleted,
        }
    }
}

/// A change to one event.
pub struct EventChangePayload {
    change: EventChange,
    db: Database,
}

#[Object(name = "EventChange")]
impl EventChangePayload {
    async fn kind(&self) -> ChangeKind {
        self.change.kind.into()
    }

    async fn event_id(&self) -> ID {
        ID(ids::encode(NodeKind::Event, self.change.event_id))
    }

    /// The event's version after the change.
    async fn version(&self) -> i32 {
        self.change.version
    }

    /// The event as it is now; null when it was deleted.
    async fn event(&self) -> Result<Option<Event>> {
        let id = self.change.event_id;
        Ok(event::load(&self.db, vec![id]).await?.remove(&id))
    }
}

#[derive(Default)]
pub struct SubscriptionRoot;

#[Subscription]
impl SubscriptionRoot {
    /// Every event created, updated or deleted from now on, through any Chronik instance on this database.
    async fn event_changed(&self, ctx: &Context<'_>) -> Result<impl Stream<Item = EventChangePayload> + use<>> {
        let db = ctx.data::<Database>()?.clone();
        let changes = BroadcastStream::new(db.changes().subscribe());
        // A subscriber too slow to keep up skips what it missed rather than ending the stream.
        Ok(changes.filter_map(move |change| {
            let db = db.clone();
            async move { change.ok().map(|change| EventChangePayload { change, db }) }
        }))
    }
}
