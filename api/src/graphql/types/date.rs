//! The FuzzyDate type: a date exactly as precise as its source, with the span it covers.

use async_graphql::{Enum, Object};
use chrono::{DateTime, Utc};

use crate::service::dates::DateView;

/// How precise a date is, from a millennium down to a second. An interval or a set has the
/// coarsest precision of its dated parts.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum DatePrecision {
    /// A year with three unspecified digits, e.g. `1XXX`.
    Millennium,
    Century,
    Decade,
    Year,
    /// A part of a year: a season, a quarter (`2023-35`), four months or a half (EDTF 21–41).
    Season,
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
            fuzzydate::Precision::Millennium => DatePrecision::Millennium,
            fuzzydate::Precision::Season => DatePrecision::Season,
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

/// A date as precise as its source allows: EDTF levels 0–2 (`2024`, `2024-02~`, `-0044-03-15`,
/// `2023-35`, `1985-XX-12`, `../2019-05`, `2024-03/..`, `[1667,1668]`) and Chronik's own ISO weeks
/// and times (`2024-W08`, `2024-03-01T22:00+01:00`).
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

    /// The first instant the date covers; null when its start is open or unknown (`../2019-05`):
    /// it may have begun at any time before `latest`.
    async fn earliest(&self) -> Option<DateTime<Utc>> {
        self.0.earliest
    }

    /// The last second the date covers (inclusive); null when its end is open or unknown
    /// (`2024-03/..`): it may have lasted any time after `earliest`.
    async fn latest(&self) -> Option<DateTime<Utc>> {
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
