//! The GraphQL API through the real schema over a real SQLite file: the core's promises.

mod common;

use common::Backend;

use common::{TestDb, actor, data, error_code, event, run, source};
use serde_json::json;

const CREATE: &str = "mutation($input: CreateEventInput!) {
  createEvent(input: $input) { event { id version } }
}";

async fn an_event_created_with_participants_and_a_citation_reads_back_whole_through_node(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let gerhartz = actor(&schema, "Ingo Gerhartz", "person").await;
    let rt = actor(&schema, "RT", "media_outlet").await;
    let article = source(&schema, "Russian Tape of Secret German Meeting").await;

    let created = data(
        run(
            &schema,
            CREATE,
            json!({ "input": {
                "title": "Secret video call on Taurus",
                "start": "2024-02",
                "kind": "meeting",
                "summary": "Air force officers discuss Taurus deliveries.",
                "timeZone": "Europe/Berlin",
                "place": { "name": "WebEx", "latitude": null, "longitude": null },
                "confidence": "confirmed",
                "tags": ["taurus", "webex"],
                "participants": [
                    { "actorId": gerhartz, "role": "organiser", "note": "air force chief" },
                    { "actorId": rt, "role": "leaker" }
                ],
                "citations": [{ "sourceId": article, "quote": "a secret meeting last month", "supports": "date" }]
            }}),
        )
        .await,
    );
    let id = created["createEvent"]["event"]["id"].as_str().expect("id").to_owned();
    assert_eq!(created["createEvent"]["event"]["version"], 1);

    let read = data(
        run(
            &schema,
            "query($id: ID!) { node(id: $id) { id ... on Event {
                title summary kind confidence tags timeZone version
                start { value precision earliest latest approximate uncertain }
                end { value }
                place { name }
                participants { role note actor { id name kind } }
                citations { quote supports source { id title publisher } }
            } } }",
            json!({ "id": id }),
        )
        .await,
    );
    let node = &read["node"];
    assert_eq!(node["id"], id.as_str());
    assert_eq!(node["title"], "Secret video call on Taurus");
    assert_eq!(node["kind"], "meeting");
    assert_eq!(node["confidence"], "confirmed");
    assert_eq!(node["tags"], json!(["taurus", "webex"]));
    assert_eq!(node["place"]["name"], "WebEx");
    assert_eq!(node["end"], serde_json::Value::Null);
    // A month, read in Berlin time: it starts at 23:00 UTC on 31 January.
    assert_eq!(
        node["start"],
        json!({ "value": "2024-02", "precision": "MONTH", "earliest": "2024-01-31T23:00:00+00:00",
                "latest": "2024-02-29T22:59:59+00:00", "approximate": false, "uncertain": false })
    );
    let participants = node["participants"].as_array().expect("participants");
    assert_eq!(participants.len(), 2);
    let organiser = participants.iter().find(|p| p["role"] == "organiser").expect("organiser");
    assert_eq!(organiser["actor"], json!({ "id": gerhartz, "name": "Ingo Gerhartz", "kind": "person" }));
    assert_eq!(organiser["note"], "air force chief");
    let leaker = participants.iter().find(|p| p["role"] == "leaker").expect("leaker");
    assert_eq!(leaker["actor"]["id"], rt.as_str());
    assert_eq!(
        node["citations"],
        json!([{ "quote": "a secret meeting last month", "supports": "date",
                 "source": { "id": article, "title": "Russian Tape of Secret German Meeting", "publisher": "Test Gazette" } }])
    );
}

async fn what_the_user_typed_comes_back_unchanged(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    for typed in ["2024", "2024-02~", "2024-02?", "2024-02%", "2024-W08", "2024-03-01T22:00+01:00", "202X"] {
        let id = event(&schema, "typed", typed).await;
        let read =
            data(run(&schema, "query($id: ID!) { event(id: $id) { start { value } } }", json!({ "id": id })).await);
        assert_eq!(read["event"]["start"]["value"], typed);
    }
}

async fn a_date_filter_returns_overlapping_events_in_order_month_precision_included(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let month = event(&schema, "sometime in February", "2024-02").await;
    let day = event(&schema, "on the 15th", "2024-02-15").await;
    let minute = event(&schema, "at 10:00 on the 12th", "2024-02-12T10:00Z").await;
    let week = event(&schema, "week 7", "2024-W07").await;
    let early = event(&schema, "before", "2024-02-09").await;
    let late = event(&schema, "after", "2024-02-21").await;
    let year = event(&schema, "in 2024", "2024").await;
    let other_year = event(&schema, "in 2023", "2023").await;

    let listed = data(
        run(
            &schema,
            r#"{ events(filter: { from: "2024-02-10", to: "2024-02-20" }) { totalCount edges { node { id start { value } } } } }"#,
            json!({}),
        )
        .await,
    );
    let ids: Vec<&str> = listed["events"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["id"].as_str().expect("id"))
        .collect();
    // By earliest instant: 2024 (1 January), February (1 February), then the 12th, where week 7
    // (coarser) comes before the minute, then the 15th.
    assert_eq!(ids, vec![year.as_str(), month.as_str(), week.as_str(), minute.as_str(), day.as_str()]);
    assert_eq!(listed["events"]["totalCount"], 5);
    for outside in [&early, &late, &other_year] {
        assert!(!ids.contains(&outside.as_str()));
    }

    let descending = data(
        run(&schema, r#"{ events(orderBy: { direction: DESC }, first: 3) { edges { node { id } } } }"#, json!({}))
            .await,
    );
    let newest: Vec<&str> = descending["events"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["id"].as_str().expect("id"))
        .collect();
    assert_eq!(newest, vec![late.as_str(), day.as_str(), minute.as_str()]);
}

async fn pages_follow_cursors_forwards_and_backwards_without_gaps(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let mut created = Vec::new();
    for day in 1..=9 {
        created.push(event(&schema, &format!("day {day}"), &format!("2024-05-0{day}")).await);
    }
    let query = "query($after: String) { events(first: 4, after: $after) {
        edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }";
    let mut seen = Vec::new();
    let mut after = serde_json::Value::Null;
    loop {
        let page = data(run(&schema, query, json!({ "after": after })).await);
        for edge in page["events"]["edges"].as_array().expect("edges") {
            seen.push(edge["node"]["id"].as_str().expect("id").to_owned());
        }
        if page["events"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["events"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, created);

    let backwards = data(
        run(
            &schema,
            "query($before: String) { events(last: 3, before: $before) { edges { node { id } } pageInfo { hasPreviousPage } } }",
            json!({ "before": null }),
        )
        .await,
    );
    let last_three: Vec<&str> = backwards["events"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["id"].as_str().expect("id"))
        .collect();
    assert_eq!(last_three, created[6..].iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(backwards["events"]["pageInfo"]["hasPreviousPage"], true);
}

async fn page_sizes_above_the_cap_are_refused_naming_the_argument(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let response = run(&schema, "{ events(first: 501) { edges { cursor } } }", json!({})).await;
    assert_eq!(error_code(&response), ("VALIDATION".to_owned(), Some("first".to_owned())));
    let response = run(&schema, "{ actors(last: 1000) { edges { cursor } } }", json!({})).await;
    assert_eq!(error_code(&response), ("VALIDATION".to_owned(), Some("last".to_owned())));
    let ok = run(&schema, "{ events(first: 500) { edges { cursor } } }", json!({})).await;
    assert!(ok.errors.is_empty());
}

async fn invalid_input_is_refused_naming_the_field_and_writes_nothing(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let gerhartz = actor(&schema, "Ingo Gerhartz", "person").await;
    let article = source(&schema, "The article").await;
    let unknown_actor = {
        // A well-formed actor ID that names no actor: create one and merge it away.
        let ghost = actor(&schema, "Ghost", "person").await;
        let merged = run(
            &schema,
            "mutation($t: ID!, $s: [ID!]!) { mergeActors(input: { targetId: $t, sourceIds: $s }) { actor { id } } }",
            json!({ "t": gerhartz, "s": [ghost] }),
        )
        .await;
        assert!(merged.errors.is_empty(), "{:?}", merged.errors);
        ghost
    };
    let tables = ["event", "participation", "citation", "event_tag", "search_document"];
    let mut before = Vec::new();
    for table in tables {
        before.push(test.count(table).await);
    }

    let cases = [
        (json!({ "title": "x", "start": "last month" }), "start"),
        (json!({ "title": "x", "start": "2024-13" }), "start"),
        (json!({ "title": "x", "start": "2024-03", "end": "2024-02" }), "end"),
        (json!({ "title": "   ", "start": "2024" }), "title"),
        (json!({ "title": "x", "start": "2024", "confidence": "rumoured" }), "confidence"),
        (json!({ "title": "x", "start": "2024", "timeZone": "Mars/Olympus" }), "timeZone"),
        (json!({ "title": "x", "start": "2024", "kind": "no kind!" }), "kind"),
        (json!({ "title": "x", "start": "2024", "place": { "latitude": 95.0, "longitude": 1.0 } }), "place.latitude"),
        (
            json!({ "title": "x", "start": "2024", "participants": [
                { "actorId": gerhartz, "role": "organiser" }, { "actorId": unknown_actor, "role": "participant" } ] }),
            "participants[1].actorId",
        ),
        (
            json!({ "title": "x", "start": "2024", "participants": [{ "actorId": "bogus", "role": "x" }] }),
            "participants[0].actorId",
        ),
        (
            json!({ "title": "x", "start": "2024", "tags": ["fine"], "citations": [{ "sourceId": article, "supports": "participation" }] }),
            "citations[0].actorId",
        ),
        (json!({ "title": "x", "start": "2024", "citations": [{ "sourceId": gerhartz }] }), "citations[0].sourceId"),
    ];
    for (input, field) in cases {
        let response = run(&schema, CREATE, json!({ "input": input })).await;
        assert_eq!(error_code(&response), ("VALIDATION".to_owned(), Some(field.to_owned())), "input {input}");
        let message = &response.errors[0].message;
        assert!(message.starts_with(field), "the message names the field: {message}");
    }
    for (table, count) in tables.iter().zip(before) {
        assert_eq!(test.count(table).await, count, "{table} was written to");
    }
}

async fn a_stale_version_is_a_conflict_and_overwrites_nothing(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let id = event(&schema, "Original title", "2024-02").await;
    let update = "mutation($input: UpdateEventInput!) { updateEvent(input: $input) { event { title version start { value } } } }";

    let first = data(run(&schema, update, json!({ "input": { "id": id, "version": 1, "title": "First edit" } })).await);
    assert_eq!(first["updateEvent"]["event"]["version"], 2);

    // A second editor still holding version 1.
    let stale =
        run(&schema, update, json!({ "input": { "id": id, "version": 1, "title": "Lost edit", "start": "2023" } }))
            .await;
    assert_eq!(error_code(&stale).0, "CONFLICT");

    let read = data(
        run(&schema, "query($id: ID!) { event(id: $id) { title version start { value } } }", json!({ "id": id })).await,
    );
    assert_eq!(read["event"], json!({ "title": "First edit", "version": 2, "start": { "value": "2024-02" } }));
}

async fn updates_change_only_what_is_given_and_null_clears(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let response = data(
        run(
            &schema,
            CREATE,
            json!({ "input": { "title": "t", "start": "2024-02", "end": "2024-03", "summary": "s", "tags": ["a"] } }),
        )
        .await,
    );
    let id = response["createEvent"]["event"]["id"].as_str().expect("id").to_owned();
    let updated = data(
        run(
            &schema,
            "mutation($input: UpdateEventInput!) { updateEvent(input: $input) { event { title summary end { value } tags } } }",
            json!({ "input": { "id": id, "version": 1, "end": null, "tags": ["b", "c"] } }),
        )
        .await,
    );
    assert_eq!(
        updated["updateEvent"]["event"],
        json!({ "title": "t", "summary": "s", "end": null, "tags": ["b", "c"] })
    );
}

async fn deleted_events_leave_listings_and_node(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let id = event(&schema, "to delete", "2024").await;
    let deleted = data(
        run(&schema, "mutation($id: ID!) { deleteEvent(input: { id: $id }) { deletedId } }", json!({ "id": id })).await,
    );
    assert_eq!(deleted["deleteEvent"]["deletedId"], id.as_str());
    let read =
        data(run(&schema, "query($id: ID!) { node(id: $id) { id } events { totalCount } }", json!({ "id": id })).await);
    assert_eq!(read, json!({ "node": null, "events": { "totalCount": 0 } }));
    let again =
        run(&schema, "mutation($id: ID!) { deleteEvent(input: { id: $id }) { deletedId } }", json!({ "id": id })).await;
    assert_eq!(error_code(&again).0, "NOT_FOUND");
}

async fn search_is_full_text_over_titles_summaries_quotes_and_actor_names(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let schema = test.schema();
    let titles = |query: &'static str| {
        let schema = schema.clone();
        async move {
            let result = data(
                run(
                    &schema,
                    "query($q: String) { events(filter: { search: $q }) { edges { node { title } } } }",
                    json!({ "q": query }),
                )
                .await,
            );
            result["events"]["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| e["node"]["title"].as_str().expect("title").to_owned())
                .collect::<Vec<_>>()
        }
    };
    // An actor's name finds the events they take part in.
    let medvedev = titles("Medvedev").await;
    assert!(!medvedev.is_empty());
    assert!(medvedev.iter().all(|t| !t.is_empty()));
    // A word only in a quote ("archenemies") finds its event; a prefix works too.
    assert_eq!(titles("archenem").await.len(), 1);
    // Every word must match.
    assert!(titles("Medvedev Vatican").await.is_empty());
    // FTS query syntax in the input is not interpreted: it neither fails nor widens the search.
    assert_eq!(titles("Medvedev\" (*").await, medvedev);
    assert!(titles("zzzznotaword").await.is_empty());
}

async fn a_page_of_events_with_relations_costs_the_same_statements_at_any_size(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let actors = [actor(&schema, "A", "person").await, actor(&schema, "B", "group").await];
    let article = source(&schema, "S").await;
    for n in 0..100 {
        data(
            run(
                &schema,
                CREATE,
                json!({ "input": { "title": format!("e{n}"), "start": format!("2024-01-{:02}", n % 28 + 1),
                    "participants": [{ "actorId": actors[0], "role": "organiser" }, { "actorId": actors[1], "role": "target" }],
                    "citations": [{ "sourceId": article, "quote": format!("q{n}") }],
                    "accounts": [{ "aspect": "WHEN", "date": "2024-01", "citation": { "sourceId": article, "quote": format!("a{n}") } }] } }),
            )
            .await,
        );
    }
    let query = "query($n: Int) { events(first: $n) { edges { node {
        title tags start { value }
        participants { role actor { name aliases participations(first: 10) { role } } }
        citations { quote source { title } }
        accounts(aspect: WHEN) { status date { value } actor { name } citation { quote source { title } } }
        links { kind target { title } }
        parent { title }
        notes { body } starred starCount
    } } } }";
    let mut counts = Vec::new();
    for size in [5, 100] {
        test.take_statements();
        let result = data(run(&schema, query, json!({ "n": size })).await);
        let edges = result["events"]["edges"].as_array().expect("edges");
        assert_eq!(edges.len(), size);
        assert_eq!(edges[size - 1]["node"]["participants"].as_array().map(Vec::len), Some(2));
        assert_eq!(edges[size - 1]["node"]["citations"][0]["source"]["title"], "S");
        assert_eq!(edges[size - 1]["node"]["accounts"][0]["citation"]["source"]["title"], "S");
        counts.push(test.take_statements().len());
        println!("{size} events: {} statements", counts[counts.len() - 1]);
    }
    assert_eq!(counts[0], counts[1], "statements for 5 and for 100 events: {counts:?}");
    // The page, its tags, participations with their actors (one join), those actors'
    // participations, citations with their sources (one join), accounts, their sources, links,
    // parents, notes, stars.
    assert!(counts[1] <= 11, "a page with its relations should take a handful of statements, took {}", counts[1]);
}

async fn links_are_typed_and_directed(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let meeting = event(&schema, "meeting", "2024-02").await;
    let leak = event(&schema, "leak", "2024-03-01").await;
    let link = "mutation($s: ID!, $t: ID!) { linkEvents(input: { sourceId: $s, targetId: $t, kind: \"reveals\" }) { link { kind source { title } target { title } } } }";
    let created = data(run(&schema, link, json!({ "s": leak, "t": meeting })).await);
    assert_eq!(
        created["linkEvents"]["link"],
        json!({ "kind": "reveals", "source": { "title": "leak" }, "target": { "title": "meeting" } })
    );
    let twice = run(&schema, link, json!({ "s": leak, "t": meeting })).await;
    assert_eq!(error_code(&twice).0, "CONFLICT");
    let read = data(
        run(
            &schema,
            "query($id: ID!) { event(id: $id) { links { kind } backlinks { kind source { title } } } }",
            json!({ "id": meeting }),
        )
        .await,
    );
    assert_eq!(
        read["event"],
        json!({ "links": [], "backlinks": [{ "kind": "reveals", "source": { "title": "leak" } }] })
    );
}

async fn merging_actors_re_points_participations(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let keep = actor(&schema, "Olaf Scholz", "person").await;
    let duplicate = actor(&schema, "Chancellor Scholz", "person").await;
    let response = data(
        run(
            &schema,
            CREATE,
            json!({ "input": { "title": "statement", "start": "2024-03-02", "participants": [{ "actorId": duplicate, "role": "speaker" }] } }),
        )
        .await,
    );
    let id = response["createEvent"]["event"]["id"].as_str().expect("id").to_owned();
    let merged = data(
        run(
            &schema,
            "mutation($t: ID!, $s: [ID!]!) { mergeActors(input: { targetId: $t, sourceIds: $s }) { actor { name aliases } } }",
            json!({ "t": keep, "s": [duplicate] }),
        )
        .await,
    );
    assert_eq!(merged["mergeActors"]["actor"], json!({ "name": "Olaf Scholz", "aliases": ["Chancellor Scholz"] }));
    let read = data(
        run(&schema, "query($id: ID!) { event(id: $id) { participants { actor { id } } } }", json!({ "id": id })).await,
    );
    assert_eq!(read["event"]["participants"], json!([{ "actor": { "id": keep } }]));
    let gone = data(run(&schema, "query($id: ID!) { node(id: $id) { id } }", json!({ "id": duplicate })).await);
    assert_eq!(gone["node"], serde_json::Value::Null);
}

async fn the_histogram_counts_events_per_slice(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    for start in ["2024-01-01", "2024-01-02", "2024-01-03T12:00Z", "2024-01-04"] {
        event(&schema, "e", start).await;
    }
    let result = data(
        run(&schema, r#"{ timelineHistogram(filter: { from: "2024-01-01", to: "2024-01-04" }, buckets: 4) { start end count } }"#, json!({}))
            .await,
    );
    let counts: Vec<i64> = result["timelineHistogram"]
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| b["count"].as_i64().expect("count"))
        .collect();
    assert_eq!(counts, vec![1, 1, 1, 1]);
    assert_eq!(result["timelineHistogram"][0]["start"], "2024-01-01T00:00:00+00:00");
    assert_eq!(result["timelineHistogram"][3]["end"], "2024-01-04T23:59:59+00:00");
    let whole = data(run(&schema, "{ timelineHistogram(buckets: 2) { count } }", json!({})).await);
    let total: i64 =
        whole["timelineHistogram"].as_array().expect("buckets").iter().map(|b| b["count"].as_i64().expect("n")).sum();
    assert_eq!(total, 4);
    let bad = run(&schema, "{ timelineHistogram(buckets: 0) { count } }", json!({})).await;
    assert_eq!(error_code(&bad), ("VALIDATION".to_owned(), Some("buckets".to_owned())));
}

/// The timeline's page as the page asks for it is built from its selection set in one pass
/// (`graphql/page_value.rs`); a query selecting anything more is resolved field by field. Both
/// must answer the same: here the same queries with and without `tags`, which only the second
/// way resolves, compared whole (aliases, fragments, `__typename`, nulls, cursors, page info).
async fn the_page_built_from_its_selection_answers_as_resolved_field_by_field(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let described = data(
        run(
            &schema,
            "mutation($input: CreateActorInput!) { createActor(input: $input) { actor { id } } }",
            json!({ "input": { "name": "B", "kind": "group", "description": "a group" } }),
        )
        .await,
    );
    let published = data(
        run(
            &schema,
            "mutation($input: CreateSourceInput!) { createSource(input: $input) { source { id } } }",
            json!({ "input": { "title": "T", "url": "https://example.org/t", "publisher": "P", "author": "W" } }),
        )
        .await,
    );
    let people =
        [actor(&schema, "A", "person").await, described["createActor"]["actor"]["id"].as_str().expect("id").to_owned()];
    let sources =
        [source(&schema, "S").await, published["createSource"]["source"]["id"].as_str().expect("id").to_owned()];
    for n in 0..12 {
        let mut input = json!({ "title": format!("e{n}"), "start": format!("2024-01-{:02}", n % 9 + 1),
            "kind": "meeting", "tags": [format!("t{n}")],
            "participants": [{ "actorId": people[n % 2], "role": "organiser", "note": if n % 3 == 0 { json!("a note") } else { json!(null) } }],
            "citations": [{ "sourceId": sources[n % 2], "quote": if n % 4 == 0 { json!(null) } else { json!(format!("q{n}")) } }] });
        if n % 2 == 0 {
            input["end"] = json!("2024-03");
            input["summary"] = json!("a summary");
            input["timeZone"] = json!("Europe/Berlin");
            input["participants"]
                .as_array_mut()
                .expect("list")
                .push(json!({ "actorId": people[1 - n % 2], "role": "target" }));
        }
        if n == 5 {
            input["participants"] = json!([]);
            input["citations"] = json!([]);
        }
        data(run(&schema, CREATE, json!({ "input": input })).await);
    }
    let fields = "__typename id t: title summary kind confidence timeZone version
        start { value precision earliest latest } end { __typename value precision }
        participants { __typename id role note actor { id name kind description __typename } }
        citations { id quote supports source { __typename id title url publisher author } }";
    // A window's page reads only the columns shown: the summary and the end only when selected.
    let narrow = "id title start { value precision }";
    let page = |fields: &str, extra: &str, arguments: &str| {
        format!(
            "query($after: String) {{ events({arguments}) {{ __typename
            pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor __typename }}
            edges {{ __typename cursor node {{ ...E }} }} }} }}
            fragment E on Event {{ {fields} {extra} }}"
        )
    };
    let without_tags = |mut answer: serde_json::Value| {
        for edge in answer["events"]["edges"].as_array_mut().expect("edges") {
            edge["node"].as_object_mut().expect("node").remove("tags").expect("tags were asked for");
        }
        answer
    };
    let mut after = json!(null);
    for (fields, arguments) in [
        (fields, "first: 5, after: $after, filter: { from: \"2024-01-03\", to: \"2024-01-06\" }"),
        (narrow, "first: 5, after: $after, filter: { from: \"2024-01-03\", to: \"2024-01-06\" }"),
        (fields, "last: 3, before: $after, filter: { from: \"2024-01-02\", to: \"2024-03-31\" }"),
        (fields, "first: 5, after: $after"),
        (fields, "last: 4, before: $after"),
    ] {
        for _ in 0..2 {
            let built = data(run(&schema, &page(fields, "", arguments), json!({ "after": after })).await);
            let resolved = data(run(&schema, &page(fields, "tags", arguments), json!({ "after": after })).await);
            assert!(!built["events"]["edges"].as_array().expect("edges").is_empty(), "{arguments}");
            assert_eq!(built, without_tags(resolved), "{fields} {arguments}");
            after = built["events"]["pageInfo"]["endCursor"].clone();
        }
        after = json!(null);
    }
    // What is not asked for is not read: the page alone, then with its relations (both read in
    // one statement), under `edges { node }` or Relay's `nodes`.
    let window = "first: 10, filter: { from: \"2024-01-03\", to: \"2024-01-06\" }";
    for arguments in ["first: 10", window] {
        for (selection, statements) in [("title", 1), ("title participants { role }", 2), (fields, 2)] {
            for shape in ["edges { node { S } }", "nodes { S }"] {
                test.take_statements();
                let query = format!("{{ events({arguments}) {{ {} }} }}", shape.replace('S', selection));
                data(run(&schema, &query, json!({})).await);
                assert_eq!(test.take_statements().len(), statements, "{arguments}: {shape}: {selection}");
            }
        }
    }
}

on_both_backends!(
    an_event_created_with_participants_and_a_citation_reads_back_whole_through_node,
    what_the_user_typed_comes_back_unchanged,
    a_date_filter_returns_overlapping_events_in_order_month_precision_included,
    pages_follow_cursors_forwards_and_backwards_without_gaps,
    page_sizes_above_the_cap_are_refused_naming_the_argument,
    invalid_input_is_refused_naming_the_field_and_writes_nothing,
    a_stale_version_is_a_conflict_and_overwrites_nothing,
    updates_change_only_what_is_given_and_null_clears,
    deleted_events_leave_listings_and_node,
    search_is_full_text_over_titles_summaries_quotes_and_actor_names,
    a_page_of_events_with_relations_costs_the_same_statements_at_any_size,
    the_page_built_from_its_selection_answers_as_resolved_field_by_field,
    links_are_typed_and_directed,
    merging_actors_re_points_participations,
    the_histogram_counts_events_per_slice,
);
