//! `restoreEventVersion`: an editor makes an event what an earlier revision recorded, as a new
//! version written through the one write path (revision and audit row `revert`), on SQLite and
//! PostgreSQL; a stale version, a version the event never had and a reader are refused with
//! nothing written.

mod common;

use async_graphql::{Request, Variables};
use chronik_api::auth::{Principal, Role};
use chronik_api::db::Editor;
use common::{Backend, TestDb, actor, data, error_code, event, run, run_as, source};
use serde_json::{Value, json};

const FIELDS: &str = "title summary kind start { value } end { value } timeZone confidence tags
  place { name latitude longitude } parent { id }
  participants { role note actor { id } }
  citations { quote supports supportsActor { id } source { id } }
  links { kind note target { id } }";

async fn read(schema: &chronik_api::graphql::AppSchema, id: &str) -> Value {
    let query = format!("query($id: ID!) {{ event(id: $id) {{ version {FIELDS} }} }}");
    data(run(schema, &query, json!({ "id": id })).await)["event"].clone()
}

fn without_version(mut event: Value) -> Value {
    event.as_object_mut().expect("object").remove("version");
    event
}

/// Runs an operation as an editor token named `editor`, whose writes the history names (as the
/// HTTP layer does it).
async fn as_editor(test: &TestDb, query: &str, variables: Value) -> async_graphql::Response {
    let editor = Editor { name: Some("editor".into()), request_id: Some("request-1".into()) };
    let request = Request::new(query)
        .variables(Variables::from_json(variables))
        .data(Principal { name: "editor".into(), role: Role::Editor })
        .data(test.db.acting_as(editor));
    test.schema().execute(request).await
}

const RESTORE: &str = "mutation($input: RestoreEventVersionInput!) {
  restoreEventVersion(input: $input) { event { id version } } }";

async fn an_earlier_version_comes_back_as_a_new_version(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let anna = actor(&schema, "Anna", "person").await;
    let ben = actor(&schema, "Ben", "person").await;
    let paper = source(&schema, "The paper").await;
    let affair = event(&schema, "The affair", "2024").await;
    let other = event(&schema, "Another event", "2024-03").await;
    let third = event(&schema, "A third event", "2024-04").await;

    let created = data(
        run(
            &schema,
            "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }",
            json!({ "input": {
                "title": "The meeting", "start": "2024-02-19T10:00", "end": "2024-02-19T12:00", "kind": "meeting",
                "summary": "As first told.", "timeZone": "Europe/Berlin", "confidence": "alleged",
                "place": { "name": "Berlin", "latitude": 52.52, "longitude": 13.405 },
                "tags": ["first", "told"], "parentId": affair,
                "participants": [{ "actorId": anna, "role": "organiser", "note": "called it" }],
                "citations": [{ "sourceId": paper, "quote": "Anna called it.", "supports": "participation", "actorId": anna }]
            }}),
        )
        .await,
    );
    let id = created["createEvent"]["event"]["id"].as_str().expect("id").to_owned();
    let link = "mutation($input: LinkEventsInput!) { linkEvents(input: $input) { link { id } } }";
    let first_link = data(
        run(
            &schema,
            link,
            json!({ "input": { "sourceId": id, "targetId": other, "kind": "causes", "note": "so it began" } }),
        )
        .await,
    );
    let version_two = read(&schema, &id).await;
    assert_eq!(version_two["version"], 2);

    // Everything changes afterwards: fields, parts, parent and links.
    data(
        run(
            &schema,
            "mutation($input: UpdateEventInput!) { updateEvent(input: $input) { event { version } } }",
            json!({ "input": {
                "id": id, "version": 2, "title": "The meeting (retold)", "summary": null, "end": null,
                "timeZone": "UTC", "confidence": "confirmed", "place": null, "tags": ["retold"], "parentId": null,
                "participants": [{ "actorId": ben, "role": "participant" }],
                "citations": [{ "sourceId": paper, "quote": "Ben was there." }]
            }}),
        )
        .await,
    );
    let first_link_id = first_link["linkEvents"]["link"]["id"].clone();
    data(
        run(
            &schema,
            "mutation($input: UnlinkEventsInput!) { unlinkEvents(input: $input) { deletedId } }",
            json!({ "input": { "id": first_link_id } }),
        )
        .await,
    );
    data(run(&schema, link, json!({ "input": { "sourceId": id, "targetId": third, "kind": "follows" } })).await);
    let before = read(&schema, &id).await;
    assert_eq!(before["version"], 5);
    assert_ne!(without_version(before.clone()), without_version(version_two.clone()));

    let restored =
        data(as_editor(&test, RESTORE, json!({ "input": { "id": id, "version": 5, "toVersion": 2 } })).await);
    assert_eq!(restored["restoreEventVersion"]["event"]["version"], 6);
    let after = read(&schema, &id).await;
    assert_eq!(after["version"], 6);
    assert_eq!(without_version(after), without_version(version_two));

    // The history keeps every version, the new one named `revert` with its changes and its author.
    let history = data(
        run(
            &schema,
            "query($id: ID!) { event(id: $id) { revisions { version operation by changes } } }",
            json!({ "id": id }),
        )
        .await,
    );
    let revisions = history["event"]["revisions"].as_array().expect("revisions");
    assert_eq!(revisions.len(), 6);
    let last = &revisions[5];
    assert_eq!(last["operation"], "revert");
    assert_eq!(last["by"], "editor");
    let changes: Vec<&str> = last["changes"].as_array().expect("changes").iter().filter_map(Value::as_str).collect();
    for field in [
        "title",
        "summary",
        "end",
        "timeZone",
        "place",
        "confidence",
        "parent",
        "tags",
        "participants",
        "citations",
        "links",
    ] {
        assert!(changes.contains(&field), "{field} not among the changes {changes:?}");
    }
    let audit = data(
        run(
            &schema,
            "query($id: ID!) { auditLog(first: 1, entityId: $id) { nodes { operation by after } } }",
            json!({ "id": id }),
        )
        .await,
    );
    let entry = &audit["auditLog"]["nodes"][0];
    assert_eq!(entry["operation"], "revert");
    assert_eq!(entry["by"], "editor");
    assert_eq!(entry["after"]["event"]["title"], "The meeting");
}

async fn a_stale_or_unknown_version_and_a_reader_are_refused_and_nothing_is_written(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let id = event(&schema, "Once", "2024").await;
    data(
        run(
            &schema,
            "mutation($input: UpdateEventInput!) { updateEvent(input: $input) { event { version } } }",
            json!({ "input": { "id": id, "version": 1, "title": "Twice" } }),
        )
        .await,
    );
    let revisions = test.count("event_revision").await;
    let audit = test.count("audit_log").await;

    let stale =
        run_as(&schema, Some(Role::Editor), RESTORE, json!({ "input": { "id": id, "version": 1, "toVersion": 1 } }))
            .await;
    assert_eq!(error_code(&stale).0, "CONFLICT");
    let unknown =
        run_as(&schema, Some(Role::Editor), RESTORE, json!({ "input": { "id": id, "version": 2, "toVersion": 7 } }))
            .await;
    assert_eq!(error_code(&unknown), ("VALIDATION".to_owned(), Some("toVersion".to_owned())));
    let reader =
        run_as(&schema, Some(Role::Reader), RESTORE, json!({ "input": { "id": id, "version": 2, "toVersion": 1 } }))
            .await;
    assert_eq!(error_code(&reader).0, "FORBIDDEN");

    assert_eq!(test.count("event_revision").await, revisions);
    assert_eq!(test.count("audit_log").await, audit);
    assert_eq!(read(&schema, &id).await["title"], "Twice");
}

on_both_backends!(
    an_earlier_version_comes_back_as_a_new_version,
    a_stale_or_unknown_version_and_a_reader_are_refused_and_nothing_is_written,
);
