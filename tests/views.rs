//! Saved views and stories, on SQLite and PostgreSQL: an editor saves, changes (at the version
//! read) and deletes them, a reader reads them only, every field of bad input is refused by name
//! with nothing written, each change is in the audit trail, lists are pages, and a story is
//! downloaded as TimelineJS3 slides (one per step, the step's text on it).

mod common;

use std::time::Duration;

use async_graphql::{Request, Response, Variables};
use chronik_api::auth::{Principal, ReadAccess, Role};
use chronik_api::db::Editor;
use chronik_api::http::Settings;
use common::{Backend, TestDb, data, error_code, event};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Runs an operation as a token named `name` with `role`, whose writes the audit trail names.
async fn as_token(test: &TestDb, name: &str, role: Role, query: &str, variables: Value) -> Response {
    let editor = Editor { name: Some(name.into()), request_id: None };
    let request = Request::new(query)
        .variables(Variables::from_json(variables))
        .data(Principal { name: name.into(), role })
        .data(test.db.acting_as(editor));
    test.schema().execute(request).await
}

const STATE: &str = "group actors kinds tags from to q start end asOf axis disputed weak restsOn timeZone event";
const SAVE_VIEW: &str = "mutation($input: SaveViewInput!) { saveView(input: $input) { view { id name author mine version state { group actors kinds tags from to q start end asOf axis disputed weak restsOn timeZone event } } } }";
const DELETE_VIEW: &str = "mutation($id: ID!) { deleteView(input: { id: $id }) { deletedId } }";
const SAVE_STORY: &str = "mutation($input: SaveStoryInput!) { saveStory(input: $input) { story { id title version author steps { position text eventId event { id title } } } } }";

fn full_state(event_id: &str, actor_id: &str, source_id: &str) -> Value {
    json!({
        "group": "tag", "actors": [actor_id], "kinds": ["meeting"], "tags": ["money"],
        "from": "2024-02", "to": "2024-03-XX", "q": "Taurus",
        "start": "2024-02-01T00:00:00Z", "end": "2024-04-01T00:00:00Z", "asOf": "2024-05-01T12:00:00Z",
        "axis": "both", "disputed": true, "weak": false, "restsOn": [source_id],
        "timeZone": "Europe/Berlin", "event": event_id
    })
}

async fn a_view_keeps_every_field_and_is_changed_by_its_author(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let event_id = event(&schema, "The meeting", "2024-02-19").await;
    let actor_id = common::actor(&schema, "Anna Berg", "PERSON").await;
    let source_id = common::source(&schema, "The ledger").await;
    let state = full_state(&event_id, &actor_id, &source_id);

    let saved = data(
        as_token(
            &test,
            "alice",
            Role::Editor,
            SAVE_VIEW,
            json!({ "input": { "name": " February, in Berlin ", "state": state } }),
        )
        .await,
    );
    let view = &saved["saveView"]["view"];
    assert_eq!(view["name"], "February, in Berlin");
    assert_eq!(view["author"], "alice");
    assert_eq!(view["mine"], true);
    assert_eq!(view["version"], 1);
    // Read back as saved, field by field (instants in RFC 3339 as GraphQL writes them).
    let mut read = view["state"].clone();
    for key in ["start", "end", "asOf"] {
        let text = read[key].as_str().expect("an instant");
        let parsed = chrono::DateTime::parse_from_rfc3339(text).expect("RFC 3339");
        let expected = chrono::DateTime::parse_from_rfc3339(state[key].as_str().expect("instant")).expect("RFC 3339");
        assert_eq!(parsed, expected, "{key}");
        read[key] = state[key].clone();
    }
    assert_eq!(read, state);
    let id = view["id"].as_str().expect("id").to_owned();

    // Anyone who reads sees it, by ID, in the list and as a node.
    let by_id = data(
        as_token(
            &test,
            "rita",
            Role::Reader,
            &format!("query($id: ID!) {{ view(id: $id) {{ name mine state {{ {STATE} }} }} node(id: $id) {{ id }} }}"),
            json!({ "id": id }),
        )
        .await,
    );
    assert_eq!(by_id["view"]["name"], "February, in Berlin");
    assert_eq!(by_id["view"]["mine"], false);
    assert_eq!(by_id["node"]["id"], id.as_str());

    // A reader saves nothing; another editor changes nothing of alice's.
    let before = (test.count("saved_view").await, test.count("audit_log").await);
    let reader =
        as_token(&test, "rita", Role::Reader, SAVE_VIEW, json!({ "input": { "name": "Mine", "state": {} } })).await;
    assert_eq!(error_code(&reader).0, "FORBIDDEN");
    let reader = as_token(&test, "rita", Role::Reader, DELETE_VIEW, json!({ "id": id })).await;
    assert_eq!(error_code(&reader).0, "FORBIDDEN");
    let other = as_token(
        &test,
        "bob",
        Role::Editor,
        SAVE_VIEW,
        json!({ "input": { "id": id, "version": 1, "name": "Bob's", "state": {} } }),
    )
    .await;
    assert_eq!(error_code(&other).0, "FORBIDDEN");
    let other = as_token(&test, "bob", Role::Editor, DELETE_VIEW, json!({ "id": id })).await;
    assert_eq!(error_code(&other).0, "FORBIDDEN");
    assert_eq!((test.count("saved_view").await, test.count("audit_log").await), before);

    // The author changes it at the version read; a stale or missing version writes nothing.
    let changed = data(
        as_token(
            &test,
            "alice",
            Role::Editor,
            SAVE_VIEW,
            json!({ "input": { "id": id, "version": 1, "name": "February", "state": { "timeZone": "UTC" } } }),
        )
        .await,
    );
    assert_eq!(changed["saveView"]["view"]["version"], 2);
    assert_eq!(changed["saveView"]["view"]["state"]["timeZone"], "UTC");
    assert_eq!(changed["saveView"]["view"]["state"]["group"], "actor");
    assert_eq!(changed["saveView"]["view"]["state"]["axis"], "happened");
    assert_eq!(changed["saveView"]["view"]["state"]["start"], Value::Null);
    let before = (test.count("saved_view").await, test.count("audit_log").await);
    let stale = as_token(
        &test,
        "alice",
        Role::Editor,
        SAVE_VIEW,
        json!({ "input": { "id": id, "version": 1, "name": "Again", "state": {} } }),
    )
    .await;
    assert_eq!(error_code(&stale).0, "CONFLICT");
    let unversioned = as_token(
        &test,
        "alice",
        Role::Editor,
        SAVE_VIEW,
        json!({ "input": { "id": id, "name": "Again", "state": {} } }),
    )
    .await;
    assert_eq!(error_code(&unversioned), ("VALIDATION".to_owned(), Some("version".to_owned())));
    assert_eq!((test.count("saved_view").await, test.count("audit_log").await), before);

    // The audit trail holds each change with its author; an admin deletes any view.
    data(as_token(&test, "root", Role::Admin, DELETE_VIEW, json!({ "id": id })).await);
    let audit = data(
        as_token(
            &test,
            "root",
            Role::Admin,
            "query($id: ID!) { auditLog(first: 10, entityId: $id) { nodes { operation entity by before after } } }",
            json!({ "id": id }),
        )
        .await,
    );
    let trail: Vec<(String, String, String)> = audit["auditLog"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| {
            let text = |key: &str| n[key].as_str().expect("text").to_owned();
            (text("operation"), text("entity"), text("by"))
        })
        .collect();
    let expected = [("delete", "root"), ("update", "alice"), ("create", "alice")]
        .map(|(op, by)| (op.to_owned(), "view".to_owned(), by.to_owned()));
    assert_eq!(trail, expected.to_vec());
    assert_eq!(audit["auditLog"]["nodes"][1]["before"]["name"], "February, in Berlin");
    assert_eq!(audit["auditLog"]["nodes"][1]["after"]["name"], "February");
    let gone = data(
        as_token(&test, "rita", Role::Reader, "query($id: ID!) { view(id: $id) { id } }", json!({ "id": id })).await,
    );
    assert_eq!(gone["view"], Value::Null);
}

async fn bad_views_are_refused_by_field_and_nothing_is_written(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let event_id = event(&schema, "The meeting", "2024-02-19").await;
    let many: Vec<String> = (0..101).map(|n| format!("tag{n}")).collect();
    let cases = [
        (json!({ "name": "   ", "state": {} }), "name"),
        (json!({ "name": "x".repeat(201), "state": {} }), "name"),
        (json!({ "name": "v", "state": { "group": "colour" } }), "state.group"),
        (json!({ "name": "v", "state": { "axis": "sideways" } }), "state.axis"),
        (json!({ "name": "v", "state": { "actors": [event_id] } }), "state.actors"),
        (json!({ "name": "v", "state": { "restsOn": ["nonsense"] } }), "state.restsOn"),
        (json!({ "name": "v", "state": { "tags": many } }), "state.tags"),
        (json!({ "name": "v", "state": { "kinds": [""] } }), "state.kinds"),
        (json!({ "name": "v", "state": { "from": "the spring" } }), "state.from"),
        (json!({ "name": "v", "state": { "q": "q".repeat(501) } }), "state.q"),
        (json!({ "name": "v", "state": { "start": "2024-02-01T00:00:00Z" } }), "state.end"),
        (
            json!({ "name": "v", "state": { "start": "2024-03-01T00:00:00Z", "end": "2024-02-01T00:00:00Z" } }),
            "state.end",
        ),
        (json!({ "name": "v", "state": { "timeZone": "Mars/Olympus" } }), "state.timeZone"),
        (json!({ "name": "v", "state": { "event": "not-an-id" } }), "state.event"),
    ];
    let audited = test.count("audit_log").await;
    for (input, field) in cases {
        let response = as_token(&test, "alice", Role::Editor, SAVE_VIEW, json!({ "input": input })).await;
        assert_eq!(error_code(&response), ("VALIDATION".to_owned(), Some(field.to_owned())), "{input}");
    }
    assert_eq!(test.count("saved_view").await, 0);
    assert_eq!(test.count("audit_log").await, audited);

    // A list is a page: first from offset, in name order; out of range is named.
    for name in ["c", "a", "b"] {
        data(
            as_token(&test, "alice", Role::Editor, SAVE_VIEW, json!({ "input": { "name": name, "state": {} } })).await,
        );
    }
    let page = data(as_token(&test, "rita", Role::Reader, "{ views(first: 2, offset: 1) { name } }", json!({})).await);
    assert_eq!(page["views"], json!([{ "name": "b" }, { "name": "c" }]));
    let too_many = as_token(&test, "rita", Role::Reader, "{ views(first: 501) { name } }", json!({})).await;
    assert_eq!(error_code(&too_many), ("VALIDATION".to_owned(), Some("first".to_owned())));
    let negative = as_token(&test, "rita", Role::Reader, "{ views(offset: -1) { name } }", json!({})).await;
    assert_eq!(error_code(&negative), ("VALIDATION".to_owned(), Some("offset".to_owned())));
}

async fn a_story_steps_through_events_and_downloads_as_timelinejs(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let first = event(&schema, "The meeting", "2024-02-19").await;
    let second = event(&schema, "The transfer", "2024-03-04").await;
    let third = event(&schema, "The leak", "2024-05").await;
    let steps = json!([
        { "eventId": second, "text": "Money moves first." },
        { "eventId": first, "text": "  Then they meet.  " },
        { "eventId": third }
    ]);
    let saved = data(
        as_token(
            &test,
            "alice",
            Role::Editor,
            SAVE_STORY,
            json!({ "input": { "title": "How it went", "steps": steps } }),
        )
        .await,
    );
    let story = &saved["saveStory"]["story"];
    assert_eq!(story["title"], "How it went");
    assert_eq!(story["author"], "alice");
    let read: Vec<(i64, String, String)> = story["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["position"].as_i64().expect("position"),
                s["text"].as_str().expect("text").to_owned(),
                s["event"]["title"].as_str().expect("title").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        read,
        vec![
            (0, "Money moves first.".to_owned(), "The transfer".to_owned()),
            (1, "Then they meet.".to_owned(), "The meeting".to_owned()),
            (2, String::new(), "The leak".to_owned()),
        ]
    );
    let id = story["id"].as_str().expect("id").to_owned();

    // Bad input is refused by field, nothing written; a reader writes nothing.
    let before = (test.count("story").await, test.count("audit_log").await);
    let hundred_and_one: Vec<Value> = (0..101).map(|_| json!({ "eventId": first })).collect();
    let cases = [
        (json!({ "title": " ", "steps": [{ "eventId": first }] }), "title"),
        (json!({ "title": "t", "steps": [] }), "steps"),
        (json!({ "title": "t", "steps": hundred_and_one }), "steps"),
        (
            json!({ "title": "t", "steps": [{ "eventId": first }, { "eventId": first, "text": "x".repeat(2001) }] }),
            "steps.1.text",
        ),
        (json!({ "title": "t", "steps": [{ "eventId": first }, { "eventId": id }] }), "steps.1.eventId"),
    ];
    for (input, field) in cases {
        let response = as_token(&test, "alice", Role::Editor, SAVE_STORY, json!({ "input": input })).await;
        assert_eq!(error_code(&response), ("VALIDATION".to_owned(), Some(field.to_owned())), "{input}");
    }
    // An event that does not exist (or is deleted) is named by its step.
    let deleted = event(&schema, "Withdrawn", "2024-06").await;
    data(
        as_token(
            &test,
            "root",
            Role::Admin,
            "mutation($id: ID!) { deleteEvent(input: { id: $id }) { deletedId } }",
            json!({ "id": deleted }),
        )
        .await,
    );
    let before = (before.0, test.count("audit_log").await);
    let gone = as_token(&test, "alice", Role::Editor, SAVE_STORY, json!({ "input": { "title": "t", "steps": [{ "eventId": first }, { "eventId": first }, { "eventId": deleted }] } })).await;
    assert_eq!(error_code(&gone), ("VALIDATION".to_owned(), Some("steps.2.eventId".to_owned())));
    let reader = as_token(
        &test,
        "rita",
        Role::Reader,
        SAVE_STORY,
        json!({ "input": { "title": "t", "steps": [{ "eventId": first }] } }),
    )
    .await;
    assert_eq!(error_code(&reader).0, "FORBIDDEN");
    assert_eq!((test.count("story").await, test.count("audit_log").await), before);

    // Reordered by its author at the version read.
    let changed = data(
        as_token(&test, "alice", Role::Editor, SAVE_STORY, json!({ "input": { "id": id, "version": 1, "title": "How it went", "steps": [
            { "eventId": first, "text": "They meet." }, { "eventId": second, "text": "Money moves." }, { "eventId": third, "text": "It comes out." }
        ] } }))
        .await,
    );
    assert_eq!(changed["saveStory"]["story"]["version"], 2);
    assert_eq!(changed["saveStory"]["story"]["steps"][0]["event"]["title"], "The meeting");

    // The TimelineJS3 file: the title slide, one slide per step in order with the step's text;
    // readable as any reader, refused without a token where reading needs one.
    let address = test.serve_with(Settings { read_access: ReadAccess::Token, ..Settings::default() }).await;
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client");
    let url = format!("http://{address}/stories/{id}/timelinejs");
    assert_eq!(client.get(&url).send().await.expect("GET").status(), StatusCode::UNAUTHORIZED);
    let reader = test.token("story-reader", Role::Reader).await;
    let response = client.get(&url).bearer_auth(&reader).send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK);
    let timeline: Value = response.json().await.expect("JSON");
    assert_eq!(timeline["title"]["text"]["headline"], "How it went");
    let slides: Vec<(String, String, i64)> = timeline["events"]
        .as_array()
        .expect("slides")
        .iter()
        .map(|s| {
            (
                s["text"]["headline"].as_str().expect("headline").to_owned(),
                s["text"]["text"].as_str().expect("text").to_owned(),
                s["start_date"]["year"]
                    .as_str()
                    .map_or_else(|| s["start_date"]["year"].as_i64().expect("year"), |y| y.parse().expect("year")),
            )
        })
        .collect();
    assert_eq!(
        slides,
        vec![
            ("The meeting".to_owned(), "They meet.".to_owned(), 2024),
            ("The transfer".to_owned(), "Money moves.".to_owned(), 2024),
            ("The leak".to_owned(), "It comes out.".to_owned(), 2024),
        ]
    );
    assert_eq!(timeline["events"][0]["start_date"]["month"].to_string().trim_matches('"'), "2");
    let missing = client
        .get(format!("http://{address}/stories/{first}/timelinejs"))
        .bearer_auth(&reader)
        .send()
        .await
        .expect("GET");
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);

    // A list of stories loads the events of all their steps at once.
    data(
        as_token(
            &test,
            "bob",
            Role::Editor,
            SAVE_STORY,
            json!({ "input": { "title": "Another", "steps": [{ "eventId": third }] } }),
        )
        .await,
    );
    let mut counts = Vec::new();
    for first in [1, 10] {
        test.take_statements();
        let listed = data(
            as_token(
                &test,
                "rita",
                Role::Reader,
                "query($first: Int!) { stories(first: $first) { title steps { event { title } } } }",
                json!({ "first": first }),
            )
            .await,
        );
        assert_eq!(listed["stories"][0]["title"], "Another");
        if first == 10 {
            assert_eq!(listed["stories"][1]["steps"][2]["event"]["title"], "The leak");
        }
        counts.push(test.take_statements().len());
    }
    assert_eq!(counts[0], counts[1], "statements for one story and for two: {counts:?}");

    // Deleted by its author; the audit trail keeps it.
    data(
        as_token(
            &test,
            "alice",
            Role::Editor,
            "mutation($id: ID!) { deleteStory(input: { id: $id }) { deletedId } }",
            json!({ "id": id }),
        )
        .await,
    );
    let audit = data(
        as_token(
            &test,
            "root",
            Role::Admin,
            "query($id: ID!) { auditLog(first: 10, entityId: $id) { nodes { operation entity } } }",
            json!({ "id": id }),
        )
        .await,
    );
    assert_eq!(
        audit["auditLog"]["nodes"],
        json!([
            { "operation": "delete", "entity": "story" }, { "operation": "update", "entity": "story" }, { "operation": "create", "entity": "story" }
        ])
    );
}

on_both_backends!(
    a_view_keeps_every_field_and_is_changed_by_its_author,
    bad_views_are_refused_by_field_and_nothing_is_written,
    a_story_steps_through_events_and_downloads_as_timelinejs,
);
