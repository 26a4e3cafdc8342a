//! One set of rules: the `createEvent` mutation and the import (a `chronik/1` document and JSON
//! Lines) refuse the same bad values of an event with the same field names, on SQLite and
//! PostgreSQL. Each case is written once, as a file's event entry; the mutation's input is the
//! same entry with its actors and sources named by ID instead of by key.

mod common;

use chronik_api::exchange::{self, Format, ImportError, Position};
use common::{Backend, TestDb, error_code, run};
use serde_json::{Value, json};

/// A bad event: what is wrong with it, the entry, and the field both refuse it by. The two name
/// the field differently only where a file names an actor or a source by key and the mutation by
/// ID: `participants[0].actor` in a file is `participants[0].actorId` in the mutation.
struct Case {
    what: &'static str,
    entry: Value,
    field: &'static str,
}

/// A valid event with `changes` on top (a null removes a field).
fn event(changes: Value) -> Value {
    let mut entry = json!({ "title": "A call", "kind": "meeting", "start": "2024-02" });
    for (name, value) in changes.as_object().expect("an object") {
        if value.is_null() {
            entry.as_object_mut().expect("an object").remove(name);
        } else {
            entry[name] = value.clone();
        }
    }
    entry
}

fn cases() -> Vec<Case> {
    let speaker = json!({ "actor": "a", "role": "speaker" });
    let case = |what, changes, field| Case { what, entry: event(changes), field };
    vec![
        case("an empty title", json!({ "title": "  " }), "title"),
        case("a title too long", json!({ "title": "x".repeat(501) }), "title"),
        case("a summary too long", json!({ "summary": "x".repeat(20_001) }), "summary"),
        case("a kind that is no term", json!({ "kind": "1st" }), "kind"),
        case("a start that is no date", json!({ "start": "2024-13" }), "start"),
        case("a missing start", json!({ "start": "" }), "start"),
        case("an end that is no date", json!({ "end": "soon" }), "end"),
        case("an end before the start", json!({ "start": "2024-03", "end": "2024-02" }), "end"),
        case("an unknown time zone", json!({ "timeZone": "Mars/Olympus" }), "timeZone"),
        case("a latitude out of range", json!({ "place": { "latitude": 91.0, "longitude": 0.0 } }), "place.latitude"),
        case(
            "a longitude out of range",
            json!({ "place": { "latitude": 0.0, "longitude": 180.5 } }),
            "place.longitude",
        ),
        case("a latitude without longitude", json!({ "place": { "latitude": 52.5 } }), "place.longitude"),
        case("a longitude without latitude", json!({ "place": { "longitude": 13.4 } }), "place.latitude"),
        case("a place name too long", json!({ "place": { "name": "x".repeat(501) } }), "place.name"),
        case("a confidence not in the vocabulary", json!({ "confidence": "certain" }), "confidence"),
        case("an empty tag", json!({ "tags": ["leak", " "] }), "tags[1]"),
        case("a tag too long", json!({ "tags": ["x".repeat(101)] }), "tags[0]"),
        case(
            "a role that is no term",
            json!({ "participants": [{ "actor": "a", "role": "no way!" }] }),
            "participants[0].role",
        ),
        case(
            "a note too long",
            json!({ "participants": [{ "actor": "a", "role": "speaker", "note": "x".repeat(20_001) }] }),
            "participants[0].note",
        ),
        case("an actor twice in one role", json!({ "participants": [speaker, speaker] }), "participants[1]"),
        case(
            "an unknown actor",
            json!({ "participants": [{ "actor": "nobody", "role": "speaker" }] }),
            "participants[0].actor",
        ),
        case("an unknown source", json!({ "citations": [{ "source": "nowhere" }] }), "citations[0].source"),
        case(
            "a quote too long",
            json!({ "citations": [{ "source": "s", "quote": "x".repeat(20_001) }] }),
            "citations[0].quote",
        ),
        case(
            "a citation supporting what it cannot",
            json!({ "citations": [{ "source": "s", "supports": "rumour" }] }),
            "citations[0].supports",
        ),
        case(
            "a participation's citation without its actor",
            json!({ "participants": [speaker], "citations": [{ "source": "s", "supports": "participation" }] }),
            "citations[0].actor",
        ),
        case(
            "a participation's citation naming an actor not taking part",
            json!({ "participants": [speaker],
                    "citations": [{ "source": "s", "supports": "participation", "actor": "b" }] }),
            "citations[0].actor",
        ),
        case(
            "an actor on a citation of the event",
            json!({ "participants": [speaker], "citations": [{ "source": "s", "supports": "event", "actor": "a" }] }),
            "citations[0].actor",
        ),
    ]
}

/// The file's name of a field as the mutation names it: references are IDs there.
fn by_id(field: &str) -> String {
    for (key, id) in [(".actor", ".actorId"), (".source", ".sourceId")] {
        if let Some(start) = field.strip_suffix(key) {
            return format!("{start}{id}");
        }
    }
    field.to_owned()
}

/// The entry as the mutation's input: keys become the global IDs in `ids` (unknown keys a
/// well-formed ID of nothing), and the entry's own key goes.
fn input(entry: &Value, ids: &Value, nothing: &str) -> Value {
    let id = |key: &Value| ids.get(key.as_str().expect("a key")).cloned().unwrap_or_else(|| json!(nothing));
    let mut input = entry.clone();
    for participant in input["participants"].as_array_mut().into_iter().flatten() {
        let actor = participant.as_object_mut().expect("an object").remove("actor").expect("an actor");
        participant["actorId"] = id(&actor);
    }
    for citation in input["citations"].as_array_mut().into_iter().flatten() {
        let citation = citation.as_object_mut().expect("an object");
        let source = citation.remove("source").expect("a source");
        citation.insert("sourceId".into(), id(&source));
        if let Some(actor) = citation.remove("actor") {
            citation.insert("actorId".into(), id(&actor));
        }
    }
    input
}

/// The actors `a` and `b` and the source `s`, as records of a file.
fn references() -> (Vec<Value>, Vec<Value>) {
    let actors = vec![
        json!({ "key": "a", "name": "Anna", "kind": "person" }),
        json!({ "key": "b", "name": "Bert", "kind": "person" }),
    ];
    (actors, vec![json!({ "key": "s", "title": "The Gazette" })])
}

fn document(entry: &Value) -> String {
    let (actors, sources) = references();
    let mut entry = entry.clone();
    entry["key"] = json!("e");
    // Written out by hand: a JSON object's keys come out sorted, and the sources must come first.
    format!(
        r#"{{"format": "chronik/1", "actors": {}, "sources": {}, "events": [{entry}]}}"#,
        Value::from(actors),
        Value::from(sources)
    )
}

fn json_lines(entry: &Value) -> String {
    let (actors, sources) = references();
    let typed = |kind: &str, mut record: Value| {
        record["type"] = json!(kind);
        record.to_string()
    };
    let mut entry = entry.clone();
    entry["key"] = json!("e");
    let mut lines: Vec<String> = actors.into_iter().map(|actor| typed("actor", actor)).collect();
    lines.extend(sources.into_iter().map(|source| typed("source", source)));
    lines.push(typed("event", entry));
    lines.join("\n")
}

/// Where the import placed its refusal, and the field it named.
async fn import_refusal(test: &TestDb, format: Format, text: String) -> (Option<Position>, String) {
    match exchange::import_bytes(&test.db, format, text.into_bytes()).await {
        Err(ImportError::Invalid { at, field, .. }) => (at, field),
        other => panic!("{format}: expected a refusal, got {other:?}"),
    }
}

async fn the_mutation_and_the_import_refuse_the_same_values_by_the_same_fields(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let ids = json!({
        "a": common::actor(&schema, "Anna", "person").await,
        "b": common::actor(&schema, "Bert", "person").await,
        "s": common::source(&schema, "The Gazette").await,
    });
    // A well-formed ID that names no actor or source.
    let nothing = chronik_api::ids::encode(chronik_api::ids::NodeKind::Actor, uuid::Uuid::now_v7());
    let nothing_source = chronik_api::ids::encode(chronik_api::ids::NodeKind::Source, uuid::Uuid::now_v7());
    let events_before = test.count("event").await;
    for case in cases() {
        let Case { what, entry, field } = case;
        let (at, refused) = import_refusal(&test, Format::Json, document(&entry)).await;
        assert_eq!((at, refused.as_str()), (Some(Position::Path("events[0]".into())), field), "document: {what}");
        let (at, refused) = import_refusal(&test, Format::JsonLines, json_lines(&entry)).await;
        assert_eq!((at, refused.as_str()), (Some(Position::Line(4)), field), "JSON Lines: {what}");

        let unknown = if field.ends_with(".source") { &nothing_source } else { &nothing };
        let response = run(
            &schema,
            "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }",
            json!({ "input": input(&entry, &ids, unknown) }),
        )
        .await;
        assert_eq!(error_code(&response), ("VALIDATION".to_owned(), Some(by_id(field))), "mutation: {what}");
    }
    assert_eq!(test.count("event").await, events_before, "nothing was written");
    assert_eq!(test.count("actor").await, 2, "the files' actors were rolled back");
}

on_both_backends!(the_mutation_and_the_import_refuse_the_same_values_by_the_same_fields);
