//! Fuzzy dates for Chronik: dates as sources give them, with their precision,
//! their EDTF level-1 qualifiers and the span of instants they cover.
//!
//! A [`FuzzyDate`] keeps the text exactly as typed and knows the first instant
//! ([`FuzzyDate::earliest`]) and last whole second ([`FuzzyDate::latest`]) it spans.
//!
//! # Grammar
//!
//! ISO 8601 extended format plus EDTF level 1:
//!
//! | text                      | precision |
//! |---------------------------|-----------|
//! | `20XX`                    | century (2000–2099) |
//! | `202X`                    | decade (2020–2029) |
//! | `2024`                    | year |
//! | `2024-02`                 | month |
//! | `2024-W08`                | ISO week, Monday to Sunday |
//! | `2024-02-19`              | day |
//! | `2024-02-19T10`           | hour |
//! | `2024-02-19T10:15`        | minute |
//! | `2024-02-19T10:15:30`     | second |
//!
//! A time may be followed by `Z`, `±HH:MM`, `±HHMM` or `±HH`; that offset wins over
//! the zone passed to [`FuzzyDate::parse`]. Any date may end with one qualifier:
//! `~` approximate, `?` uncertain, `%` both. Qualifiers do not change the span.
//!
//! ```
//! use fuzzydate::{FuzzyDate, Precision};
//!
//! let date: FuzzyDate = "2024-02~".parse()?;
//! assert_eq!(date.precision(), Precision::Month);
//! assert!(date.approximate());
//! assert_eq!(date.latest().to_rfc3339(), "2024-02-29T23:59:59+00:00");
//! assert_eq!(date.describe(), "February 2024 (month precision, approximate)");
//! # Ok::<(), fuzzydate::ParseError>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo
    )
)]

mod describe;
mod error;
mod parse;
mod precision;
mod span;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

pub use error::ParseError;
pub use precision::Precision;

use span::Reference;

/// A date as a source gave it: the text, its precision, its qualifiers and the
/// instants it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzyDate {
    text: String,
    precision: Precision,
    approximate: bool,
    uncertain: bool,
    /// The first local date-time of the unit (for a week, its Monday).
    start: NaiveDateTime,
    reference: Reference,
    earliest: DateTime<Utc>,
    latest: DateTime<Utc>,
}

impl FuzzyDate {
    /// Parses `text` (exactly as typed; leading or trailing whitespace is an error).
    ///
    /// Dates without an explicit UTC offset are read in `zone` (an IANA zone such as
    /// `Europe/Berlin`) when given, else in UTC. A local time skipped by a clock change
    /// maps to the first valid instant after it; one that occurs twice counts from
    /// its earlier occurrence to its later one.
    pub fn parse(text: &str, zone: Option<Tz>) -> Result<FuzzyDate, ParseError> {
        let parsed = parse::parse(text)?;
        let reference = match (parsed.designator, zone) {
            (Some(offset), _) => Reference::Offset(offset),
            (None, Some(tz)) => Reference::Zone(tz),
            (None, None) => Reference::Utc,
        };
        let (earliest, latest) = span::span(parsed.precision, parsed.start, reference)?;
        Ok(FuzzyDate {
            text: text.to_owned(),
            precision: parsed.precision,
            approximate: parsed.approximate,
            uncertain: parsed.uncertain,
            start: parsed.start,
            reference,
            earliest,
            latest,
        })
    }

    /// The text exactly as it was parsed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How precisely the date was given.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Whether the date is approximate (qualifier `~` or `%`).
    pub fn approximate(&self) -> bool {
        self.approximate
    }

    /// Whether the date is uncertain (qualifier `?` or `%`).
    pub fn uncertain(&self) -> bool {
        self.uncertain
    }

    /// The first instant of the span.
    pub fn earliest(&self) -> DateTime<Utc> {
        self.earliest
    }

    /// The last whole second of the span, inclusive: `2024-02` read in UTC ends at
    /// `2024-02-29T23:59:59Z`.
    pub fn latest(&self) -> DateTime<Utc> {
        self.latest
    }

    /// The IANA zone the span was computed in: the `zone` given to
    /// [`parse`](FuzzyDate::parse), or `None` when none was given or the text carries
    /// its own UTC offset. `FuzzyDate::parse(d.text(), d.zone())` reproduces `d`.
    pub fn zone(&self) -> Option<Tz> {
        match self.reference {
            Reference::Zone(tz) => Some(tz),
            Reference::Utc | Reference::Offset(_) => None,
        }
    }

    /// Plain English for what was understood, e.g.
    /// `February 2024 (month precision, approximate)`,
    /// `week 8 of 2024 (19–25 February, week precision)`,
    /// `1 March 2024, 22:00 UTC+01:00 (minute precision)` or
    /// `the 2020s (decade precision)`.
    pub fn describe(&self) -> String {
        describe::describe(&describe::Described {
            precision: self.precision,
            start: self.start,
            reference: self.reference,
            approximate: self.approximate,
            uncertain: self.uncertain,
        })
    }
}

impl fmt::Display for FuzzyDate {
    /// Writes [`text`](FuzzyDate::text).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for FuzzyDate {
    type Err = ParseError;

    /// Parses in UTC: `FuzzyDate::parse(text, None)`.
    fn from_str(text: &str) -> Result<FuzzyDate, ParseError> {
        FuzzyDate::parse(text, None)
    }
}
