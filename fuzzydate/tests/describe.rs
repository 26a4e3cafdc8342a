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

#[test]
fn edtf_in_words() {
    let words = |text: &str| FuzzyDate::parse(text, None).map(|date| date.describe()).unwrap_or_else(|e| e.to_string());
    assert_eq!(words("-0044-03-15"), "15 March 45 BC (day precision, ISO 8601 counts a year 0, so year -44 is 45 BC)");
    assert_eq!(words("2023-35"), "the third quarter of 2023, July–September (season precision)");
    assert_eq!(
        words("../2019-05"),
        "until May 2019 (no known start: it may have begun at any time before, month precision)"
    );
    assert_eq!(
        words("2024-03/.."),
        "from March 2024 on (no known end: it may have lasted any time after, month precision)"
    );
    assert_eq!(words("1985-XX-12"), "day 12 of an unspecified month of 1985 (day precision)");
    assert_eq!(words("/1985"), "from an unknown time to 1985 (start unknown, year precision)");
    assert_eq!(words("2019-28"), "winter 2019 (Northern Hemisphere), December–February (season precision)");
    assert_eq!(words("2001-31"), "autumn 2001 (Southern Hemisphere), March–May (season precision)");
    assert_eq!(words("2001-40~"), "the first half of 2001, January–June (season precision, approximate)");
    assert_eq!(words("[1667,1668,1670..1672]"), "one of: 1667, 1668, 1670 to 1672 (year precision)");
    assert_eq!(words("{..1984}"), "all of: 1984 or earlier (year precision)");
    assert_eq!(words("198X-03"), "March of a year in 1980–1989 (month precision)");
    assert_eq!(words("198X-35"), "the third quarter of a year in 1980–1989, July–September (season precision)");
    assert_eq!(words("1X85"), "a year matching 1X85 (1085–1985) (year precision)");
    assert_eq!(words("1XXX"), "the years 1000–1999 (millennium precision)");
    assert_eq!(words("1985-04-XX"), "an unspecified day of April 1985 (day precision)");
    assert_eq!(words("2004-?06-11"), "11 June 2004 (day precision, uncertain)");
}
