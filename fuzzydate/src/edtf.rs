//! The EDTF part of the grammar (ISO 8601-2:2019 Annex A, levels 0–2), read by the `edtf-core`
//! crate: what precision an expression has and which calendar days bound it. Open (`..`) and
//! unknown (empty) interval ends, and sets with `..earlier`/`later..` members, have no bound on
//! that side (`None`).

use chrono::NaiveDate;
use edtf_core::{Bound, BoundDate, Date, DateField, Edtf, IntervalEndpoint, SetElement, YearKind};

use crate::error::ParseError;
use crate::precision::Precision;

/// The years `chrono` can place on the time line, and so the years Chronik can compute with.
pub(crate) const YEARS: &str = "years −262143 to 262142";

/// Reads `text` as EDTF, or says where it stops being EDTF.
pub(crate) fn read(text: &str) -> Result<Edtf, ParseError> {
    Edtf::parse(text).map_err(|error| {
        ParseError::new(
            format!("{} at character {} (not a date Chronik can read)", error.message, error.offset + 1),
            error.offset,
        )
    })
}

fn out_of_range() -> ParseError {
    ParseError::new(format!("the date is outside the supported range ({YEARS})"), 0)
}

/// The precision of one date: its finest component. A year with trailing `X` digits counts as
/// a decade, century or millennium; `XXXX` and years with `X` elsewhere (`1X85`) as a year.
pub(crate) fn date_precision(date: &Date) -> Precision {
    if date.day.is_some() {
        return Precision::Day;
    }
    if let Some(month) = date.month {
        return if month.value().is_some_and(|code| code >= 21) { Precision::Season } else { Precision::Month };
    }
    match date.year.kind {
        YearKind::Standard { digits, .. } => {
            let masked = digits.iter().rev().take_while(|digit| digit.is_none()).count();
            let known = digits.iter().take(4 - masked).all(Option::is_some);
            match (masked, known) {
                (1, true) => Precision::Decade,
                (2, true) => Precision::Century,
                (3, true) => Precision::Millennium,
                _ => Precision::Year,
            }
        }
        YearKind::Big { .. } | YearKind::Exponential { .. } => Precision::Year,
    }
}

/// The precision of an expression: of a date, its own; of an interval or a set, the coarsest of
/// its dated parts (an interval needs one, a set at least one member).
pub(crate) fn precision(edtf: &Edtf) -> Precision {
    let coarsest = |dates: &mut dyn Iterator<Item = &Date>| dates.map(date_precision).min();
    let found = match edtf {
        Edtf::Date(date) => Some(date_precision(date)),
        Edtf::DateTime(date_time) => Some(date_precision(&date_time.date)),
        Edtf::Interval(interval) => {
            coarsest(&mut [&interval.start, &interval.end].into_iter().filter_map(endpoint_date))
        }
        Edtf::Set(set) => coarsest(&mut set.elements.iter().flat_map(element_dates)),
    };
    found.unwrap_or(Precision::Year)
}

/// The date of an interval end, if it has one.
pub(crate) fn endpoint_date(endpoint: &IntervalEndpoint) -> Option<&Date> {
    match endpoint {
        IntervalEndpoint::Date(date) | IntervalEndpoint::OnOrBefore(date) | IntervalEndpoint::OnOrAfter(date) => {
            Some(date)
        }
        IntervalEndpoint::Open | IntervalEndpoint::Unknown => None,
    }
}

fn element_dates(element: &SetElement) -> Vec<&Date> {
    match element {
        SetElement::Date(date) | SetElement::OnOrBefore(date) | SetElement::OnOrAfter(date) => vec![date],
        SetElement::Range(first, last) => vec![first, last],
    }
}

/// The first and last calendar day of the expression; `None` on a side that is open or unknown.
/// A bound the crate cannot compute (a year beyond its numbers) or chrono cannot hold is an error.
pub(crate) fn days(edtf: &Edtf) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ParseError> {
    // Every dated part must have bounds, also the ones a set's extremes hide.
    let dates: Vec<&Date> = match edtf {
        Edtf::Date(date) => vec![date],
        Edtf::DateTime(date_time) => vec![&date_time.date],
        Edtf::Interval(interval) => [&interval.start, &interval.end].into_iter().filter_map(endpoint_date).collect(),
        Edtf::Set(set) => set.elements.iter().flat_map(element_dates).collect(),
    };
    for date in dates {
        let bounds = Edtf::Date(*date).bounds();
        for bound in [bounds.earliest, bounds.latest] {
            if day(bound)?.is_none() {
                return Err(out_of_range());
            }
        }
    }
    let bounds = edtf.bounds();
    Ok((day(bounds.earliest)?, day(bounds.latest)?))
}

fn day(bound: Bound) -> Result<Option<NaiveDate>, ParseError> {
    match bound {
        Bound::Date(BoundDate { year, month, day }) => {
            let year = i32::try_from(year).map_err(|_| out_of_range())?;
            NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day)).map(Some).ok_or_else(out_of_range)
        }
        Bound::NegativeInfinity | Bound::PositiveInfinity => Ok(None),
        // Only an interval's empty end is unknown here: a date's own bounds were checked first.
        Bound::Unknown => Ok(None),
    }
}

/// Whether both digits of a month or day are `X`.
pub(crate) fn fully_unspecified(field: DateField) -> bool {
    field.digits.iter().all(Option::is_none)
}
