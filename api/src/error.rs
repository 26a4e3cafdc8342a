//! The service layer's error: what went wrong, in terms a client can act on.

use sea_orm::DbErr;

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
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl ServiceError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation { field: field.into(), message: message.into() }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Self::NotFound { entity, id: id.to_string() }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
