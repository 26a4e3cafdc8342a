//! FollowTheMoney (Aleph, OpenSanctions) entities, as JSON Lines (`{"id", "schema",
//! "properties": {name: [values]}}`), both ways: an event is an `Event` (`name`, `summary`,
//! `date`/`startDate`/`endDate`, `location`, `involved`, `organizer`, `keywords` for its tags),
//! an actor a `Person`, `Organization` or `PublicBody`, a source an `Article` (a `Document` of
//! any kind is read), each participation an `UnknownLink` interval from the actor to the event
//! (with its role and the event's dates), each citation a `Documentation` interval from the
//! source to the event, each link between events an `UnknownLink` between them, and a place with
//! coordinates an `Address`. What FollowTheMoney has no property for travels in `keywords` as
//! `chronik.kind=…` and `chronik.confidence=…`. Entity IDs are the file's keys with a prefix
//! telling the kind (`e.`, `a.`, `s.`), so the export of an import is the file imported.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use fuzzydate::{FuzzyDate, Precision};
use serde::{Deserialize, Serialize};

/// One entity (or a fragment of one: fragments with the same ID are merged).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    pub schema: String,
    #[serde(default)]
    pub properties: BTreeMap<String, Vec<serde_json::Value>>,
}

impl Entity {
    pub fn new(id: String, schema: &str) -> Self {
        Self { id, schema: schema.to_owned(), properties: BTreeMap::new() }
    }

    /// Adds a value (empty ones are left out, as FollowTheMoney drops them).
    pub fn add(&mut self, property: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.properties.entry(property.to_owned()).or_default().push(serde_json::Value::String(value));
        }
    }

    pub fn add_opt(&mut self, property: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.add(property, value);
        }
    }

    /// The text values of a property.
    pub fn values(&self, property: &str) -> Vec<String> {
        self.properties
            .get(property)
            .map(|values| {
                values
                    .iter()
                    .filter_map(|value| match value {
                        serde_json::Value::String(text) => Some(text.trim().to_owned()),
                        serde_json::Value::Number(number) => Some(number.to_string()),
                        _ => None,
                    })
                    .filter(|text| !text.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn first(&self, property: &str) -> Option<String> {
        self.values(property).into_iter().next()
    }

    /// The values of another fragment of the same entity, merged in.
    pub fn merge(&mut self, other: Entity) {
        for (property, values) in other.properties {
            let list = self.properties.entry(property).or_default();
            for value in values {
                if !list.contains(&value) {
                    list.push(value);
                }
            }
        }
    }
}

pub const EVENT: &str = "e.";
pub const ACTOR: &str = "a.";
pub const SOURCE: &str = "s.";
/// The keyword prefixes of what FollowTheMoney has no property for.
pub const KIND: &str = "chronik.kind=";
pub const CONFIDENCE: &str = "chronik.confidence=";

/// The schema of an actor of `kind`, and back.
pub fn actor_schema(kind: &str) -> &'static str {
    match kind {
        "person" => "Person",
        "state_body" => "PublicBody",
        _ => "Organization",
    }
}

/// The kind of an actor of `schema` (when its keywords do not say).
pub fn actor_kind(schema: &str) -> Option<&'static str> {
    match schema {
        "Person" => Some("person"),
        "PublicBody" => Some("state_body"),
        "Organization" | "Company" => Some("organisation"),
        "LegalEntity" => Some("group"),
        _ => None,
    }
}

/// Whether entities of `schema` are sources (a `Document` of some kind).
pub fn is_source(schema: &str) -> bool {
    matches!(
        schema,
        "Document"
            | "Article"
            | "Pages"
            | "Page"
            | "PlainText"
            | "HyperText"
            | "Email"
            | "Message"
            | "Table"
            | "Image"
            | "Video"
            | "Audio"
            | "Package"
            | "Folder"
            | "Workbook"
    )
}

/// The entity ID of a key: FollowTheMoney's IDs hold letters, digits, `.` and `-` and end in a
/// letter or digit, so every other byte of the key (and `.`, and a last `-`) is written `.hh`.
pub fn id(prefix: &str, key: &str) -> String {
    let mut id = String::from(prefix);
    let bytes = key.as_bytes();
    for (index, byte) in bytes.iter().enumerate() {
        let last = index + 1 == bytes.len();
        if byte.is_ascii_alphanumeric() || (*byte == b'-' && !last) {
            id.push(char::from(*byte));
        } else {
            id.push_str(&format!(".{byte:02x}"));
        }
    }
    id
}

/// The file's key of an entity ID: the key [`id`] wrote, or the ID itself when it is not one
/// of Chronik's (Aleph's hashes).
pub fn key_of(id: &str, prefix: &str) -> String {
    let Some(encoded) = id.strip_prefix(prefix).filter(|key| !key.is_empty()) else {
        return id.to_owned();
    };
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut rest = encoded.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        if byte == b'.' {
            let Some(value) = tail
                .get(..2)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            else {
                return id.to_owned();
            };
            bytes.push(value);
            rest = tail.get(2..).unwrap_or_default();
        } else {
            bytes.push(byte);
            rest = tail;
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| id.to_owned())
}

/// A fuzzy date as FollowTheMoney's dates (ISO 8601 prefixes, naive, in UTC): the date itself
/// when it is a year, month, day or time; otherwise (a week, a decade) the first and the last day
/// it spans.
pub fn dates(value: &str, zone: Option<chrono_tz::Tz>) -> Option<(String, Option<String>)> {
    let date = FuzzyDate::parse(value, zone).ok()?;
    let day = |instant: DateTime<Utc>| instant.format("%Y-%m-%d").to_string();
    // An open end ("before May 2019") has no FollowTheMoney form: such a date is left out
    // rather than written as a made-up bound.
    let (earliest, latest) = (date.earliest()?, date.latest()?);
    // A year, month or day is as written (in its own zone); a time is converted to UTC.
    let plain = |length: usize| value.trim().get(..length).map(|text| (text.to_owned(), None));
    let converted = match date.precision() {
        Precision::Year => plain(4)?,
        Precision::Month => plain(7)?,
        Precision::Day => plain(10)?,
        Precision::Hour | Precision::Minute => (earliest.format("%Y-%m-%dT%H:%M").to_string(), None),
        Precision::Second => (earliest.format("%Y-%m-%dT%H:%M:%S").to_string(), None),
        Precision::Week | Precision::Season | Precision::Decade | Precision::Century | Precision::Millennium => {
            (day(earliest), Some(day(latest)))
        }
    };
    Some(converted)
}

/// A FollowTheMoney date as a fuzzy date: the same text, without a `Z` (it is UTC already).
pub fn fuzzy(value: &str) -> String {
    value.trim().trim_end_matches('Z').to_owned()
}

/// Free text as a vocabulary term (a role, a link's kind): lower case, words joined by `_`,
/// starting with a letter, at most 40 characters; `fallback` when nothing is left.
pub fn term(text: &str, fallback: &str) -> String {
    let words: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let mut term = words.join("_");
    term = term.trim_start_matches(|c: char| !c.is_ascii_lowercase()).to_owned();
    term.truncate(40);
    let term = term.trim_end_matches('_').to_owned();
    if term.is_empty() { fallback.to_owned() } else { term }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_terms_map() {
        assert_eq!(dates("2024-02", None), Some(("2024-02".into(), None)));
        assert_eq!(dates("2024-03-01T22:05+01:00", None), Some(("2024-03-01T21:05".into(), None)));
        assert_eq!(dates("2024-W08", None), Some(("2024-02-19".into(), Some("2024-02-25".into()))));
        assert_eq!(term("Chairman of the Board", "x"), "chairman_of_the_board");
        assert_eq!(term("—", "involved"), "involved");
        assert_eq!(key_of("e.k1", EVENT), "k1");
        assert_eq!(key_of("9f2c", EVENT), "9f2c");
        for key in ["url:https://example.org/a b", "taurus_leak", "a-", "ü.x"] {
            let id = id(EVENT, key);
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'), "{id}");
            assert!(id.ends_with(|c: char| c.is_ascii_alphanumeric()), "{id}");
            assert_eq!(key_of(&id, EVENT), key);
        }
    }
}
