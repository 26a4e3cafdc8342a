//! What an import did: how many rows of each kind it created and updated.

use serde::Serialize;

/// How many rows an import created and updated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub events_created: usize,
    pub events_updated: usize,
    pub actors_created: usize,
    pub actors_updated: usize,
    pub sources_created: usize,
    pub sources_updated: usize,
    pub links: usize,
}

impl Summary {
    /// Every row created or updated, of every kind.
    pub fn rows(&self) -> usize {
        self.events_created
            + self.events_updated
            + self.actors_created
            + self.actors_updated
            + self.sources_created
            + self.sources_updated
            + self.links
    }
}
