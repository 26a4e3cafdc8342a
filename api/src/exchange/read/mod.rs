//! The readers: each turns a file, record by record, into [`Record`]s for the writer, naming the
//! line (or path) of every record so that errors can point at it.

mod csv;
mod document;
mod jsonl;
mod keys;
mod timelinejs;

use std::io::{BufRead, BufReader, Read};

use super::error::{ImportError, Position};
use super::format::Format;
use super::record::Record;

pub use keys::derived_key;

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

/// Reads `input` in `format`; a `.json` file is told apart (TimelineJS or `chronik/1`) by its start.
pub fn read(format: Format, input: impl Read, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut input = BufReader::with_capacity(256 * 1024, input);
    let format = match format {
        Format::Json => Format::sniff(input.fill_buf()?),
        other => other,
    };
    match format {
        Format::JsonLines => jsonl::read(input, sink),
        Format::Json => document::read(input, sink),
        Format::Csv => csv::read(input, sink),
        Format::TimelineJs => timelinejs::read(input, sink),
        other => Err(ImportError::invalid(None, "format", format!("Chronik cannot import {other}"))),
    }
}
