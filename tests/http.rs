//! End to end over real HTTP on a real port: GraphQL-over-HTTP (POST, GET, media types, status
//! codes), the request limits, `/healthz`, `/`, request IDs and concurrent writers.

mod common;

use common::Backend;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use chronik_api::http::{Settings, TileUrl};
use common::TestDb;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, ALLOW, CONTENT_TYPE, HeaderMap};
use serde_json::{Value, json};

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";
const CREATE_ACTOR: &str =
    r#"mutation { createActor(input: {name: "Eve Intruder", kind: "person"}) { actor { id } } }"#;

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client")
}

fn graphql_url(address: SocketAddr) -> String {
    format!("http://{address}/graphql")
}

/// The `x-request-id` of a response, which every response must carry.
fn request_id(headers: &HeaderMap) -> String {
    let id = headers.get("x-request-id").expect("an x-request-id header").to_str().expect("ASCII request ID");
    assert!(!id.is_empty(), "empty x-request-id");
    id.to_owned()
}

fn content_type(headers: &HeaderMap) -> String {
    headers.get(CONTENT_TYPE).expect("a content-type").to_str().expect("ASCII content-type").to_owned()
}

/// POSTs a JSON body to `/graphql` with the given `Accept` and returns status, headers and JSON body.
async fn post(address: SocketAddr, accept: &str, body: &Value) -> (StatusCode, HeaderMap, Value) {
    let response = client()
        .post(graphql_url(address))
        .bearer_auth(common::token_for(address))
        .header(ACCEPT, accept)
        .header(CONTENT_TYPE, JSON)
        .body(body.to_string())
        .send()
        .await
        .expect("POST /graphql");
    let status = response.status();
    let headers = response.headers().clone();
    request_id(&headers);
    let body = response.json::<Value>().await.expect("a JSON body");
    (status, headers, body)
}

/// The `data` of a 200 `application/json` response without errors.
async fn query(address: SocketAddr, query: &str, variables: Value) -> Value {
    let (status, _, body) = post(address, JSON, &json!({ "query": query, "variables": variables })).await;
    assert_eq!(status, StatusCode::OK, "body: {body}");
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    body["data"].clone()
}

/// A raw HTTP/1.1 exchange over a plain socket (reqwest always sends `Accept` and cannot send a
/// chunked body without its `stream` feature). Returns the status, the header block and the body.
async fn raw(address: SocketAddr, head: String, body: Vec<u8>, chunked: bool) -> (u16, String, Vec<u8>) {
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("read timeout");
        stream.set_write_timeout(Some(Duration::from_secs(30))).expect("write timeout");
        stream.write_all(head.as_bytes()).expect("write the head");
        // The server may answer and stop reading before the body is through: a failed write is fine.
        let _ = if chunked {
            body.chunks(64 * 1024)
                .try_for_each(|chunk| {
                    stream.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())?;
                    stream.write_all(chunk)?;
                    stream.write_all(b"\r\n")
                })
                .and_then(|()| stream.write_all(b"0\r\n\r\n"))
        } else {
            stream.write_all(&body)
        };
        let mut response = Vec::new();
        let read = stream.read_to_end(&mut response);
        assert!(!response.is_empty(), "no response at all (read: {read:?})");
        let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("end of the header block");
        let head = String::from_utf8(response[..split].to_vec()).expect("ASCII head");
        let mut body = response[split + 4..].to_vec();
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
            body = dechunk(&body);
        }
        let status = head.split(' ').nth(1).expect("a status").parse().expect("a numeric status");
        (status, head, body)
    })
    .await
    .expect("raw exchange")
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").expect("chunk size line");
        let size = usize::from_str_radix(std::str::from_utf8(&body[..line_end]).expect("hex").trim(), 16).expect("hex");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 2 + size + 2..];
    }
}

/// A header's value from a raw header block (case-insensitive name).
fn raw_header(head: &str, name: &str) -> Option<String> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
    })
}

/// Asserts a refusal: its status, and the one body every refusal has, a GraphQL request error
/// without `data` whose errors (one, from the transport; a few, from the schema) carry `code`
/// and the response's request ID.
fn assert_refused(status: StatusCode, headers: &HeaderMap, body: &Value, expected: StatusCode, code: &str) {
    assert_eq!(status, expected, "{body}");
    let object = body.as_object().unwrap_or_else(|| panic!("not a JSON object: {body}"));
    assert_eq!(object.keys().collect::<Vec<_>>(), ["errors"], "{body}");
    let errors = body["errors"].as_array().expect("errors");
    assert!(!errors.is_empty(), "{body}");
    for error in errors {
        assert!(error["message"].as_str().is_some_and(|message| !message.is_empty()), "{body}");
        assert_eq!(error["extensions"]["code"], code, "{body}");
        assert_eq!(error["extensions"]["requestId"], request_id(headers).as_str(), "{body}");
    }
}

/// Sends a request and returns status, headers and the body as JSON.
async fn exchange(request: reqwest::RequestBuilder) -> (StatusCode, HeaderMap, Value) {
    let response = request.send().await.expect("a response");
    let (status, headers) = (response.status(), response.headers().clone());
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{status}: not JSON ({error}): {text}"));
    (status, headers, body)
}

fn nodes(events: &Value) -> Vec<Value> {
    events["edges"].as_array().expect("edges").iter().map(|edge| edge["node"].clone()).collect()
}

fn titles(nodes: &[Value]) -> Vec<&str> {
    nodes.iter().map(|node| node["title"].as_str().expect("title")).collect()
}

async fn date_filter_over_http_uses_overlap_semantics_in_time_order(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve().await;

    // No Accept header at all: the answer is application/json.
    let body = json!({
        "query": r#"{ events(first: 100, filter: {from: "2024-03-01", to: "2024-03-01"}) { edges { node { title start { value precision } } } } }"#
    })
    .to_string();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let (status, head, bytes) = raw(address, head, body.into_bytes(), false).await;
    assert_eq!(status, 200, "head: {head}");
    assert!(raw_header(&head, "accept").is_none());
    assert_eq!(raw_header(&head, "content-type").as_deref(), Some(JSON));
    assert!(raw_header(&head, "x-request-id").is_some_and(|id| !id.is_empty()), "head: {head}");
    let body: Value = serde_json::from_slice(&bytes).expect("JSON");
    assert!(body.get("errors").is_none(), "errors: {body}");
    let march = nodes(&body["data"]["events"]);
    let leak = march
        .iter()
        .find(|node| node["start"]["value"] == "2024-03-01")
        .unwrap_or_else(|| panic!("the leak is missing from {:?}", titles(&march)));
    assert_eq!(leak["start"]["precision"], "DAY");
    assert!(leak["title"].as_str().expect("title").contains("38-minute recording"), "{leak}");
    // The call (February only) ends before 1 March.
    assert!(
        !titles(&march).iter().any(|title| title.starts_with("Secret Luftwaffe video call")),
        "{:?}",
        titles(&march)
    );

    // Overlap: events dated only to the month 2024-02 match a period inside that month.
    let data = query(
        address,
        r#"{ events(first: 100, filter: {from: "2024-02-10", to: "2024-02-20"}) { edges { node { title start { value precision earliest } } } } }"#,
        json!({}),
    )
    .await;
    let february = nodes(&data["events"]);
    let call = february
        .iter()
        .find(|node| node["title"].as_str().is_some_and(|title| title.starts_with("Secret Luftwaffe video call")))
        .unwrap_or_else(|| panic!("the call is missing from {:?}", titles(&february)));
    assert_eq!(call["start"]["value"], "2024-02");
    assert_eq!(call["start"]["precision"], "MONTH");
    assert!(
        february.iter().any(|node| node["title"] == "Russian intelligence records the call"),
        "{:?}",
        titles(&february)
    );
    assert!(!february.iter().any(|node| node["start"]["value"] == "2024-03-01"), "the leak is after the period");
    assert!(!february.iter().any(|node| node["start"]["value"] == "2024-03-02"), "2 March events are after it");
    let earliest: Vec<chrono::DateTime<chrono::Utc>> = february
        .iter()
        .map(|node| node["start"]["earliest"].as_str().expect("earliest").parse().expect("a timestamp"))
        .collect();
    assert!(earliest.windows(2).all(|pair| pair[0] <= pair[1]), "not in ascending order: {earliest:?}");
}

async fn graphql_response_media_type_makes_unrunnable_requests_400(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve().await;

    let (status, headers, body) =
        post(address, GRAPHQL_RESPONSE, &json!({ "query": "{ events(first: 1) { totalCount } }" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(content_type(&headers), GRAPHQL_RESPONSE);
    assert!(body["data"]["events"]["totalCount"].as_i64().is_some_and(|n| n >= 12), "{body}");

    let bad = json!({ "query": "{ events(first: 1) { totalCount " });
    let (status, headers, body) = post(address, GRAPHQL_RESPONSE, &bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(content_type(&headers), GRAPHQL_RESPONSE);
    assert!(body["errors"].as_array().is_some_and(|errors| !errors.is_empty()), "{body}");
    assert!(body.get("data").is_none_or(Value::is_null), "{body}");

    let (status, headers, body) = post(address, JSON, &bad).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(content_type(&headers), JSON);
    assert!(body["errors"].as_array().is_some_and(|errors| !errors.is_empty()), "{body}");
}

async fn get_runs_queries_but_refuses_mutations(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve().await;

    let mut url = reqwest::Url::parse(&graphql_url(address)).expect("url");
    url.query_pairs_mut().append_pair("query", "{events(first:1){totalCount edges{node{id}}}}");
    let response = client().get(url).send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::OK);
    request_id(response.headers());
    assert_eq!(content_type(response.headers()), JSON);
    let body: Value = response.json().await.expect("JSON");
    assert!(body.get("errors").is_none(), "{body}");
    assert!(body["data"]["events"]["totalCount"].as_i64().is_some_and(|n| n >= 12), "{body}");
    let id = body["data"]["events"]["edges"][0]["node"]["id"].as_str().expect("an event id").to_owned();

    let mut url = reqwest::Url::parse(&graphql_url(address)).expect("url");
    url.query_pairs_mut()
        .append_pair("query", &format!(r#"mutation {{ deleteEvent(input:{{id:"{id}"}}) {{ deletedId }} }}"#));
    let response = client().get(url).send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    request_id(response.headers());
    assert_eq!(response.headers().get(ALLOW).and_then(|v| v.to_str().ok()), Some("POST"));
    let body: Value = response.json().await.expect("JSON");
    assert!(body["errors"].as_array().is_some_and(|errors| !errors.is_empty()), "{body}");

    let data = query(address, "query($id: ID!) { event(id: $id) { id title } }", json!({ "id": id })).await;
    assert_eq!(data["event"]["id"], id.as_str(), "the event was deleted by a GET: {data}");
}

async fn text_and_form_posts_are_refused_without_writing(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve().await;
    let actors = test.count("actor").await;

    let response = client()
        .post(graphql_url(address))
        .bearer_auth(common::token_for(address))
        .header(CONTENT_TYPE, "text/plain")
        .body(json!({ "query": CREATE_ACTOR }).to_string())
        .send()
        .await
        .expect("POST text/plain");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    request_id(response.headers());

    let mut form = reqwest::Url::parse("http://localhost/").expect("url");
    form.query_pairs_mut().append_pair("query", CREATE_ACTOR);
    let response = client()
        .post(graphql_url(address))
        .bearer_auth(common::token_for(address))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form.query().expect("a form body").to_owned())
        .send()
        .await
        .expect("POST form");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    request_id(response.headers());

    assert_eq!(test.count("actor").await, actors, "a refused request created an actor");
    // The same mutation as JSON does create one: the refusals above were about the media type.
    let data = query(address, CREATE_ACTOR, json!({})).await;
    assert!(data["createActor"]["actor"]["id"].is_string(), "{data}");
    assert_eq!(test.count("actor").await, actors + 1);
}

/// A createActor request padded (in a variable the operation ignores) to `size` bytes.
fn padded_create_actor(size: usize) -> Vec<u8> {
    let bare = json!({ "query": CREATE_ACTOR, "variables": { "pad": "" } }).to_string();
    let body = json!({ "query": CREATE_ACTOR, "variables": { "pad": "x".repeat(size - bare.len()) } }).to_string();
    assert_eq!(body.len(), size);
    body.into_bytes()
}

async fn bodies_over_the_limit_are_refused_without_writing(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;
    const LIMIT: usize = 1024 * 1024;

    let response = client()
        .post(graphql_url(address))
        .bearer_auth(common::token_for(address))
        .header(CONTENT_TYPE, JSON)
        .body(padded_create_actor(LIMIT + 1))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    request_id(response.headers());
    assert_eq!(test.count("actor").await, 0, "a refused request created an actor");

    // Chunked, without a Content-Length to refuse it up front.
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let (status, head, _) = raw(address, head, padded_create_actor(LIMIT + 1024), true).await;
    assert_eq!(status, 413, "head: {head}");
    assert!(raw_header(&head, "x-request-id").is_some(), "head: {head}");
    assert_eq!(test.count("actor").await, 0, "a refused chunked request created an actor");

    // Exactly at the limit is fine.
    let response = client()
        .post(graphql_url(address))
        .bearer_auth(common::token_for(address))
        .header(CONTENT_TYPE, JSON)
        .body(padded_create_actor(LIMIT))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON");
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(test.count("actor").await, 1);
}

async fn batches_hold_at_most_ten_operations(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;

    let eleven: Vec<Value> = (0..11).map(|_| json!({ "query": CREATE_ACTOR })).collect();
    let (status, _, body) = post(address, JSON, &Value::Array(eleven)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["errors"].as_array().is_some_and(|errors| !errors.is_empty()), "{body}");
    assert_eq!(test.count("actor").await, 0, "a refused batch ran");

    let ten: Vec<Value> = (0..10).map(|_| json!({ "query": "{ events(first: 1) { totalCount } }" })).collect();
    let (status, _, body) = post(address, JSON, &Value::Array(ten)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.as_array().map(Vec::len), Some(10), "{body}");

    let two = json!([
        { "query": CREATE_ACTOR },
        { "query": "{ events(first: 1) { totalCount } }" },
    ]);
    let (status, headers, body) = post(address, JSON, &two).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(content_type(&headers), JSON);
    let responses = body.as_array().unwrap_or_else(|| panic!("not an array: {body}"));
    assert_eq!(responses.len(), 2);
    assert!(responses.iter().all(|response| response.get("errors").is_none()), "{body}");
    assert!(responses[0]["data"]["createActor"]["actor"]["id"].is_string(), "{body}");
    assert_eq!(responses[1]["data"]["events"]["totalCount"], 0, "{body}");
    assert_eq!(test.count("actor").await, 1);
}

async fn health_page_and_request_ids(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;

    let response = client().get(format!("http://{address}/healthz")).send().await.expect("GET /healthz");
    assert_eq!(response.status(), StatusCode::OK);
    let first = request_id(response.headers());
    assert_eq!(response.json::<Value>().await.expect("JSON"), json!({ "status": "ok" }));

    let response = client().get(format!("http://{address}/")).send().await.expect("GET /");
    assert_eq!(response.status(), StatusCode::OK);
    let second = request_id(response.headers());
    assert!(content_type(response.headers()).starts_with("text/html"), "{:?}", response.headers());
    assert!(response.text().await.expect("text").contains("Chronik"));
    assert_ne!(first, second, "two requests got the same ID");

    // Unknown paths carry one too, and a client's own ID comes back unchanged.
    let response = client().get(format!("http://{address}/nowhere")).send().await.expect("GET /nowhere");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    request_id(response.headers());
    let response = client()
        .get(format!("http://{address}/healthz"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .expect("GET /healthz");
    assert_eq!(request_id(response.headers()), "trace-me-42");
}

/// The page's map draws its bundled basemap unless the server names a tile server: by default
/// `/map/config` names none and the page's policy lets images come from this server only; with
/// `--map-tiles` the page is told the URL and the policy lets that origin's images in, and nothing
/// else.
async fn map_tiles_are_off_by_default(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;
    let response = client().get(format!("http://{address}/map/config")).send().await.expect("GET /map/config");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.expect("JSON"), json!({ "tiles": null }));
    let response = client().get(format!("http://{address}/")).send().await.expect("GET /");
    let policy = response.headers()["content-security-policy"].to_str().expect("ASCII").to_owned();
    assert!(policy.contains("img-src 'self' data: blob:;"), "{policy}");
    assert!(!policy.contains("http"), "{policy}");

    let mut settings = Settings::default();
    settings.map.map_tiles = Some(TileUrl::parse("https://{s}.tiles.example.org/{z}/{x}/{y}.png").expect("a tile URL"));
    settings.map.map_attribution = Some("© Example".into());
    let tiled = test.serve_with(settings).await;
    let response = client().get(format!("http://{tiled}/map/config")).send().await.expect("GET /map/config");
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({ "tiles": { "url": "https://{s}.tiles.example.org/{z}/{x}/{y}.png", "attribution": "© Example" } })
    );
    let response = client().get(format!("http://{tiled}/")).send().await.expect("GET /");
    let policy = response.headers()["content-security-policy"].to_str().expect("ASCII").to_owned();
    assert!(policy.contains("img-src 'self' data: blob: https://*.tiles.example.org;"), "{policy}");
    assert!(policy.contains("script-src 'self';") && policy.contains("connect-src 'self' ws: wss:;"), "{policy}");
}

async fn graphql_errors_quote_the_request_id(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;
    let invalid =
        json!({ "query": r#"mutation { createActor(input: {name: "Nobody", kind: "wizard"}) { actor { id } } }"# });

    // An ID of the server's making.
    let (status, headers, body) = post(address, JSON, &invalid).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = request_id(&headers);
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "VALIDATION", "{body}");
    assert_eq!(error["extensions"]["field"], "kind", "{body}");
    assert_eq!(error["extensions"]["requestId"], id.as_str(), "{body}");

    // The client's own.
    let response = client()
        .post(graphql_url(address))
        .bearer_auth(common::token_for(address))
        .header(CONTENT_TYPE, JSON)
        .header("x-request-id", "client-chosen-7")
        .body(invalid.to_string())
        .send()
        .await
        .expect("POST");
    assert_eq!(request_id(response.headers()), "client-chosen-7");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["errors"][0]["extensions"]["requestId"], "client-chosen-7", "{body}");
    assert_eq!(test.count("actor").await, 0);
}

async fn html_only_clients_get_406_and_nothing_runs(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;

    let response = client()
        .post(graphql_url(address))
        .bearer_auth(common::token_for(address))
        .header(ACCEPT, "text/html")
        .header(CONTENT_TYPE, JSON)
        .body(json!({ "query": CREATE_ACTOR }).to_string())
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
    request_id(response.headers());
    assert_eq!(test.count("actor").await, 0, "a 406 request ran its mutation");

    let mut url = reqwest::Url::parse(&graphql_url(address)).expect("url");
    url.query_pairs_mut().append_pair("query", "{ events(first: 1) { totalCount } }");
    let response = client().get(url).header(ACCEPT, "text/html").send().await.expect("GET");
    assert_eq!(response.status(), StatusCode::NOT_ACCEPTABLE);
    request_id(response.headers());
}

async fn every_refusal_has_one_shape_and_a_code(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;
    let url = graphql_url(address);
    let admin = common::token_for(address);
    let json_post = |body: String| client().post(&url).bearer_auth(&admin).header(CONTENT_TYPE, JSON).body(body);

    // 400: a body that is not JSON, or not a GraphQL request.
    let (status, headers, body) = exchange(json_post("{ \"not a JSON".into())).await;
    assert_refused(status, &headers, &body, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert_eq!(content_type(&headers), JSON);
    let (status, headers, body) =
        exchange(json_post(json!({ "qeury": "{ __typename }" }).to_string()).header(ACCEPT, GRAPHQL_RESPONSE)).await;
    assert_refused(status, &headers, &body, StatusCode::BAD_REQUEST, "BAD_REQUEST");
    assert_eq!(content_type(&headers), GRAPHQL_RESPONSE);
    // 400: over a limit.
    let eleven: Vec<Value> = (0..11).map(|_| json!({ "query": "{ __typename }" })).collect();
    let (status, headers, body) = exchange(json_post(Value::Array(eleven).to_string())).await;
    assert_refused(status, &headers, &body, StatusCode::BAD_REQUEST, "LIMIT");
    // 401: a token that is not one.
    let (status, headers, body) = exchange(
        client()
            .post(&url)
            .bearer_auth("chronik_forged")
            .header(CONTENT_TYPE, JSON)
            .body(r#"{"query":"{ __typename }"}"#),
    )
    .await;
    assert_refused(status, &headers, &body, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED");
    // 405: a mutation over GET, and a method /graphql does not answer.
    let mut get = reqwest::Url::parse(&url).expect("url");
    get.query_pairs_mut().append_pair("query", CREATE_ACTOR);
    let (status, headers, body) = exchange(client().get(get).bearer_auth(&admin)).await;
    assert_refused(status, &headers, &body, StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");
    assert_eq!(headers.get(ALLOW).and_then(|v| v.to_str().ok()), Some("POST"));
    let (status, headers, body) = exchange(client().put(&url).header(CONTENT_TYPE, JSON).body("{}")).await;
    assert_refused(status, &headers, &body, StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");
    assert_eq!(headers.get(ALLOW).and_then(|v| v.to_str().ok()), Some("GET, POST"));
    // 406: the client takes neither JSON media type; the refusal is in the default one.
    let (status, headers, body) =
        exchange(json_post(json!({ "query": "{ __typename }" }).to_string()).header(ACCEPT, "text/html")).await;
    assert_refused(status, &headers, &body, StatusCode::NOT_ACCEPTABLE, "NOT_ACCEPTABLE");
    assert_eq!(content_type(&headers), JSON);
    // 413: announced by Content-Length, and chunked.
    let (status, headers, body) = exchange(
        client()
            .post(&url)
            .header(CONTENT_TYPE, JSON)
            .header(ACCEPT, GRAPHQL_RESPONSE)
            .body(padded_create_actor(1024 * 1024 + 1)),
    )
    .await;
    assert_refused(status, &headers, &body, StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE");
    assert_eq!(content_type(&headers), GRAPHQL_RESPONSE);
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let (status, head, bytes) = raw(address, head, padded_create_actor(1024 * 1024 + 1024), true).await;
    let mut headers = HeaderMap::new();
    headers.insert("x-request-id", raw_header(&head, "x-request-id").expect("a request ID").parse().expect("header"));
    let body: Value = serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("not JSON: {head}"));
    assert_refused(
        StatusCode::from_u16(status).expect("status"),
        &headers,
        &body,
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
    );
    // 415: not JSON.
    let (status, headers, body) = exchange(
        client()
            .post(&url)
            .bearer_auth(&admin)
            .header(CONTENT_TYPE, "text/plain")
            .body(json!({ "query": CREATE_ACTOR }).to_string()),
    )
    .await;
    assert_refused(status, &headers, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
    // The WebSocket endpoint, asked without an upgrade.
    let (status, headers, body) = exchange(client().get(format!("http://{address}/graphql/ws"))).await;
    assert!(status.is_client_error(), "{status}");
    assert_refused(status, &headers, &body, status, "BAD_REQUEST");

    // 429: past the rate limit, with Retry-After.
    let mut settings = Settings::default();
    settings.limits.mutations_per_minute = 1;
    let limited = test.serve_with(settings).await;
    let mutation = |address| {
        client()
            .post(graphql_url(address))
            .bearer_auth(common::token_for(address))
            .header(CONTENT_TYPE, JSON)
            .body(json!({ "query": CREATE_ACTOR }).to_string())
    };
    assert_eq!(exchange(mutation(limited)).await.0, StatusCode::OK);
    let (status, headers, body) = exchange(mutation(limited)).await;
    assert_refused(status, &headers, &body, StatusCode::TOO_MANY_REQUESTS, "RATE_LIMITED");
    assert_eq!(headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("60"));
    // 503: past the timeout (none at all: a request that waits for the database once is late).
    let mut settings = Settings::default();
    settings.limits.request_timeout = 0;
    let hurried = test.serve_with(settings).await;
    let (status, headers, body) = exchange(
        client()
            .post(graphql_url(hurried))
            .header(CONTENT_TYPE, JSON)
            .body(json!({ "query": "{ events(first: 1) { totalCount } }" }).to_string()),
    )
    .await;
    assert_refused(status, &headers, &body, StatusCode::SERVICE_UNAVAILABLE, "TIMEOUT");
    assert_eq!(test.count("actor").await, 1, "only the one mutation admitted ran");
}

async fn request_errors_have_no_data_and_field_errors_keep_theirs(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;

    // A document that does not parse, one that does not validate, one over the depth limit and
    // one whose variables do not coerce: request errors, without `data`; 400 in
    // application/graphql-response+json, 200 in application/json.
    // Nested 24 deep (past --max-depth, 16) and 44 deep (past async-graphql's recursion depth, 32).
    let nested = |levels: usize| {
        format!(
            "{{ events {{ edges {{ node {{ {} title {} }} }} }} }}",
            "links { target { ".repeat(levels),
            "} } ".repeat(levels)
        )
    };
    let requests = [
        (json!({ "query": "{ events(first: 1) { totalCount " }), "BAD_REQUEST"),
        (json!({ "query": "{ noSuchField }" }), "BAD_REQUEST"),
        (json!({ "query": nested(10) }), "LIMIT"),
        (json!({ "query": nested(20) }), "LIMIT"),
        (
            json!({ "query": "query($first: Int) { events(first: $first) { totalCount } }", "variables": { "first": "ten" } }),
            "BAD_REQUEST",
        ),
    ];
    for (request, code) in &requests {
        let (status, headers, body) = post(address, GRAPHQL_RESPONSE, request).await;
        assert_refused(status, &headers, &body, StatusCode::BAD_REQUEST, code);
        assert_eq!(content_type(&headers), GRAPHQL_RESPONSE);
        let (status, headers, body) = post(address, JSON, request).await;
        assert_refused(status, &headers, &body, StatusCode::OK, code);
        assert_eq!(content_type(&headers), JSON);
    }
    let (_, _, body) = post(address, JSON, &requests[2].0).await;
    assert_eq!(body["errors"][0]["message"], "the document's depth is 24; the limit is 16", "{body}");

    // A field that fails as it runs: the request ran, so `data` is there (null, since the field
    // is non-null) and the status is 200 in either media type.
    let invalid =
        json!({ "query": r#"mutation { createActor(input: {name: "Nobody", kind: "wizard"}) { actor { id } } }"# });
    for media in [GRAPHQL_RESPONSE, JSON] {
        let (status, _, body) = post(address, media, &invalid).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body.get("data"), Some(&Value::Null), "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION", "{body}");
    }

    // In a batch, each response has the shape of its own.
    let (status, _, body) = post(address, JSON, &json!([requests[1].0, { "query": "{ __typename }" }])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body[0].get("data").is_none() && body[0]["errors"][0]["extensions"]["code"] == "BAD_REQUEST", "{body}");
    assert_eq!(body[1], json!({ "data": { "__typename": "QueryRoot" } }));
}

async fn concurrent_writers_all_succeed(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let address = test.serve().await;
    let before = test.count("event").await;
    const WRITERS: usize = 40;

    let mutation = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id title } } }";
    let client = client();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..WRITERS {
        let client = client.clone();
        let body = json!({
            "query": mutation,
            "variables": { "input": { "title": format!("Concurrent write {i}"), "start": "2024-04-01", "kind": "meeting" } },
        });
        tasks.spawn(async move {
            let response = client
                .post(graphql_url(address))
                .bearer_auth(common::token_for(address))
                .header(CONTENT_TYPE, JSON)
                .body(body.to_string())
                .send()
                .await
                .expect("POST");
            let status = response.status();
            let body: Value = response.json().await.expect("JSON");
            (i, status, body)
        });
    }
    let mut ids = std::collections::HashSet::new();
    while let Some(joined) = tasks.join_next().await {
        let (i, status, body) = joined.expect("a writer task");
        assert_eq!(status, StatusCode::OK, "writer {i}: {body}");
        assert!(body.get("errors").is_none(), "writer {i} failed: {body}");
        let event = &body["data"]["createEvent"]["event"];
        assert_eq!(event["title"], format!("Concurrent write {i}"), "{body}");
        assert!(ids.insert(event["id"].as_str().expect("id").to_owned()), "duplicate id: {body}");
    }
    assert_eq!(ids.len(), WRITERS);
    assert_eq!(test.count("event").await, before + WRITERS as i64);
}

on_both_backends!(
    date_filter_over_http_uses_overlap_semantics_in_time_order,
    graphql_response_media_type_makes_unrunnable_requests_400,
    get_runs_queries_but_refuses_mutations,
    text_and_form_posts_are_refused_without_writing,
    bodies_over_the_limit_are_refused_without_writing,
    batches_hold_at_most_ten_operations,
    health_page_and_request_ids,
    map_tiles_are_off_by_default,
    graphql_errors_quote_the_request_id,
    html_only_clients_get_406_and_nothing_runs,
    concurrent_writers_all_succeed,
    every_refusal_has_one_shape_and_a_code,
    request_errors_have_no_data_and_field_errors_keep_theirs,
);
