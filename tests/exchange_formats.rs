//! The export-only formats, parsed back: iCalendar (RFC 5545: CRLF, 75-octet folding, escaping,
//! all-day ranges at the date's precision) and GraphML (actors and events as nodes, participations
//! as edges with roles).

mod common;

use common::{Backend, TestDb};

use std::collections::HashMap;

use chronik_api::Database;
use chronik_api::exchange::{self, ExportFilter, Format};
use quick_xml::events::Event;

const DATA: &str = r#"{"type":"actor","key":"gerhartz","name":"Ingo Gerhartz","kind":"person"}
{"type":"actor","key":"rt","name":"RT <Russia Today> & co","kind":"media_outlet"}
{"type":"source","key":"wsj","title":"WSJ","url":"https://example.org/wsj"}
{"type":"event","key":"month","title":"A month, with; punctuation\\and a very long title that must be folded because it runs past seventy-five octets — with ümlauts","kind":"leak","start":"2024-02","tags":["a,b","c"],"participants":[{"actor":"rt","role":"publisher"}],"citations":[{"source":"wsj","quote":"q"}]}
{"type":"event","key":"day","title":"Day range","kind":"meeting","start":"2024-02-19","end":"2024-02-21","timeZone":"Europe/Berlin","place":{"name":"Video call","latitude":52.5,"longitude":13.4},"participants":[{"actor":"gerhartz","role":"speaker"},{"actor":"rt","role":"target"}]}
{"type":"event","key":"minute","title":"Timed","kind":"publication","start":"2024-03-01T22:00+01:00"}
{"type":"event","key":"week","title":"A week","kind":"other","start":"2024-W08?"}
{"type":"link","from":"minute","to":"day","kind":"reveals"}
"#;

/// A migrated database of the test's own on `backend` holding [`DATA`]; the second value keeps it alive.
async fn database(backend: Backend) -> (Database, TestDb) {
    let test = TestDb::on(backend).await;
    exchange::import_bytes(&test.db, Format::JsonLines, DATA.as_bytes().to_vec()).await.expect("import");
    (test.db.clone(), test)
}

async fn export(db: &Database, format: Format) -> String {
    let mut out = Vec::new();
    exchange::export(db, format, &ExportFilter::default(), &mut out).await.expect("export");
    String::from_utf8(out).expect("utf-8")
}

/// A VEVENT's properties: name (with parameters) → unescaped value.
type Properties = HashMap<String, String>;

/// Parses iCalendar text strictly enough to catch mistakes: every line ends in CRLF and holds at
/// most 75 octets; folded lines are joined; TEXT values are unescaped.
fn parse_ics(text: &str) -> Vec<Properties> {
    assert!(text.ends_with("\r\n"), "lines end in CRLF");
    let physical: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    for line in &physical {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(!line.contains('\n') && !line.contains('\r'), "bare newline in {line:?}");
    }
    let mut logical: Vec<String> = Vec::new();
    for line in physical {
        match line.strip_prefix(' ') {
            Some(rest) => logical.last_mut().expect("a line to continue").push_str(rest),
            None => logical.push(line.to_owned()),
        }
    }
    assert_eq!(logical.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(logical.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(logical.contains(&"VERSION:2.0".to_owned()));
    let mut events = Vec::new();
    let mut current: Option<Properties> = None;
    for line in logical {
        let (name, value) = line.split_once(':').expect("name:value");
        match (name, value) {
            ("BEGIN", "VEVENT") => current = Some(Properties::new()),
            ("END", "VEVENT") => events.push(current.take().expect("open VEVENT")),
            _ => {
                if let Some(event) = current.as_mut() {
                    event.insert(name.to_owned(), unescape(value));
                }
            }
        }
    }
    events
}

fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("dangling backslash in {value:?}"),
            }
        } else {
            out.push(c);
        }
    }
    out
}

async fn icalendar_dates_follow_their_precision_and_text_survives_escaping(backend: Backend) {
    let (db, _dir) = database(backend).await;
    let events = parse_ics(&export(&db, Format::ICalendar).await);
    assert_eq!(events.len(), 4);
    let by_uid = |uid: &str| events.iter().find(|e| e["UID"] == uid).unwrap_or_else(|| panic!("no {uid}"));
    let month = by_uid("month@chronik");
    assert_eq!(month["DTSTART;VALUE=DATE"], "20240201");
    assert_eq!(month["DTEND;VALUE=DATE"], "20240301", "DTEND is the day after the last day");
    assert!(month["SUMMARY"].starts_with("A month, with; punctuation\\and a very long title"));
    assert!(month["SUMMARY"].ends_with("ümlauts"));
    assert_eq!(month["CATEGORIES"], "leak,a,b,c", "commas inside a category are escaped");
    assert_eq!(month["URL"], "https://example.org/wsj");
    assert!(month["DESCRIPTION"].contains("publisher: RT <Russia Today> & co"));
    let day = by_uid("day@chronik");
    assert_eq!((day["DTSTART;VALUE=DATE"].as_str(), day["DTEND;VALUE=DATE"].as_str()), ("20240219", "20240222"));
    assert_eq!(day["GEO"], "52.5;13.4");
    assert_eq!(day["LOCATION"], "Video call");
    let week = by_uid("week@chronik");
    assert_eq!((week["DTSTART;VALUE=DATE"].as_str(), week["DTEND;VALUE=DATE"].as_str()), ("20240219", "20240226"));
    assert_eq!(week["X-CHRONIK-START"], "2024-W08?");
    assert!(week["DESCRIPTION"].contains("uncertain"));
    let timed = by_uid("minute@chronik");
    assert_eq!((timed["DTSTART"].as_str(), timed["DTEND"].as_str()), ("20240301T210000Z", "20240301T210100Z"));
    assert!(timed.contains_key("DTSTAMP"));
}

async fn graphml_has_actors_and_events_as_nodes_and_roles_on_edges(backend: Backend) {
    let (db, _dir) = database(backend).await;
    let text = export(&db, Format::GraphMl).await;
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut keys: HashMap<String, String> = HashMap::new();
    let mut nodes: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut edges: Vec<(String, String, HashMap<String, String>)> = Vec::new();
    let mut data_key: Option<String> = None;
    let mut element: Option<String> = None;
    let attribute = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> String {
        let attr = e.try_get_attribute(name).expect("attribute").unwrap_or_else(|| panic!("no {name}"));
        attr.normalized_value(quick_xml::XmlVersion::Implicit1_0).expect("unescape").into_owned()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Empty(e) if e.name().into_inner() == "key" => {
                keys.insert(attribute(&e, "id"), attribute(&e, "for"));
            }
            Event::Start(e) if e.name().into_inner() == "node" => {
                let id = attribute(&e, "id");
                nodes.insert(id.clone(), HashMap::new());
                element = Some(id);
            }
            Event::Start(e) if e.name().into_inner() == "edge" => {
                edges.push((attribute(&e, "source"), attribute(&e, "target"), HashMap::new()));
                element = None;
            }
            Event::Start(e) if e.name().into_inner() == "data" => data_key = Some(attribute(&e, "key")),
            Event::Text(t) => {
                if let Some(key) = data_key.take() {
                    assert!(keys.contains_key(&key), "data key {key} is declared");
                    let value = t.into_inner().into_owned();
                    let target = match &element {
                        Some(node) => nodes.get_mut(node).expect("node"),
                        None => &mut edges.last_mut().expect("edge").2,
                    };
                    target.entry(key.clone()).or_default().push_str(&value);
                    data_key = Some(key);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(key) = data_key.clone() {
                    let entity = format!("&{};", r.into_inner());
                    let value = quick_xml::escape::unescape(&entity).expect("entity").into_owned();
                    let target = match &element {
                        Some(node) => nodes.get_mut(node).expect("node"),
                        None => &mut edges.last_mut().expect("edge").2,
                    };
                    target.entry(key).or_default().push_str(&value);
                }
            }
            Event::End(e) if e.name().into_inner() == "data" => data_key = None,
            _ => {}
        }
    }
    assert_eq!(nodes.len(), 6, "two actors and four events: {:?}", nodes.keys());
    assert_eq!(nodes["a:rt"]["type"], "actor");
    assert_eq!(nodes["a:rt"]["label"], "RT <Russia Today> & co");
    assert_eq!(nodes["e:day"]["type"], "event");
    assert_eq!(nodes["e:day"]["start"], "2024-02-19");
    let roles: Vec<(&str, &str, &str)> = edges
        .iter()
        .filter(|(_, _, data)| data.get("relation").map(String::as_str) == Some("participation"))
        .map(|(from, to, data)| (from.as_str(), to.as_str(), data["role"].as_str()))
        .collect();
    assert_eq!(roles.len(), 3);
    assert!(roles.contains(&("a:gerhartz", "e:day", "speaker")));
    assert!(roles.contains(&("a:rt", "e:month", "publisher")));
    for (from, to, _) in &edges {
        assert!(nodes.contains_key(from) && nodes.contains_key(to), "edge {from} → {to} has both nodes");
    }
    assert!(edges.iter().any(|(f, t, d)| f == "e:minute" && t == "e:day" && d["link_kind"] == "reveals"));
}

on_both_backends!(
    icalendar_dates_follow_their_precision_and_text_survives_escaping,
    graphml_has_actors_and_events_as_nodes_and_roles_on_edges,
);
