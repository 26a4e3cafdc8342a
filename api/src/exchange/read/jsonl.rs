//! `chronik/1` as JSON Lines: an optional first line `{"format":"chronik/1"}`, then one record
//! per line, `{"type":"actor",…}`, `source`, `event` or `link`, each an entry of the `chronik/1`
//! document. Read a line at a time, so a file of any size streams; a line is at most
//! [`MAX_RECORD`] bytes, so one huge line cannot take the memory a file of any size does not.

use std::io::{BufRead, Read};

use serde::Deserialize;

use super::sink::Sink;
use crate::exchange::chronik::{ActorEntry, EventEntry, FORMAT, LinkEntry, SourceEntry};
use crate::exchange::error::{ImportError, Position};
use crate::exchange::record::{EventRecord, Record};

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

/// The longest line (one record) read, in bytes: far above any record the rules let through in
/// practice (a summary is at most 20,000 characters), far below what would strain a server.
pub const MAX_RECORD: usize = 16 * 1024 * 1024;

/// Reads one line into `buffer`, at most [`MAX_RECORD`] bytes of it: Ok(false) at the end.
pub(super) fn read_line(input: &mut impl BufRead, buffer: &mut Vec<u8>, at: &Position) -> Result<bool, ImportError> {
    buffer.clear();
    // One byte more than allowed tells a line of exactly MAX_RECORD bytes from a longer one.
    let limit = u64::try_from(MAX_RECORD).unwrap_or(u64::MAX).saturating_add(1);
    let read = input.by_ref().take(limit).read_until(b'\n', buffer)?;
    if buffer.len() > MAX_RECORD && buffer.last() != Some(&b'\n') {
        return Err(ImportError::invalid(
            Some(at.clone()),
            "",
            format!(
                "the record is longer than {} MiB, the most one line may hold; split it, or shorten its texts",
                MAX_RECORD / (1024 * 1024)
            ),
        ));
    }
    Ok(read > 0)
}

pub fn read(mut input: impl BufRead, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut buffer = Vec::new();
    let mut number: u64 = 0;
    let mut first = true;
    loop {
        number += 1;
        let at = Position::Line(number);
        if !read_line(&mut input, &mut buffer, &at)? {
            return Ok(());
        }
        let line = std::str::from_utf8(&buffer)
            .map_err(|_| ImportError::invalid(Some(at.clone()), "", "is not UTF-8 text"))?;
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

/// Parses one line; on failure parses it again, tracking the path to the field at fault (through
/// the entry type the line names, since a tagged enum hides paths).
pub fn parse<T: serde::de::DeserializeOwned>(text: &str, at: &Position) -> Result<T, ImportError> {
    serde_json::from_str(text).map_err(|error| {
        let invalid = |field: String, message: String| ImportError::invalid(Some(at.clone()), field, message);
        let mut value: serde_json::Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(syntax) => return invalid(String::new(), column(&syntax.to_string())),
        };
        let kind = value.as_object_mut().and_then(|map| map.remove("type"));
        let traced = match kind.as_ref().and_then(|kind| kind.as_str()) {
            Some("actor") => trace::<ActorEntry>(value),
            Some("source") => trace::<SourceEntry>(value),
            Some("event") => trace::<EventEntry>(value),
            Some("link") => trace::<LinkEntry>(value),
            _ => None,
        };
        match traced {
            Some((field, message)) => invalid(field, message),
            None => invalid(String::new(), column(&error.to_string())),
        }
    })
}

/// The path and message of the first error deserializing `value` as `T`.
fn trace<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Option<(String, String)> {
    let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
    let path = error.path().to_string();
    let field = if path == "." { String::new() } else { path };
    Some((field, error.into_inner().to_string()))
}

fn column(message: &str) -> String {
    message.replace(" at line 1 column ", " at column ")
}
