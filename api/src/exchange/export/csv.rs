//! CSV out: Chronik's layout, one event per row (see `read::csv`): participants as
//! `Name (role)` and sources as their URL (or title), `;`-separated. Quotes and links are left
//! out: for everything, use JSON or JSON Lines.

use std::io::Write;

use super::select::Page;
use super::writer::FormatWriter;

const HEADER: [&str; 15] = [
    "key",
    "title",
    "start",
    "end",
    "kind",
    "summary",
    "confidence",
    "time_zone",
    "place",
    "latitude",
    "longitude",
    "tags",
    "participants",
    "sources",
    // The aspects whose current accounts disagree ("when; where"), empty when none: the CSV
    // carries the event's value, and says here that its sources dispute it.
    "disputed",
];

pub struct Rows<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> Rows<W> {
    pub fn new(out: W) -> Self {
        Self { out: csv::Writer::from_writer(out) }
    }
}

fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl<W: Write> FormatWriter for Rows<W> {
    fn begin(&mut self) -> std::io::Result<()> {
        self.out.write_record(HEADER).map_err(std::io::Error::other)
    }

    fn events(&mut self, page: &Page) -> std::io::Result<()> {
        for item in &page.events {
            let row = &item.row;
            let participants: Vec<String> = item
                .participants
                .iter()
                .map(|p| {
                    let name = page.actors.get(&p.actor_id).map_or_else(|| p.actor_id.to_string(), |a| a.name.clone());
                    format!("{name} ({})", p.role)
                })
                .collect();
            let mut sources: Vec<String> = Vec::new();
            for citation in &item.citations {
                let name = page.sources.get(&citation.source_id).map_or_else(
                    || citation.source_id.to_string(),
                    |s| s.url.clone().unwrap_or_else(|| s.title.clone()),
                );
                if !sources.contains(&name) {
                    sources.push(name);
                }
            }
            let record = [
                item.key(),
                row.title.clone(),
                row.start_value.clone(),
                row.end_value.clone().unwrap_or_default(),
                row.kind.clone(),
                row.summary.clone().unwrap_or_default(),
                row.confidence.clone(),
                row.time_zone.clone().unwrap_or_default(),
                row.place_name.clone().unwrap_or_default(),
                number(row.place_latitude),
                number(row.place_longitude),
                item.tags.join("; "),
                participants.join("; "),
                sources.join("; "),
                row.disputed_aspects.clone().unwrap_or_default().replace(',', "; "),
            ];
            self.out.write_record(&record).map_err(std::io::Error::other)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
