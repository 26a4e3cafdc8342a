//! TimelineJS3 JSON in: each slide becomes an event at the precision its `start_date` carries,
//! `group` a tag, `media` a source (found again by its URL) cited by the event, eras events of
//! kind `era`, and the title slide an event of kind `title` spanning the timeline (its own dates
//! when it has them), which the TimelineJS export writes back as the title.
//!
//! Every slide is kept: a slide is keyed by its `unique_id`, or, without one, by its date and
//! headline, and a later slide that says the same by its occurrence too; a `unique_id` used twice
//! is refused with both places. An untitled slide takes its title from its text (without HTML),
//! else its media's caption, else its date's words. A TimelineJS file has no actors: importing
//! it again keeps the participants added since.

use std::collections::HashSet;
use std::io::BufRead;

use fuzzydate::FuzzyDate;

use super::keys::DerivedKeys;
use super::sink::Sink;
use crate::exchange::chronik::{CitationEntry, EventEntry, SourceEntry};
use crate::exchange::error::{ImportError, Position};
use crate::exchange::read::keys::derived_key;
use crate::exchange::record::{EventRecord, Record};
use crate::exchange::timelinejs::{Slide, Timeline};

/// The kind of the event a title slide becomes.
pub const TITLE_KIND: &str = "title";
/// The kind of the events eras become.
pub const ERA_KIND: &str = "era";

/// What the slides of one file share: the sources named so far, the keys derived so far, and
/// the span of the slides' dates (for a title slide without dates of its own).
#[derive(Default)]
pub struct Slides {
    pub sources: HashSet<String>,
    keys: DerivedKeys,
    /// The earliest start and the latest end met, as (instant, fuzzy date).
    first: Option<(i64, String)>,
    last: Option<(i64, String)>,
}

impl Slides {
    fn extend(&mut self, start: &str, end: Option<&str>) {
        if let Some(earliest) = FuzzyDate::parse(start, None).ok().and_then(|date| date.earliest()) {
            let earliest = earliest.timestamp();
            if self.first.as_ref().is_none_or(|(at, _)| earliest < *at) {
                self.first = Some((earliest, start.to_owned()));
            }
        }
        let last = end.unwrap_or(start);
        if let Some(latest) = FuzzyDate::parse(last, None).ok().and_then(|date| date.latest()) {
            let latest = latest.timestamp();
            if self.last.as_ref().is_none_or(|(at, _)| latest > *at) {
                self.last = Some((latest, last.to_owned()));
            }
        }
    }

    /// The records of the title slide, read after every other slide: dated by the slides when it
    /// has no date of its own; none when nothing in the file has a date.
    pub fn title(&mut self, at: &Position, slide: &Slide) -> Result<Vec<Record>, ImportError> {
        // A title slide's date is often there but empty (`{"year": ""}`): no date then.
        if slide.start_date.as_ref().is_some_and(|date| date.year.is_some()) {
            return self.records(at, slide, TITLE_KIND);
        }
        let Some((_, start)) = self.first.clone() else {
            return Ok(Vec::new());
        };
        let end = self.last.clone().map(|(_, end)| end).filter(|end| *end != start);
        Ok(self.records_dated(slide, TITLE_KIND, start, end))
    }

    /// The records of one slide: its media's source (the first time it is named), then the event.
    pub fn records(&mut self, at: &Position, slide: &Slide, kind: &str) -> Result<Vec<Record>, ImportError> {
        let invalid = |field: String, message: String| ImportError::invalid(Some(at.clone()), field, message);
        let start = slide.start_date.as_ref().ok_or_else(|| invalid("start_date".into(), "is missing".into()))?;
        let start = start.to_fuzzy().map_err(|(field, message)| invalid(format!("start_date.{field}"), message))?;
        let end = match &slide.end_date {
            None => None,
            Some(end) => {
                Some(end.to_fuzzy().map_err(|(field, message)| invalid(format!("end_date.{field}"), message))?)
            }
        };
        self.extend(&start, end.as_deref());
        Ok(self.records_dated(slide, kind, start, end))
    }

    fn records_dated(&mut self, slide: &Slide, kind: &str, start: String, end: Option<String>) -> Vec<Record> {
        let text = slide.text.as_ref();
        let headline = text.and_then(|t| t.headline.clone()).filter(|h| !h.trim().is_empty());
        let summary = text.and_then(|t| t.text.clone()).filter(|t| !t.trim().is_empty());
        let caption = slide.media.as_ref().and_then(|m| m.caption.clone()).map(|c| plain_text(&c));
        let title = headline
            .as_deref()
            .map(plain_text)
            .filter(|h| !h.is_empty())
            .or_else(|| summary.as_deref().map(plain_text).filter(|s| !s.is_empty()))
            .or_else(|| caption.filter(|c| !c.is_empty()))
            .or_else(|| slide.display_date.clone())
            .map(|title| shorten(&title, 120))
            .unwrap_or_else(|| format!("Untitled ({start})"));
        let key = match &slide.unique_id {
            Some(id) => id.clone(),
            None => self.keys.key(prefix(kind), &[&start, headline.as_deref().unwrap_or("")]),
        };
        let mut records = Vec::new();
        let mut citations = Vec::new();
        if let Some(media) = slide.media.as_ref().filter(|m| !m.url.trim().is_empty()) {
            let (source, citation) = media_source(&media.url, media.caption.as_deref(), media.credit.as_deref());
            if self.sources.insert(source.key.clone()) {
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
        records
    }
}

/// The prefix of derived keys: slides and eras share one (as they always have), the title has its own.
fn prefix(kind: &str) -> &'static str {
    if kind == TITLE_KIND { "timelinejs-title" } else { "timelinejs" }
}

pub fn read(input: impl BufRead, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut deserializer = serde_json::Deserializer::from_reader(input);
    let timeline: Timeline = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let at = if path == "." { None } else { Some(Position::Path(path)) };
        ImportError::invalid(at, "", error.into_inner().to_string())
    })?;
    let mut slides = Slides::default();
    let events = timeline.events.iter().enumerate().map(|(i, slide)| (format!("events[{i}]"), slide, "other"));
    let eras = timeline.eras.iter().enumerate().map(|(i, slide)| (format!("eras[{i}]"), slide, ERA_KIND));
    for (path, slide, kind) in events.chain(eras) {
        let at = Position::Path(path);
        for record in slides.records(&at, slide, kind)? {
            sink(at.clone(), record)?;
        }
    }
    if let Some(title) = &timeline.title {
        let at = Position::Path("title".to_owned());
        for record in slides.title(&at, title)? {
            sink(at.clone(), record)?;
        }
    }
    Ok(())
}

/// Text without its HTML: tags dropped, the common entities decoded, white space collapsed.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                text.push(' ');
            }
            (true, '>') => in_tag = false,
            (false, c) => text.push(c),
            (true, _) => {}
        }
    }
    let decoded = text
        .replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, cut at a word with an ellipsis when longer.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).trim_end_matches([',', ';', ':']);
    format!("{cut}…")
}

/// A media item as a source and its citation: a web address becomes the source's URL (anything
/// else, such as embed code, goes to its notes); the caption or credit its title, the credit its publisher.
pub fn media_source(url: &str, caption: Option<&str>, credit: Option<&str>) -> (SourceEntry, CitationEntry) {
    let url = url.trim();
    let web = url.starts_with("http://") || url.starts_with("https://");
    let nonempty = |s: Option<&str>| s.map(plain_text).filter(|s| !s.is_empty()).map(|s| shorten(&s, 500));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_text_and_long_titles_are_cut_at_a_word() {
        assert_eq!(plain_text("<p>Mark&nbsp;Twain &amp; <b>Co</b></p>"), "Mark Twain & Co");
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
    }
}
