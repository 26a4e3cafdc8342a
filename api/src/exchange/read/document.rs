//! The `chronik/1` JSON document, read as a stream: each entry of `actors`, `sources`, `events`
//! and `links` goes to the writer as soon as it is parsed, so even a large document never sits
//! in memory whole. Its records are placed by their path in the document (`events[3]`).

use std::fmt;
use std::io::BufRead;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::sink::{Sink, Stopped};
use crate::exchange::chronik::{EventEntry, FORMAT};
use crate::exchange::error::{ImportError, Position};
use crate::exchange::record::{EventRecord, Record};

struct State<'s, 'a> {
    sink: &'s mut Sink<'a>,
    stopped: bool,
    format: Option<String>,
}

pub fn read(input: impl BufRead, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut deserializer = serde_json::Deserializer::from_reader(input);
    let mut track = serde_path_to_error::Track::new();
    let mut state = State { sink, stopped: false, format: None };
    let result =
        Document(&mut state).deserialize(serde_path_to_error::Deserializer::new(&mut deserializer, &mut track));
    if state.stopped {
        return Err(Stopped.into());
    }
    if let Err(error) = result {
        let path = track.path().to_string();
        let at = if path == "." { None } else { Some(Position::Path(path)) };
        return Err(ImportError::invalid(at, "", error.to_string()));
    }
    deserializer.end().map_err(|error| ImportError::invalid(None, "", error.to_string()))?;
    match state.format.as_deref() {
        Some(FORMAT) => Ok(()),
        Some(other) => Err(ImportError::invalid(
            None,
            "format",
            format!("{other:?} is not a format this version reads; expected {FORMAT:?}"),
        )),
        None => Err(ImportError::invalid(
            None,
            "format",
            format!("is missing; a chronik/1 document has \"format\": {FORMAT:?}"),
        )),
    }
}

/// The whole document: a map whose lists are read entry by entry.
struct Document<'r, 's, 'a>(&'r mut State<'s, 'a>);

impl<'de> DeserializeSeed<'de> for Document<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

const FIELDS: &[&str] = &["format", "actors", "sources", "events", "links"];

impl<'de> Visitor<'de> for Document<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a chronik/1 document")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => self.0.format = Some(map.next_value()?),
                "actors" => map.next_value_seed(List::new(self.0, "actors", Record::Actor))?,
                "sources" => map.next_value_seed(List::new(self.0, "sources", Record::Source))?,
                "events" => map.next_value_seed(List::new(self.0, "events", |entry: EventEntry| {
                    Record::Event(EventRecord::full(entry))
                }))?,
                "links" => map.next_value_seed(List::new(self.0, "links", Record::Link))?,
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            }
        }
        Ok(())
    }
}

/// One list of the document; each entry goes to the sink as it is parsed.
struct List<'r, 's, 'a, T, F> {
    state: &'r mut State<'s, 'a>,
    name: &'static str,
    wrap: F,
    entry: PhantomData<T>,
}

impl<'r, 's, 'a, T, F: Fn(T) -> Record> List<'r, 's, 'a, T, F> {
    fn new(state: &'r mut State<'s, 'a>, name: &'static str, wrap: F) -> Self {
        Self { state, name, wrap, entry: PhantomData }
    }
}

impl<'de, T: DeserializeOwned, F: Fn(T) -> Record> DeserializeSeed<'de> for List<'_, '_, '_, T, F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned, F: Fn(T) -> Record> Visitor<'de> for List<'_, '_, '_, T, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of {}", self.name)
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let mut index = 0usize;
        while let Some(entry) = seq.next_element::<T>()? {
            let at = Position::Path(format!("{}[{index}]", self.name));
            if (self.state.sink)(at, (self.wrap)(entry)).is_err() {
                self.state.stopped = true;
                return Err(de::Error::custom("the import stopped"));
            }
            index += 1;
        }
        Ok(())
    }
}
