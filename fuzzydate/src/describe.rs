//! Writes a fuzzy date back as plain English, so the user can check what was
//! understood, e.g. "February 2024 (month precision, approximate)".

use chrono::{Datelike, Days, FixedOffset, NaiveDate, NaiveDateTime, Timelike};

use crate::precision::Precision;
use crate::span::{Reference, clock_change};

/// The English name of `month` (1–12).
pub(crate) fn month_name(month: u32) -> &'static str {
    match month {
        1 => "January",
        2 => "February",
        3 => "March",
        4 => "April",
        5 => "May",
        6 => "June",
        7 => "July",
        8 => "August",
        9 => "September",
        10 => "October",
        11 => "November",
        _ => "December",
    }
}

/// What a description is made of.
pub(crate) struct Described {
    pub(crate) precision: Precision,
    pub(crate) start: NaiveDateTime,
    pub(crate) reference: Reference,
    pub(crate) approximate: bool,
    pub(crate) uncertain: bool,
}

/// The description: what the date is, then in parentheses its precision, its
/// qualifiers and any clock change that affects it.
pub(crate) fn describe(d: &Described) -> String {
    let start = d.start;
    let date = start.date();
    let year = start.year();
    let mut notes = Vec::new();
    let what = match d.precision {
        Precision::Millennium => format!("the years {year}–{}", year + 999),
        Precision::Century => format!("the years {year}–{}", year + 99),
        Precision::Decade if year >= 1000 => format!("the {year}s"),
        Precision::Decade => format!("the years {year}–{}", year + 9),
        // Chronik's own parser reads no seasons; EDTF dates are described in `words`.
        Precision::Year | Precision::Season => year.to_string(),
        Precision::Month => format!("{} {year}", month_name(start.month())),
        Precision::Week => {
            let week = date.iso_week();
            notes.push(week_days(date));
            format!("week {} of {}", week.week(), week.year())
        }
        Precision::Day => day(date),
        Precision::Hour | Precision::Minute | Precision::Second => {
            let time = match d.precision {
                Precision::Hour => format!("{:02}:00–{:02}:59", start.hour(), start.hour()),
                Precision::Minute => format!("{:02}:{:02}", start.hour(), start.minute()),
                _ => format!("{:02}:{:02}:{:02}", start.hour(), start.minute(), start.second()),
            };
            format!("{}, {time} {}", day(date), zone_label(d.reference))
        }
    };
    notes.push(format!("{} precision", d.precision.word()));
    match (d.approximate, d.uncertain) {
        (true, true) => notes.push("approximate and uncertain".to_owned()),
        (true, false) => notes.push("approximate".to_owned()),
        (false, true) => notes.push("uncertain".to_owned()),
        (false, false) => {}
    }
    if let Reference::Zone(tz) = d.reference
        && d.precision >= Precision::Hour
    {
        match clock_change(tz, start) {
            Some(true) => notes.push("this time occurs twice because of a clock change".into()),
            Some(false) => notes.push("this time is skipped by a clock change".into()),
            None => {}
        }
    }
    format!("{what} ({})", notes.join(", "))
}

/// "19 February 2024".
fn day(date: NaiveDate) -> String {
    format!("{} {} {}", date.day(), month_name(date.month()), date.year())
}

/// The days of the week starting on Monday `monday`: "19–25 February",
/// "26 February – 3 March" or "30 December 2024 – 5 January 2025".
fn week_days(monday: NaiveDate) -> String {
    let Some(sunday) = monday.checked_add_days(Days::new(6)) else {
        return day(monday);
    };
    if monday.year() != sunday.year() {
        format!("{} – {}", day(monday), day(sunday))
    } else if monday.month() != sunday.month() {
        format!("{} {} – {} {}", monday.day(), month_name(monday.month()), sunday.day(), month_name(sunday.month()))
    } else {
        format!("{}–{} {}", monday.day(), sunday.day(), month_name(monday.month()))
    }
}

/// "UTC", "UTC+01:00" or "Europe/Berlin".
fn zone_label(reference: Reference) -> String {
    match reference {
        Reference::Utc => "UTC".to_owned(),
        Reference::Offset(offset) => offset_label(offset),
        Reference::Zone(tz) => tz.name().to_owned(),
    }
}

fn offset_label(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    if seconds == 0 {
        return "UTC".to_owned();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}
