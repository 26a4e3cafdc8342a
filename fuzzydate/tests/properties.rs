//! Property tests: printing and parsing round-trip, spans are never inverted, and
//! finer precisions nest inside coarser ones; for Chronik's forms and EDTF's alike.

use chrono::{Datelike, NaiveDate, Weekday};
use chrono_tz::Tz;
use fuzzydate::{FuzzyDate, Precision};
use proptest::prelude::*;

/// Zones with unusual offsets and clock changes, and no zone (UTC).
const ZONES: [Option<Tz>; 9] = [
    None,
    Some(chrono_tz::UTC),
    Some(chrono_tz::Europe::Berlin),
    Some(chrono_tz::Europe::Moscow),
    Some(chrono_tz::America::New_York),
    Some(chrono_tz::Australia::Lord_Howe),
    Some(chrono_tz::Asia::Kathmandu),
    Some(chrono_tz::Pacific::Apia),
    Some(chrono_tz::Pacific::Chatham),
];

fn zone() -> impl Strategy<Value = Option<Tz>> {
    proptest::sample::select(ZONES.to_vec())
}

/// Years 0000–9999, biased towards the edges and the recent past, where the
/// time-zone database has clock changes.
fn year() -> impl Strategy<Value = i32> {
    prop_oneof![
        1 => Just(0),
        1 => Just(9999),
        4 => 1900..=2040i32,
        4 => 0..=9999i32,
    ]
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn weeks_in_year(year: i32) -> u32 {
    if NaiveDate::from_isoywd_opt(year, 53, Weekday::Mon).is_some() { 53 } else { 52 }
}

/// Whether the span is not inverted; an open or unknown side bounds nothing.
fn ordered(d: &FuzzyDate) -> bool {
    match (d.earliest(), d.latest()) {
        (Some(earliest), Some(latest)) => earliest <= latest,
        _ => true,
    }
}

/// A valid year-month-day.
fn ymd() -> impl Strategy<Value = (i32, u32, u32)> {
    (year(), 1..=12u32).prop_flat_map(|(y, m)| (Just(y), Just(m), 1..=days_in_month(y, m)))
}

/// A local date-time, often close to a clock change in one of [`ZONES`].
fn local_date_time() -> impl Strategy<Value = ((i32, u32, u32), u32, u32, u32)> {
    let near_clock_change = (1980..=2037i32, prop_oneof![Just(3u32), Just(4), Just(9), Just(10), Just(11)], 20..=31u32)
        .prop_map(|(y, m, d)| (y, m, d.min(days_in_month(y, m))));
    // Known clock changes in Berlin, New York, Lord Howe, Moscow and Samoa.
    let known = proptest::sample::select(vec![
        (2024, 3, 31),
        (2024, 10, 27),
        (2024, 3, 10),
        (2024, 11, 3),
        (2024, 10, 6),
        (2024, 4, 7),
        (2011, 3, 27),
        (2011, 12, 29),
        (2011, 12, 30),
        (2011, 12, 31),
    ]);
    let day = prop_oneof![2 => ymd(), 2 => near_clock_change, 2 => known];
    let hour = prop_oneof![0..=4u32, 0..=23u32];
    (day, hour, 0..=59u32, 0..=59u32)
}

/// An optional time-zone designator as it would be written.
fn designator() -> impl Strategy<Value = String> {
    let sign = prop_oneof![Just('+'), Just('-')];
    prop_oneof![
        Just(String::new()),
        Just("Z".to_owned()),
        (sign.clone(), 0..=23u32, 0..=59u32).prop_map(|(s, h, m)| format!("{s}{h:02}:{m:02}")),
        (sign.clone(), 0..=23u32, 0..=59u32).prop_map(|(s, h, m)| format!("{s}{h:02}{m:02}")),
        (sign, 0..=23u32).prop_map(|(s, h)| format!("{s}{h:02}")),
    ]
}

/// An optional qualifier and the (approximate, uncertain) flags it stands for.
fn qualifier() -> impl Strategy<Value = (&'static str, bool, bool)> {
    proptest::sample::select(vec![("", false, false), ("~", true, false), ("?", false, true), ("%", true, true)])
}

/// Valid text without qualifier, with its precision.
fn date_text() -> impl Strategy<Value = (String, Precision)> {
    prop_oneof![
        (0..=99u32).prop_map(|c| (format!("{c:02}XX"), Precision::Century)),
        (0..=999u32).prop_map(|d| (format!("{d:03}X"), Precision::Decade)),
        year().prop_map(|y| (format!("{y:04}"), Precision::Year)),
        (year(), 1..=12u32).prop_map(|(y, m)| (format!("{y:04}-{m:02}"), Precision::Month)),
        year()
            .prop_flat_map(|y| (Just(y), 1..=weeks_in_year(y)))
            .prop_map(|(y, w)| (format!("{y:04}-W{w:02}"), Precision::Week)),
        ymd().prop_map(|(y, m, d)| (format!("{y:04}-{m:02}-{d:02}"), Precision::Day)),
        // EDTF beyond Chronik's old grammar: years before 0, millennia, sub-year groupings and
        // unspecified months.
        (1..=9999i32).prop_map(|y| (format!("-{y:04}"), Precision::Year)),
        (1..=9999i32, 1..=12u32).prop_map(|(y, m)| (format!("-{y:04}-{m:02}"), Precision::Month)),
        (0..=9u32).prop_map(|m| (format!("{m}XXX"), Precision::Millennium)),
        (year(), 21..=41u32).prop_map(|(y, code)| (format!("{y:04}-{code}"), Precision::Season)),
        (year(), 1..=31u32).prop_map(|(y, d)| (format!("{y:04}-XX-{d:02}"), Precision::Day)),
        (ymd(), 0..=23u32, 0..=59u32, 0..=59u32, 0..3usize, designator()).prop_map(
            |((y, mo, d), h, mi, s, fine, z)| {
                let date = format!("{y:04}-{mo:02}-{d:02}T{h:02}");
                match fine {
                    0 => (format!("{date}{z}"), Precision::Hour),
                    1 => (format!("{date}:{mi:02}{z}"), Precision::Minute),
                    _ => (format!("{date}:{mi:02}:{s:02}{z}"), Precision::Second),
                }
            }
        ),
    ]
}

/// The same local instant written at every precision at which it can be written.
fn writings(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Vec<(Precision, String)> {
    let mut out = vec![
        (Precision::Millennium, format!("{}XXX", y / 1000)),
        (Precision::Century, format!("{:02}XX", y / 100)),
        (Precision::Decade, format!("{:03}X", y / 10)),
        (Precision::Year, format!("{y:04}")),
        // The half, then the quarter (EDTF sub-year groupings 40–41 and 33–36).
        (Precision::Season, format!("{y:04}-{}", 40 + (mo - 1) / 6)),
        (Precision::Season, format!("{y:04}-{}", 33 + (mo - 1) / 3)),
        (Precision::Month, format!("{y:04}-{mo:02}")),
    ];
    if let Some(week) = NaiveDate::from_ymd_opt(y, mo, d).map(|date| date.iso_week())
        && (0..=9999).contains(&week.year())
    {
        out.push((Precision::Week, format!("{:04}-W{:02}", week.year(), week.week())));
    }
    let day = format!("{y:04}-{mo:02}-{d:02}");
    out.push((Precision::Hour, format!("{day}T{h:02}")));
    out.push((Precision::Minute, format!("{day}T{h:02}:{mi:02}")));
    out.push((Precision::Second, format!("{day}T{h:02}:{mi:02}:{s:02}")));
    out.push((Precision::Day, day));
    out.sort_by_key(|(p, _)| *p);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn print_parse_round_trip(
        (date, precision) in date_text(),
        (mark, approximate, uncertain) in qualifier(),
        zone in zone(),
    ) {
        let text = format!("{date}{mark}");
        let parsed = FuzzyDate::parse(&text, zone);
        prop_assert!(parsed.is_ok(), "{text}: {parsed:?}");
        let Ok(d) = parsed else { unreachable!() };
        prop_assert_eq!(d.text(), text.as_str());
        prop_assert_eq!(d.precision(), precision);
        prop_assert_eq!(d.approximate(), approximate);
        prop_assert_eq!(d.uncertain(), uncertain);
        prop_assert_eq!(FuzzyDate::parse(&d.to_string(), d.zone()), Ok(d.clone()));
        let in_utc = FuzzyDate::parse(&text, None);
        prop_assert_eq!(d.to_string().parse::<FuzzyDate>(), in_utc);
        prop_assert!(!d.describe().is_empty());
    }

    #[test]
    fn earliest_is_never_after_latest(
        (date, _) in date_text(),
        (mark, _, _) in qualifier(),
        zone in zone(),
    ) {
        let text = format!("{date}{mark}");
        let parsed = FuzzyDate::parse(&text, zone);
        prop_assert!(parsed.is_ok(), "{text}: {parsed:?}");
        let Ok(d) = parsed else { unreachable!() };
        prop_assert!(d.earliest().is_some() && d.latest().is_some(), "{text}: a date has both ends");
        prop_assert!(ordered(&d), "{text} in {zone:?}: {d:?}");
    }

    #[test]
    fn intervals_span_from_their_start_to_their_end(
        (first, _) in date_text(),
        (second, _) in date_text(),
        open in 0..4usize,
        zone in zone(),
    ) {
        let (a, b) = (FuzzyDate::parse(&first, zone), FuzzyDate::parse(&second, zone));
        prop_assert!(a.is_ok() && b.is_ok());
        let (Ok(a), Ok(b)) = (a, b) else { unreachable!() };
        // Only EDTF dates make EDTF intervals; order the two ends.
        prop_assume!(a.is_edtf() && b.is_edtf());
        let (a, b) = if a.earliest() <= b.earliest() { (a, b) } else { (b, a) };
        prop_assume!(a.latest() <= b.latest());
        let text = match open {
            0 => format!("../{b}"),
            1 => format!("{a}/.."),
            2 => format!("/{b}"),
            _ => format!("{a}/{b}"),
        };
        let parsed = FuzzyDate::parse(&text, zone);
        prop_assert!(parsed.is_ok(), "{text}: {parsed:?}");
        let Ok(d) = parsed else { unreachable!() };
        prop_assert_eq!(d.text(), text.as_str());
        prop_assert!(ordered(&d), "{text}: {d:?}");
        let expected_earliest = if open == 0 || open == 2 { None } else { a.earliest() };
        let expected_latest = if open == 1 { None } else { b.latest() };
        prop_assert_eq!(d.earliest(), expected_earliest, "{}", text);
        prop_assert_eq!(d.latest(), expected_latest, "{}", text);
        prop_assert!(d.precision() <= a.precision().max(b.precision()));
        prop_assert!(!d.describe().is_empty());
    }

    #[test]
    fn arbitrary_text_never_panics_and_spans_are_ordered(text in "\\PC{0,30}", zone in zone()) {
        if let Ok(d) = FuzzyDate::parse(&text, zone) {
            prop_assert_eq!(d.text(), text.as_str());
            prop_assert!(ordered(&d));
        }
    }

    #[test]
    fn nearly_valid_text_never_panics(
        text in "[0-9X]{4}(-(W[0-9]{2}|[0-9]{2}(-[0-9]{2}(T[0-9]{2}(:[0-9]{2}(:[0-9]{2})?)?([Z]|[+-][0-9]{2}(:?[0-9]{2})?)?)?)?))?[~?%]?",
        zone in zone(),
    ) {
        if let Ok(d) = FuzzyDate::parse(&text, zone) {
            prop_assert!(ordered(&d));
        }
    }

    #[test]
    fn nearly_valid_edtf_never_panics(
        text in "(\\.\\.|-?[0-9X]{4}(-[0-9X]{2}(-[0-9X]{2})?)?[~?%]?)(/(\\.\\.|-?[0-9X]{4}(-[0-9X]{2})?))?",
        zone in zone(),
    ) {
        if let Ok(d) = FuzzyDate::parse(&text, zone) {
            prop_assert!(ordered(&d), "{text}: {d:?}");
        }
    }

    #[test]
    fn finer_precisions_nest_in_coarser_ones(
        ((y, mo, d), h, mi, s) in local_date_time(),
        zone in zone(),
    ) {
        let mut dates = Vec::new();
        for (precision, text) in writings(y, mo, d, h, mi, s) {
            let parsed = FuzzyDate::parse(&text, zone);
            prop_assert!(parsed.is_ok(), "{text}: {parsed:?}");
            let Ok(date) = parsed else { unreachable!() };
            prop_assert_eq!(date.precision(), precision);
            dates.push(date);
        }
        for (i, coarse) in dates.iter().enumerate() {
            for fine in dates.iter().skip(i + 1) {
                // An ISO week is not part of one month or calendar year.
                let week_vs_calendar =
                    fine.precision() == Precision::Week && coarse.precision() <= Precision::Month;
                if !week_vs_calendar {
                    prop_assert!(
                        coarse.earliest() <= fine.earliest() && fine.latest() <= coarse.latest() && ordered(fine),
                        "{} not within {} in {:?}", fine, coarse, zone
                    );
                }
                let seconds = |x: &FuzzyDate| match (x.earliest(), x.latest()) {
                    (Some(earliest), Some(latest)) => (latest - earliest).num_seconds(),
                    _ => i64::MAX,
                };
                prop_assert!(
                    seconds(fine) <= seconds(coarse),
                    "{} spans more than {} in {:?}", fine, coarse, zone
                );
            }
        }
    }
}
