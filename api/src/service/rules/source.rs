//! A source's rules: a title; http(s) URLs; publisher, author and notes; a fuzzy publication date.

use chrono::{DateTime, Utc};
use entity::source;
use sea_orm::ActiveValue::Set;

use super::{MAX_TEXT, MAX_TITLE, optional_text, optional_url, required_text};
use crate::error::ServiceResult;
use crate::service::dates::{self, StoredDate};

/// A source's fields as given, before they are checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct SourceDraft<'a> {
    pub title: &'a str,
    pub url: Option<&'a str>,
    pub publisher: Option<&'a str>,
    pub author: Option<&'a str>,
    /// A fuzzy date.
    pub published: Option<&'a str>,
    pub accessed_at: Option<DateTime<Utc>>,
    pub archive_url: Option<&'a str>,
    pub notes: Option<&'a str>,
}

/// A source's fields, checked: what its columns hold.
#[derive(Debug, Clone)]
pub struct SourceFields {
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub published: Option<StoredDate>,
    pub accessed_at: Option<DateTime<Utc>>,
    pub archive_url: Option<String>,
    pub notes: Option<String>,
}

/// Checks all of a source's fields (a new source, or one a file gives whole).
pub fn fields(draft: SourceDraft<'_>) -> ServiceResult<SourceFields> {
    Ok(SourceFields {
        title: title(draft.title)?,
        url: url(draft.url)?,
        publisher: publisher(draft.publisher)?,
        author: author(draft.author)?,
        published: published(draft.published)?,
        accessed_at: draft.accessed_at,
        archive_url: archive_url(draft.archive_url)?,
        notes: notes(draft.notes)?,
    })
}

impl SourceFields {
    /// Sets the columns these fields fill: all but the source's ID, version, timestamps and
    /// external ID.
    pub fn apply(self, model: &mut source::ActiveModel) {
        model.title = Set(self.title);
        model.url = Set(self.url);
        model.publisher = Set(self.publisher);
        model.author = Set(self.author);
        set_published(model, self.published);
        model.accessed_at = Set(self.accessed_at);
        model.archive_url = Set(self.archive_url);
        model.notes = Set(self.notes);
    }
}

/// Sets the four columns of the publication date.
pub fn set_published(model: &mut source::ActiveModel, date: Option<StoredDate>) {
    model.published_value = Set(date.as_ref().map(|d| d.value.clone()));
    model.published_precision = Set(date.as_ref().map(|d| d.precision));
    model.published_earliest = Set(date.as_ref().map(|d| d.earliest));
    model.published_latest = Set(date.as_ref().map(|d| d.latest));
}

pub fn title(value: &str) -> ServiceResult<String> {
    required_text("title", value, MAX_TITLE)
}

pub fn url(value: Option<&str>) -> ServiceResult<Option<String>> {
    optional_url("url", value)
}

pub fn publisher(value: Option<&str>) -> ServiceResult<Option<String>> {
    optional_text("publisher", value, MAX_TITLE)
}

pub fn author(value: Option<&str>) -> ServiceResult<Option<String>> {
    optional_text("author", value, MAX_TITLE)
}

pub fn published(value: Option<&str>) -> ServiceResult<Option<StoredDate>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => dates::parse("published", text, None).map(Some),
    }
}

pub fn archive_url(value: Option<&str>) -> ServiceResult<Option<String>> {
    optional_url("archiveUrl", value)
}

pub fn notes(value: Option<&str>) -> ServiceResult<Option<String>> {
    optional_text("notes", value, MAX_TEXT)
}
