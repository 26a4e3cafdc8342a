//! CSV in, one event per row, read a record at a time. Two layouts, told apart by the header:
//!
//! - Chronik's: `key, title, start, end, kind, summary, confidence, time_zone, place, latitude,
//!   longitude, tags, participants, sources` (only `title` and `start` are required). `tags` and
//!   `sources` hold `;`-separated lists; `participants` holds `Name (role); Name (role)`. An actor
//!   is found by key or name or created (as a person); a source by key or URL, or created.
//! - The TimelineJS Google-Sheet template: `Year, Month, Day, Time, End Year, End Month, End Day,
//!   End Time, Display Date, Headline, Text, Media, Media Credit, Media Caption, Media Thumbnail,
//!   Type, Group, Background`, read as TimelineJS3 JSON is (the `title` row becomes the timeline's
//!   title event, `era` rows eras).
//!
//! - ACLED's export (`event_id_cnty`, `event_date`, …): see [`super::acled`].
//!
//! Rows without a `key` are keyed by their start and title (and, for a repeat, its occurrence),
//! so importing the file again updates them.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use super::keys::DerivedKeys;
use super::quotes::QuoteWatch;
use super::rows::{Row, coordinate, csv_error, next_record, normalise};
use super::sink::Sink;
use super::timelinejs::{ERA_KIND, Slides, media_source};
use crate::exchange::chronik::{ActorEntry, CitationEntry, EventEntry, ParticipantEntry, PlaceEntry};
use crate::exchange::error::{ImportError, Position};
use crate::exchange::record::{EventRecord, Record};
use crate::exchange::timelinejs::{Date, Media, Slide, Text};

/// A CSV file: Chronik's columns, the TimelineJS sheet's, or an ACLED export, told by the header.
pub fn read(input: impl BufRead, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    read_as(input, sink, false)
}

/// An ACLED export (`--format acled`): the header must be ACLED's.
pub fn read_acled(input: impl BufRead, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    read_as(input, sink, true)
}

fn read_as(input: impl BufRead, sink: &mut Sink<'_>, acled: bool) -> Result<(), ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(QuoteWatch::new(input, b','));
    let header = reader.headers().map_err(|error| csv_error(&error))?.clone();
    let columns: HashMap<String, usize> = header.iter().enumerate().map(|(i, name)| (normalise(name), i)).collect();
    if acled || super::acled::recognises(&columns) {
        return super::acled::read(&mut reader, &columns, sink);
    }
    let sheet = columns.contains_key("headline") && columns.contains_key("year");
    if !sheet {
        for required in ["title", "start"] {
            if !columns.contains_key(required) {
                return Err(ImportError::invalid(
                    Some(Position::Line(1)),
                    required,
                    "the header has no such column (a Chronik CSV needs title and start; a TimelineJS sheet Year and Headline)",
                ));
            }
        }
    }
    let mut seen = Seen::default();
    let mut slides = Slides::default();
    // The sheet's title row, written last: it spans the slides when it has no date of its own.
    let mut title: Option<(Position, Slide)> = None;
    let mut record = csv::StringRecord::new();
    loop {
        if !next_record(&mut reader, &mut record)? {
            if let Some((at, slide)) = title {
                for item in slides.title(&at, &slide).map_err(sheet_fields)? {
                    sink(at.clone(), item)?;
                }
            }
            return Ok(());
        }
        let line = record.position().map_or(0, |p| p.line());
        let at = Position::Line(line);
        let row = Row { columns: &columns, record: &record };
        let records = if !sheet {
            chronik_row(&at, &row, &mut seen)?
        } else if row.get("type").is_some_and(|kind| kind.eq_ignore_ascii_case("title")) {
            if title.is_none() {
                title = Some((at.clone(), sheet_slide(&at, &row)?));
            }
            Vec::new()
        } else {
            sheet_row(&at, &row, &mut slides)?
        };
        for item in records {
            sink(at.clone(), item)?;
        }
    }
}

/// Actors and sources already named by earlier rows.
#[derive(Default)]
struct Seen {
    actors: HashSet<String>,
    sources: HashSet<String>,
    keys: DerivedKeys,
}

fn list(cell: Option<&str>) -> Vec<String> {
    cell.map(|cell| cell.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `Name (role)` → (name, role); without a role, a participant.
fn participant(text: &str) -> (String, String) {
    if let Some(stripped) = text.strip_suffix(')')
        && let Some((name, role)) = stripped.rsplit_once('(')
        && !name.trim().is_empty()
    {
        return (name.trim().to_owned(), role.trim().to_owned());
    }
    (text.trim().to_owned(), "participant".to_owned())
}

fn chronik_row(at: &Position, row: &Row<'_>, seen: &mut Seen) -> Result<Vec<Record>, ImportError> {
    let mut records = Vec::new();
    let title = row.owned("title").unwrap_or_default();
    let start = row.owned("start").unwrap_or_default();
    let mut participants = Vec::new();
    for text in list(row.get("participants")) {
        let (name, role) = participant(&text);
        if seen.actors.insert(name.clone()) {
            records.push(Record::ActorStub(ActorEntry {
                key: name.clone(),
                name: name.clone(),
                kind: "person".to_owned(),
                aliases: Vec::new(),
                description: None,
            }));
        }
        participants.push(ParticipantEntry { actor: name, role, note: None });
    }
    let mut citations = Vec::new();
    for text in list(row.get("sources")) {
        let (mut source, citation) = media_source(&text, None, None);
        if source.url.is_none() {
            // Not a web address: a source named by its title.
            source.key = format!("title:{text}");
            source.notes = None;
        }
        let citation = CitationEntry { source: source.key.clone(), ..citation };
        if seen.sources.insert(source.key.clone()) {
            records.push(Record::SourceStub(source));
        }
        citations.push(citation);
    }
    let latitude = coordinate(at, row, "latitude")?;
    let longitude = coordinate(at, row, "longitude")?;
    let place = (row.get("place").is_some() || latitude.is_some() || longitude.is_some()).then(|| PlaceEntry {
        name: row.owned("place"),
        latitude,
        longitude,
    });
    let entry = EventEntry {
        key: row.owned("key").unwrap_or_else(|| seen.keys.key("csv", &[&start, &title])),
        title,
        summary: row.owned("summary"),
        kind: row.owned("kind").unwrap_or_else(|| "other".to_owned()),
        start,
        end: row.owned("end"),
        time_zone: row.owned("time_zone"),
        place,
        confidence: row.owned("confidence"),
        tags: list(row.get("tags")),
        participants,
        citations,
        ..EventEntry::default()
    };
    records.push(Record::Event(EventRecord { entry, keep_participants: !row.columns.contains_key("participants") }));
    Ok(records)
}

/// `10:15`, `10:15:30`, `10:15 PM`, `22` → hour, minute, second.
fn time(text: &str) -> Result<(String, Option<String>, Option<String>), String> {
    let lower = text.trim().to_lowercase();
    let (clock, pm) = match (lower.strip_suffix("pm"), lower.strip_suffix("am")) {
        (Some(clock), _) => (clock.trim().to_owned(), Some(true)),
        (_, Some(clock)) => (clock.trim().to_owned(), Some(false)),
        _ => (lower.clone(), None),
    };
    let parts: Vec<&str> = clock.split(':').map(str::trim).collect();
    let number = |s: &str| s.parse::<u32>().map_err(|_| format!("{text:?} is not a time such as 14:30 or 2:30 PM"));
    if parts.is_empty() || parts.len() > 3 {
        return Err(format!("{text:?} is not a time such as 14:30 or 2:30 PM"));
    }
    let mut hour = number(parts[0])?;
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let rest = parts.get(1..).unwrap_or_default();
    let minute = rest.first().map(|m| number(m).map(|m| m.to_string())).transpose()?;
    let second = rest.get(1).map(|s| number(s).map(|s| s.to_string())).transpose()?;
    Ok((hour.to_string(), minute, second))
}

fn sheet_date(row: &Row<'_>, prefix: &str, at: &Position) -> Result<Option<Date>, ImportError> {
    let column = |name: &str| if prefix.is_empty() { name.to_owned() } else { format!("{prefix}_{name}") };
    let Some(year) = row.owned(&column("year")) else {
        return Ok(None);
    };
    let mut date = Date {
        year: Some(year),
        month: row.owned(&column("month")),
        day: row.owned(&column("day")),
        ..Date::default()
    };
    if let Some(text) = row.get(&column("time")) {
        let (hour, minute, second) =
            time(text).map_err(|message| ImportError::invalid(Some(at.clone()), column("time"), message))?;
        date.hour = Some(hour);
        date.minute = minute;
        date.second = second;
    }
    Ok(Some(date))
}

/// A row of the sheet as the TimelineJS slide it stands for.
fn sheet_slide(at: &Position, row: &Row<'_>) -> Result<Slide, ImportError> {
    Ok(Slide {
        start_date: sheet_date(row, "", at)?,
        end_date: sheet_date(row, "end", at)?,
        text: Some(Text { headline: row.owned("headline"), text: row.owned("text") }),
        media: row.owned("media").map(|url| Media {
            url,
            caption: row.owned("media_caption"),
            credit: row.owned("media_credit"),
        }),
        group: row.owned("group"),
        display_date: row.owned("display_date"),
        unique_id: None,
    })
}

fn sheet_row(at: &Position, row: &Row<'_>, slides: &mut Slides) -> Result<Vec<Record>, ImportError> {
    let slide = sheet_slide(at, row)?;
    if slide.start_date.is_none() {
        return Err(ImportError::invalid(Some(at.clone()), "Year", "is empty; every slide but the title needs a year"));
    }
    let era = row.get("type").is_some_and(|kind| kind.eq_ignore_ascii_case("era"));
    slides.records(at, &slide, if era { ERA_KIND } else { "other" }).map_err(sheet_fields)
}

/// An error about a slide, naming the sheet's columns rather than TimelineJS's JSON fields.
fn sheet_fields(error: ImportError) -> ImportError {
    match error {
        ImportError::Invalid { at, field, message } => {
            let field = match field.as_str() {
                "start_date.year" => "Year".to_owned(),
                "start_date.month" => "Month".to_owned(),
                "start_date.day" => "Day".to_owned(),
                f if f.starts_with("start_date.") => "Time".to_owned(),
                "end_date.year" => "End Year".to_owned(),
                "end_date.month" => "End Month".to_owned(),
                "end_date.day" => "End Day".to_owned(),
                f if f.starts_with("end_date.") => "End Time".to_owned(),
                _ => field,
            };
            ImportError::Invalid { at, field, message }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_participants_parse() {
        assert_eq!(time("14:30"), Ok(("14".into(), Some("30".into()), None)));
        assert_eq!(time("2:30 PM"), Ok(("14".into(), Some("30".into()), None)));
        assert_eq!(time("12:05:09 am"), Ok(("0".into(), Some("5".into()), Some("9".into()))));
        assert!(time("noon").is_err());
        assert_eq!(participant("Olaf Scholz (speaker)"), ("Olaf Scholz".into(), "speaker".into()));
        assert_eq!(participant("RT"), ("RT".into(), "participant".into()));
        assert_eq!(normalise(" End Year"), "end_year");
    }
}
