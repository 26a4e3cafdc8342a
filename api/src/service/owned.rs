//! What saved views and stories share: a team member's document, changed by its author or an
//! admin at the version they read, and listed a page at a time.

use crate::error::{ServiceError, ServiceResult};

use super::notes::Writer;

/// The most items one page of views or stories holds.
pub const MAX_PAGE: u64 = 500;

/// Checks `first` (1 to [`MAX_PAGE`]) and `offset` (not negative), naming the argument.
pub fn page(first: i32, offset: i32) -> ServiceResult<(u64, u64)> {
    let first = u64::try_from(first)
        .ok()
        .filter(|first| (1..=MAX_PAGE).contains(first))
        .ok_or_else(|| ServiceError::validation("first", format!("must be between 1 and {MAX_PAGE}")))?;
    let offset = u64::try_from(offset).map_err(|_| ServiceError::validation("offset", "must not be negative"))?;
    Ok((first, offset))
}

/// Whether `writer` may change a document `author` wrote: its author, or an admin.
pub fn may_change(author: Option<&str>, writer: &Writer) -> ServiceResult<()> {
    if writer.admin || author == Some(writer.name.as_str()) { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// An update must name the version it read, and that version must still be the current one.
pub fn at_version(what: &str, current: i32, sent: Option<i32>) -> ServiceResult<i32> {
    let sent =
        sent.ok_or_else(|| ServiceError::validation("version", format!("give the version of the {what} you read")))?;
    if sent != current {
        return Err(ServiceError::Conflict(format!(
            "the {what} was changed since you read it: it is at version {current}, you sent version {sent}"
        )));
    }
    Ok(current + 1)
}
