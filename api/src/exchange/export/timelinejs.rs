//! TimelineJS3 JSON out: one slide per event, its dates as precise as the event's (a week or a
//! decade as a range, qualifiers in `display_date`), its first tag as `group`, its first cited
//! source with a URL as `media`, and its key as `unique_id`, so the file imports back onto it.
//! Events of kind `era` go to `eras` (TimelineJS draws them as bands, with an end), and the first
//! of kind `title` becomes the title slide: what a TimelineJS file's import made of them.

use std::io::Write;

use chrono_tz::Tz;

use super::select::{Item, Page};
use super::writer::FormatWriter;
use crate::exchange::read::{ERA_KIND, TITLE_KIND};
use crate::exchange::timelinejs::{Media, Slide, Text, from_fuzzy};

pub struct Slides<W> {
    out: W,
    first: bool,
    /// Held until the end, as TimelineJS wants them apart from the slides (few in any file).
    title: Option<Slide>,
    eras: Vec<Slide>,
}

impl<W: Write> Slides<W> {
    pub fn new(out: W) -> Self {
        Self { out, first: true, title: None, eras: Vec::new() }
    }
}

/// The slide's text: the summary and, for an event whose sources disagree, a line saying on
/// what (TimelineJS has no field for it; the slide shows the event's value).
fn with_dispute(row: &entity::event::Model) -> Option<String> {
    let Some(aspects) = row.disputed_aspects.as_deref().filter(|a| !a.is_empty()) else {
        return row.summary.clone();
    };
    let note = format!("<p>Disputed by its sources: {}.</p>", aspects.replace(',', ", "));
    Some(match &row.summary {
        Some(summary) => format!("{summary}\n{note}"),
        None => note,
    })
}

fn slide(page: &Page, item: &Item) -> Slide {
    let row = &item.row;
    let zone: Option<Tz> = row.time_zone.as_deref().and_then(|name| name.parse().ok());
    let start = from_fuzzy(&row.start_value, zone);
    let end = row.end_value.as_deref().and_then(|value| from_fuzzy(value, zone));
    let media = item.citations.iter().find_map(|citation| {
        let source = page.sources.get(&citation.source_id)?;
        Some(Media {
            url: source.url.clone()?,
            caption: citation.quote.clone().or_else(|| Some(source.title.clone())),
            credit: source.publisher.clone().or_else(|| source.author.clone()),
        })
    });
    let (start_date, implied_end, display) = match start {
        Some(converted) => (Some(converted.start), converted.end, converted.display),
        None => (None, None, None),
    };
    let end_date = match end {
        Some(converted) => Some(converted.end.unwrap_or(converted.start)),
        None => implied_end,
    };
    Slide {
        start_date,
        end_date,
        text: Some(Text { headline: Some(row.title.clone()), text: with_dispute(row) }),
        media,
        group: item.tags.first().cloned(),
        display_date: display,
        unique_id: Some(item.key()),
    }
}

impl<W: Write> FormatWriter for Slides<W> {
    fn begin(&mut self) -> std::io::Result<()> {
        self.out.write_all(b"{\"events\": [")
    }

    fn events(&mut self, page: &Page) -> std::io::Result<()> {
        for item in &page.events {
            if item.row.kind == TITLE_KIND && self.title.is_none() {
                self.title = Some(slide(page, item));
                continue;
            }
            if item.row.kind == ERA_KIND {
                let mut era = slide(page, item);
                // An era is a band: TimelineJS needs its end.
                era.end_date = era.end_date.or_else(|| era.start_date.clone());
                self.eras.push(era);
                continue;
            }
            self.out.write_all(if std::mem::take(&mut self.first) { b"\n  " } else { b",\n  " })?;
            serde_json::to_writer(&mut self.out, &slide(page, item))?;
        }
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.out.write_all(if self.first { b"]" } else { b"\n]" })?;
        if let Some(title) = &self.title {
            self.out.write_all(b",\n\"title\": ")?;
            serde_json::to_writer(&mut self.out, title)?;
        }
        if !self.eras.is_empty() {
            self.out.write_all(b",\n\"eras\": ")?;
            serde_json::to_writer(&mut self.out, &self.eras)?;
        }
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }
}

/// A story as a TimelineJS3 timeline: its title as the title slide, then one slide per step in
/// the story's order, each the event's slide (dates, media, group) with the step's text in place
/// of the event's summary (the summary when the step says nothing). Steps whose event is gone
/// are left out; the slide's `unique_id` is the step's position, as an event may come twice.
pub fn story(page: &Page, title: &str, steps: &[(uuid::Uuid, String)]) -> crate::exchange::timelinejs::Timeline {
    let items: std::collections::HashMap<uuid::Uuid, &Item> =
        page.events.iter().map(|item| (item.row.id, item)).collect();
    let events = steps
        .iter()
        .enumerate()
        .filter_map(|(at, (event_id, text))| {
            let item = items.get(event_id)?;
            let mut slide = slide(page, item);
            if !text.is_empty() {
                slide.text = Some(Text { headline: Some(item.row.title.clone()), text: Some(text.clone()) });
            }
            slide.unique_id = Some(format!("step-{}", at + 1));
            Some(slide)
        })
        .collect();
    crate::exchange::timelinejs::Timeline {
        title: Some(Slide { text: Some(Text { headline: Some(title.to_owned()), text: None }), ..Slide::default() }),
        events,
        eras: Vec::new(),
    }
}
