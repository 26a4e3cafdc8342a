//! `extractFromText` through GraphQL on SQLite and PostgreSQL, with the example affair stored:
//! the seed article (published Saturday 2 March 2024) gives "last month" as February 2024 at
//! month precision, "late Friday" as 1 March and "on Saturday" as 2 March; the affair's actors
//! are matched to their IDs by name and alias; the trailer's candidates are marked and low; a
//! reader may ask; bad input is refused naming its field; and nothing is ever written.

mod common;

use chronik_api::auth::Role;
use chronik_api::graphql::AppSchema;
use common::{Backend, TestDb, data, error_code, run, run_as};
use serde_json::{Value, json};

const ARTICLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds/taurus-leak-article.txt");

const QUERY: &str = "query($input: ExtractFromTextInput!) { extractFromText(input: $input) {
    published dateCount eventCount source { id title }
    dates(first: 500) { start end text value precision reference trailer date { value precision earliest latest description } }
    events(first: 500) { title kind date precision dateInherited quote quoteStart quoteEnd confidence trailer
      when { precision earliest latest description }
      actors { name start end actor { id name } } } } }";

/// The tables an extraction must leave alone.
const TABLES: [&str; 7] = ["event", "actor", "source", "citation", "participation", "audit_log", "search_document"];

async fn counts(test: &TestDb) -> Vec<i64> {
    let mut out = Vec::new();
    for table in TABLES {
        out.push(test.count(table).await);
    }
    out
}

/// The ID of the first node a connection query returns.
async fn first_id(schema: &AppSchema, query: &str) -> String {
    let response = data(run(schema, query, Value::Null).await);
    let connection = response.as_object().and_then(|o| o.values().next()).expect("one field").clone();
    connection["nodes"][0]["id"].as_str().expect("an id").to_owned()
}

/// The date found at `phrase` after `context` (offsets in code points).
fn date_after<'a>(text: &str, dates: &'a [Value], context: &str, phrase: &str) -> &'a Value {
    let at = text[..text.find(context).expect("context in the article")].chars().count() as u64;
    dates
        .iter()
        .find(|d| d["start"].as_u64().is_some_and(|s| s >= at) && d["text"] == json!(phrase))
        .unwrap_or_else(|| panic!("{phrase:?} after {context:?}"))
}

async fn the_seed_article_is_read_against_its_date(backend: Backend) {
    let Ok(text) = std::fs::read_to_string(ARTICLE) else {
        println!("skipped: the article is not at {ARTICLE} (a clone without ../shared)");
        return;
    };
    let test = TestDb::with_example_on(backend).await;
    let schema = test.schema();
    let scholz = first_id(&schema, "{ actors(first: 1, search: \"Olaf Scholz\") { nodes { id } } }").await;
    let gerhartz = first_id(&schema, "{ actors(first: 1, search: \"Ingo Gerhartz\") { nodes { id } } }").await;
    let before = counts(&test).await;

    let response = run(
        &schema,
        QUERY,
        json!({ "input": { "text": text, "published": "2024-03-02", "timeZone": "Europe/Berlin" } }),
    )
    .await;
    let out = data(response)["extractFromText"].clone();
    assert_eq!(out["published"], json!("2024-03-02"));
    let dates = out["dates"].as_array().expect("dates");
    let events = out["events"].as_array().expect("events");
    assert_eq!(out["dateCount"].as_u64(), Some(dates.len() as u64));
    assert_eq!(out["eventCount"].as_u64(), Some(events.len() as u64));

    // Offsets count code points: each date's text stands where it says.
    let chars: Vec<char> = text.chars().collect();
    for date in dates {
        let (start, end) =
            (date["start"].as_u64().expect("start") as usize, date["end"].as_u64().expect("end") as usize);
        assert_eq!(chars[start..end].iter().collect::<String>(), date["text"].as_str().expect("text"));
    }

    let last_month = date_after(&text, dates, "gathered his top officers", "last month");
    assert_eq!((&last_month["value"], &last_month["precision"]), (&json!("2024-02"), &json!("MONTH")));
    // Read as an event's date would be, in Berlin: the whole month, described in words.
    assert_eq!(last_month["date"]["precision"], json!("MONTH"));
    assert_eq!(last_month["date"]["earliest"], json!("2024-01-31T23:00:00+00:00"));
    assert_eq!(last_month["date"]["latest"], json!("2024-02-29T22:59:59+00:00"));
    assert!(last_month["date"]["description"].as_str().is_some_and(|d| d.starts_with("February 2024")));
    let friday = date_after(&text, dates, "was posted online", "late Friday");
    assert_eq!((&friday["value"], &friday["precision"]), (&json!("2024-03-01"), &json!("DAY")));
    let saturday = date_after(&text, dates, "during a visit to the Vatican", "Saturday");
    assert_eq!((&saturday["value"], &saturday["precision"]), (&json!("2024-03-02"), &json!("DAY")));
    let week = date_after(&text, dates, "This should be a wake-up call", "Last week");
    assert_eq!((&week["value"], &week["precision"]), (&json!("2024-W08"), &json!("WEEK")));
    let recently = dates.iter().find(|d| d["text"] == json!("recently")).expect("recently");
    assert_eq!((&recently["value"], &recently["reference"]), (&Value::Null, &json!("PAST")));

    // Candidates carry their dates and the known actors by ID.
    let candidate = |words: &str| {
        events
            .iter()
            .find(|e| e["quote"].as_str().is_some_and(|q| q.contains(words)))
            .unwrap_or_else(|| panic!("{words}"))
    };
    let posted = candidate("was posted online late Friday");
    assert_eq!((&posted["date"], &posted["precision"]), (&json!("2024-03-01"), &json!("DAY")));
    assert_eq!(posted["when"]["precision"], json!("DAY"));
    let vatican = candidate("visit to the Vatican on Saturday");
    assert_eq!(vatican["date"], json!("2024-03-02"));
    let named = |event: &Value, id: &str| {
        event["actors"].as_array().expect("actors").iter().any(|a| a["actor"]["id"] == json!(id))
    };
    assert!(named(vatican, &scholz), "Scholz by his surname: {}", vatican["actors"]);
    let refusal = candidate("Last week, Scholz said");
    assert_eq!((&refusal["date"], &refusal["precision"]), (&json!("2024-W08"), &json!("WEEK")));
    assert!(named(refusal, &scholz));
    // "Gen. Gerhartz" is an alias of Ingo Gerhartz.
    let gerhartz_named = events.iter().filter(|e| named(e, &gerhartz)).count();
    assert!(gerhartz_named >= 3, "Gerhartz named in {gerhartz_named} candidates");
    // A known actor is given by its own name; a quote is the sentence, where the offsets say.
    for event in events {
        for mention in event["actors"].as_array().expect("actors") {
            if !mention["actor"].is_null() {
                assert_eq!(mention["name"], mention["actor"]["name"]);
            }
        }
        let (start, end) =
            (event["quoteStart"].as_u64().expect("start") as usize, event["quoteEnd"].as_u64().expect("end") as usize);
        assert_eq!(chars[start..end].iter().collect::<String>(), event["quote"].as_str().expect("quote"));
    }

    // The scraped page's trailer (after the author's footer): its candidates marked, and low.
    let footer = text[..text.find("Write to Bojan Pancevski").expect("the footer")].chars().count() as u64;
    let (trailer, article): (Vec<&Value>, Vec<&Value>) = events.iter().partition(|e| e["trailer"] == json!(true));
    assert!(article.iter().all(|e| e["quoteEnd"].as_u64().is_some_and(|end| end <= footer)));
    assert!(!trailer.is_empty(), "the trailer's sentences are candidates, marked");
    assert!(
        trailer.iter().all(|e| e["quoteStart"].as_u64().is_some_and(|s| s >= footer)
            && e["confidence"].as_f64().is_some_and(|c| c <= 0.1)),
        "{trailer:?}"
    );
    assert!(article.len() >= 5, "{} candidates from the article", article.len());

    // A reader, and anyone where reading is public, may ask: it stores nothing.
    let small = json!({ "input": { "text": "The tape was posted online late Friday.", "published": "2024-03-02" } });
    for role in [Some(Role::Reader), None] {
        let response = run_as(&schema, role, QUERY, small.clone()).await;
        assert_eq!(data(response)["extractFromText"]["dates"][0]["value"], json!("2024-03-01"), "{role:?}");
    }
    assert_eq!(counts(&test).await, before, "nothing written ({TABLES:?})");
}

async fn the_source_gives_the_date_and_bad_input_names_its_field(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let schema = test.schema();
    let source = first_id(&schema, "{ sources(first: 1, search: \"Russian Tape\") { nodes { id } } }").await;
    let event = first_id(&schema, "{ events(first: 1) { nodes { id } } }").await;
    let before = counts(&test).await;

    // Without `published`, the source's date (2 March 2024) is the anchor.
    let text = "Scholz spoke on Saturday. The call took place last month.";
    let response = run(&schema, QUERY, json!({ "input": { "text": text, "sourceId": source } })).await;
    let out = data(response)["extractFromText"].clone();
    assert_eq!(out["published"], json!("2024-03-02"));
    assert_eq!(out["source"]["id"], json!(source));
    let values: Vec<&Value> = out["dates"].as_array().expect("dates").iter().map(|d| &d["value"]).collect();
    assert_eq!(values, [&json!("2024-03-02"), &json!("2024-02")]);

    let long = "Scholz spoke on Saturday. ".repeat(4_000);
    let bad = [
        (json!({ "text": text, "published": "2024-13-02" }), "input.published"),
        (json!({ "text": text, "published": "last Tuesday" }), "input.published"),
        (json!({ "text": text }), "input.published"),
        (json!({ "text": text, "published": "2024-03-02", "timeZone": "Mars/Base" }), "input.timeZone"),
        (json!({ "text": text, "sourceId": event }), "input.sourceId"),
        (json!({ "text": long, "published": "2024-03-02" }), "input.text"),
    ];
    for (input, field) in bad {
        let response = run(&schema, QUERY, json!({ "input": input })).await;
        assert_eq!(error_code(&response), ("VALIDATION".to_owned(), Some(field.to_owned())), "{field}");
        let message = response.errors[0].message.clone();
        assert!(!message.is_empty(), "{field}: says what is wrong");
    }
    assert_eq!(counts(&test).await, before, "nothing written ({TABLES:?})");
}

on_both_backends!(the_seed_article_is_read_against_its_date, the_source_gives_the_date_and_bad_input_names_its_field);
