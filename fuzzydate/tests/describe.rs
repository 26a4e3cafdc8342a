//! The plain-English descriptions of what was understood.

use chrono_tz::Europe::Berlin;
use fuzzydate::FuzzyDate;

fn describe(text: &str) -> String {
    text.parse::<FuzzyDate>().expect(text).describe()
}

#[test]
fn every_precision() {
    assert_eq!(describe("20XX"), "the years 2000–2099 (century precision)");
    assert_eq!(describe("202X"), "the 2020s (decade precision)");
    assert_eq!(describe("001X"), "the years 10–19 (decade precision)");
    assert_eq!(describe("2024"), "2024 (year precision)");
    assert_eq!(describe("2024-02"), "February 2024 (month precision)");
    assert_eq!(describe("2024-W08"), "week 8 of 2024 (19–25 February, week precision)");
    assert_eq!(describe("2024-W09"), "week 9 of 2024 (26 February – 3 March, week precision)");
    assert_eq!(describe("2025-W01"), "week 1 of 2025 (30 December 2024 – 5 January 2025, week precision)");
    assert_eq!(describe("2024-02-19"), "19 February 2024 (day precision)");
    assert_eq!(describe("2024-02-19T10"), "19 February 2024, 10:00–10:59 UTC (hour precision)");
    assert_eq!(describe("2024-03-01T22:00+01:00"), "1 March 2024, 22:00 UTC+01:00 (minute precision)");
    assert_eq!(describe("2024-03-01T22:00:05-05:30"), "1 March 2024, 22:00:05 UTC-05:30 (second precision)");
    assert_eq!(describe("2024-03-01T22:00Z"), "1 March 2024, 22:00 UTC (minute precision)");
}

#[test]
fn qualifiers() {
    assert_eq!(describe("2024-02~"), "February 2024 (month precision, approximate)");
    assert_eq!(describe("2024-02?"), "February 2024 (month precision, uncertain)");
    assert_eq!(describe("2024-02%"), "February 2024 (month precision, approximate and uncertain)");
}

#[test]
fn zone_names_times() {
    let date = FuzzyDate::parse("2024-03-01T22:00", Some(Berlin)).expect("zoned");
    assert_eq!(date.describe(), "1 March 2024, 22:00 Europe/Berlin (minute precision)");
    let date = FuzzyDate::parse("2024-03-31T02:30?", Some(Berlin)).expect("gap");
    assert_eq!(
        date.describe(),
        "31 March 2024, 02:30 Europe/Berlin \
         (minute precision, uncertain, this time is skipped by a clock change)"
    );
}
