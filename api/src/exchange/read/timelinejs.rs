//! TimelineJS3 JSON in: each slide becomes an event at the precision its `start_date` carries,
//! `group` a tag, `media` a source (found again by its URL) cited by the event, eras events of kind
//! `era`; the title slide is not an event. Slides are keyed by `unique_id` or by date and headline.
//! A TimelineJS file has no actors: importing it again keeps the participants added since.

use std::collections::HashSet;
use std::io::BufRead;

use super::keys::derived_key;
use super::sink::Sink;
use crate::exchange::chronik::{CitationEntry, EventEntry, SourceEntry};
use crate::exchange::error::{ImportError, Position};
use crate::exchange::record::{EventRecord, Record};
use crate::exchange::timelinejs::{Slide, Timeline};

pub fn read(input: impl BufRead, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut deserializer = serde_json::Deserializer::from_reader(input);
    let timeline: Timeline = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let at = if path == "." { None } else { Some(Position::Path(path)) };
        ImportError::invalid(at, "", error.into_inner().to_string())
    })?;
    let mut sources = HashSet::new();
    let slides = timeline.events.iter().enumerate().map(|(i, slide)| (format!("events[{i}]"), slide, "other"));
    let eras = timeline.eras.iter().enumerate().map(|(i, slide)| (format!("eras[{i}]"), slide, "era"));
    for (path, slide, kind) in slides.chain(eras) {
        let at = Position::Path(path);
        for record in records(&at, slide, kind, &mut sources)? {
            sink(at.clone(), record)?;
        }
    }
    Ok(())
}

/// The records of one slide: its media's source (the first time it is named), then the event.
pub fn records(
    at: &Position,
    slide: &Slide,
    kind: &str,
    sources: &mut HashSet<String>,
) -> Result<Vec<Record>, ImportError> {
    let invalid = |field: String, message: String| ImportError::invalid(Some(at.clone()), field, message);
    let start = slide.start_date.as_ref().ok_or_else(|| invalid("start_date".into(), "is missing".into()))?;
    let start = start.to_fuzzy().map_err(|(field, message)| invalid(format!("start_date.{field}"), message))?;
    let end = match &slide.end_date {
        None => None,
        Some(end) => Some(end.to_fuzzy().map_err(|(field, message)| invalid(format!("end_date.{field}"), message))?),
    };
    let text = slide.text.as_ref();
    let headline = text.and_then(|t| t.headline.clone()).filter(|h| !h.trim().is_empty());
    let summary = text.and_then(|t| t.text.clone()).filter(|t| !t.trim().is_empty());
    let title = headline
        .clone()
        .or_else(|| slide.display_date.clone())
        .or_else(|| summary.as_deref().map(|s| s.chars().take(120).collect()))
        .unwrap_or_else(|| "Untitled event".to_owned());
    let key = match &slide.unique_id {
        Some(id) => id.clone(),
        None => derived_key("timelinejs", &[&start, headline.as_deref().unwrap_or("")]),
    };
    let mut records = Vec::new();
    let mut citations = Vec::new();
    if let Some(media) = slide.media.as_ref().filter(|m| !m.url.trim().is_empty()) {
        let (source, citation) = media_source(&media.url, media.caption.as_deref(), media.credit.as_deref());
        if sources.insert(source.key.clone()) {
            records.push(Record::SourceStub(source));
        }
        citations.push(citation);
    }
    let entry = EventEntry {
        key,
        title,
        summary,
        kind: kind.to_owned(),
        start,
        end,
        tags: slide.group.clone().into_iter().collect(),
        citations,
        ..EventEntry::default()
    };
    records.push(Record::Event(EventRecord { entry, keep_participants: true }));
    Ok(records)
}

/// A media item as a source and its citation: a web address becomes the source's URL (anything
/// else, such as embed code, goes to its notes); the caption or credit its title, the credit its publisher.
pub fn media_source(url: &str, caption: Option<&str>, credit: Option<&str>) -> (SourceEntry, CitationEntry) {
    let url = url.trim();
    let web = url.starts_with("http://") || url.starts_with("https://");
    let nonempty = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let title = nonempty(caption).or_else(|| nonempty(credit)).unwrap_or_else(|| url.chars().take(200).collect());
    let key = if url.len() <= 400 { format!("url:{url}") } else { derived_key("url", &[url]) };
    let source = SourceEntry {
        key: key.clone(),
        title,
        url: web.then(|| url.to_owned()),
        publisher: nonempty(credit),
        author: None,
        published: None,
        accessed_at: None,
        archive_url: None,
        notes: (!web).then(|| url.to_owned()),
        status: None,
        changes: Vec::new(),
    };
    (source, CitationEntry { source: key, quote: None, supports: None, actor: None })
}
