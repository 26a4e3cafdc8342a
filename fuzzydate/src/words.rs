//! EDTF expressions in plain English, so the user can check what was understood: "15 March
//! 45 BC", "the third quarter of 2023", "until May 2019", "day 12 of an unspecified month of
//! 1985", "one of: 1667, 1668, 1670 to 1672".

use edtf_core::{Date, DateField, Edtf, IntervalEndpoint, SetElement, SetKind, YearKind};

use crate::describe::month_name;
use crate::edtf::{endpoint_date, fully_unspecified};
use crate::precision::Precision;

/// A year as a historian writes it: ISO 8601 counts a year 0 (1 BC), so `-0044` is 45 BC.
pub(crate) fn year_words(year: i64) -> String {
    if year > 0 { year.to_string() } else { format!("{} BC", 1 - year) }
}

/// The description: what the expression is, then in parentheses its precision, its qualifiers
/// and the notes a reader needs (open or unknown ends, ISO's year numbering).
pub(crate) fn describe(edtf: &Edtf, precision: Precision) -> String {
    let mut notes = Vec::new();
    let what = match edtf {
        Edtf::Date(date) => date_words(date),
        Edtf::DateTime(date_time) => date_words(&date_time.date),
        Edtf::Interval(interval) => {
            let start = endpoint_words(&interval.start);
            let end = endpoint_words(&interval.end);
            match (&interval.start, &interval.end) {
                (IntervalEndpoint::Open, _) => {
                    notes.push("no known start: it may have begun at any time before".into())
                }
                (IntervalEndpoint::Unknown, _) => notes.push("start unknown".into()),
                _ => {}
            }
            match &interval.end {
                IntervalEndpoint::Open => notes.push("no known end: it may have lasted any time after".into()),
                IntervalEndpoint::Unknown => notes.push("end unknown".into()),
                _ => {}
            }
            match (&interval.start, &interval.end) {
                (IntervalEndpoint::Open, _) => format!("until {end}"),
                (_, IntervalEndpoint::Open) => format!("from {start} on"),
                _ => format!("from {start} to {end}"),
            }
        }
        Edtf::Set(set) => {
            let members: Vec<String> = set.elements.iter().map(element_words).collect();
            match set.kind {
                SetKind::OneMember => format!("one of: {}", members.join(", ")),
                SetKind::AllMembers => format!("all of: {}", members.join(", ")),
            }
        }
    };
    notes.push(format!("{} precision", precision.word()));
    match (edtf.is_approximate(), edtf.is_uncertain()) {
        (true, true) => notes.push("approximate and uncertain".into()),
        (true, false) => notes.push("approximate".into()),
        (false, true) => notes.push("uncertain".into()),
        (false, false) => {}
    }
    if let Some(year) = first_year_zero_or_before(edtf) {
        notes.push(format!("ISO 8601 counts a year 0, so year {year} is {}", year_words(year)));
    }
    format!("{what} ({})", notes.join(", "))
}

/// The first year 0 or before that the expression names, to explain ISO's numbering.
fn first_year_zero_or_before(edtf: &Edtf) -> Option<i64> {
    let dates: Vec<&Date> = match edtf {
        Edtf::Date(date) => vec![date],
        Edtf::DateTime(date_time) => vec![&date_time.date],
        Edtf::Interval(interval) => [&interval.start, &interval.end].into_iter().filter_map(endpoint_date).collect(),
        Edtf::Set(set) => set
            .elements
            .iter()
            .flat_map(|element| match element {
                SetElement::Date(date) | SetElement::OnOrBefore(date) | SetElement::OnOrAfter(date) => vec![date],
                SetElement::Range(first, last) => vec![first, last],
            })
            .collect(),
    };
    dates.into_iter().filter_map(|date| date.year.value()).find(|year| *year <= 0)
}

fn endpoint_words(endpoint: &IntervalEndpoint) -> String {
    match endpoint {
        IntervalEndpoint::Date(date) => date_words(date),
        IntervalEndpoint::OnOrBefore(date) => format!("{} or earlier", date_words(date)),
        IntervalEndpoint::OnOrAfter(date) => format!("{} or later", date_words(date)),
        IntervalEndpoint::Open => "an open end".into(),
        IntervalEndpoint::Unknown => "an unknown time".into(),
    }
}

fn element_words(element: &SetElement) -> String {
    match element {
        SetElement::Date(date) => date_words(date),
        SetElement::OnOrBefore(date) => format!("{} or earlier", date_words(date)),
        SetElement::OnOrAfter(date) => format!("{} or later", date_words(date)),
        SetElement::Range(first, last) => format!("{} to {}", date_words(first), date_words(last)),
    }
}

/// The lowest and highest year a date's year component allows.
fn year_range(date: &Date) -> Option<(i64, i64)> {
    let year_only = Date { year: date.year, month: None, day: None };
    match Edtf::Date(year_only).bounds() {
        edtf_core::Bounds { earliest: edtf_core::Bound::Date(first), latest: edtf_core::Bound::Date(last) } => {
            Some((first.year, last.year))
        }
        _ => None,
    }
}

/// The year written as digits, `X` for each unspecified one ("19X5").
fn year_pattern(date: &Date) -> String {
    match date.year.kind {
        YearKind::Standard { negative, digits } => {
            let sign = if negative { "-" } else { "" };
            let digits: String =
                digits.iter().map(|digit| digit.map_or('X', |d| char::from(b'0' + d.min(9)))).collect();
            format!("{sign}{digits}")
        }
        YearKind::Big { value } => value.to_string(),
        YearKind::Exponential { significand, exponent } => format!("{significand}E{exponent}"),
    }
}

/// The year standing alone: "1985", "45 BC", "the 1980s", "the years 1900–1999".
fn year_alone(date: &Date) -> String {
    if let (Some(year), None) = (date.year.value(), date.year.significant_digits) {
        return year_words(year);
    }
    let Some((first, last)) = year_range(date) else {
        return format!("the year {}", year_pattern(date));
    };
    match date_precision_of_year(date) {
        Precision::Decade if first >= 1000 => format!("the {first}s"),
        Precision::Decade | Precision::Century | Precision::Millennium => {
            format!("the years {}–{}", year_words(first), year_words(last))
        }
        _ if date.year.has_unspecified() => {
            format!("a year matching {} ({}–{})", year_pattern(date), year_words(first), year_words(last))
        }
        _ => format!("a year from {} to {}", year_words(first), year_words(last)),
    }
}

fn date_precision_of_year(date: &Date) -> Precision {
    crate::edtf::date_precision(&Date { year: date.year, month: None, day: None })
}

/// The year after a month or a day: "1985", or "of a year in 1980–1989".
fn year_in_phrase(date: &Date) -> String {
    match (date.year.value(), date.year.significant_digits) {
        (Some(year), None) => year_words(year),
        _ => match year_range(date) {
            Some((first, last)) => format!("of a year in {}–{}", year_words(first), year_words(last)),
            None => format!("of the year {}", year_pattern(date)),
        },
    }
}

fn date_words(date: &Date) -> String {
    let year = year_in_phrase(date);
    // "an unspecified month of 1985", but "an unspecified month of a year in 1980–1989".
    let of_year = if year.starts_with("of ") { year.clone() } else { format!("of {year}") };
    match (date.month, date.day) {
        (None, _) => year_alone(date),
        (Some(month), None) => match month.value() {
            Some(code) if code >= 21 => grouping_words(code, &year),
            Some(number) => format!("{} {year}", month_name(u32::from(number))),
            None if fully_unspecified(month) => format!("an unspecified month {of_year}"),
            None => format!("a month {of_year} matching {}", field_pattern(month)),
        },
        (Some(month), Some(day)) => match (month.value(), day.value()) {
            (Some(month), Some(day)) => format!("{day} {} {year}", month_name(u32::from(month))),
            (None, Some(day)) if fully_unspecified(month) => format!("day {day} of an unspecified month {of_year}"),
            (Some(month), None) if fully_unspecified(day) => {
                format!("an unspecified day of {} {year}", month_name(u32::from(month)))
            }
            (None, None) if fully_unspecified(month) && fully_unspecified(day) => {
                format!("an unspecified day {of_year}")
            }
            _ => format!("a day {of_year} matching month {} and day {}", field_pattern(month), field_pattern(day)),
        },
    }
}

/// "1X", "X5", "XX".
fn field_pattern(field: DateField) -> String {
    field.digits.iter().map(|digit| digit.map_or('X', |d| char::from(b'0' + d.min(9)))).collect()
}

const ORDINALS: [&str; 4] = ["first", "second", "third", "fourth"];

/// A sub-year grouping (ISO 8601-2 §4.8): seasons 21–32, quarters 33–36, quadrimesters 37–39,
/// halves 40–41.
fn grouping_words(code: u8, year: &str) -> String {
    let season = |index: u8| ["spring", "summer", "autumn", "winter"].get(usize::from(index)).copied().unwrap_or("");
    let ordinal = |index: u8| ORDINALS.get(usize::from(index)).copied().unwrap_or("");
    let of_year = if year.starts_with("of ") { year.to_owned() } else { format!("of {year}") };
    let (first, last) = grouping_months(code);
    let months = format!("{}–{}", month_name(first), month_name(last));
    let what = match code {
        21..=24 => format!("{} {year}", season(code - 21)),
        25..=28 => format!("{} {year} (Northern Hemisphere)", season(code - 25)),
        29..=32 => format!("{} {year} (Southern Hemisphere)", season(code - 29)),
        33..=36 => format!("the {} quarter {of_year}", ordinal(code - 33)),
        37..=39 => format!("the {} four months {of_year}", ordinal(code - 37)),
        _ => format!("the {} half {of_year}", ordinal(code.saturating_sub(40))),
    };
    format!("{what}, {months}")
}

/// The first and last month of a grouping, as `edtf-core` bounds it (seasons without a
/// hemisphere count as northern ones).
fn grouping_months(code: u8) -> (u32, u32) {
    match code {
        21 | 25 | 31 => (3, 5),
        22 | 26 | 32 => (6, 8),
        23 | 27 | 29 => (9, 11),
        24 | 28 | 30 => (12, 2),
        33..=36 => (u32::from(code - 33) * 3 + 1, u32::from(code - 33) * 3 + 3),
        37..=39 => (u32::from(code - 37) * 4 + 1, u32::from(code - 37) * 4 + 4),
        40 => (1, 6),
        _ => (7, 12),
    }
}
