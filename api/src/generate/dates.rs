//! Dates for synthetic events: bunched around a few burst dates over a background from 2000 to
//! 2025, at every precision from a century to a second, sometimes approximate or uncertain,
//! sometimes with an end, a time zone or a UTC offset.

use chrono::{DateTime, Datelike, Days, NaiveDateTime, Timelike};

use super::rng::Draw;

const BACKGROUND_FROM: i64 = 946_684_800; // 2000-01-01
const BACKGROUND_TO: i64 = 1_767_225_600; // 2026-01-01
const DAY: i64 = 86_400;

/// A burst's centre: a day between 2012 and mid-2025.
pub fn burst_centre(draw: &mut Draw) -> i64 {
    let from = 1_325_376_000; // 2012-01-01
    let to = 1_751_328_000; // 2025-07-01
    from + draw.below(((to - from) / DAY) as u64) as i64 * DAY
}

fn instant(draw: &mut Draw, bursts: &[i64]) -> NaiveDateTime {
    let seconds = if !bursts.is_empty() && draw.chance(60) {
        let centre = bursts[draw.below(bursts.len() as u64) as usize];
        // The sum of three uniform draws: bell-shaped, about ±45 days wide.
        let offset = (draw.unit() + draw.unit() + draw.unit() - 1.5) * 60.0 * DAY as f64;
        centre + offset as i64
    } else {
        BACKGROUND_FROM + draw.below((BACKGROUND_TO - BACKGROUND_FROM) as u64) as i64
    };
    DateTime::from_timestamp(seconds.clamp(BACKGROUND_FROM, BACKGROUND_TO - 1), 0).unwrap_or_default().naive_utc()
}

/// A day, `YYYY-MM-DD`, from the background period.
pub fn day(draw: &mut Draw) -> String {
    instant(draw, &[]).format("%Y-%m-%d").to_string()
}

/// The start, the end and the time zone of an event.
pub fn event_dates(draw: &mut Draw, bursts: &[i64]) -> (String, Option<String>, Option<String>) {
    let at = instant(draw, bursts);
    let precision = draw.weighted(&[
        ("century", 2),
        ("decade", 8),
        ("year", 40),
        ("month", 100),
        ("week", 50),
        ("day", 450),
        ("hour", 100),
        ("minute", 195),
        ("second", 55),
    ]);
    let year = at.year();
    let mut zone = None;
    let mut start = match precision {
        "century" => format!("{}XX", year / 100),
        "decade" => format!("{}X", year / 10),
        "year" => year.to_string(),
        "month" => at.format("%Y-%m").to_string(),
        "week" => {
            let week = at.iso_week();
            format!("{}-W{:02}", week.year(), week.week())
        }
        "day" => at.format("%Y-%m-%d").to_string(),
        timed => {
            let text = match timed {
                "hour" => at.format("%Y-%m-%dT%H").to_string(),
                "minute" => at.format("%Y-%m-%dT%H:%M").to_string(),
                _ => at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            };
            match draw.below(10) {
                0..=2 => {
                    zone = Some("Europe/Berlin".to_owned());
                    text
                }
                3 | 4 => format!("{text}Z"),
                5 => format!("{text}+0{}:00", 1 + at.hour() % 2),
                _ => text,
            }
        }
    };
    let end = match precision {
        "day" if draw.chance(15) => {
            at.date().checked_add_days(Days::new(1 + draw.below(30))).map(|d| d.format("%Y-%m-%d").to_string())
        }
        "month" if draw.chance(10) => {
            let next = at.date().checked_add_days(Days::new(31 * (1 + draw.below(5))));
            next.map(|d| d.format("%Y-%m").to_string())
        }
        _ => None,
    };
    match draw.below(100) {
        0..=4 => start.push('~'),
        5..=7 => start.push('?'),
        8 => start.push('%'),
        _ => {}
    }
    (start, end, zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_precision_appears_and_every_date_parses() {
        let bursts = [1_700_000_000];
        let mut seen = std::collections::BTreeSet::new();
        for index in 0..5_000 {
            let mut draw = Draw::new(42, 4, index);
            let (start, end, zone) = event_dates(&mut draw, &bursts);
            let zone = zone.and_then(|z| z.parse().ok());
            let parsed = fuzzydate::FuzzyDate::parse(&start, zone).unwrap_or_else(|e| panic!("{start}: {e}"));
            if let Some(end) = end {
                let end = fuzzydate::FuzzyDate::parse(&end, zone).unwrap_or_else(|e| panic!("{end}: {e}"));
                assert!(end.latest() >= parsed.earliest());
            }
            seen.insert(parsed.precision());
        }
        // The generator writes the forms dates had before EDTF level 2 (no millennia or seasons),
        // so generated data sets stay comparable across versions.
        let written = fuzzydate::Precision::ALL
            .into_iter()
            .filter(|p| !matches!(p, fuzzydate::Precision::Millennium | fuzzydate::Precision::Season));
        assert_eq!(seen, written.collect(), "{seen:?}");
    }
}
