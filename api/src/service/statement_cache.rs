//! Statement texts kept by their shape. The timeline's window is a union of 44 arms, each
//! repeating the filter; building its text with sea-query on every request was a sixteenth of
//! the server's CPU on a PostgreSQL page, though the text depends only on the filter's shape.
//! A caller keys the text by that shape (the filter's own SQL, placeholders for its values, and
//! whatever else shapes the statement), lays out the values itself, and keeps a text only after
//! checking, on the request that built it, that its values are the ones sea-query laid out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// How many shapes are kept: the filters people combine are few, and an unusual burst of them
/// starts the cache afresh rather than growing it.
const SHAPES: usize = 256;

/// Statement texts by shape.
#[derive(Debug, Default)]
pub struct StatementCache {
    texts: Mutex<HashMap<String, Arc<str>>>,
}

impl StatementCache {
    /// The text kept for `shape`, if any.
    pub fn get(&self, shape: &str) -> Option<Arc<str>> {
        self.texts.lock().unwrap_or_else(PoisonError::into_inner).get(shape).cloned()
    }

    /// Keeps `sql` for `shape`.
    pub fn keep(&self, shape: String, sql: &str) {
        let mut texts = self.texts.lock().unwrap_or_else(PoisonError::into_inner);
        if texts.len() >= SHAPES {
            texts.clear();
        }
        texts.insert(shape, Arc::from(sql));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_cache_starts_afresh() {
        let cache = StatementCache::default();
        for shape in 0..SHAPES {
            cache.keep(shape.to_string(), "SELECT 1");
        }
        assert!(cache.get("0").is_some());
        cache.keep("one more".into(), "SELECT 2");
        assert!(cache.get("0").is_none(), "the old shapes are gone");
        assert_eq!(cache.get("one more").as_deref(), Some("SELECT 2"));
    }
}
