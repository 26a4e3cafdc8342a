//! Trust: who may write (tokens and roles, every mutation guarded), what changed when (audit
//! trail, revisions, the timeline as known at an instant), and what the endpoint refuses.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use chronik_api::auth::{ReadAccess, Role};
use chronik_api::http::Settings;
use common::{Backend, TestDb, actor, data, error_code, event, run, run_as};
use serde_json::{Value, json};

/// A value of the GraphQL input type `ty` (from introspection), with every required field filled.
fn sample(ty: &Value, types: &[Value]) -> Value {
    match ty["kind"].as_str() {
        Some("NON_NULL") => sample(&ty["ofType"], types),
        Some("LIST") => json!([]),
        Some("SCALAR") => match ty["name"].as_str() {
            Some("Int") => json!(1),
            Some("Float") => json!(1.0),
            Some("Boolean") => json!(false),
            Some("DateTime") => json!("2024-03-02T00:00:00Z"),
            _ => json!("x"),
        },
        Some("ENUM") => {
            let name = ty["name"].as_str().unwrap_or_default();
            let found = types.iter().find(|t| t["name"] == name).expect("enum type");
            found["enumValues"][0]["name"].clone()
        }
        Some("INPUT_OBJECT") => {
            let name = ty["name"].as_str().unwrap_or_default();
            let found = types.iter().find(|t| t["name"] == name).expect("input type");
            let mut object = serde_json::Map::new();
            for field in found["inputFields"].as_array().expect("fields") {
                if field["type"]["kind"] == "NON_NULL" {
                    object.insert(field["name"].as_str().expect("name").to_owned(), sample(&field["type"], types));
                }
            }
            Value::Object(object)
        }
        other => panic!("unexpected input kind {other:?}"),
    }
}

/// Every Mutation field, with arguments that are valid for their types.
async fn every_mutation(schema: &chronik_api::graphql::AppSchema) -> Vec<(String, String, Value)> {
    let introspection = data(
        run(
            schema,
            "{ __schema { mutationType { fields { name args { name type { ...T } } } }
                types { name kind enumValues { name } inputFields { name type { ...T } } } } }
             fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }",
            json!({}),
        )
        .await,
    );
    let types = introspection["__schema"]["types"].as_array().expect("types").clone();
    let mut mutations = Vec::new();
    for field in introspection["__schema"]["mutationType"]["fields"].as_array().expect("fields") {
        let name = field["name"].as_str().expect("name").to_owned();
        let mut declarations = Vec::new();
        let mut arguments = Vec::new();
        let mut variables = serde_json::Map::new();
        for argument in field["args"].as_array().expect("args") {
            let argument_name = argument["name"].as_str().expect("name");
            declarations.push(format!("${argument_name}: {}", type_ref(&argument["type"])));
            arguments.push(format!("{argument_name}: ${argument_name}"));
            variables.insert(argument_name.to_owned(), sample(&argument["type"], &types));
        }
        let declared = if declarations.is_empty() { String::new() } else { format!("({})", declarations.join(", ")) };
        let passed = if arguments.is_empty() { String::new() } else { format!("({})", arguments.join(", ")) };
        let query = format!("mutation{declared} {{ {name}{passed} {{ __typename }} }}");
        mutations.push((name, query, Value::Object(variables)));
    }
    mutations
}

fn type_ref(ty: &Value) -> String {
    match ty["kind"].as_str() {
        Some("NON_NULL") => format!("{}!", type_ref(&ty["ofType"])),
        Some("LIST") => format!("[{}]", type_ref(&ty["ofType"])),
        _ => ty["name"].as_str().expect("a named type").to_owned(),
    }
}

const ADMIN_ONLY: &[&str] = &["mergeActors", "restoreEvent", "purgeEvent", "createToken", "revokeToken"];

async fn every_mutation_refuses_anonymous_and_reader_requests(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let schema = test.schema();
    let mutations = every_mutation(&schema).await;
    assert!(mutations.len() >= 15, "found only {} mutations", mutations.len());
    let tables = ["event", "actor", "source", "citation", "event_link", "access_token", "audit_log"];
    let mut before = Vec::new();
    for table in tables {
        before.push(test.count(table).await);
    }
    for (name, query, variables) in &mutations {
        let anonymous = run_as(&schema, None, query, variables.clone()).await;
        assert_eq!(error_code(&anonymous).0, "UNAUTHENTICATED", "{name} ran for an anonymous request");
        let reader = run_as(&schema, Some(Role::Reader), query, variables.clone()).await;
        assert_eq!(error_code(&reader).0, "FORBIDDEN", "{name} ran for a reader");
        if ADMIN_ONLY.contains(&name.as_str()) {
            let editor = run_as(&schema, Some(Role::Editor), query, variables.clone()).await;
            assert_eq!(error_code(&editor).0, "FORBIDDEN", "{name} ran for an editor");
        }
    }
    for (table, count) in tables.iter().zip(before) {
        assert_eq!(test.count(table).await, count, "{table} was written to");
    }
}

async fn post(address: SocketAddr, token: Option<&str>, body: Value) -> (reqwest::StatusCode, Value) {
    let mut request = reqwest::Client::new().post(format!("http://{address}/graphql")).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("POST");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn tokens_decide_over_http_and_revoked_ones_stop_working(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve().await;
    let editor = test.token("desk-editor", Role::Editor).await;
    let reader = test.token("desk-reader", Role::Reader).await;
    let create =
        json!({ "query": "mutation { createActor(input: { name: \"New\", kind: \"person\" }) { actor { id } } }" });

    let (_, anonymous) = post(address, None, create.clone()).await;
    assert_eq!(anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let (_, as_reader) = post(address, Some(&reader), create.clone()).await;
    assert_eq!(as_reader["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let (status, as_editor) = post(address, Some(&editor), create.clone()).await;
    assert_eq!(status, 200);
    assert!(as_editor["errors"].is_null(), "{as_editor}");

    let (status, wrong) =
        post(address, Some("chronik_not-a-token"), json!({ "query": "{ events { totalCount } }" })).await;
    assert_eq!(status, 401);
    assert_eq!(wrong["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    chronik_api::auth::tokens::revoke(&test.db, "desk-editor").await.expect("revoke");
    let (status, _) = post(address, Some(&editor), create).await;
    assert_eq!(status, 401, "a revoked token still works");
}

async fn reading_can_require_a_token(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let settings = Settings { read_access: ReadAccess::Token, ..Settings::default() };
    let address = test.serve_with(settings).await;
    let reader = test.token("reader", Role::Reader).await;
    let query = json!({ "query": "{ events { totalCount } }" });
    let (status, body) = post(address, None, query.clone()).await;
    assert_eq!(status, 401);
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let (status, body) = post(address, Some(&reader), query).await;
    assert_eq!(status, 200);
    assert!(body["data"]["events"]["totalCount"].as_i64().expect("count") >= 12);
}

async fn every_change_leaves_an_audit_row_and_a_revision(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;
    let editor = test.token("alice", Role::Editor).await;
    let (_, created) = post(
        address,
        Some(&editor),
        json!({ "query": "mutation { createEvent(input: { title: \"First\", start: \"2024-02\" }) { event { id } } }" }),
    )
    .await;
    let id = created["data"]["createEvent"]["event"]["id"].as_str().expect("id").to_owned();
    let (_, updated) = post(
        address,
        Some(&editor),
        json!({ "query": "mutation($id: ID!) { updateEvent(input: { id: $id, version: 1, title: \"Second\" }) { event { version } } }",
                "variables": { "id": id } }),
    )
    .await;
    assert_eq!(updated["data"]["updateEvent"]["event"]["version"], 2);

    let schema = test.schema();
    let history = data(
        run(
            &schema,
            "query($id: ID!) { event(id: $id) { revisions { version by operation changes event { title } } }
                auditLog(entityId: $id) { totalCount edges { node { operation by requestId before after } } } }",
            json!({ "id": id }),
        )
        .await,
    );
    let revisions = &history["event"]["revisions"];
    assert_eq!(revisions[0]["version"], 1);
    assert_eq!(revisions[0]["by"], "alice");
    assert_eq!(revisions[0]["event"]["title"], "First");
    assert_eq!(revisions[1]["changes"], json!(["title"]));
    assert_eq!(revisions[1]["event"]["title"], "Second");
    let audit = history["auditLog"]["edges"].as_array().expect("audit");
    assert_eq!(history["auditLog"]["totalCount"], 2);
    // Newest first: the update, by alice, with the request's ID, before and after.
    assert_eq!(audit[0]["node"]["operation"], "update");
    assert_eq!(audit[0]["node"]["by"], "alice");
    assert!(audit[0]["node"]["requestId"].as_str().is_some_and(|id| !id.is_empty()));
    assert_eq!(audit[0]["node"]["before"]["event"]["title"], "First");
    assert_eq!(audit[0]["node"]["after"]["event"]["title"], "Second");
    assert_eq!(audit[1]["node"]["operation"], "create");
    assert_eq!(audit[1]["node"]["before"], Value::Null);
}

/// A create writes its revision from what it has in hand; that must be what the database holds:
/// the event read "as of now" is the event read live, and an edit of the title alone changes
/// nothing else in the next revision (tags in mixed case, participants, citations, timestamps).
async fn a_created_events_revision_is_what_the_database_holds(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let actors = [common::actor(&schema, "Zed", "person").await, common::actor(&schema, "amy", "person").await];
    let source = common::source(&schema, "Gazette").await;
    let created = data(
        run(
            &schema,
            "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }",
            json!({ "input": { "title": "Call", "start": "2024-02-19T10:00:00Z", "kind": "meeting",
                "tags": ["beta", "Alpha", "gamma", "Zulu"],
                "participants": [{ "actorId": actors[0], "role": "speaker" }, { "actorId": actors[1], "role": "host" },
                                 { "actorId": actors[0], "role": "host" }],
                "citations": [{ "sourceId": source, "quote": "q1" }, { "sourceId": source, "quote": "q2" }] } }),
        )
        .await,
    );
    let id = created["createEvent"]["event"]["id"].as_str().expect("id").to_owned();
    let fields = "id version title start { value } tags createdAt updatedAt
        participants { id role note actor { id } } citations { id quote supports source { id } }";
    let query = format!(
        "query($id: ID!, $at: DateTime) {{ live: event(id: $id) {{ {fields} }} then: event(id: $id, asOf: $at) {{ {fields} }} }}"
    );
    let now = chrono::Utc::now().to_rfc3339();
    let read = data(run(&schema, &query, json!({ "id": id, "at": now })).await);
    assert_eq!(read["then"], read["live"], "the revision of the create is the event as stored");
    data(
        run(
            &schema,
            "mutation($id: ID!) { updateEvent(input: { id: $id, version: 1, title: \"Call, renamed\" }) { event { version } } }",
            json!({ "id": id }),
        )
        .await,
    );
    let revisions = data(
        run(&schema, "query($id: ID!) { event(id: $id) { revisions { version changes } } }", json!({ "id": id })).await,
    );
    assert_eq!(revisions["event"]["revisions"][1]["changes"], json!(["title"]));

    // Revisions written before their snapshots moved to the audit trail (migration 8) kept
    // them inline, with no audit row named: those read the same.
    use sea_orm::ConnectionTrait;
    test.db
        .writer()
        .expect("the writer")
        .execute_unprepared(
            "UPDATE event_revision SET snapshot = (SELECT after FROM audit_log WHERE audit_log.id = event_revision.audit_id),
               audit_id = NULL",
        )
        .await
        .expect("inline the snapshots");
    test.db
        .writer()
        .expect("the writer")
        .execute_unprepared("DELETE FROM audit_log")
        .await
        .expect("forget the audit trail");
    let inline = data(run(&schema, &query, json!({ "id": id, "at": now })).await);
    assert_eq!(inline["then"], read["live"], "an inline snapshot reads as before");
}

/// createEvent with a participant and a citation: a statement per check and per kind of row,
/// its search document, and its audit row with its revision (the benchmark's mutation; 23 before
/// the writes used what they had in hand), twice in a row.
async fn create_event_costs_a_statement_per_kind_of_row(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let actor = common::actor(&schema, "Someone", "person").await;
    let source = common::source(&schema, "Gazette").await;
    let mut counts = Vec::new();
    for title in ["Call", "Second call"] {
        test.take_statements();
        let created = run(
            &schema,
            "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id version } } }",
            json!({ "input": { "title": title, "start": "2024-02", "kind": "meeting", "tags": ["leak"],
                "participants": [{ "actorId": actor, "role": "speaker" }],
                "citations": [{ "sourceId": source, "quote": "a quote" }] } }),
        )
        .await;
        data(created);
        counts.push(test.take_statements().len());
    }
    // The statements the observer sees (those run with values: not BEGIN, SAVEPOINT, RELEASE,
    // COMMIT or the `temp_store` pragma): the source check (on a reader, before the write), the
    // actor check, the event, its tag, participation and citation with the search document (one
    // text on SQLite, five statements on PostgreSQL), the audit row with the revision (one text
    // on SQLite, two on PostgreSQL), and PostgreSQL's NOTIFY. 9 on SQLite before the texts, 5
    // before the event joined its parts' text.
    let most = if backend == Backend::Postgres { 10 } else { 4 };
    assert!(counts.iter().all(|&count| count <= most), "statements per createEvent: {counts:?}");
}

/// An instant clearly after the writes before it and before those after it.
async fn an_instant_between_writes() -> chrono::DateTime<chrono::Utc> {
    tokio::time::sleep(Duration::from_millis(20)).await;
    let instant = chrono::Utc::now();
    tokio::time::sleep(Duration::from_millis(20)).await;
    instant
}

async fn as_of_reproduces_the_timeline_before_an_edit(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let before_anything = chrono::Utc::now();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let id = event(&schema, "Leak reported", "2024-03-01").await;
    let kept = event(&schema, "Unchanged", "2024-03-02").await;
    let known_then = an_instant_between_writes().await;
    data(
        run(
            &schema,
            "mutation($id: ID!) { updateEvent(input: { id: $id, version: 1, title: \"Leak confirmed\", start: \"2024-02-29\" }) { event { id } } }",
            json!({ "id": id }),
        )
        .await,
    );
    data(
        run(&schema, "mutation($id: ID!) { deleteEvent(input: { id: $id }) { deletedId } }", json!({ "id": kept }))
            .await,
    );

    let then = data(
        run(
            &schema,
            "query($at: DateTime!, $id: ID!) {
                events(asOf: $at) { totalCount edges { node { title start { value } } } }
                event(id: $id, asOf: $at) { title version }
             }",
            json!({ "at": known_then, "id": id }),
        )
        .await,
    );
    assert_eq!(then["events"]["totalCount"], 2);
    assert_eq!(
        then["events"]["edges"][0]["node"],
        json!({ "title": "Leak reported", "start": { "value": "2024-03-01" } })
    );
    assert_eq!(then["events"]["edges"][1]["node"]["title"], "Unchanged");
    assert_eq!(then["event"], json!({ "title": "Leak reported", "version": 1 }));

    let now = data(run(&schema, "{ events { totalCount edges { node { title } } } }", json!({})).await);
    assert_eq!(now["events"]["totalCount"], 1);
    assert_eq!(now["events"]["edges"][0]["node"]["title"], "Leak confirmed");

    let earlier = data(
        run(&schema, "query($at: DateTime!) { events(asOf: $at) { totalCount } }", json!({ "at": before_anything }))
            .await,
    );
    assert_eq!(earlier["events"]["totalCount"], 0);

    let unsupported = run(
        &schema,
        "query($at: DateTime!) { events(asOf: $at, filter: { search: \"leak\" }) { totalCount } }",
        json!({ "at": known_then }),
    )
    .await;
    assert_eq!(error_code(&unsupported), ("VALIDATION".to_owned(), Some("filter.search".to_owned())));
}

/// With `asOf`, actor, tag and parent filters apply to what the records said then: an event
/// found by its old tag and actor, not by its new ones, across more revisions than one round of
/// the scan reads, a page at a time in both directions.
async fn as_of_filters_by_what_the_records_said_then(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let (scholz, bundeswehr) =
        (actor(&schema, "Scholz", "person").await, actor(&schema, "Bundeswehr", "state_body").await);
    let parent = event(&schema, "The affair", "2024").await;
    for day in 0..230 {
        let start = (chrono::NaiveDate::from_ymd_opt(2023, 1, 1).expect("date") + chrono::Days::new(day)).to_string();
        event(&schema, &format!("Filler {day}"), &start).await;
    }
    let create = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }";
    let created = |title: &str, start: &str, actor: &str| {
        json!({ "input": { "title": title, "start": start, "tags": ["leak"], "parentId": parent,
            "participants": [{ "actorId": actor, "role": "subject" }] } })
    };
    let leaked =
        data(run(&schema, create, created("Leak reported", "2024-03-01", &scholz)).await)["createEvent"]["event"]["id"]
            .as_str()
            .expect("id")
            .to_owned();
    data(run(&schema, create, created("Recording confirmed", "2024-03-05", &bundeswehr)).await);
    let known_then = an_instant_between_writes().await;
    data(
        run(
            &schema,
            "mutation($id: ID!, $actor: ID!) { updateEvent(input: { id: $id, version: 1, tags: [\"confirmed\"],
                participants: [{ actorId: $actor, role: \"subject\" }] }) { event { id } } }",
            json!({ "id": leaked, "actor": bundeswehr }),
        )
        .await,
    );
    let now = chrono::Utc::now();

    let query = "query($at: DateTime, $filter: EventFilter, $first: Int, $after: String, $last: Int) {
        events(asOf: $at, filter: $filter, first: $first, after: $after, last: $last) {
            totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
            edges { node { title tags participants { actor { name } } } }
        } }";
    let titles = |page: &Value| -> Vec<String> {
        page["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["title"].as_str().expect("title").to_owned())
            .collect()
    };
    let ask = |variables: Value| {
        let schema = schema.clone();
        async move { data(run(&schema, query, variables).await)["events"].clone() }
    };

    let first = ask(json!({ "at": known_then, "filter": { "tags": ["leak"] }, "first": 1 })).await;
    assert_eq!(titles(&first), ["Leak reported"]);
    assert_eq!(first["edges"][0]["node"]["tags"], json!(["leak"]));
    assert_eq!(first["edges"][0]["node"]["participants"][0]["actor"]["name"], "Scholz");
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["totalCount"], 2);
    let cursor = first["pageInfo"]["endCursor"].clone();
    let second = ask(json!({ "at": known_then, "filter": { "tags": ["leak"] }, "first": 1, "after": cursor })).await;
    assert_eq!(titles(&second), ["Recording confirmed"]);
    assert_eq!(
        (&second["pageInfo"]["hasNextPage"], &second["pageInfo"]["hasPreviousPage"]),
        (&json!(false), &json!(true))
    );
    let last = ask(json!({ "at": known_then, "filter": { "tags": ["leak"] }, "last": 1 })).await;
    assert_eq!(titles(&last), ["Recording confirmed"]);
    assert_eq!(last["pageInfo"]["hasPreviousPage"], true);

    let by_scholz = json!({ "actorIds": [scholz] });
    let then = ask(json!({ "at": known_then, "filter": by_scholz })).await;
    assert_eq!((titles(&then), then["totalCount"].clone()), (vec!["Leak reported".to_owned()], json!(1)));
    let after_the_edit = ask(json!({ "at": now, "filter": by_scholz })).await;
    assert_eq!((titles(&after_the_edit), after_the_edit["totalCount"].clone()), (Vec::<String>::new(), json!(0)));
    let live = ask(json!({ "filter": { "tags": ["leak"] } })).await;
    assert_eq!(titles(&live), ["Recording confirmed"]);
    let both = ask(json!({ "at": known_then, "filter": { "tags": ["leak"], "actorIds": [bundeswehr] } })).await;
    assert_eq!(titles(&both), ["Recording confirmed"]);

    let children = ask(json!({ "at": known_then, "filter": { "parentId": parent } })).await;
    assert_eq!(titles(&children), ["Leak reported", "Recording confirmed"]);
    assert_eq!(children["totalCount"], 2);

    // The zoomed-out view counts the same past: by the old tag, two events in March 2024; the
    // whole timeline then, every event, fillers from January 2023 on in the first slices.
    let histogram = "query($at: DateTime, $filter: EventFilter, $buckets: Int!) {
        timelineHistogram(asOf: $at, filter: $filter, buckets: $buckets) { start end count } }";
    let counts = |variables: Value| {
        let schema = schema.clone();
        async move {
            let buckets = data(run(&schema, histogram, variables).await)["timelineHistogram"].clone();
            buckets.as_array().expect("buckets").iter().map(|b| b["count"].as_i64().expect("count")).collect::<Vec<_>>()
        }
    };
    let march = json!({ "tags": ["leak"], "from": "2024-03", "to": "2024-03" });
    assert_eq!(counts(json!({ "at": known_then, "filter": march, "buckets": 31 })).await.iter().sum::<i64>(), 2);
    let by_day = counts(json!({ "at": known_then, "filter": march, "buckets": 31 })).await;
    assert_eq!((by_day[0], by_day[4]), (1, 1), "{by_day:?}");
    assert_eq!(counts(json!({ "filter": march, "buckets": 31 })).await.iter().sum::<i64>(), 1);
    // By period alone (counted by the database): the affair, dated only to 2024, began before
    // March and counts in its first day.
    let march_then =
        counts(json!({ "at": known_then, "filter": { "from": "2024-03", "to": "2024-03" }, "buckets": 31 })).await;
    assert_eq!((march_then.len(), march_then[0], march_then[4], march_then.iter().sum::<i64>()), (31, 2, 1, 3));
    let scholz_then = counts(json!({ "at": known_then, "filter": { "actorIds": [scholz] }, "buckets": 5 })).await;
    assert_eq!((scholz_then.iter().sum::<i64>(), scholz_then[0]), (1, 1), "{scholz_then:?}");
    let everything = counts(json!({ "at": known_then, "buckets": 10 })).await;
    assert_eq!(everything.iter().sum::<i64>(), 233, "{everything:?}");
    assert_eq!(everything.len(), 10);
    assert!(everything[0] > 0, "{everything:?}");
    let before = counts(json!({ "at": chrono::Utc::now() - chrono::Duration::days(1), "buckets": 10 })).await;
    assert!(before.is_empty(), "{before:?}");
}

async fn deleted_events_are_restored_and_purged_by_admins(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let id = event(&schema, "Deleted by mistake", "2024").await;
    data(
        run(&schema, "mutation($id: ID!) { deleteEvent(input: { id: $id }) { deletedId } }", json!({ "id": id })).await,
    );
    let restored = data(
        run(
            &schema,
            "mutation($id: ID!) { restoreEvent(input: { id: $id }) { event { title version } } }",
            json!({ "id": id }),
        )
        .await,
    );
    assert_eq!(restored["restoreEvent"]["event"], json!({ "title": "Deleted by mistake", "version": 3 }));
    let purged = data(
        run(&schema, "mutation($id: ID!) { purgeEvent(input: { id: $id }) { purgedId } }", json!({ "id": id })).await,
    );
    assert_eq!(purged["purgeEvent"]["purgedId"], id.as_str());
    assert_eq!(test.count("event").await, 0);
    assert_eq!(test.count("event_revision").await, 0);
    let trail = data(
        run(
            &schema,
            "query($id: ID!) { auditLog(entityId: $id) { edges { node { operation after } } } }",
            json!({ "id": id }),
        )
        .await,
    );
    assert_eq!(trail["auditLog"]["edges"][0]["node"], json!({ "operation": "purge", "after": null }));
}

/// Sends `body` as the admin and returns status and JSON.
async fn attack(address: SocketAddr, content_type: &str, body: Vec<u8>) -> (reqwest::StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(format!("http://{address}/graphql"))
        .bearer_auth(common::token_for(address))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("POST");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn hostile_requests_are_refused_and_write_nothing(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve().await;
    let token = common::token_for(address);
    let counts = || async { (test.count("event").await, test.count("actor").await, test.count("audit_log").await) };
    let before = counts().await;
    let create_actor = "mutation { createActor(input: { name: \"Intruder\", kind: \"person\" }) { actor { id } } }";

    // A mutation over GET.
    let url = format!("http://{address}/graphql?query={}", urlencode(create_actor));
    let response = reqwest::Client::new().get(url).bearer_auth(&token).send().await.expect("GET");
    assert_eq!(response.status(), 405);
    // text/plain and form posts: what a cross-site form sends without a preflight.
    let body = json!({ "query": create_actor }).to_string().into_bytes();
    assert_eq!(attack(address, "text/plain", body.clone()).await.0, 415);
    assert_eq!(attack(address, "application/x-www-form-urlencoded", body).await.0, 415);
    // A batch of 1,000 operations.
    let batch: Vec<Value> = (0..1000).map(|_| json!({ "query": create_actor })).collect();
    assert_eq!(attack(address, "application/json", serde_json::to_vec(&batch).expect("json")).await.0, 400);
    // 101 aliases.
    let aliases: String = (0..101).map(|i| format!("a{i}: events(first: 1) {{ totalCount }} ")).collect();
    let (status, body) =
        attack(address, "application/json", json!({ "query": format!("{{ {aliases} }}") }).to_string().into_bytes())
            .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "LIMIT");
    // 500 duplicate fields.
    let fields = "__typename ".repeat(500);
    assert_eq!(
        attack(address, "application/json", json!({ "query": format!("{{ {fields} }}") }).to_string().into_bytes())
            .await
            .0,
        400
    );
    // Nesting far past the depth limit.
    let deep = format!(
        "{{ events(first: 1) {{ edges {{ node {{ {} title {} }} }} }} }}",
        "links { target { ".repeat(20),
        "} } ".repeat(20)
    );
    let (_, body) = attack(address, "application/json", json!({ "query": deep }).to_string().into_bytes()).await;
    assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("depth")), "{body}");
    assert!(body["data"].is_null());
    // Circular fragments.
    let circular = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
    let (_, body) = attack(address, "application/json", json!({ "query": circular }).to_string().into_bytes()).await;
    assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()), "{body}");
    assert!(body["data"].is_null());
    // A 20 MiB body: refused from its Content-Length, before the body is read.
    assert_eq!(announce_body(address, &token, 20 * 1024 * 1024).await, 413);
    // An oversized page.
    let (_, body) = attack(
        address,
        "application/json",
        json!({ "query": "{ events(first: 100000) { totalCount } }" }).to_string().into_bytes(),
    )
    .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION");
    assert_eq!(body["errors"][0]["extensions"]["field"], "first");

    assert_eq!(counts().await, before, "an attack wrote something");
}

/// Sends only the head of a POST announcing a body of `length` bytes; returns the status.
async fn announce_body(address: SocketAddr, token: &str, length: usize) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n{{\"query\":\""
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let mut buffer = vec![0_u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer))
        .await
        .expect("an answer")
        .expect("read");
    let text = String::from_utf8_lossy(&buffer[..read]);
    text.split_whitespace().nth(1).and_then(|code| code.parse().ok()).expect("a status line")
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn mutations_are_rate_limited_per_token(backend: Backend) {
    let test = TestDb::on(backend).await;
    let mut settings = Settings::default();
    settings.limits.mutations_per_minute = 3;
    let address = test.serve_with(settings).await;
    let token = common::token_for(address);
    let create =
        json!({ "query": "mutation { createActor(input: { name: \"A\", kind: \"person\" }) { actor { id } } }" });
    for _ in 0..3 {
        assert_eq!(post(address, Some(&token), create.clone()).await.0, 200);
    }
    let (status, body) = post(address, Some(&token), create).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(test.count("actor").await, 3);
    // Reading is not limited.
    assert_eq!(post(address, Some(&token), json!({ "query": "{ actors { totalCount } }" })).await.0, 200);
}

async fn internal_errors_are_masked_and_carry_a_request_id(backend: Backend) {
    use sea_orm::ConnectionTrait;
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve().await;
    // Break the database under the server: searching now fails inside the database.
    test.db.reader().execute_unprepared("DROP TABLE search_document CASCADE").await.ok();
    test.db.reader().execute_unprepared("ALTER TABLE search_document RENAME TO gone").await.ok();
    let (_, body) =
        post(address, None, json!({ "query": "{ events(filter: { search: \"Taurus\" }) { totalCount } }" })).await;
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "INTERNAL", "{body}");
    let request_id = error["extensions"]["requestId"].as_str().expect("a request id");
    let message = error["message"].as_str().expect("message");
    assert!(message.contains(request_id));
    assert!(!message.to_lowercase().contains("search_document") && !message.contains("SQL"), "leaked: {message}");
}

/// One number from plain SQL.
async fn scalar(test: &TestDb, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let row = test
        .db
        .reader()
        .query_one_raw(Statement::from_string(test.db.backend(), sql.to_owned()))
        .await
        .expect(sql)
        .expect("a row");
    row.try_get::<i64>("", "n").expect("a number")
}

/// Every event has a revision at its current version and every earlier version's snapshot
/// kept (an import writes versions copy-on-write: only the current one may be held by the rows
/// alone), every actor and source an audit row, and the latest revision of each linked or
/// parented event holds its links and parent as they are now.
async fn assert_history_is_complete(test: &TestDb) {
    let unrevised = scalar(
        test,
        "SELECT COUNT(*) AS n FROM event e WHERE NOT EXISTS
           (SELECT 1 FROM event_revision r WHERE r.event_id = e.id AND r.version = e.version)",
    )
    .await;
    assert_eq!(unrevised, 0, "events without a revision of their current version");
    let null = match test.backend {
        Backend::Sqlite => "r.snapshot = 'null'",
        Backend::Postgres => "r.snapshot::text = 'null'",
    };
    let lost = scalar(
        test,
        &format!(
            "SELECT COUNT(*) AS n FROM event_revision r JOIN event e ON e.id = r.event_id
               WHERE r.version < e.version AND r.audit_id IS NULL AND {null}"
        ),
    )
    .await;
    assert_eq!(lost, 0, "replaced versions whose snapshot was not kept");
    for table in ["actor", "source"] {
        let unaudited = scalar(
            test,
            &format!(
                "SELECT COUNT(*) AS n FROM {table} t WHERE NOT EXISTS
                   (SELECT 1 FROM audit_log a WHERE a.entity = '{table}' AND a.entity_id = t.id)"
            ),
        )
        .await;
        assert_eq!(unaudited, 0, "{table} rows without an audit row");
    }
    use chronik_api::service::as_of;
    use entity::{event, event_link};
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
    let linked: std::collections::HashSet<uuid::Uuid> = event_link::Entity::find()
        .all(test.db.reader())
        .await
        .expect("links")
        .iter()
        .map(|l| l.from_event_id)
        .collect();
    let checked = event::Entity::find()
        .filter(Condition::any().add(event::Column::ParentId.is_not_null()).add(event::Column::Id.is_in(linked)))
        .all(test.db.reader())
        .await
        .expect("events");
    assert!(!checked.is_empty(), "the import has links and parents");
    for row in &checked {
        let snapshot = as_of::event_version(&test.db, row.id, row.version).await.expect("read").expect("a revision");
        let links = event_link::Entity::find()
            .filter(event_link::Column::FromEventId.eq(row.id))
            .all(test.db.reader())
            .await
            .expect("links");
        assert_eq!(snapshot.links.len(), links.len(), "links of {:?} in its latest revision", row.title);
        assert_eq!(snapshot.event.parent_id, row.parent_id, "parent of {:?} in its latest revision", row.title);
    }
}

/// Every event's latest revision, read "as of now", is the event read live: an import writes
/// the revisions of the events it creates from what it has in hand, so this is what proves
/// that those are the rows as stored (timestamps, parts and their order included).
async fn assert_revisions_are_the_rows(test: &TestDb) {
    // Two pages of 500 events with every relation cost 3.4 million at their bounds, past the
    // default limit meant for clients; this reading is the test's own.
    let limits = chronik_api::config::RequestLimits {
        max_complexity: 10_000_000,
        ..chronik_api::config::RequestLimits::DEFAULT
    };
    let schema = chronik_api::graphql::build_schema(test.db.clone(), &limits);
    let fields = "id version title summary kind confidence timeZone start { value } end { value }
        place { name latitude longitude } tags createdAt updatedAt parent { id }
        participants { id role note actor { id } } citations { id quote supports source { id } supportsActor { id } }
        links { id kind note target { id } }";
    let query = format!(
        "query($at: DateTime) {{ live: events(first: 500) {{ nodes {{ {fields} }} }}
            then: events(first: 500, asOf: $at) {{ nodes {{ {fields} }} }} }}"
    );
    let read = data(run(&schema, &query, json!({ "at": chrono::Utc::now() })).await);
    let live = read["live"]["nodes"].as_array().expect("events");
    assert!(!live.is_empty());
    assert!(live.iter().any(|e| !e["participants"].as_array().expect("participants").is_empty()));
    assert!(live.iter().any(|e| !e["citations"].as_array().expect("citations").is_empty()));
    for (live, then) in live.iter().zip(read["then"]["nodes"].as_array().expect("events")) {
        assert_eq!(then, live, "the latest revision of {} is the event as stored", live["title"]);
    }
    assert_eq!(read["then"]["nodes"].as_array().map(Vec::len), Some(live.len()));
}

async fn an_import_leaves_a_revision_for_every_event_and_one_audit_row_for_its_file(backend: Backend) {
    use chronik_api::exchange::{Format, import::import_bytes};
    let test = TestDb::on(backend).await;
    let summary =
        import_bytes(&test.db, Format::Json, chronik_api::seed::EXAMPLE.as_bytes().to_vec()).await.expect("import");
    let (events, actors, sources) = (test.count("event").await, test.count("actor").await, test.count("source").await);
    assert!(events >= 12 && actors >= 12 && sources >= 1, "{summary:?}");
    assert_history_is_complete(&test).await;
    // A link is a change of the event it starts from: those events have a second version.
    let linked = scalar(&test, "SELECT COUNT(DISTINCT from_event_id) AS n FROM event_link").await;
    assert!(linked >= 1);
    assert_eq!(test.count("event_revision").await, events + linked);
    // Actors and sources have their audit rows (their only history); events their revisions,
    // and the file one row (see tests/copy_on_write.rs).
    assert_eq!(test.count("audit_log").await, actors + sources + 1);
    assert_revisions_are_the_rows(&test).await;
}

/// Past the few thousand changes an import announces to live subscribers, its history is still
/// written for every record (batch by batch, so memory does not grow with the file).
async fn a_large_import_records_the_history_of_every_record(backend: Backend) {
    use chronik_api::exchange::{Format, import::import_bytes};
    use chronik_api::generate::{Spec, write_jsonl};
    let test = TestDb::on(backend).await;
    let mut file = Vec::new();
    write_jsonl(Spec { events: 10_600, actors: 300, sources: 60, seed: 5 }, &mut file).expect("generate");
    let summary = import_bytes(&test.db, Format::JsonLines, file).await.expect("import");
    assert_eq!(summary.events_created, 10_600);
    assert_eq!(test.count("event").await, 10_600);
    assert_history_is_complete(&test).await;
    assert_revisions_are_the_rows(&test).await;
}

on_both_backends!(
    every_mutation_refuses_anonymous_and_reader_requests,
    tokens_decide_over_http_and_revoked_ones_stop_working,
    reading_can_require_a_token,
    every_change_leaves_an_audit_row_and_a_revision,
    as_of_reproduces_the_timeline_before_an_edit,
    as_of_filters_by_what_the_records_said_then,
    deleted_events_are_restored_and_purged_by_admins,
    hostile_requests_are_refused_and_write_nothing,
    mutations_are_rate_limited_per_token,
    internal_errors_are_masked_and_carry_a_request_id,
    an_import_leaves_a_revision_for_every_event_and_one_audit_row_for_its_file,
    a_large_import_records_the_history_of_every_record,
    a_created_events_revision_is_what_the_database_holds,
    create_event_costs_a_statement_per_kind_of_row,
);
