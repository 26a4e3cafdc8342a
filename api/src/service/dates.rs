//! Fuzzy dates as the database stores them: the text as typed, its precision rank and the span in
//! Unix seconds, with an open or unknown side stored as a sentinel outside the representable range.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use fuzzydate::{FuzzyDate, Precision};

use crate::error::{ServiceError, ServiceResult};

/// The years a stored date may reach, both included. Far wider than any source, and far inside
/// both what `i64` seconds and chrono hold, so the sentinels below never meet a real date.
pub const YEARS: std::ops::RangeInclusive<i32> = -99_999..=99_999;

/// `*_earliest` of a date whose start is open or unknown (`../2019-05`, `/2019-05`): before every
/// representable instant (year −99,999 begins near −3.22·10¹² s), so `start_earliest <= to` holds
/// for any window. The migration `m20261206_000010_open_dates` gives it its own span class.
pub const OPEN_START: i64 = -4_000_000_000_000;

/// `*_latest` of a date whose end is open or unknown (`2024-03/..`): after every representable
/// instant, so `span_latest >= from` holds for any window.
pub const OPEN_END: i64 = 4_000_000_000_000;

/// A fuzzy date ready for the columns `*_value`, `*_precision`, `*_earliest`, `*_latest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDate {
    pub value: String,
    pub precision: i16,
    pub earliest: i64,
    pub latest: i64,
}

/// Parses what the user typed (surrounding whitespace ignored) in `zone`, naming `field` when it
/// fails or reaches outside [`YEARS`].
pub fn parse(field: &str, text: &str, zone: Option<Tz>) -> ServiceResult<StoredDate> {
    let date =
        FuzzyDate::parse(text.trim(), zone).map_err(|error| ServiceError::validation(field, error.to_string()))?;
    let stored = |instant: Option<DateTime<Utc>>, open: i64| -> ServiceResult<i64> {
        match instant {
            None => Ok(open),
            Some(instant) if YEARS.contains(&instant.year()) => Ok(instant.timestamp()),
            Some(_) => Err(ServiceError::validation(
                field,
                format!("the date is outside the range Chronik stores (years {} to {})", YEARS.start(), YEARS.end()),
            )),
        }
    };
    Ok(StoredDate {
        value: date.text().to_owned(),
        precision: date.precision().rank(),
        earliest: stored(date.earliest(), OPEN_START)?,
        latest: stored(date.latest(), OPEN_END)?,
    })
}

/// What `text` means, as an event's date would be stored and read back (in `zone` when it has
/// no offset), naming `field` when it is no date.
pub fn view(field: &str, text: &str, zone: Option<Tz>) -> ServiceResult<DateView> {
    let stored = parse(field, text, zone)?;
    Ok(DateView {
        precision: Precision::from_rank(stored.precision).unwrap_or(Precision::Year),
        earliest: instant(stored.earliest),
        latest: instant(stored.latest),
        value: stored.value,
        zone,
    })
}

/// The instant a stored bound stands for; `None` for the open sentinels.
pub fn instant(seconds: i64) -> Option<DateTime<Utc>> {
    if seconds <= OPEN_START || seconds >= OPEN_END { None } else { DateTime::from_timestamp(seconds, 0) }
}

/// A stored fuzzy date as read back, for the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateView {
    pub value: String,
    pub precision: Precision,
    /// `None` when the start is open or unknown.
    pub earliest: Option<DateTime<Utc>>,
    /// `None` when the end is open or unknown.
    pub latest: Option<DateTime<Utc>>,
    pub zone: Option<Tz>,
}

impl DateView {
    /// Rebuilds the view from columns; `None` when the row holds no date.
    pub fn from_columns(
        value: Option<impl Into<String>>,
        precision: Option<i16>,
        earliest: Option<i64>,
        latest: Option<i64>,
        zone: Option<&str>,
    ) -> Option<Self> {
        let value = value?;
        Some(Self {
            value: value.into(),
            precision: Precision::from_rank(precision?)?,
            earliest: instant(earliest?),
            latest: instant(latest?),
            zone: zone.and_then(|name| name.parse().ok()),
        })
    }

    /// An event's start, read in its time zone; `None` when its columns are unreadable (a start
    /// is required, so that is a corrupt row).
    pub fn start_of(row: &entity::event::Model) -> Option<Self> {
        Self::from_columns(
            Some(&row.start_value),
            Some(row.start_precision),
            Some(row.start_earliest),
            Some(row.start_latest),
            row.time_zone.as_deref(),
        )
    }

    /// An event's end, read in its time zone; `None` when it has none.
    pub fn end_of(row: &entity::event::Model) -> Option<Self> {
        Self::from_columns(
            row.end_value.as_deref(),
            row.end_precision,
            row.end_earliest,
            row.end_latest,
            row.time_zone.as_deref(),
        )
    }

    /// The date parsed again: qualifiers may stand on any component (`2004-?06-11`).
    fn parsed(&self) -> Option<FuzzyDate> {
        FuzzyDate::parse(&self.value, self.zone).ok()
    }

    pub fn approximate(&self) -> bool {
        self.parsed().is_some_and(|date| date.approximate())
    }

    pub fn uncertain(&self) -> bool {
        self.parsed().is_some_and(|date| date.uncertain())
    }

    /// What Chronik understood, in words ("February 2024 (month precision)").
    pub fn describe(&self) -> String {
        self.parsed().map(|date| date.describe()).unwrap_or_else(|| self.value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_sides_are_stored_as_sentinels_and_read_back_as_none() {
        let before = parse("start", "../2019-05", None).expect("valid");
        assert_eq!(before.earliest, OPEN_START);
        assert_eq!(instant(before.latest).map(|l| l.to_rfc3339()), Some("2019-05-31T23:59:59+00:00".into()));
        let after = parse("start", "2024-03/..", None).expect("valid");
        assert_eq!(after.latest, OPEN_END);
        assert_eq!(instant(OPEN_START), None);
        assert_eq!(instant(OPEN_END), None);
    }

    #[test]
    fn the_range_ends_inside_the_sentinels() {
        let first = parse("start", "Y-99999", None).expect("first year");
        let last = parse("start", "Y99999", None).expect("last year");
        assert!(OPEN_START < first.earliest && last.latest < OPEN_END);
        let error = parse("end", "Y-100000", None).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("end") && error.contains("years -99999 to 99999"), "{error}");
        assert!(parse("start", "Y100000", None).is_err());
    }
}
