//! How a write fails at the database: an error of a statement, or a write that was not saved
//! (its transaction was lost before or at its commit). Neither is ever acknowledged.

use std::fmt;

use sea_orm::{DbErr, RuntimeErr};

/// A write that failed: never acknowledged, and nothing of it is stored.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Database(#[from] DbErr),
    #[error("{0}")]
    NotSaved(NotSaved),
}

/// Why a write's transaction was lost.
#[derive(Debug, Clone)]
pub struct NotSaved {
    what: String,
    /// The database's disk is full (SQLITE_FULL): writes fail until space is freed.
    pub disk_full: bool,
    /// Another process holds the database's write lock (see [`is_busy`]).
    pub busy: bool,
}

impl NotSaved {
    pub fn new(what: impl Into<String>) -> Self {
        Self { what: what.into(), disk_full: false, busy: false }
    }

    /// The step that failed, and the database's error.
    pub fn from_error(step: &str, error: &DbErr) -> Self {
        Self { what: format!("{step}: {error}"), disk_full: is_disk_full(error), busy: is_busy(error) }
    }
}

impl fmt::Display for NotSaved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the write was not saved: {}", self.what)
    }
}

/// Whether SQLite answered SQLITE_FULL (13, in any of its extended forms): the disk is full.
pub fn is_disk_full(error: &DbErr) -> bool {
    // PostgreSQL's SQLSTATE 53100 is "disk full" too; its codes are not numbers.
    code(error).is_some_and(|code| code == "53100" || primary(&code) == Some(13))
}

/// Whether SQLite answered SQLITE_BUSY (5) or SQLITE_LOCKED (6) after its busy timeout: another
/// process (a `chronik import` beside the server) holds the database's write lock.
pub fn is_busy(error: &DbErr) -> bool {
    code(error).is_some_and(|code| matches!(primary(&code), Some(5 | 6)))
}

/// SQLite's primary result code of an extended one.
fn primary(code: &str) -> Option<i32> {
    code.parse::<i32>().ok().map(|extended| extended & 0xff)
}

/// The database's error code, if the error is the database's.
fn code(error: &DbErr) -> Option<String> {
    let (DbErr::Exec(runtime) | DbErr::Query(runtime) | DbErr::Conn(runtime)) = error else {
        return None;
    };
    let RuntimeErr::SqlxError(sqlx) = runtime else {
        return None;
    };
    Some(sqlx.as_database_error()?.code()?.into_owned())
}
