//! What every export format implements: the export calls its writer with actors, then sources,
//! then pages of events, then links.

use entity::{actor, source, source_change};

use super::select::{Link, Page};

/// A format's writer; the export calls it with actors, then sources, then events, then links.
pub trait FormatWriter {
    /// Whether the format has actor, source and link records of their own.
    fn records(&self) -> bool {
        false
    }
    fn begin(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    fn actor(&mut self, _row: &actor::Model) -> std::io::Result<()> {
        Ok(())
    }
    fn source(&mut self, _row: &source::Model) -> std::io::Result<()> {
        Ok(())
    }
    /// A source with its changes (and the keys of the accounts each superseded); formats
    /// without a place for them write the source alone.
    fn source_with_changes(
        &mut self,
        row: &source::Model,
        _changes: &[(source_change::Model, Vec<String>)],
    ) -> std::io::Result<()> {
        self.source(row)
    }
    fn events(&mut self, page: &Page) -> std::io::Result<()>;
    fn link(&mut self, _link: &Link) -> std::io::Result<()> {
        Ok(())
    }
    fn finish(&mut self) -> std::io::Result<()>;
}
