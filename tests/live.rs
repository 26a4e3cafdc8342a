//! Live updates: the `eventChanged` subscription, through the schema and over a real WebSocket
//! speaking graphql-transport-ws.

mod common;

use common::Backend;

use std::time::Duration;

use common::{TestDb, data, event, run};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

const WITHIN: Duration = Duration::from_secs(1);

async fn subscribers_hear_of_created_updated_and_deleted_events(backend: Backend) {
    let test = TestDb::on(backend).await;
    let schema = test.schema();
    let mut stream = schema.execute_stream("subscription { eventChanged { kind version event { title } } }");
    // The subscription is registered when the stream is first polled.
    let first = tokio::spawn(async move {
        let item = stream.next().await;
        (item, stream)
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let id = event(&schema, "Created while watched", "2024-03").await;
    let (item, mut stream) = timeout(WITHIN, first).await.expect("a change within a second").expect("task");
    let created = item.expect("an item").data.into_json().expect("json");
    assert_eq!(
        created["eventChanged"],
        json!({ "kind": "CREATED", "version": 1, "event": { "title": "Created while watched" } })
    );

    data(
        run(&schema, "mutation($id: ID!) { deleteEvent(input: { id: $id }) { deletedId } }", json!({ "id": id })).await,
    );
    let deleted =
        timeout(WITHIN, stream.next()).await.expect("in time").expect("an item").data.into_json().expect("json");
    assert_eq!(deleted["eventChanged"]["kind"], "DELETED");
    assert_eq!(deleted["eventChanged"]["event"], Value::Null);
}

async fn next_json<S>(socket: &mut S) -> Value
where
    S: StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        let message =
            timeout(WITHIN, socket.next()).await.expect("a message within a second").expect("open").expect("ok");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).expect("json message");
        }
    }
}

async fn a_websocket_client_receives_an_event_created_over_http(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;
    let mut request = format!("ws://{address}/graphql/ws").into_client_request().expect("request");
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (mut socket, response) = tokio_tungstenite::connect_async(request).await.expect("connect");
    assert_eq!(
        response.headers().get("sec-websocket-protocol").and_then(|v| v.to_str().ok()),
        Some("graphql-transport-ws")
    );

    socket.send(Message::text(json!({ "type": "connection_init" }).to_string())).await.expect("init");
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    let subscribe = json!({ "id": "1", "type": "subscribe",
        "payload": { "query": "subscription { eventChanged { kind event { title start { value } } } }" } });
    socket.send(Message::text(subscribe.to_string())).await.expect("subscribe");
    tokio::time::sleep(Duration::from_millis(100)).await;

    let client = reqwest::Client::new();
    let created: Value = client
        .post(format!("http://{address}/graphql"))
        .bearer_auth(common::token_for(address))
        .json(&json!({ "query": "mutation { createEvent(input: { title: \"Live\", start: \"2024-03-04\" }) { event { id } } }" }))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert!(created["errors"].is_null(), "{created}");

    let message = next_json(&mut socket).await;
    assert_eq!(message["type"], "next");
    assert_eq!(message["id"], "1");
    assert_eq!(
        message["payload"]["data"]["eventChanged"],
        json!({ "kind": "CREATED", "event": { "title": "Live", "start": { "value": "2024-03-04" } } })
    );
}

on_both_backends!(
    subscribers_hear_of_created_updated_and_deleted_events,
    a_websocket_client_receives_an_event_created_over_http,
);
