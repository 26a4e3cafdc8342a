//! ACLED's CSV export in, by its codebook (one event per row, told from other CSV files by its
//! `event_id_cnty` and `event_date` columns). Each row becomes:
//!
//! - an event keyed `acled:` + `event_id_cnty` (importing the file again updates it); its kind
//!   from `event_type` (Protests → `protests`), its title `sub_event_type` in `location`, its
//!   summary the `notes` (and the fatalities ACLED counts), `sub_event_type` as a tag;
//! - its date from `event_date` (`2024-02-19` or `19 February 2024`) at the precision
//!   `time_precision` gives: 1 the day, 2 the ISO week of the date (ACLED's date is then the
//!   middle of the week the source names), 3 the month (the date is then the 15th);
//! - its place from `location`, `admin1` and `country`, with `latitude` and `longitude`;
//! - `actor1`, `actor2` and the `;`-separated `assoc_actor_1`/`assoc_actor_2` as participants
//!   with those roles: an actor is found by name (or created once, with a kind from
//!   `inter1`/`inter2`: state forces are a state body, the rest groups);
//! - each `;`-separated name of `source` a source (found by name, or created once), cited with
//!   `notes` as the quote.
//!
//! The other columns (`disorder_type`, `iso`, `region`, `geo_precision`, `timestamp`, …) are not
//! read.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use chrono::{Datelike, NaiveDate};

use super::quotes::QuoteWatch;
use super::rows::{Row, coordinate, next_record};
use super::sink::Sink;
use crate::exchange::chronik::{ActorEntry, CitationEntry, EventEntry, ParticipantEntry, PlaceEntry, SourceEntry};
use crate::exchange::error::{ImportError, Position};
use crate::exchange::ftm::term;
use crate::exchange::record::{EventRecord, Record};

/// The columns without which a row is no ACLED event.
const REQUIRED: [&str; 4] = ["event_id_cnty", "event_date", "event_type", "actor1"];

/// Whether a CSV header (normalised column names) is ACLED's.
pub fn recognises(columns: &HashMap<String, usize>) -> bool {
    columns.contains_key("event_id_cnty") && columns.contains_key("event_date")
}

pub fn read<R: BufRead>(
    reader: &mut csv::Reader<QuoteWatch<R>>,
    columns: &HashMap<String, usize>,
    sink: &mut Sink<'_>,
) -> Result<(), ImportError> {
    for required in REQUIRED {
        if !columns.contains_key(required) {
            return Err(ImportError::invalid(
                Some(Position::Line(1)),
                required,
                "the header has no such column; an ACLED export has event_id_cnty, event_date, event_type and actor1",
            ));
        }
    }
    let mut named = Named::default();
    let mut record = csv::StringRecord::new();
    while next_record(reader, &mut record)? {
        let at = Position::Line(record.position().map_or(0, |p| p.line()));
        let row = Row { columns, record: &record };
        for item in named.row(&at, &row)? {
            sink(at.clone(), item)?;
        }
    }
    Ok(())
}

/// The actors and sources earlier rows named (a file names a few hundred, again and again).
#[derive(Default)]
struct Named {
    actors: HashSet<String>,
    sources: HashSet<String>,
}

fn invalid(at: &Position, field: &str, message: impl Into<String>) -> ImportError {
    ImportError::invalid(Some(at.clone()), field, message)
}

/// `2024-02-19`, `19 February 2024`, `19-February-2024` or `19 Feb 2024`.
pub fn day(text: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text.trim(), format).ok())
}

/// The fuzzy date of a row: its day, week or month, as `time_precision` says.
fn date(at: &Position, row: &Row<'_>) -> Result<String, ImportError> {
    let text =
        row.get("event_date").ok_or_else(|| invalid(at, "event_date", "is empty; every ACLED event has a date"))?;
    let day = day(text).ok_or_else(|| {
        invalid(
            at,
            "event_date",
            format!("{text:?} is not a date as ACLED writes them, such as 2024-02-19 or 19 February 2024"),
        )
    })?;
    match row.get("time_precision") {
        None | Some("1") => Ok(day.format("%Y-%m-%d").to_string()),
        Some("2") => Ok(format!("{}-W{:02}", day.iso_week().year(), day.iso_week().week())),
        Some("3") => Ok(day.format("%Y-%m").to_string()),
        Some(other) => Err(invalid(
            at,
            "time_precision",
            format!("{other:?} is not an ACLED time precision: 1 (the day), 2 (the week) or 3 (the month)"),
        )),
    }
}

/// An ACLED actor's kind from its `inter` code (numbers before 2023, words since).
fn actor_kind(inter: Option<&str>) -> &'static str {
    match inter.map(|code| code.trim().to_lowercase()).as_deref() {
        Some("1" | "state forces") => "state_body",
        _ => "group",
    }
}

fn names(cell: Option<&str>) -> Vec<String> {
    cell.map(|cell| cell.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default()
}

impl Named {
    fn row(&mut self, at: &Position, row: &Row<'_>) -> Result<Vec<Record>, ImportError> {
        let mut records = Vec::new();
        let id = row
            .get("event_id_cnty")
            .ok_or_else(|| invalid(at, "event_id_cnty", "is empty; every ACLED event has one"))?;
        let start = date(at, row)?;
        let event_type = row.get("event_type").ok_or_else(|| invalid(at, "event_type", "is empty"))?;
        let sub_event_type = row.get("sub_event_type");
        let location = row.get("location");

        let mut participants: Vec<ParticipantEntry> = Vec::new();
        let roles = [
            ("actor1", "actor1", Some("inter1")),
            ("actor2", "actor2", Some("inter2")),
            ("assoc_actor_1", "assoc_actor_1", None),
            ("assoc_actor_2", "assoc_actor_2", None),
        ];
        for (column, role, inter) in roles {
            let listed = if column.starts_with("assoc") {
                names(row.get(column))
            } else {
                row.owned(column).into_iter().collect()
            };
            for name in listed {
                let key = format!("acled:actor:{name}");
                if self.actors.insert(name.clone()) {
                    records.push(Record::ActorStub(ActorEntry {
                        key: key.clone(),
                        name: name.clone(),
                        kind: actor_kind(inter.and_then(|c| row.get(c))).to_owned(),
                        aliases: Vec::new(),
                        description: None,
                    }));
                }
                if !participants.iter().any(|p| p.actor == key && p.role == role) {
                    participants.push(ParticipantEntry { actor: key, role: role.to_owned(), note: None });
                }
            }
        }

        let notes = row.owned("notes");
        let mut citations = Vec::new();
        for name in names(row.get("source")) {
            let key = format!("acled:source:{name}");
            if self.sources.insert(name.clone()) {
                records.push(Record::SourceStub(SourceEntry {
                    key: key.clone(),
                    title: name.clone(),
                    url: None,
                    publisher: Some(name.clone()),
                    author: None,
                    published: None,
                    accessed_at: None,
                    archive_url: None,
                    notes: Some("named as a source in ACLED's data".to_owned()),
                    status: None,
                    changes: Vec::new(),
                }));
            }
            citations.push(CitationEntry {
                source: key,
                quote: notes.clone(),
                supports: Some("event".to_owned()),
                actor: None,
            });
        }

        let latitude = coordinate(at, row, "latitude")?;
        let longitude = coordinate(at, row, "longitude")?;
        // `location, admin1, country`, each said once (a location may name its admin1 already).
        let mut name = String::new();
        for part in [location, row.get("admin1"), row.get("country")].into_iter().flatten() {
            if !name.split(',').map(str::trim).any(|said| said == part) {
                if !name.is_empty() {
                    name.push_str(", ");
                }
                name.push_str(part);
            }
        }
        let place = (!name.is_empty() || latitude.is_some()).then(|| PlaceEntry {
            name: (!name.is_empty()).then_some(name),
            latitude,
            longitude,
        });

        let what = sub_event_type.unwrap_or(event_type);
        let title = match location {
            Some(location) => format!("{what} in {location}"),
            None => what.to_owned(),
        };
        let fatalities = row.get("fatalities").and_then(|n| n.parse::<u64>().ok()).filter(|n| *n > 0);
        let summary = match (notes, fatalities) {
            (Some(notes), Some(n)) => Some(format!("{notes}\n\nFatalities (ACLED): {n}")),
            (None, Some(n)) => Some(format!("Fatalities (ACLED): {n}")),
            (notes, None) => notes,
        };
        let entry = EventEntry {
            key: format!("acled:{id}"),
            title,
            summary,
            kind: term(event_type, "other"),
            start,
            place,
            tags: sub_event_type.map(str::to_owned).into_iter().collect(),
            participants,
            citations,
            ..EventEntry::default()
        };
        records.push(Record::Event(EventRecord::full(entry)));
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acled_dates_and_kinds_read() {
        let expected = NaiveDate::from_ymd_opt(2024, 2, 19);
        assert_eq!(day("2024-02-19"), expected);
        assert_eq!(day("19 February 2024"), expected);
        assert_eq!(day("19-February-2024"), expected);
        assert_eq!(day("19 Feb 2024"), expected);
        assert_eq!(day("2024/02/19"), None);
        assert_eq!(actor_kind(Some("1")), "state_body");
        assert_eq!(actor_kind(Some("State forces")), "state_body");
        assert_eq!(actor_kind(Some("Protesters")), "group");
        assert_eq!(term("Explosions/Remote violence", "other"), "explosions_remote_violence");
    }
}
