//! Dates read in an IANA time zone, including clock changes.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::{Berlin, Moscow};
use chrono_tz::Tz;
use fuzzydate::{FuzzyDate, Precision};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).expect("test instant").with_timezone(&Utc)
}

fn check(text: &str, zone: Tz, earliest: &str, latest: &str) -> FuzzyDate {
    let date = FuzzyDate::parse(text, Some(zone)).expect(text);
    assert_eq!(date.text(), text);
    assert_eq!(date.earliest(), Some(at(earliest)), "{text} earliest");
    assert_eq!(date.latest(), Some(at(latest)), "{text} latest");
    date
}

#[test]
fn day_in_moscow() {
    let d = check("2024-03-01", Moscow, "2024-02-29T21:00:00Z", "2024-03-01T20:59:59Z");
    assert_eq!(d.zone(), Some(Moscow));
    assert_eq!(FuzzyDate::parse(d.text(), d.zone()), Ok(d.clone()));
    assert_ne!(d, "2024-03-01".parse().expect("utc day"));
}

#[test]
fn year_and_month_in_berlin_follow_winter_and_summer_time() {
    check("2024", Berlin, "2023-12-31T23:00:00Z", "2024-12-31T22:59:59Z");
    check("2024-07", Berlin, "2024-06-30T22:00:00Z", "2024-07-31T21:59:59Z");
    check("2024-W13", Berlin, "2024-03-24T23:00:00Z", "2024-03-31T21:59:59Z");
}

#[test]
fn explicit_offset_wins_over_the_zone() {
    let d = check("2024-03-01T22:00+01:00", Moscow, "2024-03-01T21:00:00Z", "2024-03-01T21:00:59Z");
    assert_eq!(d.zone(), None);
    assert_eq!(d, "2024-03-01T22:00+01:00".parse().expect("same date"));
    check("2024-03-01T22:00Z", Moscow, "2024-03-01T22:00:00Z", "2024-03-01T22:00:59Z");
}

/// Berlin skipped 02:00–02:59 on 31 March 2024: clocks went from 02:00 CET
/// (01:00 UTC) straight to 03:00 CEST.
#[test]
fn local_time_in_a_dst_gap_maps_to_the_first_instant_after_it() {
    let d = check("2024-03-31T02:30", Berlin, "2024-03-31T01:00:00Z", "2024-03-31T01:00:00Z");
    assert_eq!(d.precision(), Precision::Minute);
    assert!(d.describe().contains("skipped by a clock change"));
    check("2024-03-31T02", Berlin, "2024-03-31T01:00:00Z", "2024-03-31T01:00:00Z");
    // The day itself is 23 hours long.
    check("2024-03-31", Berlin, "2024-03-30T23:00:00Z", "2024-03-31T21:59:59Z");
    // The hour before and after the gap are ordinary.
    check("2024-03-31T01", Berlin, "2024-03-31T00:00:00Z", "2024-03-31T00:59:59Z");
    check("2024-03-31T03", Berlin, "2024-03-31T01:00:00Z", "2024-03-31T01:59:59Z");
}

/// Berlin lived through 02:00–02:59 twice on 27 October 2024: first in CEST
/// (00:00–00:59 UTC), then in CET (01:00–01:59 UTC).
#[test]
fn ambiguous_local_time_spans_both_occurrences() {
    let d = check("2024-10-27T02:30", Berlin, "2024-10-27T00:30:00Z", "2024-10-27T01:30:59Z");
    assert!(d.describe().contains("occurs twice because of a clock change"));
    check("2024-10-27T02", Berlin, "2024-10-27T00:00:00Z", "2024-10-27T01:59:59Z");
    check("2024-10-27T02:30:15", Berlin, "2024-10-27T00:30:15Z", "2024-10-27T01:30:15Z");
    // The day itself is 25 hours long.
    check("2024-10-27", Berlin, "2024-10-26T22:00:00Z", "2024-10-27T22:59:59Z");
}

/// Samoa skipped the whole of 30 December 2011.
#[test]
fn a_skipped_day() {
    check("2011-12-30", chrono_tz::Pacific::Apia, "2011-12-30T10:00:00Z", "2011-12-30T10:00:00Z");
}

/// Lord Howe Island moves its clocks by half an hour: 02:00–02:29 was skipped on
/// 6 October 2024 (UTC+10:30 to UTC+11) and 01:30–01:59 repeated on 7 April 2024.
#[test]
fn half_hour_clock_changes() {
    let lord_howe = chrono_tz::Australia::Lord_Howe;
    check("2024-10-06T02:15", lord_howe, "2024-10-05T15:30:00Z", "2024-10-05T15:30:00Z");
    check("2024-10-06T02", lord_howe, "2024-10-05T15:30:00Z", "2024-10-05T15:59:59Z");
    check("2024-04-07T01:45", lord_howe, "2024-04-06T14:45:00Z", "2024-04-06T15:15:59Z");
}
