//! `chronik/1` as JSON Lines: an optional first line `{"format":"chronik/1"}`, then one record
//! per line, `{"type":"actor",…}`, `source`, `event` or `link`, each an entry of the `chronik/1`
//! document. Read a line at a time, so a file of any size streams.

use std::io::BufRead;

use serde::Deserialize;

use super::Sink;
use crate::exchange::error::{ImportError, Position};
use crate::exchange::record::{EventRecord, Record};
use crate::seed::{ActorEntry, EventEntry, FORMAT, LinkEntry, SourceEntry};

/// One line of the file.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Line {
    Actor(ActorEntry),
    Source(SourceEntry),
    Event(EventEntry),
    Link(LinkEntry),
}

impl From<Line> for Record {
    fn from(line: Line) -> Self {
        match line {
            Line::Actor(entry) => Record::Actor(entry),
            Line::Source(entry) => Record::Source(entry),
            Line::Event(entry) => Record::Event(EventRecord::full(entry)),
            Line::Link(entry) => Record::Link(entry),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
}

pub fn read(mut input: impl BufRead, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut line = String::new();
    let mut number: u64 = 0;
    let mut first = true;
    loop {
        line.clear();
        number += 1;
        let at = Position::Line(number);
        let read = input.read_line(&mut line).map_err(|error| match error.kind() {
            std::io::ErrorKind::InvalidData => ImportError::invalid(Some(at.clone()), "", "is not UTF-8 text"),
            _ => ImportError::Io(error),
        })?;
        if read == 0 {
            return Ok(());
        }
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        if std::mem::take(&mut first) && text.starts_with("{\"format\"") {
            let header: Header = parse(text, &at)?;
            if header.format != FORMAT {
                return Err(ImportError::invalid(
                    Some(at),
                    "format",
                    format!("{:?} is not a format this version reads; expected {FORMAT:?}", header.format),
                ));
            }
            continue;
        }
        let record: Line = parse(text, &at)?;
        sink(at, record.into())?;
    }
}

/// Parses one line; on failure parses it again, tracking the path to the field at fault.
pub fn parse<T: serde::de::DeserializeOwned>(text: &str, at: &Position) -> Result<T, ImportError> {
    serde_json::from_str(text).map_err(|_| {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Ok(_) => ImportError::invalid(Some(at.clone()), "", "is not valid JSON"),
            Err(error) => {
                let path = error.path().to_string();
                let field = if path == "." { String::new() } else { path };
                let message = error.into_inner().to_string().replace(" at line 1 column ", " at column ");
                ImportError::invalid(Some(at.clone()), field, message)
            }
        }
    })
}
