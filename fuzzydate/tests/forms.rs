//! Each accepted form: its precision, qualifiers and span, read in UTC or with an
//! explicit offset.

use chrono::{DateTime, Utc};
use fuzzydate::{FuzzyDate, Precision};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).expect("test instant").with_timezone(&Utc)
}

/// Parses in UTC and checks precision and span.
fn check(text: &str, precision: Precision, earliest: &str, latest: &str) -> FuzzyDate {
    let date: FuzzyDate = text.parse().expect(text);
    assert_eq!(date.text(), text);
    assert_eq!(date.to_string(), text);
    assert_eq!(date.precision(), precision, "{text}");
    assert_eq!(date.earliest(), Some(at(earliest)), "{text} earliest");
    assert_eq!(date.latest(), Some(at(latest)), "{text} latest");
    date
}

#[test]
fn year() {
    let d = check("2024", Precision::Year, "2024-01-01T00:00:00Z", "2024-12-31T23:59:59Z");
    assert!(!d.approximate() && !d.uncertain());
    assert_eq!(d.zone(), None);
}

#[test]
fn month_in_a_leap_year() {
    check("2024-02", Precision::Month, "2024-02-01T00:00:00Z", "2024-02-29T23:59:59Z");
    check("2023-02", Precision::Month, "2023-02-01T00:00:00Z", "2023-02-28T23:59:59Z");
    check("2024-12", Precision::Month, "2024-12-01T00:00:00Z", "2024-12-31T23:59:59Z");
}

#[test]
fn day() {
    check("2024-02-19", Precision::Day, "2024-02-19T00:00:00Z", "2024-02-19T23:59:59Z");
    check("2024-02-29", Precision::Day, "2024-02-29T00:00:00Z", "2024-02-29T23:59:59Z");
}

#[test]
fn iso_weeks() {
    check("2024-W08", Precision::Week, "2024-02-19T00:00:00Z", "2024-02-25T23:59:59Z");
    // Week 1 of 2025 starts in 2024; 2020 has 53 weeks.
    check("2025-W01", Precision::Week, "2024-12-30T00:00:00Z", "2025-01-05T23:59:59Z");
    check("2020-W53", Precision::Week, "2020-12-28T00:00:00Z", "2021-01-03T23:59:59Z");
}

#[test]
fn times() {
    check("2024-02-19T10", Precision::Hour, "2024-02-19T10:00:00Z", "2024-02-19T10:59:59Z");
    check("2024-02-19T10:15", Precision::Minute, "2024-02-19T10:15:00Z", "2024-02-19T10:15:59Z");
    check("2024-02-19T10:15:30", Precision::Second, "2024-02-19T10:15:30Z", "2024-02-19T10:15:30Z");
    check("2024-12-31T23:59:59Z", Precision::Second, "2024-12-31T23:59:59Z", "2024-12-31T23:59:59Z");
}

#[test]
fn time_with_offset() {
    check("2024-03-01T22:00+01:00", Precision::Minute, "2024-03-01T21:00:00Z", "2024-03-01T21:00:59Z");
    check("2024-03-01T22:00+0100", Precision::Minute, "2024-03-01T21:00:00Z", "2024-03-01T21:00:59Z");
    check("2024-03-01T22+01", Precision::Hour, "2024-03-01T21:00:00Z", "2024-03-01T21:59:59Z");
    check("2024-03-01T22:00:05-05:30", Precision::Second, "2024-03-02T03:30:05Z", "2024-03-02T03:30:05Z");
    check("2024-03-01T22:00Z", Precision::Minute, "2024-03-01T22:00:00Z", "2024-03-01T22:00:59Z");
}

#[test]
fn qualifiers_do_not_change_the_span() {
    for (text, approximate, uncertain) in
        [("2024-02~", true, false), ("2024-02?", false, true), ("2024-02%", true, true)]
    {
        let d = check(text, Precision::Month, "2024-02-01T00:00:00Z", "2024-02-29T23:59:59Z");
        assert_eq!(d.approximate(), approximate, "{text}");
        assert_eq!(d.uncertain(), uncertain, "{text}");
    }
    let d: FuzzyDate = "2024-03-01T22:00+01:00?".parse().expect("qualified time");
    assert!(d.uncertain());
    assert_eq!(d.earliest(), Some(at("2024-03-01T21:00:00Z")));
    let d: FuzzyDate = "20XX~".parse().expect("qualified century");
    assert!(d.approximate());
}

#[test]
fn decade_and_century() {
    check("202X", Precision::Decade, "2020-01-01T00:00:00Z", "2029-12-31T23:59:59Z");
    check("20XX", Precision::Century, "2000-01-01T00:00:00Z", "2099-12-31T23:59:59Z");
}

#[test]
fn edges_of_the_year_range() {
    check("0000", Precision::Year, "0000-01-01T00:00:00Z", "0000-12-31T23:59:59Z");
    check("9999", Precision::Year, "9999-01-01T00:00:00Z", "9999-12-31T23:59:59Z");
    check("99XX", Precision::Century, "9900-01-01T00:00:00Z", "9999-12-31T23:59:59Z");
    check("00XX", Precision::Century, "0000-01-01T00:00:00Z", "0099-12-31T23:59:59Z");
    // Year 0000 is a leap year in the proleptic Gregorian calendar.
    check("0000-02-29", Precision::Day, "0000-02-29T00:00:00Z", "0000-02-29T23:59:59Z");
    let early: FuzzyDate = "0000-01-01T00:00+14:00".parse().expect("year 0 east");
    assert_eq!(early.earliest().expect("earliest").format("%Y").to_string(), "-0001");
    let late: FuzzyDate = "9999-12-31T23:59-12:00".parse().expect("year 9999 west");
    assert!(late.latest().expect("latest") > at("9999-12-31T23:59:59Z"));
    let week: FuzzyDate = "9999-W52".parse().expect("last week");
    assert!(week.earliest() <= week.latest());
    let zoned = FuzzyDate::parse("9999", Some(chrono_tz::Pacific::Kiritimati)).expect("zoned");
    assert!(zoned.earliest() < zoned.latest());
}
