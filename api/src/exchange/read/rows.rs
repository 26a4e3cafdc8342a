//! CSV rows read by column name, shared by the CSV readers (Chronik's columns, the TimelineJS
//! sheet, ACLED's export): the header's names made comparable, a row's cells by name, a record
//! read with an unclosed quote named, and the errors that name a line and a column.

use std::collections::HashMap;
use std::io::BufRead;

use super::quotes::QuoteWatch;
use crate::exchange::error::{ImportError, Position};

/// Column names made comparable: lower case, words joined by `_`.
pub(super) fn normalise(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .split([' ', '_', '-'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// The cells of one row, by column name.
pub(super) struct Row<'r> {
    pub(super) columns: &'r HashMap<String, usize>,
    pub(super) record: &'r csv::StringRecord,
}

impl Row<'_> {
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        let index = *self.columns.get(name)?;
        self.record.get(index).map(str::trim).filter(|cell| !cell.is_empty())
    }

    pub(super) fn owned(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }
}

/// Reads the next row into `record`: Ok(false) at the end of the file.
pub(super) fn next_record<R: BufRead>(
    reader: &mut csv::Reader<QuoteWatch<R>>,
    record: &mut csv::StringRecord,
) -> Result<bool, ImportError> {
    let more = reader.read_record(record).map_err(|error| csv_error(&error))?;
    // A quote left open swallows the rest of the file into one field: say so, not what the
    // swallowed row then lacks.
    if let Some(line) = reader.get_ref().unterminated() {
        return Err(ImportError::invalid(
            Some(Position::Line(line)),
            "",
            "a quoted field opened on this line is never closed (a \" is missing); the rest of the file would be one cell",
        ));
    }
    Ok(more)
}

pub(super) fn csv_error(error: &csv::Error) -> ImportError {
    let at = error.position().map(|p| Position::Line(p.line()));
    ImportError::invalid(at, "", error.to_string())
}

/// A coordinate cell: a number in decimal degrees, or an error naming the column.
pub(super) fn coordinate(at: &Position, row: &Row<'_>, column: &str) -> Result<Option<f64>, ImportError> {
    let Some(cell) = row.get(column) else {
        return Ok(None);
    };
    match cell.parse::<f64>() {
        Ok(number) if number.is_finite() => Ok(Some(number)),
        _ => Err(ImportError::invalid(
            Some(at.clone()),
            column,
            format!("{cell:?} is not a {column} in decimal degrees, such as 52.52"),
        )),
    }
}
