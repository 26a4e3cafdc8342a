//! Places a parsed date on the time line: the first and last instant (in UTC) of
//! the unit it names, read in UTC, a fixed UTC offset or an IANA time zone.

use chrono::{
    DateTime, Datelike, Days, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;

use crate::error::ParseError;
use crate::precision::Precision;

/// How local date-times of a text are turned into instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reference {
    /// No designator and no zone given: the text is UTC.
    Utc,
    /// The text carries its own designator (`Z`, `+01:00`, ...).
    Offset(FixedOffset),
    /// No designator; the caller's IANA zone applies.
    Zone(Tz),
}

/// Which of two instants to take when a local time occurs twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    Earlier,
    Later,
}

fn out_of_range() -> ParseError {
    ParseError::new("the date is outside the supported range", 0)
}

/// The first instant and the last whole second of the unit of `precision` that
/// starts at local `start`.
pub(crate) fn span(
    precision: Precision,
    start: NaiveDateTime,
    reference: Reference,
) -> Result<(DateTime<Utc>, DateTime<Utc>), ParseError> {
    let next = next_start(precision, start).ok_or_else(out_of_range)?;
    let last = next.checked_sub_signed(TimeDelta::new(1, 0).ok_or_else(out_of_range)?).ok_or_else(out_of_range)?;
    let earliest = resolve(start, reference, Fold::Earlier).ok_or_else(out_of_range)?;
    let latest = resolve(last, reference, Fold::Later).ok_or_else(out_of_range)?;
    Ok((earliest, latest))
}

/// The first instant and the last whole second of the local calendar day `day`.
pub(crate) fn day_span(day: NaiveDate, reference: Reference) -> Result<(DateTime<Utc>, DateTime<Utc>), ParseError> {
    span(Precision::Day, day.and_hms_opt(0, 0, 0).ok_or_else(out_of_range)?, reference)
}

/// The local start of the unit after the one starting at `start`.
fn next_start(precision: Precision, start: NaiveDateTime) -> Option<NaiveDateTime> {
    let years_later = |n: i32| NaiveDate::from_ymd_opt(start.year().checked_add(n)?, 1, 1)?.and_hms_opt(0, 0, 0);
    let plus_seconds = |s: i64| start.checked_add_signed(TimeDelta::new(s, 0)?);
    match precision {
        Precision::Millennium => years_later(1000),
        Precision::Century => years_later(100),
        Precision::Decade => years_later(10),
        // Chronik's own parser reads no seasons; EDTF dates are spanned by their days.
        Precision::Year | Precision::Season => years_later(1),
        Precision::Month => {
            let (year, month) =
                if start.month() == 12 { (start.year().checked_add(1)?, 1) } else { (start.year(), start.month() + 1) };
            NaiveDate::from_ymd_opt(year, month, 1)?.and_hms_opt(0, 0, 0)
        }
        Precision::Week => start.checked_add_days(Days::new(7)),
        Precision::Day => start.checked_add_days(Days::new(1)),
        Precision::Hour => plus_seconds(3600),
        Precision::Minute => plus_seconds(60),
        Precision::Second => plus_seconds(1),
    }
}

/// The instant of local time `local`. In a zone, a local time skipped by a clock
/// change maps to the first valid instant after it, and one that occurs twice maps
/// to the earlier or later occurrence as `fold` says.
fn resolve(local: NaiveDateTime, reference: Reference, fold: Fold) -> Option<DateTime<Utc>> {
    match reference {
        Reference::Utc => Some(local.and_utc()),
        Reference::Offset(offset) => Some(local.checked_sub_offset(offset)?.and_utc()),
        Reference::Zone(tz) => match tz.from_local_datetime(&local) {
            LocalResult::Single(instant) => Some(instant.with_timezone(&Utc)),
            LocalResult::Ambiguous(a, b) => {
                let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
                Some(match fold {
                    Fold::Earlier => a.min(b),
                    Fold::Later => a.max(b),
                })
            }
            LocalResult::None => first_instant_after_gap(tz, local),
        },
    }
}

/// Whether the local time `local` is skipped in `tz` (`Some(false)`), occurs twice
/// (`Some(true)`) or is ordinary (`None`).
pub(crate) fn clock_change(tz: Tz, local: NaiveDateTime) -> Option<bool> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(_) => None,
        LocalResult::Ambiguous(_, _) => Some(true),
        LocalResult::None => Some(false),
    }
}

/// For a local time in a gap, the first instant whose local time in `tz` is later:
/// the moment the clocks jumped. Found by bisection over two days either side, a
/// window wide enough for any UTC offset.
fn first_instant_after_gap(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    const WINDOW: i64 = 2 * 24 * 3600;
    let target = local.and_utc().timestamp();
    // The local wall-clock time at UTC instant `t`, as seconds since the epoch.
    let wall = |t: i64| -> Option<i64> {
        let utc = DateTime::from_timestamp(t, 0)?.naive_utc();
        let offset = tz.offset_from_utc_datetime(&utc).fix().local_minus_utc();
        t.checked_add(i64::from(offset))
    };
    let mut lo = target.checked_sub(WINDOW)?;
    let mut hi = target.checked_add(WINDOW)?;
    if wall(lo)? >= target || wall(hi)? < target {
        return None;
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if wall(mid)? >= target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    DateTime::from_timestamp(hi, 0)
}
