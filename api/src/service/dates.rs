//! Fuzzy dates as the database stores them: the text as typed, its precision rank and the span in Unix seconds.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use fuzzydate::{FuzzyDate, Precision};

use crate::error::{ServiceError, ServiceResult};

/// A fuzzy date ready for the columns `*_value`, `*_precision`, `*_earliest`, `*_latest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDate {
    pub value: String,
    pub precision: i16,
    pub earliest: i64,
    pub latest: i64,
}

/// Parses what the user typed (surrounding whitespace ignored) in `zone`, naming `field` when it fails.
pub fn parse(field: &str, text: &str, zone: Option<Tz>) -> ServiceResult<StoredDate> {
    let date =
        FuzzyDate::parse(text.trim(), zone).map_err(|error| ServiceError::validation(field, error.to_string()))?;
    Ok(StoredDate {
        value: date.text().to_owned(),
        precision: date.precision().rank(),
        earliest: date.earliest().timestamp(),
        latest: date.latest().timestamp(),
    })
}

/// A stored fuzzy date as read back, for the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateView {
    pub value: String,
    pub precision: Precision,
    pub earliest: DateTime<Utc>,
    pub latest: DateTime<Utc>,
    pub zone: Option<Tz>,
}

impl DateView {
    /// Rebuilds the view from columns; `None` when the row holds no date.
    pub fn from_columns(
        value: Option<&str>,
        precision: Option<i16>,
        earliest: Option<i64>,
        latest: Option<i64>,
        zone: Option<&str>,
    ) -> Option<Self> {
        let value = value?;
        Some(Self {
            value: value.to_owned(),
            precision: Precision::from_rank(precision?)?,
            earliest: DateTime::from_timestamp(earliest?, 0)?,
            latest: DateTime::from_timestamp(latest?, 0)?,
            zone: zone.and_then(|name| name.parse().ok()),
        })
    }

    pub fn approximate(&self) -> bool {
        self.value.ends_with('~') || self.value.ends_with('%')
    }

    pub fn uncertain(&self) -> bool {
        self.value.ends_with('?') || self.value.ends_with('%')
    }

    /// What Chronik understood, in words ("February 2024 (month precision)").
    pub fn describe(&self) -> String {
        FuzzyDate::parse(&self.value, self.zone).map(|date| date.describe()).unwrap_or_else(|_| self.value.clone())
    }
}
