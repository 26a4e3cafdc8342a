//! Issue 17: the timeline's level of detail through GraphQL on SQLite and PostgreSQL. A window
//! counts its events per span class (coarse ones apart), ranks the events of its scale by
//! relevance, and draws a density strip that piles neither the events running in from before
//! nor the coarse ones into its bars; each in a constant number of statements.

mod common;

use common::{Backend, TestDb, actor, data, error_code, run, source};
use serde_json::{Value, json};

const CREATE: &str = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }";

async fn create(schema: &chronik_api::graphql::AppSchema, input: Value) -> String {
    data(run(schema, CREATE, json!({ "input": input })).await)["createEvent"]["event"]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

const DAY: &str = r#"{ from: "2024-06-10", to: "2024-06-10" }"#;

fn counts(list: &Value) -> Vec<(i64, i64, bool)> {
    list.as_array()
        .expect("classes")
        .iter()
        .map(|c| (c["spanClass"].as_i64().expect("class"), c["count"].as_i64().expect("count"), c["coarse"] == true))
        .collect()
}

/// One day's window over events of every precision: which are drawn, which summarised.
async fn a_day_counts_ranks_and_draws_its_events_by_scale(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let a = actor(&schema, "A", "person").await;
    let b = actor(&schema, "B", "group").await;
    let s = source(&schema, "S").await;
    let key = create(
        &schema,
        json!({ "title": "key", "start": "2024-06-10T15:00Z", "kind": "meeting",
            "participants": [{ "actorId": a, "role": "host" }, { "actorId": b, "role": "guest" }],
            "citations": [{ "sourceId": s, "quote": "q" }] }),
    )
    .await;
    let running = create(
        &schema,
        json!({ "title": "night", "start": "2024-06-09T20:00Z", "end": "2024-06-10T02:00Z", "kind": "meeting" }),
    )
    .await;
    let day = create(&schema, json!({ "title": "day", "start": "2024-06-10", "kind": "meeting" })).await;
    let nine = create(&schema, json!({ "title": "nine", "start": "2024-06-10T09:00Z", "kind": "meeting" })).await;
    let noon = create(&schema, json!({ "title": "noon", "start": "2024-06-10T12:00Z", "kind": "meeting" })).await;
    for (title, start) in [("june", "2024-06"), ("june too", "2024-06"), ("year", "2024"), ("later", "2024-06-12")] {
        create(&schema, json!({ "title": title, "start": start, "kind": "meeting" })).await;
    }

    // Minutes are class 6, six hours 15, a day 17 (all at a day's scale, 18); a month is 22 and
    // a year 25: coarse.
    let classes = data(
        run(&schema, &format!("{{ timelineSpanClasses(filter: {DAY}) {{ scaleClass coarseCount classes {{ spanClass count coarse longestSeconds }} }} }}"), json!({}))
            .await,
    );
    let classes = &classes["timelineSpanClasses"];
    assert_eq!(classes["scaleClass"], 18);
    assert_eq!(classes["coarseCount"], 3);
    assert_eq!(
        counts(&classes["classes"]),
        vec![(6, 3, false), (15, 1, false), (17, 1, false), (22, 2, true), (25, 1, true)]
    );
    assert_eq!(classes["classes"][2]["longestSeconds"], 131_071.0);

    // At the window's scale, by relevance (the key event: two participants and a citation), then
    // by start: the event running in from the evening before first.
    let ranked = data(
        run(&schema, &format!("{{ timelineRanked(filter: {DAY}, first: 10) {{ totalCount sampled scaleClass relevance events {{ id }} }} }}"), json!({}))
            .await,
    );
    let ranked = &ranked["timelineRanked"];
    assert_eq!(ranked["totalCount"], 5);
    assert_eq!(ranked["sampled"], false);
    let ids: Vec<&str> =
        ranked["events"].as_array().expect("events").iter().map(|e| e["id"].as_str().expect("id")).collect();
    assert_eq!(ids, vec![key.as_str(), running.as_str(), day.as_str(), nine.as_str(), noon.as_str()]);
    assert_eq!(ranked["relevance"], json!([3, 0, 0, 0, 0]));
    // A page from an offset.
    let second = data(
        run(
            &schema,
            &format!("{{ timelineRanked(filter: {DAY}, first: 2, offset: 1) {{ totalCount events {{ title }} }} }}"),
            json!({}),
        )
        .await,
    );
    assert_eq!(second["timelineRanked"]["events"], json!([{ "title": "night" }, { "title": "day" }]));

    // The band's list: the coarse classes, the year first (it starts first).
    let coarse = data(
        run(
            &schema,
            &format!("{{ timelineRanked(filter: {DAY}, classes: [22, 25]) {{ totalCount events {{ title }} }} }}"),
            json!({}),
        )
        .await,
    );
    assert_eq!(coarse["timelineRanked"]["totalCount"], 3);
    assert_eq!(coarse["timelineRanked"]["events"][0]["title"], "year");
    // Filterable like the timeline: a search narrows the band's list.
    let narrowed = data(
        run(&schema, r#"{ timelineRanked(filter: { from: "2024-06-10", to: "2024-06-10", search: "june" }, classes: [22, 25]) { totalCount } }"#, json!({}))
            .await,
    );
    assert_eq!(narrowed["timelineRanked"]["totalCount"], 2);

    // Four slices of six hours: the day event (from midnight), nine, noon and three; the night
    // event runs in from before, the three coarse events overlap every slice alike.
    let density = data(
        run(&schema, &format!("{{ timelineDensity(filter: {DAY}, buckets: 4) {{ scaleClass runningIn coarse buckets {{ start count }} }} }}"), json!({}))
            .await,
    );
    let density = &density["timelineDensity"];
    let bars: Vec<i64> =
        density["buckets"].as_array().expect("buckets").iter().map(|b| b["count"].as_i64().expect("n")).collect();
    assert_eq!(bars, vec![1, 1, 2, 0]);
    assert_eq!((density["runningIn"].as_i64(), density["coarse"].as_i64()), (Some(1), Some(3)));
    assert_eq!(density["buckets"][0]["start"], "2024-06-10T00:00:00+00:00");

    // An hour holding no event of its scale (class 13) draws the finest class that has some: the
    // day; the months and the year stay in the band.
    let hour = r#"{ from: "2024-06-10T10:00Z", to: "2024-06-10T10:59:59Z" }"#;
    let widened = data(
        run(
            &schema,
            &format!(
                "{{ timelineSpanClasses(filter: {hour}) {{ scaleClass drawnClass coarseCount }}
            timelineRanked(filter: {hour}) {{ drawnClass totalCount events {{ title }} }}
            timelineDensity(filter: {hour}, buckets: 6) {{ drawnClass runningIn coarse buckets {{ count }} }} }}"
            ),
            json!({}),
        )
        .await,
    );
    assert_eq!(widened["timelineSpanClasses"], json!({ "scaleClass": 13, "drawnClass": 17, "coarseCount": 3 }));
    assert_eq!(widened["timelineRanked"], json!({ "drawnClass": 17, "totalCount": 1, "events": [{ "title": "day" }] }));
    let strip = &widened["timelineDensity"];
    assert_eq!(
        (strip["drawnClass"].as_i64(), strip["runningIn"].as_i64(), strip["coarse"].as_i64()),
        (Some(17), Some(1), Some(3))
    );

    // A window needs both ends; the classes must be span classes.
    let open =
        run(&schema, r#"{ timelineSpanClasses(filter: { from: "2024-06-10" }) { scaleClass } }"#, json!({})).await;
    assert_eq!(error_code(&open), ("VALIDATION".to_owned(), Some("filter.to".to_owned())));
    let bad =
        run(&schema, &format!("{{ timelineRanked(filter: {DAY}, classes: [44]) {{ totalCount }} }}"), json!({})).await;
    assert_eq!(error_code(&bad), ("VALIDATION".to_owned(), Some("classes".to_owned())));
    let big =
        run(&schema, &format!("{{ timelineRanked(filter: {DAY}, first: 501) {{ totalCount }} }}"), json!({})).await;
    assert_eq!(error_code(&big).1, Some("first".to_owned()));
}

fn relevance_of(event: &Value) -> i64 {
    let len = |key: &str| i64::try_from(event[key].as_array().map_or(0, Vec::len)).unwrap_or(0);
    len("citations") + len("accounts") + len("participants") + len("links") + len("backlinks")
}

/// 3,000 generated events over 26 years: the counts add up to the timeline's, the ranking is by
/// the relevance the events' own fields show, and each query takes the same statements at any
/// page size.
async fn generated_events_add_up_and_cost_constant_statements(backend: Backend) {
    let test = TestDb::on(backend).await;
    let spec = chronik_api::generate::Spec { events: 3_000, actors: 200, sources: 80, seed: 7 };
    chronik_api::generate::into_database(&test.db, spec, &|_| {}).await.expect("generate");
    let schema = test.schema();
    for window in [r#"{ from: "2000", to: "2026" }"#, r#"{ from: "2015-06", to: "2015-06" }"#] {
        let total =
            data(run(&schema, &format!("{{ events(filter: {window}) {{ totalCount }} }}"), json!({})).await)["events"]
                ["totalCount"]
                .as_i64()
                .expect("total");
        assert!(total > 0, "{window}");
        test.take_statements();
        let classes = data(
            run(&schema, &format!("{{ timelineSpanClasses(filter: {window}) {{ scaleClass coarseCount classes {{ spanClass count coarse }} }} }}"), json!({}))
                .await,
        );
        assert_eq!(test.take_statements().len(), 1, "one grouped count");
        let classes = &classes["timelineSpanClasses"];
        let list = counts(&classes["classes"]);
        assert_eq!(
            list.iter().map(|c| c.1).sum::<i64>(),
            total,
            "{window}: the classes add up to the timeline's count"
        );
        let at_scale: i64 = list.iter().filter(|c| !c.2).map(|c| c.1).sum();
        assert_eq!(classes["coarseCount"].as_i64(), Some(total - at_scale));

        let density = data(
            run(
                &schema,
                &format!(
                    "{{ timelineDensity(filter: {window}, buckets: 30) {{ runningIn coarse buckets {{ count }} }} }}"
                ),
                json!({}),
            )
            .await,
        );
        assert_eq!(test.take_statements().len(), 1, "one statement for the strip");
        let density = &density["timelineDensity"];
        let bars: i64 =
            density["buckets"].as_array().expect("bars").iter().map(|b| b["count"].as_i64().expect("n")).sum();
        assert_eq!(bars + density["runningIn"].as_i64().expect("in"), at_scale, "{window}");
        assert_eq!(density["coarse"].as_i64(), Some(total - at_scale));

        let query = "query($n: Int!, $f: EventFilter!) { timelineRanked(filter: $f, first: $n) { totalCount sampled relevance events {
            id citations { quote } accounts(first: 100) { id } participants { role actor { name } } links { kind } backlinks(first: 100) { kind }
        } } }";
        let filter = match window {
            w if w.contains("2000") => json!({ "from": "2000", "to": "2026" }),
            _ => json!({ "from": "2015-06", "to": "2015-06" }),
        };
        let mut statements = Vec::new();
        for n in [5, 60] {
            test.take_statements();
            let ranked = data(run(&schema, query, json!({ "n": n, "f": filter })).await);
            statements.push(test.take_statements().len());
            let ranked = &ranked["timelineRanked"];
            assert_eq!(ranked["totalCount"].as_i64(), Some(at_scale), "{window}");
            assert_eq!(ranked["sampled"], at_scale > 2_000, "{window}");
            let events = ranked["events"].as_array().expect("events");
            assert_eq!(events.len() as i64, at_scale.min(n), "{window}");
            let shown: Vec<i64> = events.iter().map(relevance_of).collect();
            assert_eq!(ranked["relevance"], json!(shown), "{window}: relevance is what the event's fields show");
            assert!(shown.windows(2).all(|w| w[0] >= w[1]), "{window}: most relevant first: {shown:?}");
        }
        assert_eq!(statements[0], statements[1], "{window}: statements for 5 and 60 events");
        // The count, the ranking, the events; then their relations, one statement each.
        assert!(statements[1] <= 9, "{window}: {} statements", statements[1]);
    }
}

on_both_backends!(
    a_day_counts_ranks_and_draws_its_events_by_scale,
    generated_events_add_up_and_cost_constant_statements
);
