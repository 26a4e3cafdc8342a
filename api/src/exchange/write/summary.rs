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
