//! The FuzzyDate type: a date exactly as precise as its source, with the span it covers.

use async_graphql::{Enum, Object};
use chrono::{DateTime, Utc};

use crate::service::dates::DateView;

/// How precise a date is, from a century down to a second.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum DatePrecision {
    Century,
    Decade,
    Year,
    Month,
    /// An ISO week (Monday to Sunday), e.g. `2024-W08`.
    Week,
    Day,
    Hour,
    Minute,
    Second,
}

impl From<fuzzydate::Precision> for DatePrecision {
    fn from(precision: fuzzydate::Precision) -> Self {
        match precision {
            fuzzydate::Precision::Century => DatePrecision::Century,
            fuzzydate::Precision::Decade => DatePrecision::Decade,
            fuzzydate::Precision::Year => DatePrecision::Year,
            fuzzydate::Precision::Month => DatePrecision::Month,
            fuzzydate::Precision::Week => DatePrecision::Week,
            fuzzydate::Precision::Day => DatePrecision::Day,
            fuzzydate::Precision::Hour => DatePrecision::Hour,
            fuzzydate::Precision::Minute => DatePrecision::Minute,
            fuzzydate::Precision::Second => DatePrecision::Second,
        }
    }
}

/// A date as precise as its source allows: ISO 8601 of any precision with EDTF level-1
/// qualifiers (`2024`, `2024-02`, `2024-W08`, `2024-02-19`, `2024-03-01T22:00+01:00`, `2024-02~`, `2024-02?`, `202X`).
pub struct FuzzyDate(pub DateView);

#[Object]
impl FuzzyDate {
    /// The date exactly as it was entered.
    async fn value(&self) -> &str {
        &self.0.value
    }

    async fn precision(&self) -> DatePrecision {
        self.0.precision.into()
    }

    /// The first instant the date covers.
    async fn earliest(&self) -> DateTime<Utc> {
        self.0.earliest
    }

    /// The last second the date covers (inclusive).
    async fn latest(&self) -> DateTime<Utc> {
        self.0.latest
    }

    /// EDTF `~` or `%`: the source gives the date as approximate.
    async fn approximate(&self) -> bool {
        self.0.approximate()
    }

    /// EDTF `?` or `%`: the source is unsure of the date.
    async fn uncertain(&self) -> bool {
        self.0.uncertain()
    }

    /// What Chronik understood, in words: "February 2024 (month precision)".
    async fn description(&self) -> String {
        self.0.describe()
    }
}
