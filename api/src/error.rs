//! The service layer's error: what went wrong, in terms a client can act on.

use sea_orm::DbErr;

use crate::db::{WriteError, is_busy, is_disk_full};

/// Every failure of a service call. The GraphQL layer maps each variant to an `extensions.code`;
/// `Database` is an internal error whose text is logged and never sent to clients.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input is invalid; `field` names the offending input field (e.g. `start`, `participants[1].actorId`).
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("{entity} not found: {id}")]
    NotFound { entity: &'static str, id: String },
    /// The write would overwrite someone else's change or break a rule of the data.
    #[error("{0}")]
    Conflict(String),
    #[error("authentication required")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    /// The write could not be saved (the database's disk is full, or its transaction was lost
    /// at the commit): nothing of it is stored, and the client may try again later.
    #[error("{0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(DbErr),
}

impl From<DbErr> for ServiceError {
    fn from(error: DbErr) -> Self {
        if is_disk_full(&error) {
            tracing::error!(%error, "the database's disk is full");
            return Self::Unavailable(DISK_FULL.into());
        }
        if is_busy(&error) {
            tracing::warn!(%error, "the database is busy: another process holds its write lock");
            return Self::Unavailable(BUSY.into());
        }
        Self::Database(error)
    }
}

impl From<WriteError> for ServiceError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Database(error) => error.into(),
            WriteError::NotSaved(reason) if reason.disk_full => {
                tracing::error!(%reason, "the database's disk is full");
                Self::Unavailable(DISK_FULL.into())
            }
            WriteError::NotSaved(reason) if reason.busy => {
                tracing::warn!(%reason, "the database is busy");
                Self::Unavailable(BUSY.into())
            }
            WriteError::NotSaved(reason) => {
                tracing::error!(%reason, "a write was not saved");
                Self::Unavailable("the write was not saved: the database could not commit it; try again".into())
            }
        }
    }
}

const DISK_FULL: &str = "the write was not saved: the server's disk is full";
/// What a server answers while `chronik import` holds the database (see README, "Importing").
pub const BUSY: &str = "the write was not saved: the database is busy, an import is running (`chronik import` takes the database until it is done); try again when it has finished";

impl ServiceError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation { field: field.into(), message: message.into() }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound { entity, id: id.to_string() }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
