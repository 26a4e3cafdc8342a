//! What a document may cost: every list counts by its bound and nesting multiplies, so the
//! nested revisions of issue 16 are refused before they run, while every document the page
//! sends stays under the limit; a response over its size limit is refused, not cut.

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use async_graphql::{Request, Variables};
use chronik_api::config::RequestLimits;
use chronik_api::graphql::build_schema;
use chronik_api::http::Settings;
use common::{Backend, TestDb};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The nested query of issue 16: each revision's event asks for its revisions again.
const NESTED: &str = "query($id: ID!) { event(id: $id) { revisions { event { revisions { event { revisions {
    version at changes } } } } } } }";

fn ts_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read frontend/src") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            ts_files(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "ts") {
            into.push(path);
        }
    }
}

/// The string literals of a TypeScript file, each with the text before it on its line
/// (comments skipped, so an apostrophe in one starts nothing).
fn literals(source: &str) -> Vec<(String, String)> {
    let chars: Vec<char> = source.chars().collect();
    let (mut found, mut line, mut at) = (Vec::new(), String::new(), 0);
    while at < chars.len() {
        let c = chars[at];
        if c == '/' && chars.get(at + 1) == Some(&'/') {
            while at < chars.len() && chars[at] != '\n' {
                at += 1;
            }
        } else if c == '/' && chars.get(at + 1) == Some(&'*') {
            at += 2;
            while at + 1 < chars.len() && !(chars[at] == '*' && chars[at + 1] == '/') {
                at += 1;
            }
            at += 2;
        } else if matches!(c, '`' | '\'' | '"') {
            let mut text = String::new();
            at += 1;
            while at < chars.len() && chars[at] != c {
                if chars[at] == '\\' {
                    at += 1;
                }
                text.push(chars[at]);
                at += 1;
            }
            at += 1;
            found.push((line.clone(), text));
        } else {
            if c == '\n' {
                line.clear();
            } else {
                line.push(c);
            }
            at += 1;
        }
    }
    found
}

/// Every GraphQL document the page's code holds, `${CONSTANT}`s filled in, by file.
fn page_documents() -> Vec<(String, String)> {
    let mut files = Vec::new();
    ts_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("frontend/src"), &mut files);
    files.sort();
    let mut constants = HashMap::new();
    let mut candidates = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("read a .ts file");
        let name = file.file_name().and_then(|name| name.to_str()).unwrap_or_default().to_owned();
        // Numbers interpolated into documents (`export const DRAWN_ACCOUNTS = 8;`).
        for line in source.lines() {
            let line = line.trim();
            let Some(rest) = line.strip_prefix("export const ").or_else(|| line.strip_prefix("const ")) else {
                continue;
            };
            if let Some((name, value)) = rest.split_once('=') {
                let value = value.trim().trim_end_matches(';').trim();
                if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit() || c == '_') {
                    let name = name.split(':').next().unwrap_or_default().trim();
                    constants.insert(name.to_owned(), value.replace('_', ""));
                }
            }
        }
        for (before, text) in literals(&source) {
            if let Some(constant) = before.trim_end().strip_suffix('=').and_then(|b| b.trim_end().rsplit(' ').next()) {
                constants.insert(constant.to_owned(), text.clone());
            }
            let start = text.trim_start();
            let operation = ["query", "mutation", "subscription"].iter().any(|word| start.starts_with(word));
            // A text that begins with `{` is a query only if it parses (the page has templates
            // such as "{count} events here"); one that begins with a keyword must.
            let shorthand = start.starts_with('{') && async_graphql::parser::parse_query(&text).is_ok();
            if (operation || shorthand) && text.contains('{') {
                candidates.push((name.clone(), text));
            }
        }
    }
    candidates
        .into_iter()
        .map(|(file, mut text)| {
            while let Some(open) = text.find("${") {
                let close = open + text[open..].find('}').expect("a closed ${}");
                let value =
                    constants.get(&text[open + 2..close]).unwrap_or_else(|| panic!("unknown {}", &text[open..=close]));
                text.replace_range(open..=close, value);
            }
            (file, text)
        })
        .collect()
}

/// The complexity of a document as the schema measures it (with the page's largest `first`
/// and `buckets`), read from the refusal of a schema whose limit is 1.
async fn complexity(test: &TestDb, document: &str) -> usize {
    let limits = RequestLimits { max_complexity: 1, ..RequestLimits::DEFAULT };
    let schema = build_schema(test.db.clone(), &limits);
    let variables = Variables::from_json(json!({ "first": 500, "buckets": 1000, "id": "unused" }));
    let response = schema.execute(Request::new(document).variables(variables)).await;
    let message = response.errors.first().map(|error| error.message.clone()).unwrap_or_default();
    let measured = message
        .strip_prefix("the document's complexity is ")
        .and_then(|rest| rest.split(';').next())
        .and_then(|n| n.parse().ok());
    measured.unwrap_or_else(|| panic!("{document}\nwas not measured: {:?}", response.errors))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pages_documents_stay_under_the_limit_and_the_nested_query_does_not() {
    let test = TestDb::new().await;
    let documents = page_documents();
    for name in ["query Window", "query Detail", "query Histogram", "subscription Live", "updateEvent", "createActor"] {
        assert!(documents.iter().any(|(_, text)| text.contains(name)), "{name} not found in {documents:#?}");
    }
    let limit = RequestLimits::DEFAULT.max_complexity;
    for (file, document) in &documents {
        let cost = complexity(&test, document).await;
        let head: String = document.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
        eprintln!("{file}: {head} … costs {cost}");
        assert!(cost <= limit, "{file}: {document}\ncosts {cost}, over the limit {limit}");
    }
    let nested = complexity(&test, NESTED).await;
    eprintln!("the nested revisions cost {nested}");
    assert!(nested > limit, "the nested query costs {nested}, under the limit {limit}");
}

/// The schema refuses a document over its depth or complexity with async-graphql's own limits,
/// and says which measure is over and by how much (`graphql/limits.rs`); a document that is also
/// invalid is refused for what is invalid in it, as the GraphQL spec has validation come first;
/// and the same holds for each request of a batch and for a subscription.
#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_over_a_limit_names_the_measure_and_hides_no_other_error() {
    let test = TestDb::new().await;
    let limits = RequestLimits { max_depth: 4, max_complexity: 50, ..RequestLimits::DEFAULT };
    let schema = build_schema(test.db.clone(), &limits);
    let deep = "{ events { nodes { links { target { links { target { title } } } } } } }";
    let costly = "{ events(first: 100) { nodes { id } } }";
    let fine = "{ vocabulary { roles } }";
    let error = |response: &async_graphql::Response| {
        let error = response.errors.first().unwrap_or_else(|| panic!("refused: {response:?}"));
        let code = error.extensions.as_ref().and_then(|e| e.get("code")).map(ToString::to_string);
        (code.unwrap_or_default(), error.message.clone())
    };

    let response = schema.execute(deep).await;
    assert_eq!(response.data, async_graphql::Value::Null, "{response:?}");
    assert_eq!(error(&response), ("\"LIMIT\"".to_owned(), "the document's depth is 7; the limit is 4".to_owned()));
    let response = schema.execute(costly).await;
    assert_eq!(
        error(&response),
        ("\"LIMIT\"".to_owned(), "the document's complexity is 200; the limit is 50".to_owned())
    );

    // Over the depth limit and asking for a field that does not exist: the field is the error.
    let response = schema.execute(deep.replace("title", "noSuchField")).await;
    let (code, message) = error(&response);
    assert_eq!(code, "\"BAD_REQUEST\"", "{response:?}");
    assert!(message.contains("noSuchField"), "{message}");

    let batch = async_graphql::BatchRequest::Batch(vec![costly.into(), fine.into()]);
    let async_graphql::BatchResponse::Batch(responses) = schema.execute_batch(batch).await else {
        panic!("a batch is answered by a batch");
    };
    assert_eq!(error(&responses[0]).1, "the document's complexity is 200; the limit is 50");
    assert!(responses[1].errors.is_empty(), "{:?}", responses[1]);

    let mut stream = schema.execute_stream(
        "subscription { eventChanged { event { links { target { links { target { links { target { id } } } } } } } } }",
    );
    let first = futures_util::StreamExt::next(&mut stream).await.expect("a response");
    assert_eq!(error(&first), ("\"LIMIT\"".to_owned(), "the document's depth is 9; the limit is 4".to_owned()));
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client")
}

async fn post(address: SocketAddr, body: &Value) -> (StatusCode, Value) {
    let response = client().post(format!("http://{address}/graphql")).json(body).send().await.expect("POST /graphql");
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

async fn an_event(address: SocketAddr) -> String {
    let (_, body) = post(address, &json!({ "query": "{ events(first: 1) { nodes { id } } }" })).await;
    body["data"]["events"]["nodes"][0]["id"].as_str().expect("an event").to_owned()
}

async fn nested_revisions_are_refused_before_they_run(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve().await;
    let id = an_event(address).await;

    test.take_statements();
    let (status, body) = post(address, &json!({ "query": NESTED, "variables": { "id": id } })).await;
    assert!([StatusCode::OK, StatusCode::BAD_REQUEST].contains(&status), "{status}: {body}");
    assert!(body.get("data").is_none(), "refused, not run: {body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "LIMIT", "{body}");
    assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("complexity")), "{body}");
    assert_eq!(test.take_statements(), Vec::<String>::new(), "the refused query ran statements");

    // Two levels with small pages are fine, and the pages are what they say.
    let two = "query($id: ID!) { event(id: $id) { revisions(first: 5) { version event { revisions(first: 1, offset: 0) { version } } } } }";
    let (status, body) = post(address, &json!({ "query": two, "variables": { "id": id } })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let revisions = body["data"]["event"]["revisions"].as_array().expect("revisions");
    assert!(!revisions.is_empty() && revisions.len() <= 5, "{body}");
    assert_eq!(revisions[0]["event"]["revisions"].as_array().map(Vec::len), Some(1), "{body}");

    // A page past its bound is refused, naming the argument.
    let over = "query($id: ID!) { event(id: $id) { backlinks(first: 501) { id } } }";
    let (_, body) = post(address, &json!({ "query": over, "variables": { "id": id } })).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "first", "{body}");
}

async fn a_response_over_its_size_is_refused_not_cut(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let small = Settings {
        limits: RequestLimits { max_response_bytes: 2_000, ..RequestLimits::DEFAULT },
        ..Settings::default()
    };
    let address = test.serve_with(small).await;
    let query = json!({ "query": "{ events(first: 100) { nodes { id title summary } } }" });
    let (status, body) = post(address, &query).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "LIMIT", "{body}");
    assert!(body["errors"][0]["message"].as_str().is_some_and(|m| m.contains("larger than 2000 bytes")), "{body}");
    let (status, body) = post(address, &json!({ "query": "{ vocabulary { roles } }" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["data"]["vocabulary"]["roles"].is_array(), "{body}");
}

on_both_backends!(nested_revisions_are_refused_before_they_run, a_response_over_its_size_is_refused_not_cut);
