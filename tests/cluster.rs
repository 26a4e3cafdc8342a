//! Several `chronik serve` processes on one PostgreSQL database: a change made through one
//! reaches the subscribers of another (LISTEN/NOTIFY), as behind a load balancer.

mod common;

use std::time::Duration;

use common::process::{Server, blocking, chronik};
use common::{Backend, TestDb, postgres_available};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

async fn next_json<S>(socket: &mut S, within: Duration) -> Value
where
    S: StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        let message = timeout(within, socket.next()).await.expect("a message in time").expect("open").expect("ok");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).expect("json message");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_created_through_one_instance_reaches_a_subscriber_of_another() {
    if !postgres_available("cluster::an_event_created_through_one_instance_reaches_a_subscriber_of_another") {
        return;
    }
    let database = TestDb::on(Backend::Postgres).await;
    let token = database.token("cluster-editor", chronik_api::auth::Role::Editor).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let start = |dir: &std::path::Path| {
        let mut command = chronik(dir);
        command.arg("--database").arg(&database.url).args(["serve", "--listen", "127.0.0.1:0", "--no-example"]);
        blocking(|| Server::start(command))
    };
    let a = start(dir.path());
    let b = start(dir.path());
    assert_ne!(a.address, b.address);

    let mut request = format!("ws://{}/graphql/ws", b.address).into_client_request().expect("request");
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("connect to B");
    socket.send(Message::text(json!({ "type": "connection_init" }).to_string())).await.expect("init");
    assert_eq!(next_json(&mut socket, Duration::from_secs(5)).await["type"], "connection_ack");
    let subscribe = json!({ "id": "b", "type": "subscribe",
        "payload": { "query": "subscription { eventChanged { kind event { title } } }" } });
    socket.send(Message::text(subscribe.to_string())).await.expect("subscribe");
    // B's listener and the subscription are set up once B has acknowledged; give the
    // subscription itself a moment to register.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let created: Value = a
        .client
        .post(format!("http://{}/graphql", a.address))
        .bearer_auth(&token)
        .json(&json!({ "query": "mutation { createEvent(input: { title: \"Through A\", start: \"2024-03-05\" }) { event { id } } }" }))
        .send()
        .await
        .expect("POST to A")
        .json()
        .await
        .expect("json");
    assert!(created["errors"].is_null(), "{created}");

    let message = next_json(&mut socket, Duration::from_secs(1)).await;
    assert_eq!(message["type"], "next", "{message}");
    assert_eq!(
        message["payload"]["data"]["eventChanged"],
        json!({ "kind": "CREATED", "event": { "title": "Through A" } })
    );
}
