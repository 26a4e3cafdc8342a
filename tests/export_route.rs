//! `GET /export` (issue 13: "download the current filter"), over real HTTP on SQLite and
//! PostgreSQL: the events a filter picks, in the format asked, as a download; a wrong filter is a
//! 400 naming its field before anything is sent; reading needs what `/graphql` needs.

mod common;

use std::time::Duration;

use chronik_api::auth::{ReadAccess, Role};
use chronik_api::http::Settings;
use common::{Backend, TestDb, data, run};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use serde_json::{Value, json};

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client")
}

/// The titles of the example's events a GraphQL filter picks, sorted.
async fn titles(test: &TestDb, filter: Value) -> Vec<String> {
    let response = run(
        &test.schema(),
        "query($filter: EventFilter) { events(first: 500, filter: $filter) { edges { node { title } } } }",
        json!({ "filter": filter }),
    )
    .await;
    let mut titles: Vec<String> = data(response)["events"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|edge| edge["node"]["title"].as_str().expect("title").to_owned())
        .collect();
    titles.sort();
    titles
}

/// The `title` column of a CSV body, sorted.
fn csv_titles(body: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    let column = headers.iter().position(|name| name == "title").expect("a title column");
    let mut titles: Vec<String> = reader.records().map(|row| row.expect("a CSV row")[column].to_owned()).collect();
    titles.sort();
    titles
}

async fn the_filter_is_downloaded_as_csv(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve().await;
    let everything = titles(&test, json!({})).await;
    assert!(everything.len() > 5, "the example has events");

    let response = client().get(format!("http://{address}/export?format=csv")).send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = response.headers()[CONTENT_DISPOSITION].to_str().expect("ASCII").to_owned();
    assert!(disposition.starts_with("attachment") && disposition.contains(".csv"), "{disposition}");
    assert_eq!(csv_titles(&response.text().await.expect("body")), everything);

    // The page's filter: a period and words, as its link writes them.
    let filtered = titles(&test, json!({ "from": "2024-02", "to": "2024-02", "search": "Taurus" })).await;
    assert!(!filtered.is_empty() && filtered.len() < everything.len(), "{filtered:?}");
    let body = client()
        .get(format!("http://{address}/export?format=csv&from=2024-02&to=2024-02&q=Taurus"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert_eq!(csv_titles(&body), filtered);

    // Another format, the same events.
    let calendar = client()
        .get(format!("http://{address}/export?format=ics&from=2024-02&to=2024-02&q=Taurus"))
        .send()
        .await
        .expect("GET");
    assert_eq!(calendar.headers()[CONTENT_TYPE], "text/calendar; charset=utf-8");
    let calendar = calendar.text().await.expect("body");
    assert_eq!(calendar.matches("BEGIN:VEVENT").count(), filtered.len(), "{calendar}");
}

async fn a_wrong_filter_is_named_and_nothing_is_sent(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve().await;
    for (query, field) in [
        ("format=pdf", "format"),
        ("from=2024", "format"),
        ("format=csv&from=2024-13", "filter.from"),
        ("format=csv&colour=red", "colour"),
        ("format=csv&disputed=maybe", "disputed"),
        ("format=csv&sources=nonsense", "sources[0]"),
        ("format=csv&actors=Nobody%20At%20All", "actor[0]"),
    ] {
        let response = client().get(format!("http://{address}/export?{query}")).send().await.expect("GET");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: Value = response.json().await.expect("a JSON refusal");
        assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION", "{query}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{query}: {body}");
    }
}

async fn reading_needs_what_graphql_needs(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve_with(Settings { read_access: ReadAccess::Token, ..Settings::default() }).await;
    let url = format!("http://{address}/export?format=json");
    let anonymous = client().get(&url).send().await.expect("GET");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let wrong = client().get(&url).bearer_auth("not-a-token").send().await.expect("GET");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let reader = test.token("export-reader", Role::Reader).await;
    let response = client().get(&url).bearer_auth(reader).send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await.expect("a chronik/1 document");
    assert_eq!(document["format"], "chronik/1", "{document}");
    assert_eq!(document["events"].as_array().map(Vec::len), Some(titles(&test, json!({})).await.len()));
}

on_both_backends!(
    the_filter_is_downloaded_as_csv,
    a_wrong_filter_is_named_and_nothing_is_sent,
    reading_needs_what_graphql_needs,
);
