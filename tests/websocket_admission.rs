//! One admission path for WebSocket and HTTP (issue 16, items 3 and 7), over a real WebSocket to
//! the real router: the document limits apply, mutations are refused, a revoked token ends its
//! subscriptions, the caps on subscriptions hold, and one write is resolved once for all the
//! subscribers of the same selection.

mod common;

use std::net::SocketAddr;
use std::time::Duration;

use chronik_api::Database;
use chronik_api::auth::{Role, tokens};
use chronik_api::config::{ConnectionLimits, RequestLimits};
use chronik_api::db::DatabaseOptions;
use chronik_api::http::{AppState, Settings};
use common::{Backend, TestDb, event, token_for};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const WITHIN: Duration = Duration::from_secs(2);

fn with(connections: ConnectionLimits) -> Settings {
    Settings { connections, ..Settings::default() }
}

/// A graphql-transport-ws connection, acknowledged with this token (or none).
async fn open(address: SocketAddr, token: Option<&str>) -> Socket {
    let mut request = format!("ws://{address}/graphql/ws").into_client_request().expect("request");
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("connect");
    let init = match token {
        Some(token) => json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }),
        None => json!({ "type": "connection_init" }),
    };
    send(&mut socket, init).await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    socket
}

async fn send(socket: &mut Socket, message: Value) {
    socket.send(Message::text(message.to_string())).await.expect("send");
}

async fn subscribe(socket: &mut Socket, id: &str, query: &str) {
    send(socket, json!({ "id": id, "type": "subscribe", "payload": { "query": query } })).await;
}

async fn next_json(socket: &mut Socket) -> Value {
    loop {
        let message = timeout(WITHIN, socket.next()).await.expect("a message in time").expect("open").expect("ok");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).expect("json message");
        }
    }
}

/// The code of the refusal the server answers `id` with, then its `complete`.
async fn refused(socket: &mut Socket, id: &str) -> String {
    let message = next_json(socket).await;
    assert_eq!(message["type"], "next", "{message}");
    assert_eq!(message["id"], id, "{message}");
    let code = message["payload"]["errors"][0]["extensions"]["code"].as_str().expect("a code").to_owned();
    assert_eq!(next_json(socket).await, json!({ "type": "complete", "id": id }));
    code
}

/// The close frame the server ends with, within `within`.
async fn closed(socket: &mut Socket, within: Duration) -> (u16, String) {
    loop {
        match timeout(within, socket.next()).await.expect("closed in time") {
            Some(Ok(Message::Close(Some(frame)))) => return (frame.code.into(), frame.reason.to_string()),
            Some(Ok(Message::Text(text))) => panic!("a message instead of the close: {text}"),
            Some(Ok(_)) => {}
            other => panic!("no close frame: {other:?}"),
        }
    }
}

async fn post(address: SocketAddr, token: &str, query: &str) -> Value {
    reqwest::Client::new()
        .post(format!("http://{address}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json")
}

async fn limits_and_mutations_are_refused_over_websocket(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;
    let mut socket = open(address, Some(&token_for(address))).await;

    // 100 aliased mutations in one document, even with an admin's token: over the alias limit.
    let many: String = (0..100)
        .map(|i| format!("a{i}: createActor(input: {{ name: \"Actor {i}\", kind: \"person\" }}) {{ actor {{ id }} }} "))
        .collect();
    subscribe(&mut socket, "many", &format!("mutation {{ {many} }}")).await;
    assert_eq!(refused(&mut socket, "many").await, "LIMIT");
    // One mutation: refused as a mutation, whoever sends it.
    let one = r#"mutation { createActor(input: { name: "Over WS", kind: "person" }) { actor { id } } }"#;
    subscribe(&mut socket, "one", one).await;
    assert_eq!(refused(&mut socket, "one").await, "METHOD_NOT_ALLOWED");
    // A subscription over the alias limit.
    let aliases: String = (0..31).map(|i| format!("k{i}: kind ")).collect();
    subscribe(&mut socket, "aliases", &format!("subscription {{ eventChanged {{ {aliases} }} }}")).await;
    assert_eq!(refused(&mut socket, "aliases").await, "LIMIT");
    assert_eq!(test.count("actor").await, 0, "nothing written over the WebSocket");
}

async fn a_revoked_token_ends_its_subscriptions(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve_with(with(ConnectionLimits { token_recheck: 1, ..ConnectionLimits::DEFAULT })).await;
    let admin = token_for(address);
    let query = "subscription { eventChanged { kind } }";

    // Revoked through this server: the connection closes with 4403 at once.
    let reader = test.token("ws-reader-here", Role::Reader).await;
    let mut socket = open(address, Some(&reader)).await;
    subscribe(&mut socket, "1", query).await;
    let revoked =
        post(address, &admin, r#"mutation { revokeToken(input: { name: "ws-reader-here" }) { token { name } } }"#)
            .await;
    assert!(revoked["errors"].is_null(), "{revoked}");
    let (code, reason) = closed(&mut socket, WITHIN).await;
    assert_eq!(code, 4403, "{reason}");
    assert!(reason.contains("revoked"), "{reason}");

    // Revoked elsewhere (the command line, or another instance on PostgreSQL): found by the
    // periodic check, every second here.
    let reader = test.token("ws-reader-elsewhere", Role::Reader).await;
    let mut socket = open(address, Some(&reader)).await;
    subscribe(&mut socket, "1", query).await;
    let elsewhere = Database::connect(&test.url, DatabaseOptions::default()).await.expect("a second handle");
    tokens::revoke(&elsewhere, "ws-reader-elsewhere").await.expect("revoke");
    let (code, reason) = closed(&mut socket, Duration::from_secs(5)).await;
    assert_eq!(code, 4403, "{reason}");
    elsewhere.close().await.expect("close");
}

async fn subscriptions_past_the_caps_are_refused(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let query = "subscription { eventChanged { kind event { title } } }";

    // Per address: three, then refused; a place freed is taken again.
    let limits = ConnectionLimits { max_subscriptions_per_address: 3, ..ConnectionLimits::DEFAULT };
    let address = test.serve_with(with(limits)).await;
    let mut socket = open(address, None).await;
    for id in ["1", "2", "3"] {
        subscribe(&mut socket, id, query).await;
    }
    subscribe(&mut socket, "4", query).await;
    assert_eq!(refused(&mut socket, "4").await, "LIMIT");
    let mut other = open(address, None).await;
    subscribe(&mut other, "5", query).await;
    assert_eq!(refused(&mut other, "5").await, "LIMIT", "the cap is per address, not per connection");
    send(&mut socket, json!({ "id": "1", "type": "complete" })).await;
    assert_eq!(next_json(&mut socket).await, json!({ "type": "complete", "id": "1" }));
    subscribe(&mut other, "6", query).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    event(&schema, "Heard by the sixth", "2024-03").await;
    let message = next_json(&mut other).await;
    assert_eq!((message["type"].as_str(), message["id"].as_str()), (Some("next"), Some("6")), "{message}");
    assert_eq!(message["payload"]["data"]["eventChanged"]["event"]["title"], "Heard by the sixth", "{message}");

    // In total: two, then refused.
    let limits = ConnectionLimits { max_subscriptions: 2, ..ConnectionLimits::DEFAULT };
    let address = test.serve_with(with(limits)).await;
    let mut first = open(address, None).await;
    subscribe(&mut first, "1", query).await;
    let mut second = open(address, None).await;
    subscribe(&mut second, "2", query).await;
    subscribe(&mut second, "3", query).await;
    assert_eq!(refused(&mut second, "3").await, "LIMIT");
}

async fn a_write_is_resolved_once_for_every_subscriber_of_a_selection(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    // No periodic token check in the count of statements.
    let address = test.serve_with(with(ConnectionLimits { token_recheck: 3600, ..ConnectionLimits::DEFAULT })).await;
    let query = "subscription { eventChanged { kind event { title tags participants { role } citations { quote } } } }";
    let settle = Duration::from_millis(300);

    let mut sockets = vec![open(address, None).await];
    subscribe(&mut sockets[0], "s", query).await;
    tokio::time::sleep(settle).await;
    test.take_statements();
    event(&schema, "Watched by one", "2024-03").await;
    assert_eq!(next_json(&mut sockets[0]).await["payload"]["data"]["eventChanged"]["event"]["title"], "Watched by one");
    tokio::time::sleep(settle).await;
    let one = test.take_statements();

    for _ in 0..9 {
        let mut socket = open(address, None).await;
        subscribe(&mut socket, "s", query).await;
        sockets.push(socket);
    }
    tokio::time::sleep(settle).await;
    test.take_statements();
    event(&schema, "Watched by ten", "2024-03").await;
    for socket in &mut sockets {
        assert_eq!(next_json(socket).await["payload"]["data"]["eventChanged"]["event"]["title"], "Watched by ten");
    }
    tokio::time::sleep(settle).await;
    let ten = test.take_statements();
    assert_eq!(ten.len(), one.len(), "ten subscribers cost what one does:\none: {one:#?}\nten: {ten:#?}");
}

async fn a_response_over_the_size_limit_is_refused_over_websocket(backend: Backend) {
    let test = TestDb::with_example_on(backend).await;
    let limits = RequestLimits { max_response_bytes: 2_000, ..RequestLimits::DEFAULT };
    let address = test.serve_with(Settings { limits, ..Settings::default() }).await;
    let mut socket = open(address, None).await;
    // The example's summaries together are far over 2,000 bytes.
    subscribe(&mut socket, "big", "query { events(first: 50) { edges { node { title summary } } } }").await;
    assert_eq!(refused(&mut socket, "big").await, "LIMIT");
    // A small answer on the same socket still comes whole.
    subscribe(&mut socket, "small", "query { events(first: 1) { totalCount } }").await;
    let answer = next_json(&mut socket).await;
    assert_eq!(answer["type"], "next", "{answer}");
    assert!(answer["payload"]["data"]["events"]["totalCount"].as_i64().is_some_and(|n| n > 10), "{answer}");
}

/// Queries run at most `concurrent_queries` at once, over HTTP and WebSocket together: with
/// every place taken, a query waits (and times out when its wait outlasts the request's time),
/// a mutation does not, and the waiting queries run once a place is free.
async fn queries_wait_for_a_place_and_mutations_do_not(backend: Backend) {
    let test = TestDb::on(backend).await;
    let limits = RequestLimits { concurrent_queries: 1, request_timeout: 2, ..RequestLimits::DEFAULT };
    let state = AppState::new(test.db.clone(), Settings { limits, ..Settings::default() });
    let address = test.serve_state(state.clone()).await;
    let token = token_for(address);
    let place = state.queries.enter().await.expect("the only place");
    assert_eq!(state.queries.free(), 0);

    // A query that waits longer than the request's time is answered TIMEOUT.
    let waited = post(address, &token, "{ events(first: 1) { totalCount } }").await;
    assert_eq!(waited["errors"][0]["extensions"]["code"], "TIMEOUT", "{waited}");
    // A mutation is not held back by the queries.
    let created = timeout(
        WITHIN,
        post(
            address,
            &token,
            r#"mutation { createActor(input: { name: "Writer", kind: "person" }) { actor { id } } }"#,
        ),
    )
    .await
    .expect("the mutation does not wait for a query's place");
    assert!(created["data"]["createActor"]["actor"]["id"].is_string(), "{created}");

    // Queries over HTTP and over WebSocket wait for the place, and run once it is free.
    let over_http = {
        let token = token.clone();
        tokio::spawn(async move { post(address, &token, "{ actors(first: 5) { totalCount } }").await })
    };
    let mut socket = open(address, Some(&token)).await;
    subscribe(&mut socket, "q", "{ actors(first: 5) { totalCount } }").await;
    assert!(timeout(Duration::from_millis(500), socket.next()).await.is_err(), "the WebSocket query waits");
    assert!(!over_http.is_finished(), "the HTTP query waits");
    drop(place);
    let answer = timeout(WITHIN, over_http).await.expect("answered once the place is free").expect("task");
    assert_eq!(answer["data"]["actors"]["totalCount"], 1, "{answer}");
    let answer = next_json(&mut socket).await;
    assert_eq!(answer["payload"]["data"]["actors"]["totalCount"], 1, "{answer}");
    assert_eq!(state.queries.free(), 1, "each query gave its place back");
}

on_both_backends!(
    queries_wait_for_a_place_and_mutations_do_not,
    a_response_over_the_size_limit_is_refused_over_websocket,
    limits_and_mutations_are_refused_over_websocket,
    a_revoked_token_ends_its_subscriptions,
    subscriptions_past_the_caps_are_refused,
    a_write_is_resolved_once_for_every_subscriber_of_a_selection,
);
