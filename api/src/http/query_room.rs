//! How many queries execute at once, over HTTP and WebSocket together: each holds its rows,
//! value tree and serialised body until it is answered, so the bound on them is the bound on
//! the server's memory under load. Mutations do not wait here: they queue for the writer, and a
//! group commit should not wait for a reader's turn.

use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The places for queries that execute at once.
#[derive(Debug, Clone)]
pub struct QueryRoom {
    places: Arc<Semaphore>,
}

impl QueryRoom {
    pub fn new(places: usize) -> Self {
        // At least one, or no query would ever run.
        Self { places: Arc::new(Semaphore::new(places.max(1))) }
    }

    /// Waits for a place; the query holds it until its answer is written. The caller bounds the
    /// wait with the request's timeout.
    pub async fn enter(&self) -> Option<OwnedSemaphorePermit> {
        // The semaphore is never closed, so this is always Some.
        self.places.clone().acquire_owned().await.ok()
    }

    /// Places free now.
    pub fn free(&self) -> usize {
        self.places.available_permits()
    }
}
