//! The readers: each turns a file, record by record, into [`Record`](super::record::Record)s for the writer, naming the
//! line (or path) of every record so that errors can point at it.

mod acled;
mod csv;
mod document;
mod ftm;
mod gdelt;
mod jsonl;
mod keys;
mod quotes;
mod rows;
mod sink;
mod timelinejs;

use std::io::{BufRead, BufReader, Read};

use super::error::ImportError;
use super::format::Format;

pub use keys::derived_key;
pub use sink::{Sink, Stopped};
pub use timelinejs::{ERA_KIND, TITLE_KIND};

/// Reads `input` in `format`; a `.json` file is told apart (TimelineJS or `chronik/1`) by its
/// start, a `.csv` file (GDELT's tab-separated events or CSV) by its first line.
pub fn read(format: Format, input: impl Read, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut input = BufReader::with_capacity(256 * 1024, input);
    let format = match format {
        Format::Json => Format::sniff(input.fill_buf()?),
        Format::Csv => Format::sniff_csv(input.fill_buf()?),
        other => other,
    };
    match format {
        Format::JsonLines => jsonl::read(input, sink),
        Format::Json => document::read(input, sink),
        Format::Csv => csv::read(input, sink),
        Format::TimelineJs => timelinejs::read(input, sink),
        Format::FollowTheMoney => ftm::read(input, sink),
        Format::Acled => csv::read_acled(input, sink),
        Format::Gdelt => gdelt::read(input, sink),
        other @ (Format::ICalendar | Format::GraphMl | Format::Gexf) => {
            Err(ImportError::invalid(None, "format", format!("Chronik cannot import {other}")))
        }
    }
}
