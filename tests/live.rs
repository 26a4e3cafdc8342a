//! Live updates: the `eventChanged` subscription, through the schema and over a real WebSocket
//! speaking graphql-transport-ws.

mod common;

use common::Backend;

use std::time::Duration;

use chronik_api::auth::{ReadAccess, Role};
use chronik_api::http::Settings;
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

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A WebSocket to `/graphql/ws` speaking `protocol`, and the ID of the request that opened it.
async fn connect(address: std::net::SocketAddr, protocol: &'static str) -> (Socket, String) {
    let mut request = format!("ws://{address}/graphql/ws").into_client_request().expect("request");
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static(protocol));
    let (socket, response) = tokio_tungstenite::connect_async(request).await.expect("connect");
    let id = response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).expect("a request ID").to_owned();
    (socket, id)
}

async fn send(socket: &mut Socket, message: Value) {
    socket.send(Message::text(message.to_string())).await.expect("send");
}

/// The close frame the server ends with: its code and reason.
async fn closed(socket: &mut Socket) -> (u16, String) {
    loop {
        match timeout(WITHIN, socket.next()).await.expect("closed within a second") {
            Some(Ok(Message::Close(Some(frame)))) => return (frame.code.into(), frame.reason.to_string()),
            Some(Ok(Message::Text(text))) => panic!("a message instead of the close: {text}"),
            Some(Ok(_)) => {}
            other => panic!("no close frame: {other:?}"),
        }
    }
}

async fn websocket_refusals_close_with_the_protocols_codes(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;
    let init = |token: Option<&str>| match token {
        Some(token) => json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {token}") } }),
        None => json!({ "type": "connection_init" }),
    };

    // A token that is not one: 4403 Forbidden, the reason naming the token.
    let (mut socket, _) = connect(address, "graphql-transport-ws").await;
    send(&mut socket, init(Some("chronik_forged"))).await;
    let (code, reason) = closed(&mut socket).await;
    assert_eq!(code, 4403, "{reason}");
    assert!(reason.contains("token"), "{reason}");
    // No token where reading needs one: 4403 too.
    let settings = Settings { read_access: ReadAccess::Token, ..Settings::default() };
    let private = test.serve_with(settings).await;
    let (mut socket, _) = connect(private, "graphql-transport-ws").await;
    send(&mut socket, init(None)).await;
    assert_eq!(closed(&mut socket).await.0, 4403);
    // With a reader's token, it is acknowledged.
    let reader = test.token("ws-reader", Role::Reader).await;
    let (mut socket, _) = connect(private, "graphql-transport-ws").await;
    send(&mut socket, init(Some(&reader))).await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    // A subscription before the acknowledgement: 4401 Unauthorized.
    let (mut socket, _) = connect(address, "graphql-transport-ws").await;
    send(
        &mut socket,
        json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { eventChanged { kind } }" } }),
    )
    .await;
    assert_eq!(closed(&mut socket).await.0, 4401);
    // A message that is not one of the protocol's: 4400 Bad Request.
    let (mut socket, _) = connect(address, "graphql-transport-ws").await;
    socket.send(Message::text("{ not JSON")).await.expect("send");
    assert_eq!(closed(&mut socket).await.0, 4400);

    // The older subscriptions-transport-ws tells a refusal in a connection_error, with the code.
    let (mut socket, id) = connect(address, "graphql-ws").await;
    send(&mut socket, init(Some("chronik_forged"))).await;
    let message = next_json(&mut socket).await;
    assert_eq!(message["type"], "connection_error", "{message}");
    assert_eq!(message["payload"]["extensions"]["code"], "UNAUTHENTICATED", "{message}");
    assert_eq!(message["payload"]["extensions"]["requestId"], id.as_str(), "{message}");
}

async fn errors_over_websocket_carry_their_codes(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve().await;
    let (mut socket, id) = connect(address, "graphql-transport-ws").await;
    send(&mut socket, json!({ "type": "connection_init" })).await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");

    // A document that does not validate, and one over the depth limit.
    let nested = format!(
        "subscription {{ eventChanged {{ event {{ {} title {} }} }} }}",
        "links { target { ".repeat(10),
        "} } ".repeat(10)
    );
    for (query, code) in [("subscription { noSuchField }", "BAD_REQUEST"), (nested.as_str(), "LIMIT")] {
        send(&mut socket, json!({ "id": code, "type": "subscribe", "payload": { "query": query } })).await;
        let message = next_json(&mut socket).await;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], code, "{message}");
        let error = &message["payload"]["errors"][0];
        assert_eq!(error["extensions"]["code"], code, "{message}");
        assert_eq!(error["extensions"]["requestId"], id.as_str(), "{message}");
        assert_eq!(next_json(&mut socket).await, json!({ "type": "complete", "id": code }));
    }
    // A mutation sent over the socket is refused: writes go by POST, through the rate limit and
    // the audit trail.
    let create = r#"mutation { createActor(input: { name: "Over WS", kind: "person" }) { actor { id } } }"#;
    send(&mut socket, json!({ "id": "m", "type": "subscribe", "payload": { "query": create } })).await;
    let message = next_json(&mut socket).await;
    assert_eq!(message["payload"]["errors"][0]["extensions"]["code"], "METHOD_NOT_ALLOWED", "{message}");
    assert_eq!(test.count("actor").await, 0);
}

on_both_backends!(
    subscribers_hear_of_created_updated_and_deleted_events,
    a_websocket_client_receives_an_event_created_over_http,
    websocket_refusals_close_with_the_protocols_codes,
    errors_over_websocket_carry_their_codes,
);
