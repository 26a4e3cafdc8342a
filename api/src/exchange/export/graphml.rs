//! GraphML out, for Gephi and other network tools: actors and events are nodes (`a:KEY`, `e:KEY`),
//! each participation an edge from the actor to the event carrying its role, each link between
//! events an edge carrying its kind. Every attribute is declared as a GraphML `<key>`.

use std::io::Write;

use quick_xml::escape::escape;

use super::select::{Link, Page, key};
use super::writer::FormatWriter;

/// The declared attributes: (id, for, name, type).
const KEYS: [(&str, &str, &str, &str); 8] = [
    ("label", "node", "label", "string"),
    ("type", "node", "type", "string"),
    ("kind", "node", "kind", "string"),
    ("start", "node", "start", "string"),
    ("earliest", "node", "earliest", "long"),
    ("relation", "edge", "relation", "string"),
    ("role", "edge", "role", "string"),
    ("link_kind", "edge", "link kind", "string"),
];

pub struct Graph<W> {
    out: W,
    edges: u64,
}

impl<W: Write> Graph<W> {
    pub fn new(out: W) -> Self {
        Self { out, edges: 0 }
    }

    fn data(&mut self, key: &str, value: &str) -> std::io::Result<()> {
        write!(self.out, "<data key=\"{key}\">{}</data>", xml(value))
    }

    fn edge(&mut self, source: &str, target: &str, data: &[(&str, &str)]) -> std::io::Result<()> {
        self.edges += 1;
        write!(self.out, "    <edge id=\"x{}\" source=\"{}\" target=\"{}\">", self.edges, xml(source), xml(target))?;
        for (name, value) in data {
            self.data(name, value)?;
        }
        self.out.write_all(b"</edge>\n")
    }
}

/// Text for XML: escaped, without the control characters XML 1.0 cannot hold.
fn xml(text: &str) -> String {
    let clean: String = text.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect();
    escape(clean.as_str()).into_owned()
}

impl<W: Write> FormatWriter for Graph<W> {
    fn records(&self) -> bool {
        true
    }

    fn begin(&mut self) -> std::io::Result<()> {
        self.out.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
        )?;
        for (id, target, name, kind) in KEYS {
            writeln!(self.out, "  <key id=\"{id}\" for=\"{target}\" attr.name=\"{name}\" attr.type=\"{kind}\"/>")?;
        }
        self.out.write_all(b"  <graph id=\"chronik\" edgedefault=\"directed\">\n")
    }

    fn actor(&mut self, row: &entity::actor::Model) -> std::io::Result<()> {
        write!(self.out, "    <node id=\"a:{}\">", xml(&key(row.external_id.as_ref(), row.id)))?;
        self.data("label", &row.name)?;
        self.data("type", "actor")?;
        self.data("kind", &row.kind)?;
        self.out.write_all(b"</node>\n")
    }

    fn events(&mut self, page: &Page) -> std::io::Result<()> {
        for item in &page.events {
            let event = format!("e:{}", item.key());
            write!(self.out, "    <node id=\"{}\">", xml(&event))?;
            self.data("label", &item.row.title)?;
            self.data("type", "event")?;
            self.data("kind", &item.row.kind)?;
            self.data("start", &item.row.start_value)?;
            self.data("earliest", &item.row.start_earliest.to_string())?;
            self.out.write_all(b"</node>\n")?;
            for participant in &item.participants {
                let actor = format!("a:{}", page.actor_key(participant.actor_id));
                self.edge(&actor, &event, &[("relation", "participation"), ("role", &participant.role)])?;
            }
        }
        Ok(())
    }

    fn link(&mut self, link: &Link) -> std::io::Result<()> {
        let (from, to) = (format!("e:{}", link.from), format!("e:{}", link.to));
        self.edge(&from, &to, &[("relation", "link"), ("link_kind", &link.row.kind)])
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.out.write_all(b"  </graph>\n</graphml>\n")?;
        self.out.flush()
    }
}
