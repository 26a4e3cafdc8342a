//! The timeline's page built in one pass (`api/src/graphql/page_value.rs`) against the resolvers:
//! for each selection in a table, the same query is run as is and with `totalCount` added under an
//! alias (a field the one-pass build does not take, so async-graphql resolves that page field by
//! field); the two answers, less that alias, must be equal whole.

mod common;

use common::{Backend, TestDb, actor, data, run, source};
use serde_json::{Value, json};

const FORCED: &str = "zzResolvedByTheResolvers";

/// `query` (with `EVENTS` for the `events` field's arguments and `SELECT` for its selection) run
/// built and resolved; both answers, the alias dropped from the second.
async fn both_ways(schema: &chronik_api::graphql::AppSchema, query: &str, variables: &Value) -> (Value, Value) {
    let built = data(run(schema, &query.replace("SELECT", ""), variables.clone()).await);
    let mut resolved =
        data(run(schema, &query.replace("SELECT", &format!("{FORCED}: totalCount")), variables.clone()).await);
    resolved["events"].as_object_mut().expect("events").remove(FORCED).expect("the forcing alias");
    (built, resolved)
}

async fn the_page_built_in_one_pass_answers_as_the_resolvers_for_every_selection(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let a = actor(&schema, "Alpha", "person").await;
    let b = actor(&schema, "Beta", "group").await;
    let dup = actor(&schema, "Beta (dup)", "group").await;
    let s = source(&schema, "S").await;
    let t = source(&schema, "T").await;
    let create = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }";
    let inputs = [
        json!({ "title": "plain", "start": "2024-01-01", "kind": "meeting", "tags": ["x"] }),
        json!({ "title": "open end, zone", "start": "2024-01-02T10:00", "end": "2024-03", "timeZone": "Europe/Berlin",
            "kind": "leak", "summary": "s",
            "participants": [{ "actorId": b, "role": "target" }, { "actorId": a, "role": "organiser", "note": "n" },
                { "actorId": dup, "role": "subject" }],
            "citations": [{ "sourceId": t, "quote": "q" }, { "sourceId": s }] }),
        json!({ "title": "open end", "start": "2024-03/..", "kind": "statement",
            "participants": [{ "actorId": a, "role": "speaker" }], "citations": [{ "sourceId": s, "quote": "r" }] }),
        json!({ "title": "unknown start", "start": "/2019", "kind": "statement" }),
        json!({ "title": "uncertain", "start": "2024-02~", "kind": "meeting", "tags": ["y"],
            "participants": [{ "actorId": dup, "role": "speaker" }] }),
        json!({ "title": "unspecified day digits", "start": "1985-XX-12", "end": "1986", "kind": "meeting" }),
    ];
    for input in inputs {
        data(run(&schema, create, json!({ "input": input })).await);
    }
    // A merged-away actor: its participations point to the actor that stays.
    data(
        run(
            &schema,
            "mutation($input: MergeActorsInput!) { mergeActors(input: $input) { __typename } }",
            json!({ "input": { "targetId": b, "sourceIds": [dup] } }),
        )
        .await,
    );

    let all = "__typename id title summary kind confidence timeZone version
        start { __typename value precision earliest latest } end { __typename value precision earliest latest }
        participants { __typename id role note actor { __typename id name kind description } }
        citations { __typename id quote supports source { __typename id title url publisher author } }";
    let selections = [
        format!("edges {{ node {{ {all} }} }}"),
        "__typename".to_owned(),
        "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }".to_owned(),
        "edges { cursor }".to_owned(),
        "edges { __typename cursor node { __typename } } pageInfo { __typename }".to_owned(),
        format!("nodes {{ {all} }}"),
        "nodes { id title } pageInfo { hasNextPage endCursor }".to_owned(),
        "edges { cursor } nodes { id }".to_owned(),
        "nodes { id } edges { node { title } }".to_owned(),
        "a: nodes { id } b: nodes { title }".to_owned(),
        "edges { node { a: title b: title c: id d: start { v: value w: value } } }".to_owned(),
        "edges { node { ...E } } fragment E on Event { title participants { ...P } } fragment P on Participation { role actor { name } }".to_owned(),
        "edges { node { ... on Event { title } ... { id } } }".to_owned(),
        "edges { node { title title } }".to_owned(),
        "edges { node { title: summary summary: title ... on Node { id } } }".to_owned(),
        "edges { node { participants { id } participants { role } } }".to_owned(),
        "edges { node { title ...T } } fragment T on Event { title }".to_owned(),
        "edges { node { title @include(if: $yes) id @skip(if: $yes) } }".to_owned(),
        "edges { node { id ...T @skip(if: $yes) } } fragment T on Event { title }".to_owned(),
        "edges { node { id ...T @include(if: $no) } } fragment T on Event { title }".to_owned(),
        "edges { node { id ... @skip(if: $yes) { title } } }".to_owned(),
        "edges { node { id ... on Event @include(if: $no) { summary } } }".to_owned(),
        "edges { node { id participants { role ... @skip(if: $yes) { note } } } }".to_owned(),
        "...C fragment C on EventConnection { edges { node { id } } }".to_owned(),
        "...C @skip(if: $yes) edges { cursor } fragment C on EventConnection { pageInfo { endCursor } }".to_owned(),
    ];
    let arguments = [
        "first: 10",
        "first: 2",
        "last: 2",
        "first: 10, orderBy: { direction: DESC }",
        "first: 10, axis: REPORTED",
        "first: 10, filter: { kinds: [\"leak\", \"statement\"] }",
        "first: 10, filter: { tags: [\"y\"] }",
        "first: 10, filter: { search: \"year\" }",
        "first: 10, filter: { from: \"2024-01-02\", to: \"2024-01-31\" }",
        "first: 10, filter: { actorIds: [$a] }",
    ];
    let variables = json!({ "yes": true, "no": false, "a": a });
    for selection in &selections {
        for arguments in arguments {
            let (fragments, selection) = match selection.find(" fragment ") {
                Some(at) => (&selection[at..], &selection[..at]),
                None => ("", selection.as_str()),
            };
            // Only the variables used are declared: an unused one is a validation error.
            let used = [("$yes", "Boolean!"), ("$no", "Boolean!"), ("$a", "ID!")]
                .into_iter()
                .filter(|(name, _)| [arguments, selection, fragments].iter().any(|text| text.contains(name)))
                .map(|(name, kind)| format!("{name}: {kind}"))
                .collect::<Vec<_>>();
            let declared = if used.is_empty() { String::new() } else { format!("({})", used.join(", ")) };
            let query = format!("query{declared} {{ events({arguments}) {{ {selection} SELECT }} }} {fragments}");
            let variables: serde_json::Map<String, Value> = variables
                .as_object()
                .expect("variables")
                .iter()
                .filter(|(name, _)| query.contains(&format!("${name}")))
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect();
            let variables = Value::Object(variables);
            let (built, resolved) = both_ways(&schema, &query, &variables).await;
            assert_eq!(built, resolved, "{arguments} | {selection}");
        }
    }

    // `events` twice under one key: async-graphql resolves each and merges the two answers.
    let query = "{ events(first: 3) { edges { cursor } SELECT } events(first: 3) { edges { node { id title } } } }";
    let (built, resolved) = both_ways(&schema, query, &json!({})).await;
    assert_eq!(built, resolved);

    // A bad cursor and asOf (which the build never takes): the same answers, errors included.
    for arguments in ["first: 2, after: \"not a cursor\"", "first: 2, asOf: \"2100-01-01T00:00:00Z\""] {
        let query = format!("{{ events({arguments}) {{ edges {{ node {{ id title }} }} SELECT }} }}");
        let answer = |response: async_graphql::Response| {
            let mut value = serde_json::to_value(&response).expect("json");
            if let Some(events) = value["data"]["events"].as_object_mut() {
                events.remove(FORCED);
            }
            value
        };
        let built = answer(run(&schema, &query.replace("SELECT", ""), json!({})).await);
        let resolved =
            answer(run(&schema, &query.replace("SELECT", &format!("{FORCED}: totalCount")), json!({})).await);
        assert_eq!(built, resolved, "{arguments}");
    }

    // Paging backwards from a cursor the built page gave.
    let first = data(run(&schema, "{ events(first: 3) { pageInfo { endCursor } } }", json!({})).await);
    let cursor = first["events"]["pageInfo"]["endCursor"].clone();
    let query =
        format!("query($c: String) {{ events(last: 2, before: $c) {{ edges {{ cursor node {{ {all} }} }} SELECT }} }}");
    let (built, resolved) = both_ways(&schema, &query, &json!({ "c": cursor })).await;
    assert_eq!(built, resolved);
}

/// A participation whose role cannot be read as text (a number: SQLite hands it over as text,
/// PostgreSQL refuses it): the same answer both ways, data and errors whole.
async fn an_unreadable_relation_answers_as_the_resolvers_do(backend: Backend) {
    use sea_orm::ConnectionTrait;
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let a = actor(&schema, "Alpha", "person").await;
    let create = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }";
    let input = json!({ "title": "e", "start": "2024-01-01", "kind": "meeting",
        "participants": [{ "actorId": a, "role": "organiser" }] });
    data(run(&schema, create, json!({ "input": input })).await);
    let sql = match backend {
        Backend::Sqlite => "UPDATE participation SET role = 5",
        Backend::Postgres => "ALTER TABLE participation ALTER COLUMN role TYPE integer USING 5",
    };
    test.db.writer().expect("the writer").execute_unprepared(sql).await.expect(sql);
    let query = "{ events(first: 10) { edges { node { id participants { role } } } SELECT } }";
    let answer = |response: async_graphql::Response| serde_json::to_value(&response).expect("json");
    let built = answer(run(&schema, &query.replace("SELECT", ""), json!({})).await);
    let mut resolved =
        answer(run(&schema, &query.replace("SELECT", &format!("{FORCED}: totalCount")), json!({})).await);
    resolved["data"]["events"].as_object_mut().expect("events").remove(FORCED).expect("the forcing alias");
    assert_eq!(built, resolved);
}

on_both_backends!(
    the_page_built_in_one_pass_answers_as_the_resolvers_for_every_selection,
    an_unreadable_relation_answers_as_the_resolvers_do
);
