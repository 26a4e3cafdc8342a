//! What goes wrong in an import, and where in the file.

use std::fmt;

use sea_orm::DbErr;

use crate::db::{NotSaved, WriteError};
use crate::error::ServiceError;

/// Where a record is in the file: its line (JSON Lines, CSV) or its path in a JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    Line(u64),
    Path(String),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(line) => write!(f, "line {line}"),
            Position::Path(path) => f.write_str(path),
        }
    }
}

/// Why an import failed; nothing of the file was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A record is malformed or breaks a rule: `field` names the culprit within the record.
    #[error("{}", describe(.at.as_ref(), .field, .message))]
    Invalid { at: Option<Position>, field: String, message: String },
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// The import's transaction was lost at its commit (a full disk): nothing was written.
    #[error("{0}")]
    NotSaved(NotSaved),
}

impl From<WriteError> for ImportError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Database(error) => Self::Database(error),
            WriteError::NotSaved(reason) => Self::NotSaved(reason),
        }
    }
}

fn describe(at: Option<&Position>, field: &str, message: &str) -> String {
    match (at, field.is_empty()) {
        (Some(Position::Path(path)), true) => format!("{path}: {message}"),
        (Some(Position::Path(path)), false) => format!("{path}.{field}: {message}"),
        (Some(at), true) => format!("{at}: {message}"),
        (Some(at), false) => format!("{at}, field {field}: {message}"),
        (None, true) => message.to_owned(),
        (None, false) => format!("{field}: {message}"),
    }
}

impl ImportError {
    pub fn invalid(at: Option<Position>, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { at, field: field.into(), message: message.into() }
    }

    /// A service error about one record, placed at its position.
    pub fn at(at: &Position, error: ServiceError) -> Self {
        match error {
            ServiceError::Validation { field, message } => Self::invalid(Some(at.clone()), field, message),
            ServiceError::Database(error) => Self::Database(error),
            other => Self::invalid(Some(at.clone()), "", other.to_string()),
        }
    }

    /// A service error about no record in particular (the history of a batch, the commit).
    pub fn unplaced(error: ServiceError) -> Self {
        match error {
            ServiceError::Database(error) => Self::Database(error),
            other => Self::invalid(None, "", other.to_string()),
        }
    }

    /// The line (or path) of the record at fault, if the error is about one.
    pub fn position(&self) -> Option<&Position> {
        match self {
            Self::Invalid { at, .. } => at.as_ref(),
            _ => None,
        }
    }
}

impl From<ImportError> for ServiceError {
    /// For the GraphQL mutation: a bad record is a VALIDATION error of the `data` argument whose
    /// message names the line and field.
    fn from(error: ImportError) -> Self {
        match error {
            ImportError::Database(error) => error.into(),
            ImportError::NotSaved(reason) => WriteError::NotSaved(reason).into(),
            other => ServiceError::validation("data", other.to_string()),
        }
    }
}
