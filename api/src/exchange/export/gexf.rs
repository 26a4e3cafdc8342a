//! GEXF 1.3 out, for Gephi: a dynamic graph (`mode="dynamic"`, `timeformat="date"`) whose nodes
//! are actors (`a:KEY`) and events (`e:KEY`) and whose edges are participations (actor → event,
//! with the role) and links between events (with their kind).
//!
//! Every node and edge is present over an interval of days, from the fuzzy dates: an event from
//! the first day its start may fall on to the last day its span may reach (in its time zone); a
//! participation over its event's; a link from the earlier of its two events' first days to the
//! later of their last days; an actor over the events it takes part in. An open or unknown side
//! (`../2019-05`, or a year GEXF's dates cannot write) is left out, as GEXF means an unbounded side;
//! an actor without events has no interval (always present).
//!
//! GEXF lists all nodes before any edge: event nodes are written as their pages come, edges go to
//! an anonymous temporary file until the nodes are done, then follow; the actors (far fewer than
//! events) are kept until then, to write them with the interval their events give them. The days
//! of each event are kept for its links (8 bytes and its key per event).

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use entity::actor;
use quick_xml::escape::escape;
use uuid::Uuid;

use super::select::{Link, Page, key};
use super::writer::FormatWriter;
use crate::service::dates;

/// The days over which a node or edge is present; `None` is an open side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Interval {
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
}

impl Interval {
    /// The interval covering both (an open side of either stays open).
    fn union(self, other: Interval) -> Interval {
        Interval {
            start: self.start.zip(other.start).map(|(a, b)| a.min(b)),
            end: self.end.zip(other.end).map(|(a, b)| a.max(b)),
        }
    }

    /// ` start="…" end="…"`, each side only when known.
    fn attributes(self) -> String {
        let mut out = String::new();
        if let Some(start) = self.start {
            out.push_str(&format!(" start=\"{}\"", start.format("%Y-%m-%d")));
        }
        if let Some(end) = self.end {
            out.push_str(&format!(" end=\"{}\"", end.format("%Y-%m-%d")));
        }
        out
    }
}

/// The day an instant falls on in `zone` (UTC without one); none for an open side's sentinel or
/// a year outside 1–9999, which GEXF's `date` (xsd:date) cannot write.
fn day(seconds: i64, zone: Option<Tz>) -> Option<NaiveDate> {
    let instant = dates::instant(seconds)?;
    let day = match zone {
        Some(zone) => instant.with_timezone(&zone).date_naive(),
        None => instant.date_naive(),
    };
    (1..=9999).contains(&day.year()).then_some(day)
}

/// An actor waiting to be written, with the interval of its events so far.
struct ActorNode {
    key: String,
    name: String,
    kind: String,
    interval: Option<Interval>,
}

impl ActorNode {
    fn of(row: &actor::Model) -> Self {
        Self {
            key: key(row.external_id.as_ref(), row.id),
            name: row.name.clone(),
            kind: row.kind.clone(),
            interval: None,
        }
    }
}

pub struct Graph<W> {
    out: W,
    /// The edges, until the nodes are written.
    edges: BufWriter<File>,
    count: u64,
    actors: BTreeMap<Uuid, ActorNode>,
    /// Each event's interval by key, for its links.
    events: HashMap<String, Interval>,
}

/// The declared attributes: (class, id, title).
const ATTRIBUTES: [(&str, &str, &str); 7] = [
    ("node", "type", "type"),
    ("node", "kind", "kind"),
    ("node", "date", "date"),
    ("node", "end_date", "end date"),
    ("edge", "relation", "relation"),
    ("edge", "role", "role"),
    ("edge", "link_kind", "link kind"),
];

/// Text for an XML attribute: escaped, without the control characters XML 1.0 cannot hold.
fn xml(text: &str) -> String {
    let clean: String = text.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect();
    escape(clean.as_str()).into_owned()
}

fn attvalues(values: &[(&str, &str)]) -> String {
    let mut out = String::from("<attvalues>");
    for (name, value) in values {
        out.push_str(&format!("<attvalue for=\"{name}\" value=\"{}\"/>", xml(value)));
    }
    out.push_str("</attvalues>");
    out
}

impl<W: Write> Graph<W> {
    pub fn new(out: W) -> std::io::Result<Self> {
        Ok(Self {
            out,
            edges: BufWriter::new(tempfile::tempfile()?),
            count: 0,
            actors: BTreeMap::new(),
            events: HashMap::new(),
        })
    }

    fn edge(
        &mut self,
        source: &str,
        target: &str,
        label: &str,
        interval: Interval,
        values: &[(&str, &str)],
    ) -> std::io::Result<()> {
        self.count += 1;
        writeln!(
            self.edges,
            "      <edge id=\"x{}\" source=\"{}\" target=\"{}\" label=\"{}\"{}>{}</edge>",
            self.count,
            xml(source),
            xml(target),
            xml(label),
            interval.attributes(),
            attvalues(values)
        )
    }
}

impl<W: Write> FormatWriter for Graph<W> {
    fn records(&self) -> bool {
        true
    }

    fn begin(&mut self) -> std::io::Result<()> {
        self.out.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gexf xmlns=\"http://gexf.net/1.3\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n\
  <meta><creator>Chronik</creator><description>actors and events, participations and links, over time</description></meta>\n\
  <graph mode=\"dynamic\" defaultedgetype=\"directed\" timeformat=\"date\">\n",
        )?;
        for class in ["node", "edge"] {
            writeln!(self.out, "    <attributes class=\"{class}\" mode=\"static\">")?;
            for (_, id, title) in ATTRIBUTES.iter().filter(|(c, _, _)| *c == class) {
                writeln!(self.out, "      <attribute id=\"{id}\" title=\"{title}\" type=\"string\"/>")?;
            }
            writeln!(self.out, "    </attributes>")?;
        }
        self.out.write_all(b"    <nodes>\n")
    }

    fn actor(&mut self, row: &actor::Model) -> std::io::Result<()> {
        self.actors.insert(row.id, ActorNode::of(row));
        Ok(())
    }

    fn events(&mut self, page: &Page) -> std::io::Result<()> {
        for item in &page.events {
            let row = &item.row;
            let zone = row.time_zone.as_deref().and_then(|zone| zone.parse::<Tz>().ok());
            let interval = Interval { start: day(row.start_earliest, zone), end: day(row.span_latest, zone) };
            let event = format!("e:{}", item.key());
            let mut values = vec![("type", "event"), ("kind", row.kind.as_str()), ("date", row.start_value.as_str())];
            if let Some(end) = &row.end_value {
                values.push(("end_date", end.as_str()));
            }
            writeln!(
                self.out,
                "      <node id=\"{}\" label=\"{}\"{}>{}</node>",
                xml(&event),
                xml(&row.title),
                interval.attributes(),
                attvalues(&values)
            )?;
            self.events.insert(item.key(), interval);
            for participant in &item.participants {
                let id = participant.actor_id;
                let actor = match self.actors.entry(id) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(new) => {
                        // An actor the actor pages did not list (a filter's edge): a node all the same.
                        let Some(row) = page.actors.get(&id) else { continue };
                        new.insert(ActorNode::of(row))
                    }
                };
                actor.interval = Some(actor.interval.map_or(interval, |known| known.union(interval)));
                let source = format!("a:{}", actor.key);
                self.edge(
                    &source,
                    &event,
                    &participant.role,
                    interval,
                    &[("relation", "participation"), ("role", &participant.role)],
                )?;
            }
        }
        Ok(())
    }

    fn link(&mut self, link: &Link) -> std::io::Result<()> {
        let (Some(from), Some(to)) = (self.events.get(&link.from), self.events.get(&link.to)) else {
            return Ok(());
        };
        let interval = from.union(*to);
        let (source, target) = (format!("e:{}", link.from), format!("e:{}", link.to));
        self.edge(&source, &target, &link.row.kind, interval, &[("relation", "link"), ("link_kind", &link.row.kind)])
    }

    fn finish(&mut self) -> std::io::Result<()> {
        for actor in self.actors.values() {
            writeln!(
                self.out,
                "      <node id=\"a:{}\" label=\"{}\"{}>{}</node>",
                xml(&actor.key),
                xml(&actor.name),
                actor.interval.map(Interval::attributes).unwrap_or_default(),
                attvalues(&[("type", "actor"), ("kind", &actor.kind)])
            )?;
        }
        self.out.write_all(b"    </nodes>\n    <edges>\n")?;
        self.edges.flush()?;
        let spool = self.edges.get_mut();
        spool.seek(SeekFrom::Start(0))?;
        std::io::copy(spool, &mut self.out)?;
        self.out.write_all(b"    </edges>\n  </graph>\n</gexf>\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_join_and_open_sides_stay_open() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let a = Interval { start: d(2024, 2, 1), end: d(2024, 2, 29) };
        let b = Interval { start: d(2024, 1, 15), end: d(2024, 2, 3) };
        assert_eq!(a.union(b), Interval { start: d(2024, 1, 15), end: d(2024, 2, 29) });
        let open = Interval { start: None, end: d(2019, 5, 31) };
        assert_eq!(a.union(open), Interval { start: None, end: d(2024, 2, 29) });
        assert_eq!(open.attributes(), " end=\"2019-05-31\"");
        assert_eq!(day(dates::OPEN_START, None), None);
        assert_eq!(day(dates::OPEN_END, None), None);
        // 23:30 UTC on 1 March is 2 March in Berlin.
        let late = 1_709_335_800;
        assert_eq!(day(late, None), d(2024, 3, 1));
        assert_eq!(day(late, Some(chrono_tz::Europe::Berlin)), d(2024, 3, 2));
    }
}
