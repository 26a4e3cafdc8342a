//! Notes on events and stars, on SQLite and PostgreSQL: an editor's note with its author and
//! times, edited or deleted by its author (or an admin) only, searchable, in the audit trail;
//! refusals write nothing; a star is each token's own.

mod common;

use async_graphql::{Request, Response, Variables};
use chronik_api::auth::{Principal, Role};
use chronik_api::db::Editor;
use common::{Backend, TestDb, data, error_code, event};
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

const ADD: &str = "mutation($input: AddNoteInput!) { addNote(input: $input) { note { id body author mine version createdAt updatedAt event { id } } } }";
const UPDATE: &str = "mutation($input: UpdateNoteInput!) { updateNote(input: $input) { note { id body version } } }";
const DELETE: &str = "mutation($input: DeleteNoteInput!) { deleteNote(input: $input) { deletedId } }";
const NOTES: &str = "query($id: ID!) { event(id: $id) { notes { id body author mine version } } }";

async fn notes_are_written_by_their_author_and_changed_by_them_or_an_admin_only(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let id = event(&schema, "The meeting", "2024-02-19").await;
    let mut changes = test.db.changes().subscribe();

    let added = data(as_token(&test, "alice", Role::Editor, ADD, json!({ "input": { "eventId": id, "body": "  Ask the ministry about 50% of it. https://example.org/x  " } })).await);
    let note = &added["addNote"]["note"];
    assert_eq!(note["body"], "Ask the ministry about 50% of it. https://example.org/x");
    assert_eq!(note["author"], "alice");
    assert_eq!(note["mine"], true);
    assert_eq!(note["version"], 1);
    assert_eq!(note["event"]["id"], id.as_str());
    assert_eq!(note["createdAt"], note["updatedAt"]);
    let note_id = note["id"].as_str().expect("id").to_owned();
    // Subscribers of eventChanged hear of it as a change of its event, which keeps its version.
    let change = tokio::time::timeout(std::time::Duration::from_secs(30), changes.recv())
        .await
        .expect("no change announced")
        .expect("the feed closed");
    assert_eq!(chronik_api::ids::encode(chronik_api::ids::NodeKind::Event, change.event_id), id);
    assert_eq!(change.version, 1);

    // Another editor sees it, not as theirs, and may neither change nor delete it.
    let seen = data(as_token(&test, "bob", Role::Editor, NOTES, json!({ "id": id })).await);
    assert_eq!(seen["event"]["notes"][0]["mine"], false);
    let before = (test.count("note").await, test.count("audit_log").await);
    let refused = as_token(
        &test,
        "bob",
        Role::Editor,
        UPDATE,
        json!({ "input": { "id": note_id, "version": 1, "body": "Mine now." } }),
    )
    .await;
    assert_eq!(error_code(&refused).0, "FORBIDDEN");
    let refused = as_token(&test, "bob", Role::Editor, DELETE, json!({ "input": { "id": note_id } })).await;
    assert_eq!(error_code(&refused).0, "FORBIDDEN");
    let reader =
        as_token(&test, "rita", Role::Reader, ADD, json!({ "input": { "eventId": id, "body": "Hello" } })).await;
    assert_eq!(error_code(&reader).0, "FORBIDDEN");
    let empty = as_token(&test, "alice", Role::Editor, ADD, json!({ "input": { "eventId": id, "body": "   " } })).await;
    assert_eq!(error_code(&empty), ("VALIDATION".to_owned(), Some("body".to_owned())));
    let nowhere =
        as_token(&test, "alice", Role::Editor, ADD, json!({ "input": { "eventId": note_id, "body": "x" } })).await;
    assert_eq!(error_code(&nowhere), ("VALIDATION".to_owned(), Some("eventId".to_owned())));
    assert_eq!((test.count("note").await, test.count("audit_log").await), before);

    // The author edits it at the version read; a stale version is a conflict.
    let edited = data(
        as_token(
            &test,
            "alice",
            Role::Editor,
            UPDATE,
            json!({ "input": { "id": note_id, "version": 1, "body": "Asked; no answer yet." } }),
        )
        .await,
    );
    assert_eq!(edited["updateNote"]["note"]["version"], 2);
    let stale = as_token(
        &test,
        "alice",
        Role::Editor,
        UPDATE,
        json!({ "input": { "id": note_id, "version": 1, "body": "Again." } }),
    )
    .await;
    assert_eq!(error_code(&stale).0, "CONFLICT");

    // Searchable by any of its words, in any case; LIKE's wildcards match only themselves.
    let second = data(
        as_token(
            &test,
            "bob",
            Role::Editor,
            ADD,
            json!({ "input": { "eventId": id, "body": "A 100% sure ANSWER came." } }),
        )
        .await,
    );
    let second_id = second["addNote"]["note"]["id"].as_str().expect("id").to_owned();
    let search = |words: &str| {
        let words = words.to_owned();
        let test = &test;
        async move {
            let found = data(
                as_token(
                    test,
                    "rita",
                    Role::Reader,
                    "query($s: String!) { notes(search: $s) { id } }",
                    json!({ "s": words }),
                )
                .await,
            );
            found["notes"]
                .as_array()
                .expect("notes")
                .iter()
                .map(|n| n["id"].as_str().expect("id").to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(search("answer").await, vec![second_id.clone(), note_id.clone()]);
    assert_eq!(search("ANSWER came").await, vec![second_id.clone()]);
    assert_eq!(search("100%").await, vec![second_id.clone()]);
    assert_eq!(search("0%").await, vec![second_id.clone()]);
    assert!(search("_").await.is_empty());

    // An admin deletes any note; the audit trail keeps every change, with its author.
    data(as_token(&test, "root", Role::Admin, DELETE, json!({ "input": { "id": second_id } })).await);
    let left = data(as_token(&test, "alice", Role::Editor, NOTES, json!({ "id": id })).await);
    assert_eq!(left["event"]["notes"].as_array().expect("notes").len(), 1);
    let audit = data(
        as_token(
            &test,
            "root",
            Role::Admin,
            "query($id: ID!) { auditLog(first: 10, entityId: $id) { nodes { operation entity by before after } } }",
            json!({ "id": note_id }),
        )
        .await,
    );
    let trail: Vec<(String, String)> = audit["auditLog"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| (n["operation"].as_str().expect("op").to_owned(), n["by"].as_str().expect("by").to_owned()))
        .collect();
    assert_eq!(trail, vec![("update".to_owned(), "alice".to_owned()), ("create".to_owned(), "alice".to_owned())]);
    assert_eq!(audit["auditLog"]["nodes"][0]["entity"], "note");
    assert_eq!(
        audit["auditLog"]["nodes"][0]["before"]["body"],
        "Ask the ministry about 50% of it. https://example.org/x"
    );
    assert_eq!(audit["auditLog"]["nodes"][0]["after"]["body"], "Asked; no answer yet.");
    let deleted = data(
        as_token(
            &test,
            "root",
            Role::Admin,
            "query($id: ID!) { auditLog(first: 1, entityId: $id) { nodes { operation by before after } } }",
            json!({ "id": second_id }),
        )
        .await,
    );
    assert_eq!(deleted["auditLog"]["nodes"][0]["operation"], "delete");
    assert_eq!(deleted["auditLog"]["nodes"][0]["by"], "root");
    assert_eq!(deleted["auditLog"]["nodes"][0]["before"]["body"], "A 100% sure ANSWER came.");
    assert_eq!(deleted["auditLog"]["nodes"][0]["after"], Value::Null);
}

async fn a_star_is_each_tokens_own(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let id = event(&schema, "The leak", "2024-03-01").await;
    const STAR: &str = "mutation($input: SetStarInput!) { setStar(input: $input) { event { starred starCount } } }";
    const READ: &str = "query($id: ID!) { event(id: $id) { starred starCount } }";
    // A star is a write: a reader's token may not set one.
    let refused =
        as_token(&test, "rea", Role::Reader, STAR, json!({ "input": { "eventId": id, "starred": true } })).await;
    assert_eq!(error_code(&refused).0, "FORBIDDEN", "{refused:?}");
    let starred =
        data(as_token(&test, "rita", Role::Editor, STAR, json!({ "input": { "eventId": id, "starred": true } })).await);
    assert_eq!(starred["setStar"]["event"], json!({ "starred": true, "starCount": 1 }));
    // Twice is still one star.
    data(as_token(&test, "rita", Role::Editor, STAR, json!({ "input": { "eventId": id, "starred": true } })).await);
    let other = data(as_token(&test, "bob", Role::Editor, READ, json!({ "id": id })).await);
    assert_eq!(other["event"], json!({ "starred": false, "starCount": 1 }));
    let cleared = data(
        as_token(&test, "rita", Role::Editor, STAR, json!({ "input": { "eventId": id, "starred": false } })).await,
    );
    assert_eq!(cleared["setStar"]["event"], json!({ "starred": false, "starCount": 0 }));
}

on_both_backends!(notes_are_written_by_their_author_and_changed_by_them_or_an_admin_only, a_star_is_each_tokens_own);
