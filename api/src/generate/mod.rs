//! `chronik generate`: a realistic synthetic dataset, the same for the same seed: actors whose
//! activity follows a power law, events bunched in bursts around a few dates over a quieter
//! background, every date precision (and the EDTF qualifiers) present, 1–4 participants and 0–3
//! citations per event, some parent events and links, and for one cited event in ten the accounts
//! of its date (issue 11): its own date, resting on its first citation and preferred, and for half
//! of those a second source's year, which now and then contradicts it (a disputed event). Written straight into the database through
//! the import's batched writer, or as a `chronik/1` JSON Lines file that `chronik import` reads.
//!
//! Randomness comes from ChaCha8 seeded with the seed, drawn only through `rng::Draw`'s own
//! arithmetic, so the data does not change with the `rand` crates' sampling algorithms.

mod dates;
mod gdelt;
mod rng;
mod text;

use std::io::Write;

use crate::db::Database;
use crate::exchange::chronik::{
    AccountEntry, ActorEntry, CitationEntry, EventEntry, FORMAT, Line, LinkEntry, ParticipantEntry, PlaceEntry,
    SourceEntry,
};
use crate::exchange::error::{ImportError, Position};
use crate::exchange::import::ImportSummary;
use crate::exchange::record::{EventRecord, Record};
use crate::exchange::write::Writer;
use crate::service::vocabulary::{CONFIDENCE, EVENT_KINDS, LINK_KINDS, ROLES};

pub use gdelt::write_gdelt;
use rng::{Draw, Zipf};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub events: u64,
    pub actors: u64,
    pub sources: u64,
    pub seed: u64,
}

/// One link per this many events.
const EVENTS_PER_LINK: u64 = 20;
/// Records per transaction when generating into the database.
const RECORDS_PER_TRANSACTION: u64 = 100_000;

pub fn actor_key(index: u64) -> String {
    format!("a{index:07}")
}

pub fn source_key(index: u64) -> String {
    format!("s{index:07}")
}

pub fn event_key(index: u64) -> String {
    format!("e{index:08}")
}

/// The records of the dataset, in an order `chronik import` takes: actors, sources, events, links.
pub fn records(spec: Spec) -> impl Iterator<Item = Record> {
    let actors = (0..spec.actors).map(move |i| Record::Actor(actor(spec, i)));
    let sources = (0..spec.sources).map(move |i| Record::Source(source(spec, i)));
    let mut events = Events::new(spec);
    let events = (0..spec.events).map(move |i| Record::Event(EventRecord::full(events.event(i))));
    let links = (0..spec.events / EVENTS_PER_LINK).filter_map(move |i| link(spec, i).map(Record::Link));
    actors.chain(sources).chain(events).chain(links)
}

fn actor(spec: Spec, index: u64) -> ActorEntry {
    let mut draw = Draw::new(spec.seed, 1, index);
    let kind =
        draw.weighted(&[("person", 50), ("organisation", 20), ("state_body", 15), ("media_outlet", 10), ("group", 5)]);
    let name = text::actor_name(kind, index);
    let aliases = if draw.chance(20) { vec![text::alias(&name, index)] } else { Vec::new() };
    ActorEntry {
        key: actor_key(index),
        description: draw.chance(60).then(|| text::actor_description(kind, &mut draw)),
        name,
        kind: kind.to_owned(),
        aliases,
    }
}

fn source(spec: Spec, index: u64) -> SourceEntry {
    let mut draw = Draw::new(spec.seed, 2, index);
    let publisher = text::publisher(&mut draw);
    let published = dates::day(&mut draw);
    SourceEntry {
        key: source_key(index),
        title: text::headline(&mut draw),
        url: Some(format!(
            "https://{}.example/{}/{}-{index}",
            text::slug(publisher),
            &published[..4],
            draw.below(100_000)
        )),
        publisher: Some(publisher.to_owned()),
        author: draw.chance(70).then(|| text::person_name(draw.below(1 << 20))),
        published: Some(published),
        accessed_at: None,
        archive_url: None,
        notes: draw.chance(10).then(|| "Paywalled; read in print.".to_owned()),
        status: None,
        changes: Vec::new(),
    }
}

/// Draws events; holds the actor popularity table and the burst dates.
struct Events {
    spec: Spec,
    zipf: Option<Zipf>,
    bursts: Vec<i64>,
}

impl Events {
    fn new(spec: Spec) -> Self {
        let mut draw = Draw::new(spec.seed, 3, 0);
        let bursts = (0..6).map(|_| dates::burst_centre(&mut draw)).collect();
        Self { spec, zipf: (spec.actors > 0).then(|| Zipf::new(spec.actors, 1.1)), bursts }
    }

    fn event(&mut self, index: u64) -> EventEntry {
        let mut draw = Draw::new(self.spec.seed, 4, index);
        let kind = EVENT_KINDS[draw.below(EVENT_KINDS.len() as u64) as usize];
        let mut participants: Vec<ParticipantEntry> = Vec::new();
        if let Some(zipf) = &self.zipf {
            let wanted = draw.weighted(&[(1u64, 35), (2, 35), (3, 20), (4, 10)]).min(self.spec.actors);
            while (participants.len() as u64) < wanted {
                let actor = actor_key(zipf.sample(&mut draw));
                if participants.iter().all(|p| p.actor != actor) {
                    let role = ROLES[draw.below(ROLES.len() as u64) as usize].to_owned();
                    participants.push(ParticipantEntry { actor, role, note: None });
                }
            }
        }
        let names: Vec<String> =
            participants.iter().map(|p| actor(self.spec, p.actor[1..].parse().unwrap_or(0)).name).collect();
        let mut citations = Vec::new();
        if self.spec.sources > 0 {
            let count = draw.weighted(&[(0u64, 20), (1, 40), (2, 25), (3, 15)]);
            for _ in 0..count {
                let supports = if draw.chance(10) { "date" } else { "event" };
                citations.push(CitationEntry {
                    source: source_key(draw.below(self.spec.sources)),
                    quote: Some(text::quote(&mut draw, &names)),
                    supports: Some(supports.to_owned()),
                    actor: None,
                });
            }
        }
        let (start, end, time_zone) = dates::event_dates(&mut draw, &self.bursts);
        let place = draw.chance(50).then(|| {
            let (name, latitude, longitude) = text::city(&mut draw);
            PlaceEntry { name: Some(name.to_owned()), latitude: Some(latitude), longitude: Some(longitude) }
        });
        let parent = (index > 0 && draw.chance(2)).then(|| event_key(index - 1 - draw.below(index.min(1_000))));
        let accounts = self.accounts(index, &start, end.as_deref(), &citations);
        EventEntry {
            key: event_key(index),
            parent,
            title: text::title(kind, &names, &mut draw),
            summary: draw.chance(80).then(|| text::summary(&mut draw, &names)),
            kind: kind.to_owned(),
            start,
            end,
            time_zone,
            place,
            confidence: Some(
                draw.weighted(&[(CONFIDENCE[0], 30), (CONFIDENCE[1], 50), (CONFIDENCE[2], 15), (CONFIDENCE[3], 5)])
                    .to_owned(),
            ),
            tags: text::tags(&mut draw),
            participants,
            citations,
            first_reported: None,
            accounts,
            notes: Vec::new(),
        }
    }

    /// The WHEN accounts of event `index`, drawn from a stream of their own so that the rest of
    /// the dataset is the same with or without them.
    fn accounts(&self, index: u64, start: &str, end: Option<&str>, citations: &[CitationEntry]) -> Vec<AccountEntry> {
        let mut draw = Draw::new(self.spec.seed, 6, index);
        let Some(first) = citations.first() else { return Vec::new() };
        if !draw.chance(10) {
            return Vec::new();
        }
        // Keyed, as every generated record is: the same dataset written twice is the same rows.
        let key = |n: usize| Some(format!("{}-when{n}", event_key(index)));
        let when = |date: String, end: Option<String>, source: String, quote: Option<String>, preferred| AccountEntry {
            key: None,
            aspect: "when".to_owned(),
            stance: None,
            date: Some(date),
            end,
            place: None,
            actor: None,
            role: None,
            source,
            quote,
            status: None,
            preferred,
        };
        let mut accounts =
            vec![when(start.to_owned(), end.map(str::to_owned), first.source.clone(), first.quote.clone(), true)];
        accounts[0].key = key(0);
        // A second source gives the year: the same one, or (one time in five) the year before.
        let year = start.get(..4).and_then(|digits| digits.parse::<i32>().ok());
        if let Some(year) = year.filter(|_| draw.chance(50)) {
            let year = if draw.chance(20) { year - 1 } else { year };
            let source = source_key(draw.below(self.spec.sources));
            accounts.push(AccountEntry {
                key: key(1),
                ..when(format!("{year:04}"), None, source, Some(text::quote(&mut draw, &[])), false)
            });
        }
        accounts
    }
}

/// Link `index`: from one event of its own block of [`EVENTS_PER_LINK`] to an earlier one, so no
/// two links share their ends.
fn link(spec: Spec, index: u64) -> Option<LinkEntry> {
    let mut draw = Draw::new(spec.seed, 5, index);
    let from = index * EVENTS_PER_LINK + 1 + draw.below(EVENTS_PER_LINK - 1);
    if from >= spec.events {
        return None;
    }
    let to = draw.below(from);
    Some(LinkEntry {
        from: event_key(from),
        to: event_key(to),
        kind: LINK_KINDS[draw.below(LINK_KINDS.len() as u64) as usize].to_owned(),
        note: None,
    })
}

/// Writes the dataset as JSON Lines; returns the number of records.
pub fn write_jsonl(spec: Spec, out: impl Write) -> std::io::Result<u64> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
    writeln!(out, "{{\"format\":\"{FORMAT}\"}}")?;
    let mut count = 0;
    for record in records(spec) {
        let line = match &record {
            Record::Actor(entry) | Record::ActorStub(entry) => Line::Actor(entry),
            Record::Source(entry) | Record::SourceStub(entry) | Record::CitedSource(entry) => Line::Source(entry),
            Record::Event(event) => Line::Event(&event.entry),
            Record::Link(entry) => Line::Link(entry),
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
        count += 1;
    }
    out.flush()?;
    Ok(count)
}

/// Writes the dataset into the database, `RECORDS_PER_TRANSACTION` records per transaction;
/// `progress` hears how many records are in so far.
pub async fn into_database(db: &Database, spec: Spec, progress: &dyn Fn(u64)) -> Result<ImportSummary, ImportError> {
    let mut total = ImportSummary::default();
    let mut records = records(spec).peekable();
    let mut done = 0u64;
    while records.peek().is_some() {
        let txn = db.begin_write().await?;
        let mut writer = Writer::new(&txn, db.editor());
        for record in records.by_ref().take(RECORDS_PER_TRANSACTION as usize) {
            done += 1;
            writer.push(Position::Path(format!("record {done}")), record).await?;
        }
        let generated = serde_json::json!({
            "events": spec.events, "actors": spec.actors, "sources": spec.sources, "seed": spec.seed,
        });
        let (summary, changes) = writer.finish([("generated", generated)]).await?;
        crate::service::write::commit_recorded(db, txn, &changes).await.map_err(ImportError::unplaced)?;
        total.events_created += summary.events_created;
        total.actors_created += summary.actors_created;
        total.sources_created += summary.sources_created;
        total.links += summary.links;
        progress(done);
    }
    Ok(total)
}
