//! The error returned when text cannot be read as a fuzzy date.

/// Why a text is not a fuzzy date, and where reading it failed.
///
/// `Display` writes only the message, a sentence meant for the person who typed the
/// date, e.g. `month must be 01–12, found 13`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    message: String,
    offset: usize,
}

impl ParseError {
    pub(crate) fn new(message: impl Into<String>, offset: usize) -> ParseError {
        ParseError { message: message.into(), offset }
    }

    /// The explanation, the same text `Display` writes.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The byte offset in the input where reading failed (0 for problems with the
    /// whole text, such as a date outside the supported range).
    pub fn offset(&self) -> usize {
        self.offset
    }
}
