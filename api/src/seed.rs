//! The example affair a new database starts with: the Taurus leak of March 2024, reconstructed
//! from one Wall Street Journal article as a `chronik/1` document, and loaded as any file is,
//! through [`exchange::import()`] (its keys become the rows' external IDs, its history is recorded).

use crate::db::Database;
use crate::exchange::{self, Format, ImportError, ImportSummary};

/// The example affair: the Taurus leak of March 2024, from the WSJ article in `shared/seeds`.
pub const EXAMPLE: &str = include_str!("seed/taurus-leak.json");

/// Loads the example affair, [`EXAMPLE`], in one transaction. Loading it again updates the same
/// rows, as importing any file twice does.
pub async fn load_example(db: &Database) -> Result<ImportSummary, ImportError> {
    exchange::import(db, Format::Json, EXAMPLE.as_bytes()).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::chronik::{Document, FORMAT};

    #[test]
    fn the_example_is_a_chronik_document() {
        let document: Document = serde_json::from_str(EXAMPLE).expect("the example parses");
        assert_eq!(document.format, FORMAT);
        assert!(document.events.len() >= 12);
    }
}
