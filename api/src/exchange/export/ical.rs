//! iCalendar (RFC 5545) out: one VEVENT per event. An event dated to a day or coarser (a month, a
//! week, a year) is an all-day range, `DTSTART;VALUE=DATE` to the day after its last day (`DTEND`
//! is exclusive); an event with a time is a UTC range over its span. The date as typed and its
//! meaning go to `X-CHRONIK-START`/`-END` and the description. Text is escaped, lines are folded at
//! 75 octets and end in CRLF.
//!
//! EDTF dates are ranges over all the days they may fall on (`2023-35` is 1 July to 30 September,
//! `1985-XX-12` 12 January to 12 December). iCalendar has no open ends: an event with one
//! (`../2019-05`) is exported at its known side alone, the description saying "until May 2019
//! (no known start…)". iCalendar's years have four digits, so an event outside years 0–9999
//! (`-0044-03-15`) is left out of the calendar; the chronik JSON export keeps it.

use std::io::Write;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use fuzzydate::{FuzzyDate, Precision};

use super::select::{Item, Page};
use super::writer::FormatWriter;
use crate::service::dates;

pub struct Calendar<W> {
    out: W,
}

impl<W: Write> Calendar<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }

    /// Writes one content line, folded.
    fn line(&mut self, name: &str, value: &str) -> std::io::Result<()> {
        let line = format!("{name}:{value}");
        self.out.write_all(fold(&line).as_bytes())
    }
}

/// Folds a content line into lines of at most 75 octets (continuations start with a space),
/// never inside a UTF-8 character, each ending in CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let size = c.len_utf8();
        if width + size > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += size;
    }
    out.push_str("\r\n");
    out
}

/// Escapes a TEXT value: backslash, semicolon, comma and newlines; other control characters go.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn stamp(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

fn local_day(instant: DateTime<Utc>, zone: Option<Tz>) -> Option<NaiveDate> {
    let day = match zone {
        Some(tz) => instant.with_timezone(&tz).date_naive(),
        None => instant.date_naive(),
    };
    (0..=9999).contains(&day.year()).then_some(day)
}

fn date_like(precision: i16) -> bool {
    Precision::from_rank(precision).is_some_and(|p| p <= Precision::Day)
}

/// DTSTART and DTEND, with their parameters.
fn range(item: &Item) -> Option<(String, String)> {
    let row = &item.row;
    let zone: Option<Tz> = row.time_zone.as_deref().and_then(|name| name.parse().ok());
    let all_day = date_like(row.start_precision) && row.end_precision.is_none_or(date_like);
    // An open side is not a date: the known side stands alone.
    let (first, last) = match (dates::instant(row.start_earliest), dates::instant(row.span_latest)) {
        (Some(first), Some(last)) => (first, last),
        (Some(known), None) | (None, Some(known)) => (known, known),
        (None, None) => return None,
    };
    if !(0..=9999).contains(&first.year()) || !(0..=9999).contains(&last.year()) {
        return None;
    }
    if all_day {
        let first = local_day(first, zone)?;
        let last = local_day(last, zone)?;
        let after = last.checked_add_days(Days::new(1))?;
        Some((
            format!("DTSTART;VALUE=DATE:{}", first.format("%Y%m%d")),
            format!("DTEND;VALUE=DATE:{}", after.format("%Y%m%d")),
        ))
    } else {
        let after = last.checked_add_signed(chrono::TimeDelta::seconds(1))?;
        Some((format!("DTSTART:{}", stamp(first)), format!("DTEND:{}", stamp(after))))
    }
}

fn describe(value: &str, zone: Option<&str>) -> String {
    let zone = zone.and_then(|name| name.parse::<Tz>().ok());
    FuzzyDate::parse(value, zone).map(|d| d.describe()).unwrap_or_else(|_| value.to_owned())
}

impl<W: Write> FormatWriter for Calendar<W> {
    fn begin(&mut self) -> std::io::Result<()> {
        self.line("BEGIN", "VCALENDAR")?;
        self.line("VERSION", "2.0")?;
        self.line("PRODID", "-//Chronik//Chronik export//EN")?;
        self.line("CALSCALE", "GREGORIAN")
    }

    fn events(&mut self, page: &Page) -> std::io::Result<()> {
        for item in &page.events {
            let row = &item.row;
            let Some((start, end)) = range(item) else {
                continue;
            };
            self.line("BEGIN", "VEVENT")?;
            self.line("UID", &escape(&format!("{}@chronik", item.key())))?;
            self.line("DTSTAMP", &stamp(row.updated_at))?;
            self.out.write_all(fold(&start).as_bytes())?;
            self.out.write_all(fold(&end).as_bytes())?;
            self.line("SUMMARY", &escape(&row.title))?;
            let mut description = row.summary.clone().unwrap_or_default();
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(&format!("When: {}", describe(&row.start_value, row.time_zone.as_deref())));
            if let Some(end) = &row.end_value {
                description.push_str(&format!(" to {}", describe(end, row.time_zone.as_deref())));
            }
            for participant in &item.participants {
                if let Some(actor) = page.actors.get(&participant.actor_id) {
                    description.push_str(&format!("\n{}: {}", participant.role, actor.name));
                }
            }
            for citation in &item.citations {
                if let Some(source) = page.sources.get(&citation.source_id) {
                    description.push_str(&format!("\nSource: {}", source.title));
                    if let Some(url) = &source.url {
                        description.push_str(&format!(" <{url}>"));
                    }
                }
            }
            self.line("DESCRIPTION", &escape(&description))?;
            if let Some(place) = &row.place_name {
                self.line("LOCATION", &escape(place))?;
            }
            if let (Some(latitude), Some(longitude)) = (row.place_latitude, row.place_longitude) {
                self.line("GEO", &format!("{latitude};{longitude}"))?;
            }
            let categories: Vec<String> =
                std::iter::once(&row.kind).chain(item.tags.iter()).map(|c| escape(c)).collect();
            self.line("CATEGORIES", &categories.join(","))?;
            if let Some(url) = item.citations.iter().find_map(|c| page.sources.get(&c.source_id)?.url.clone()) {
                self.line("URL", &url)?;
            }
            self.line("X-CHRONIK-START", &escape(&row.start_value))?;
            if let Some(end) = &row.end_value {
                self.line("X-CHRONIK-END", &escape(end))?;
            }
            self.line("END", "VEVENT")?;
        }
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.line("END", "VCALENDAR")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let line = format!("SUMMARY:{}", "ä".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{} octets: {part}", part.len());
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\r\ne\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }
}
