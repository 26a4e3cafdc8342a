//! Where a reader sends its records, and what tells it the writer has stopped.

use crate::exchange::error::{ImportError, Position};
use crate::exchange::record::Record;

/// The writer stopped taking records (it failed; its error is the one to report).
#[derive(Debug)]
pub struct Stopped;

/// Where a reader sends its records.
pub type Sink<'a> = dyn FnMut(Position, Record) -> Result<(), Stopped> + 'a;

impl From<Stopped> for ImportError {
    fn from(_: Stopped) -> Self {
        ImportError::invalid(None, "", "the import stopped")
    }
}
