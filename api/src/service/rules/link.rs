//! A link's rules: a kind (an open term), a note, and two different events.

use uuid::Uuid;

use super::{MAX_TEXT, open_term, optional_text};
use crate::error::{ServiceError, ServiceResult};

/// A link's own fields, checked.
#[derive(Debug, Clone)]
pub struct LinkFields {
    pub kind: String,
    pub note: Option<String>,
}

/// Checks a link between the events `from` and `to` (found already); `to_field` is the name of
/// the target's field in the input (`targetId`, or a file's `to`).
pub fn fields(from: Uuid, to: Uuid, to_field: &str, kind: &str, note: Option<&str>) -> ServiceResult<LinkFields> {
    let kind = open_term("kind", kind)?;
    let note = optional_text("note", note, MAX_TEXT)?;
    if from == to {
        return Err(ServiceError::validation(to_field, "an event cannot link to itself"));
    }
    Ok(LinkFields { kind, note })
}
