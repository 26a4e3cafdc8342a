//! Fuzzy dates for Chronik: dates as sources give them, with their precision,
//! their qualifiers and the span of instants they cover.
//!
//! A [`FuzzyDate`] keeps the text exactly as typed and knows the first instant
//! ([`FuzzyDate::earliest`]) and last whole second ([`FuzzyDate::latest`]) it spans;
//! an open (`..`) or unknown (empty) end of an interval has none on that side.
//!
//! # Grammar
//!
//! Two parts, one text field:
//!
//! - **EDTF** (ISO 8601-2:2019 Annex A, the Library of Congress Extended Date/Time Format)
//!   levels 0, 1 and 2, read by the maintained [`edtf_core`] crate: `2024`, `2024-02`,
//!   `2024-02-19`, negative years (`-0044-03-15`), `Y`-years, qualifiers on the whole or on
//!   components (`2024-02~`, `2004-?06-11`), unspecified digits anywhere (`1985-XX-12`,
//!   `198X`), seasons and sub-year groupings 21–41 (`2023-35` is the third quarter), intervals
//!   with open (`../2019-05`, `2024-03/..`) or unknown (`/2019`) ends, and sets (`[1667,1668]`
//!   one of, `{1667,1668}` all of), which span from their first to their last member.
//! - **Chronik's own** forms, which EDTF lacks: ISO weeks (`2024-W08`, Monday to Sunday) and
//!   times of day at hour, minute or second precision (`2024-02-19T10`, `…T10:15`,
//!   `…T10:15:30`), followed by `Z`, `±HH:MM`, `±HHMM` or `±HH`, and each with one final
//!   qualifier `~`, `?` or `%`. A text with a `T` or a `W` (and no `/`, `[` or `{`) is read by
//!   Chronik's parser; every other text by EDTF.
//!
//! | text                      | precision |
//! |---------------------------|-----------|
//! | `1XXX`                    | millennium (1000–1999) |
//! | `20XX`                    | century (2000–2099) |
//! | `202X`                    | decade (2020–2029) |
//! | `2024`, `-0044`           | year |
//! | `2023-35`, `2024-21`      | season (a quarter, a season, four months or a half) |
//! | `2024-02`                 | month |
//! | `2024-W08`                | ISO week, Monday to Sunday (Chronik) |
//! | `2024-02-19`, `1985-XX-12`| day |
//! | `2024-02-19T10`           | hour (Chronik) |
//! | `2024-02-19T10:15`        | minute (Chronik) |
//! | `2024-02-19T10:15:30`     | second (Chronik) |
//!
//! An interval or a set has the coarsest precision of its dated parts. Dates without an
//! explicit UTC offset are read in the zone passed to [`FuzzyDate::parse`]: an EDTF day begins
//! at that zone's midnight. Qualifiers do not change the span.
//!
//! ```
//! use fuzzydate::{FuzzyDate, Precision};
//!
//! let date: FuzzyDate = "2024-02~".parse()?;
//! assert_eq!(date.precision(), Precision::Month);
//! assert!(date.approximate());
//! assert_eq!(date.latest().map(|l| l.to_rfc3339()), Some("2024-02-29T23:59:59+00:00".into()));
//! assert_eq!(date.describe(), "February 2024 (month precision, approximate)");
//!
//! let before: FuzzyDate = "../2019-05".parse()?;
//! assert_eq!(before.earliest(), None);
//! assert_eq!(before.latest().map(|l| l.to_rfc3339()), Some("2019-05-31T23:59:59+00:00".into()));
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
mod edtf;
mod error;
mod parse;
mod precision;
mod span;
mod words;

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
    form: Form,
    reference: Reference,
    earliest: Option<DateTime<Utc>>,
    latest: Option<DateTime<Utc>>,
}

/// Which of the two grammars read the text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    /// Chronik's own: a week or a time. `start` is the first local date-time of the unit (for a
    /// week, its Monday).
    Chronik { start: NaiveDateTime },
    /// EDTF, as `edtf-core` read it.
    Edtf(edtf_core::Edtf),
}

/// Whether `text` is one of Chronik's own forms (a week or a time), not EDTF.
fn chronik_form(text: &str) -> bool {
    !text.contains(['/', '[', '{']) && text.contains(['T', 'W'])
}

/// Whether Chronik's own parser explains a text that neither grammar reads better than EDTF's
/// terse messages: anything but EDTF's own signs (intervals, sets, `X` digits, signed or
/// `Y`-years, `..`).
fn plain_iso(text: &str) -> bool {
    !text.contains(['/', '[', '{', 'X']) && !text.contains("..") && !text.starts_with(['-', 'Y'])
}

impl FuzzyDate {
    /// Parses `text` (exactly as typed; leading or trailing whitespace is an error).
    ///
    /// Dates without an explicit UTC offset are read in `zone` (an IANA zone such as
    /// `Europe/Berlin`) when given, else in UTC. A local time skipped by a clock change
    /// maps to the first valid instant after it; one that occurs twice counts from
    /// its earlier occurrence to its later one.
    pub fn parse(text: &str, zone: Option<Tz>) -> Result<FuzzyDate, ParseError> {
        if chronik_form(text) {
            return FuzzyDate::chronik(text, zone, parse::parse(text)?);
        }
        match edtf::read(text) {
            Ok(value) => FuzzyDate::edtf(text, zone, value),
            // Chronik's parser explains a plain ISO date better; and it still reads every text
            // it read before EDTF came, so no stored date becomes unreadable.
            Err(edtf_error) => match parse::parse(text) {
                Ok(parsed) => FuzzyDate::chronik(text, zone, parsed),
                Err(own_error) if plain_iso(text) || text.contains(['T', 'W']) => Err(own_error),
                Err(_) => Err(edtf_error),
            },
        }
    }

    fn chronik(text: &str, zone: Option<Tz>, parsed: parse::Parsed) -> Result<FuzzyDate, ParseError> {
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
            form: Form::Chronik { start: parsed.start },
            reference,
            earliest: Some(earliest),
            latest: Some(latest),
        })
    }

    fn edtf(text: &str, zone: Option<Tz>, value: edtf_core::Edtf) -> Result<FuzzyDate, ParseError> {
        let reference = match zone {
            Some(tz) => Reference::Zone(tz),
            None => Reference::Utc,
        };
        let (first, last) = edtf::days(&value)?;
        let earliest = first.map(|day| span::day_span(day, reference).map(|(earliest, _)| earliest)).transpose()?;
        let latest = last.map(|day| span::day_span(day, reference).map(|(_, latest)| latest)).transpose()?;
        Ok(FuzzyDate {
            text: text.to_owned(),
            precision: edtf::precision(&value),
            approximate: value.is_approximate(),
            uncertain: value.is_uncertain(),
            form: Form::Edtf(value),
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

    /// The first instant of the span; `None` when the start is open or unknown
    /// (`../2019-05`, `/2019-05`, or a set with a `..1760` member).
    pub fn earliest(&self) -> Option<DateTime<Utc>> {
        self.earliest
    }

    /// The last whole second of the span, inclusive: `2024-02` read in UTC ends at
    /// `2024-02-29T23:59:59Z`; `None` when the end is open or unknown (`2024-03/..`).
    pub fn latest(&self) -> Option<DateTime<Utc>> {
        self.latest
    }

    /// Whether the text is EDTF (read by `edtf-core`) rather than one of Chronik's own forms.
    pub fn is_edtf(&self) -> bool {
        matches!(self.form, Form::Edtf(_))
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
        match &self.form {
            Form::Chronik { start } => describe::describe(&describe::Described {
                precision: self.precision,
                start: *start,
                reference: self.reference,
                approximate: self.approximate,
                uncertain: self.uncertain,
            }),
            Form::Edtf(value) => words::describe(value, self.precision),
        }
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
