//! Resolved dates: a calendar unit at some precision, written as Chronik's fuzzy-date syntax
//! (ISO 8601 / EDTF level 1: `199X`, `19XX`, seasons `-21..24`, quarters `-33..36`, halves
//! `-40/41`, weeks `-Www`), and the arithmetic the relative expressions need.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Century,
    Decade,
    Year,
    Half,
    Quarter,
    Season,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
}

/// A vague reference to the past, the present or the future ("recently", "now", "soon").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Reference {
    Past,
    Present,
    Future,
}

/// A resolved calendar value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// The two leading digits: 19 is 1900–1999.
    Century(i32),
    /// The three leading digits: 199 is 1990–1999.
    Decade(i32),
    Year(i32),
    /// Year and half (1, 2).
    Half(i32, u32),
    /// Year and quarter (1–4).
    Quarter(i32, u32),
    /// Year and season (1 spring, 2 summer, 3 autumn, 4 winter).
    Season(i32, u32),
    Month(i32, u32),
    /// ISO week-numbering year and week.
    Week(i32, u32),
    Day(NaiveDate),
    /// A clock time on a day: hour, minute and, when written, second.
    Time(NaiveDate, u32, Option<u32>, Option<u32>),
}

impl Value {
    /// The precision of this value.
    pub fn precision(&self) -> Precision {
        match self {
            Value::Century(_) => Precision::Century,
            Value::Decade(_) => Precision::Decade,
            Value::Year(_) => Precision::Year,
            Value::Half(..) => Precision::Half,
            Value::Quarter(..) => Precision::Quarter,
            Value::Season(..) => Precision::Season,
            Value::Month(..) => Precision::Month,
            Value::Week(..) => Precision::Week,
            Value::Day(_) => Precision::Day,
            Value::Time(_, _, None, _) => Precision::Hour,
            Value::Time(_, _, Some(_), None) => Precision::Minute,
            Value::Time(_, _, Some(_), Some(_)) => Precision::Second,
        }
    }

    /// The EDTF text of this value.
    pub fn edtf(&self) -> String {
        match *self {
            Value::Century(c) => format!("{c:02}XX"),
            Value::Decade(d) => format!("{d:03}X"),
            Value::Year(y) => format!("{y:04}"),
            Value::Half(y, h) => format!("{y:04}-{}", 39 + h),
            Value::Quarter(y, q) => format!("{y:04}-{}", 32 + q),
            Value::Season(y, s) => format!("{y:04}-{}", 20 + s),
            Value::Month(y, m) => format!("{y:04}-{m:02}"),
            Value::Week(y, w) => format!("{y:04}-W{w:02}"),
            Value::Day(d) => d.format("%Y-%m-%d").to_string(),
            Value::Time(d, h, m, s) => {
                let day = d.format("%Y-%m-%d");
                match (m, s) {
                    (None, _) => format!("{day}T{h:02}"),
                    (Some(m), None) => format!("{day}T{h:02}:{m:02}"),
                    (Some(m), Some(s)) => format!("{day}T{h:02}:{m:02}:{s:02}"),
                }
            }
        }
    }

    /// The year this value lies in (the first year of a decade or century).
    pub fn year(&self) -> i32 {
        match *self {
            Value::Century(c) => c * 100,
            Value::Decade(d) => d * 10,
            Value::Year(y) | Value::Half(y, _) | Value::Quarter(y, _) | Value::Season(y, _) => y,
            Value::Month(y, _) => y,
            Value::Week(y, w) => week_monday(y, w).map_or(y, |d| d.year()),
            Value::Day(d) | Value::Time(d, ..) => d.year(),
        }
    }

    /// The same unit `n` years later (earlier when negative); `None` outside the calendar.
    pub fn shift_years(&self, n: i32) -> Option<Value> {
        Some(match *self {
            Value::Century(c) => Value::Century(c + n / 100),
            Value::Decade(d) => Value::Decade(d + n / 10),
            Value::Year(y) => Value::Year(y + n),
            Value::Half(y, h) => Value::Half(y + n, h),
            Value::Quarter(y, q) => Value::Quarter(y + n, q),
            Value::Season(y, s) => Value::Season(y + n, s),
            Value::Month(y, m) => Value::Month(y + n, m),
            Value::Week(y, w) => Value::Week(y + n, w.min(52)),
            Value::Day(d) => Value::Day(add_months(d, n * 12)?),
            Value::Time(d, h, m, s) => Value::Time(add_months(d, n * 12)?, h, m, s),
        })
    }

    /// A day inside this value (its first), for anchoring relative expressions on it.
    pub fn first_day(&self) -> Option<NaiveDate> {
        match *self {
            Value::Century(c) => NaiveDate::from_ymd_opt(c * 100, 1, 1),
            Value::Decade(d) => NaiveDate::from_ymd_opt(d * 10, 1, 1),
            Value::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            Value::Half(y, h) => NaiveDate::from_ymd_opt(y, 6 * h - 5, 1),
            Value::Quarter(y, q) => NaiveDate::from_ymd_opt(y, 3 * q - 2, 1),
            Value::Season(y, s) => NaiveDate::from_ymd_opt(y, 3 * s, 1),
            Value::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
            Value::Week(y, w) => week_monday(y, w),
            Value::Day(d) | Value::Time(d, ..) => Some(d),
        }
    }
}

/// The Monday of ISO week `w` of `y`.
pub fn week_monday(y: i32, w: u32) -> Option<NaiveDate> {
    NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)
}

/// The ISO week holding `d`.
pub fn week_of(d: NaiveDate) -> Value {
    let w = d.iso_week();
    Value::Week(w.year(), w.week())
}

/// `d` moved by `n` calendar months (the day clamped to the month's length).
pub fn add_months(d: NaiveDate, n: i32) -> Option<NaiveDate> {
    let months = n.unsigned_abs();
    if n >= 0 {
        d.checked_add_months(chrono::Months::new(months))
    } else {
        d.checked_sub_months(chrono::Months::new(months))
    }
}

/// The month `n` months after year `y`, month `m`.
pub fn month_plus(y: i32, m: u32, n: i32) -> Value {
    let index = y * 12 + m as i32 - 1 + n;
    Value::Month(index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// The quarter `n` quarters after year `y`, quarter `q`.
pub fn quarter_plus(y: i32, q: u32, n: i32) -> Value {
    let index = y * 4 + q as i32 - 1 + n;
    Value::Quarter(index.div_euclid(4), index.rem_euclid(4) as u32 + 1)
}

/// `d` moved by `n` days.
pub fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    d.checked_add_signed(Duration::try_days(n)?)
}

/// The quarter holding month `m`.
pub fn quarter_of_month(m: u32) -> u32 {
    (m - 1) / 3 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn edtf_forms() {
        assert_eq!(Value::Century(19).edtf(), "19XX");
        assert_eq!(Value::Decade(199).edtf(), "199X");
        assert_eq!(Value::Season(1998, 2).edtf(), "1998-22");
        assert_eq!(Value::Quarter(1998, 3).edtf(), "1998-35");
        assert_eq!(Value::Half(1998, 2).edtf(), "1998-41");
        assert_eq!(Value::Week(2024, 8).edtf(), "2024-W08");
        assert_eq!(Value::Time(day(1998, 2, 11), 22, Some(0), None).edtf(), "1998-02-11T22:00");
        assert_eq!(Value::Time(day(1998, 2, 11), 22, None, None).precision(), Precision::Hour);
    }

    #[test]
    fn arithmetic() {
        assert_eq!(month_plus(2024, 1, -1), Value::Month(2023, 12));
        assert_eq!(quarter_plus(1990, 1, -1), Value::Quarter(1989, 4));
        assert_eq!(Value::Day(day(2024, 2, 29)).shift_years(-1), Some(Value::Day(day(2023, 2, 28))));
        assert_eq!(week_of(day(2024, 2, 23)), Value::Week(2024, 8));
    }
}
