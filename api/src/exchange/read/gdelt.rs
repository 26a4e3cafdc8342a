//! GDELT 2.0's events table in, by its codebook: 61 tab-separated columns, no header, no quoting
//! (GDELT names the files `*.export.CSV`; [`crate::exchange::Format::sniff_csv`] tells them from CSV).
//! Each row becomes:
//!
//! - an event keyed `gdelt:` + `GLOBALEVENTID` (importing the file again updates it), dated by
//!   `SQLDATE` (`YYYYMMDD`) at day precision, its kind from the CAMEO root of `EventCode`
//!   (14 → `protest`, see [`CAMEO_ROOTS`]), its title from that, the two actors and the place,
//!   its summary GDELT's figures (CAMEO code, Goldstein scale, mentions, tone);
//! - `Actor1Name` and `Actor2Name` as participants with the roles `actor1` and `actor2`: an actor is
//!   found by name or created once, with a kind from its CAMEO type codes;
//! - its place from `ActionGeo_FullName`, `ActionGeo_Lat` and `ActionGeo_Long`;
//! - `SOURCEURL` as a source with that URL (keyed `gdelt:` + the URL; the same article, named
//!   by many rows, is one source), cited by the event.
//!
//! Streamed: rows are read a line at a time and handed on in chunks of [`EVENT_BATCH`], the
//! sources of a chunk first (so that the writer writes the new ones as one batch), then its new
//! actors, then its events. What stays for the whole file is the names of the actors met (GDELT
//! has a few thousand). Each row's source is handed on as a [`Record::CitedSource`]: the writer,
//! which remembers every key of the file anyway, writes it the first time and passes over the
//! rest, so the reader keeps no set of the URLs (289,272 of them in a million generated rows).

use std::collections::HashSet;
use std::io::BufRead;

use chrono::NaiveDate;

use super::jsonl::read_line;
use super::sink::Sink;
use crate::exchange::chronik::{ActorEntry, CitationEntry, EventEntry, ParticipantEntry, PlaceEntry, SourceEntry};
use crate::exchange::error::{ImportError, Position};
use crate::exchange::format::GDELT_COLUMNS;
use crate::exchange::record::{EventRecord, Record};
use crate::exchange::write::EVENT_BATCH;

// The columns read, by their index in the codebook's order.
const GLOBALEVENTID: usize = 0;
const SQLDATE: usize = 1;
const ACTOR1_CODE: usize = 5;
const ACTOR1_NAME: usize = 6;
const ACTOR1_COUNTRY: usize = 7;
const ACTOR1_GROUP: usize = 8;
const ACTOR1_TYPE1: usize = 12;
/// Actor 2's columns are actor 1's, ten further on.
const ACTOR2: usize = 10;
const EVENT_CODE: usize = 26;
const EVENT_ROOT_CODE: usize = 28;
const GOLDSTEIN: usize = 30;
const NUM_MENTIONS: usize = 31;
const NUM_SOURCES: usize = 32;
const NUM_ARTICLES: usize = 33;
const AVG_TONE: usize = 34;
const ACTION_GEO_TYPE: usize = 51;
const ACTION_GEO_FULLNAME: usize = 52;
const ACTION_GEO_LAT: usize = 56;
const ACTION_GEO_LONG: usize = 57;
const SOURCEURL: usize = 60;

/// The codebook's names of the columns read, for error messages.
fn column_name(index: usize) -> &'static str {
    match index {
        GLOBALEVENTID => "GLOBALEVENTID",
        SQLDATE => "SQLDATE",
        ACTION_GEO_LAT => "ActionGeo_Lat",
        ACTION_GEO_LONG => "ActionGeo_Long",
        SOURCEURL => "SOURCEURL",
        _ => "",
    }
}

/// The 20 root codes of CAMEO (the Conflict and Mediation Event Observations codebook GDELT codes
/// events in): the kind Chronik gives the event, and the words its title uses.
pub const CAMEO_ROOTS: [(&str, &str, &str); 20] = [
    ("01", "statement", "Public statement"),
    ("02", "appeal", "Appeal"),
    ("03", "intent_to_cooperate", "Intent to cooperate"),
    ("04", "consultation", "Consultation"),
    ("05", "diplomatic_cooperation", "Diplomatic cooperation"),
    ("06", "material_cooperation", "Material cooperation"),
    ("07", "aid", "Aid"),
    ("08", "concession", "Concession"),
    ("09", "investigation", "Investigation"),
    ("10", "demand", "Demand"),
    ("11", "disapproval", "Disapproval"),
    ("12", "rejection", "Rejection"),
    ("13", "threat", "Threat"),
    ("14", "protest", "Protest"),
    ("15", "force_posture", "Show of force"),
    ("16", "reduced_relations", "Reduced relations"),
    ("17", "coercion", "Coercion"),
    ("18", "assault", "Assault"),
    ("19", "fight", "Fight"),
    ("20", "mass_violence", "Mass violence"),
];

/// The kind and title words of a CAMEO code (`141`, `0211`) by its root (its first two digits).
pub fn cameo(code: &str) -> Option<(&'static str, &'static str)> {
    let root = code.get(..2)?;
    CAMEO_ROOTS.iter().find(|(r, _, _)| *r == root).map(|(_, kind, words)| (*kind, *words))
}

/// An actor's kind from its CAMEO codes: government, military, police, judiciary … a state body;
/// media a media outlet; business and (inter)national organisations an organisation; a code that
/// is a country alone a state body; anything else a group.
fn actor_kind(code: &str, country: &str, group: &str, type1: &str) -> &'static str {
    match type1 {
        "GOV" | "MIL" | "COP" | "JUD" | "LEG" | "SPY" | "ELI" => "state_body",
        "MED" | "JRN" => "media_outlet",
        "BUS" | "MNC" | "NGO" | "IGO" | "EDU" | "HLH" | "NGM" => "organisation",
        _ if !group.is_empty() => "organisation",
        _ if !country.is_empty() && code == country => "state_body",
        _ => "group",
    }
}

/// What the reader keeps across chunks.
#[derive(Default)]
struct Met {
    actors: HashSet<String>,
}

/// The records of a chunk of rows, by kind, in the order they are handed on.
#[derive(Default)]
struct Chunk {
    sources: Vec<(Position, Record)>,
    actors: Vec<(Position, Record)>,
    events: Vec<(Position, Record)>,
}

impl Chunk {
    fn send(&mut self, sink: &mut Sink<'_>) -> Result<(), ImportError> {
        for (at, record) in self.sources.drain(..).chain(self.actors.drain(..)).chain(self.events.drain(..)) {
            sink(at, record)?;
        }
        Ok(())
    }
}

pub fn read(mut input: impl BufRead, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut buffer = Vec::new();
    let mut number: u64 = 0;
    let mut met = Met::default();
    let mut chunk = Chunk::default();
    loop {
        number += 1;
        let at = Position::Line(number);
        if !read_line(&mut input, &mut buffer, &at)? {
            break;
        }
        let line = std::str::from_utf8(&buffer)
            .map_err(|_| ImportError::invalid(Some(at.clone()), "", "is not UTF-8 text"))?
            .trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        met.row(&at, line, &mut chunk)?;
        if chunk.events.len() >= EVENT_BATCH {
            chunk.send(sink)?;
        }
    }
    chunk.send(sink)
}

fn invalid(at: &Position, column: usize, message: impl Into<String>) -> ImportError {
    ImportError::invalid(Some(at.clone()), column_name(column), message)
}

impl Met {
    fn row(&mut self, at: &Position, line: &str, chunk: &mut Chunk) -> Result<(), ImportError> {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cells.len() != GDELT_COLUMNS {
            return Err(ImportError::invalid(
                Some(at.clone()),
                "",
                format!(
                    "has {} tab-separated columns; a GDELT 2.0 event row has {GDELT_COLUMNS} (GLOBALEVENTID, SQLDATE, … SOURCEURL)",
                    cells.len()
                ),
            ));
        }
        let cell = |index: usize| cells.get(index).copied().unwrap_or_default();
        let id = cell(GLOBALEVENTID);
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(at, GLOBALEVENTID, format!("{id:?} is not an event number")));
        }
        let day = NaiveDate::parse_from_str(cell(SQLDATE), "%Y%m%d").map_err(|_| {
            invalid(at, SQLDATE, format!("{:?} is not a date written YYYYMMDD, such as 20240219", cell(SQLDATE)))
        })?;

        let mut participants = Vec::new();
        let mut names = Vec::new();
        for (offset, role) in [(0, "actor1"), (ACTOR2, "actor2")] {
            let name = cell(ACTOR1_NAME + offset);
            if name.is_empty() {
                continue;
            }
            names.push(name);
            let key = format!("gdelt:actor:{name}");
            if self.actors.insert(name.to_owned()) {
                let kind = actor_kind(
                    cell(ACTOR1_CODE + offset),
                    cell(ACTOR1_COUNTRY + offset),
                    cell(ACTOR1_GROUP + offset),
                    cell(ACTOR1_TYPE1 + offset),
                );
                chunk.actors.push((
                    at.clone(),
                    Record::ActorStub(ActorEntry {
                        key: key.clone(),
                        name: name.to_owned(),
                        kind: kind.to_owned(),
                        aliases: Vec::new(),
                        description: None,
                    }),
                ));
            }
            participants.push(ParticipantEntry { actor: key, role: role.to_owned(), note: None });
        }

        let coordinate = |index: usize| -> Result<Option<f64>, ImportError> {
            let text = cell(index);
            if text.is_empty() {
                return Ok(None);
            }
            match text.parse::<f64>() {
                Ok(number) if number.is_finite() => Ok(Some(number)),
                _ => Err(invalid(at, index, format!("{text:?} is not a coordinate in decimal degrees"))),
            }
        };
        // Type 0: GDELT found no place for the action.
        let place = if cell(ACTION_GEO_TYPE) == "0" {
            None
        } else {
            let name = cell(ACTION_GEO_FULLNAME);
            let (latitude, longitude) = (coordinate(ACTION_GEO_LAT)?, coordinate(ACTION_GEO_LONG)?);
            (!name.is_empty() || latitude.is_some()).then(|| PlaceEntry {
                name: (!name.is_empty()).then(|| name.to_owned()),
                latitude,
                longitude,
            })
        };

        let mut citations = Vec::new();
        let url = cell(SOURCEURL);
        if !url.is_empty() {
            let key = if url.len() <= 480 { format!("gdelt:{url}") } else { super::derived_key("gdelt", &[url]) };
            chunk.sources.push((at.clone(), Record::CitedSource(source(&key, url))));
            citations.push(CitationEntry { source: key, quote: None, supports: Some("event".to_owned()), actor: None });
        }

        let code = cell(EVENT_CODE);
        let root = Some(cell(EVENT_ROOT_CODE)).filter(|r| !r.is_empty()).unwrap_or(code);
        let (kind, words) = cameo(&format!("{root:0>2}")).unwrap_or(("other", "Event"));
        let mut title = words.to_owned();
        if !names.is_empty() {
            title.push_str(": ");
            title.push_str(&names.join(" → "));
        }
        if let Some(name) = place.as_ref().and_then(|p| p.name.as_deref()) {
            title.push_str(&format!(" ({name})"));
        }
        let summary = format!(
            "GDELT event {id}: CAMEO code {code}, Goldstein scale {}, {} mentions in {} articles from {} sources, average tone {}.",
            or_unknown(cell(GOLDSTEIN)),
            or_unknown(cell(NUM_MENTIONS)),
            or_unknown(cell(NUM_ARTICLES)),
            or_unknown(cell(NUM_SOURCES)),
            or_unknown(cell(AVG_TONE)),
        );
        let entry = EventEntry {
            key: format!("gdelt:{id}"),
            title,
            summary: Some(summary),
            kind: kind.to_owned(),
            start: day.format("%Y-%m-%d").to_string(),
            place,
            participants,
            citations,
            ..EventEntry::default()
        };
        chunk.events.push((at.clone(), Record::Event(EventRecord::full(entry))));
        Ok(())
    }
}

fn or_unknown(text: &str) -> &str {
    if text.is_empty() { "unknown" } else { text }
}

/// The source a `SOURCEURL` names: a web page (its host the publisher), or, where GDELT has no
/// URL (some of its sources are named, such as "BBC Monitoring"), a source of that title.
fn source(key: &str, url: &str) -> SourceEntry {
    let web = url.starts_with("http://") || url.starts_with("https://");
    let host = web.then(|| url.split('/').nth(2).unwrap_or_default().trim_start_matches("www.").to_owned());
    SourceEntry {
        key: key.to_owned(),
        title: url.chars().take(500).collect(),
        url: web.then(|| url.to_owned()),
        publisher: host.filter(|h| !h.is_empty()),
        author: None,
        published: None,
        accessed_at: None,
        archive_url: None,
        notes: Some("cited by GDELT".to_owned()),
        status: None,
        changes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cameo_roots_and_actor_kinds() {
        assert_eq!(cameo("141"), Some(("protest", "Protest")));
        assert_eq!(cameo("0211"), Some(("appeal", "Appeal")));
        assert_eq!(cameo("20"), Some(("mass_violence", "Mass violence")));
        assert_eq!(cameo("99"), None);
        assert_eq!(cameo("1"), None);
        assert_eq!(actor_kind("USA", "USA", "", ""), "state_body");
        assert_eq!(actor_kind("USACOP", "USA", "", "COP"), "state_body");
        assert_eq!(actor_kind("FRAMED", "FRA", "", "MED"), "media_outlet");
        assert_eq!(actor_kind("PRO", "", "", "PRO"), "group");
        assert_eq!(source("k", "https://www.example.org/a/b").publisher.as_deref(), Some("example.org"));
        assert_eq!(source("k", "BBC Monitoring").url, None);
    }
}
