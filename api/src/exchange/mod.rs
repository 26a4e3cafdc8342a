//! Import and export: Chronik JSON and JSON Lines (lossless), CSV (also the TimelineJS Google-Sheet
//! layout), TimelineJS3 JSON and FollowTheMoney both ways; ACLED's CSV and GDELT 2.0's events in;
//! iCalendar, GraphML and GEXF out.
//!
//! An import is a pipeline: a reader on a blocking thread turns the file, record by record, into
//! [`Record`]s and hands them over a bounded channel to the [`write::Writer`], which checks them and
//! writes them in batches of multi-row statements inside ONE transaction. Nothing of the file is
//! held beyond a batch, so memory stays flat whatever its size; a bad record rolls the whole file
//! back and is reported with its line (or record number) and field. Every row an import creates
//! keeps the record's key as its `external_id`, so importing the same file again updates those
//! rows instead of adding copies.
//!
//! An export streams the timeline in its order (earliest instant, precision, ID) a page at a time.
//! Rows made by hand are keyed by their UUID; imported ones by their external ID; an import keeps
//! the file's order in its new UUIDs, so export → import into an empty database → export is an
//! identity.

pub mod chronik;
mod digest;
mod empty;
pub mod error;
pub mod export;
pub mod format;
pub mod ftm;
pub mod import;
pub mod read;
pub mod record;
pub mod timelinejs;
pub mod write;

pub use error::{ImportError, Position};
pub use export::{ExportError, ExportFilter, ExportSummary, Pace, export, export_paced, story_timeline};
pub use format::Format;
pub use import::{ANALYZE_AFTER, ImportSummary, import, import_bytes, import_cached, import_sized};
pub use record::Record;
