//! Slow and idle clients time out, and connections are capped (issue 16, item 5), against the
//! real accept loop and router on a real port, with timeouts of a second so each test is short.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use chronik_api::config::ConnectionLimits;
use chronik_api::http::{HEALTH_ROOM, Settings};
use common::{Backend, TestDb};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

/// How long after its timeout a connection must be closed by.
const MARGIN: Duration = Duration::from_secs(3);
const SECOND: Duration = Duration::from_secs(1);

/// Timeouts of a second, changed as a test needs.
fn quick(change: impl FnOnce(&mut ConnectionLimits)) -> Settings {
    let mut connections = ConnectionLimits {
        header_timeout: 1,
        body_timeout: 1,
        idle_timeout: 30,
        ws_init_timeout: 1,
        ..ConnectionLimits::DEFAULT
    };
    change(&mut connections);
    Settings { connections, ..Settings::default() }
}

/// Everything the server sends until it closes the connection; panics unless it closes within `within`.
async fn read_until_closed(socket: &mut (impl AsyncRead + Unpin), within: Duration) -> String {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        let left = within.checked_sub(started.elapsed()).unwrap_or_default();
        match tokio::time::timeout(left, socket.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => return String::from_utf8_lossy(&received).into_owned(),
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
            Err(_) => panic!("still open after {within:?}; received {:?}", String::from_utf8_lossy(&received)),
        }
    }
}

/// Writes `bytes` one at a time, a few a second, until done or the server hangs up.
fn trickle(mut writer: tokio::net::tcp::OwnedWriteHalf, bytes: Vec<u8>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        for byte in bytes {
            if writer.write_all(&[byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        // Held open, sending nothing more.
        std::future::pending::<()>().await;
    })
}

async fn slow_bodies_and_slow_headers_are_cut_off(backend: Backend) {
    let test = TestDb::on(backend).await;

    // A body of 100 bytes sent a byte at a time: 408 when the body timeout passes, then closed.
    let address = test.serve_with(quick(|limits| limits.header_timeout = 30)).await;
    let (mut reader, mut writer) = TcpStream::connect(address).await.expect("connect").into_split();
    let head =
        "POST /graphql HTTP/1.1\r\nHost: chronik\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    writer.write_all(head.as_bytes()).await.expect("head");
    let trickling = trickle(writer, vec![b' '; 100]);
    let answer = read_until_closed(&mut reader, SECOND + MARGIN).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"TIMEOUT\""), "{answer}");
    trickling.abort();

    // Headers sent a byte at a time: closed when the header timeout passes, nothing answered.
    let address = test.serve_with(quick(|_| {})).await;
    let (mut reader, writer) = TcpStream::connect(address).await.expect("connect").into_split();
    let head = b"GET /healthz HTTP/1.1\r\nHost: chronik\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let trickling = trickle(writer, head.to_vec());
    let answer = read_until_closed(&mut reader, SECOND + MARGIN).await;
    assert!(!answer.contains("200 OK"), "{answer}");
    trickling.abort();
}

async fn idle_connections_are_closed(backend: Backend) {
    let test = TestDb::on(backend).await;

    // A connection that never sends a byte: closed by the header timeout.
    let address = test.serve_with(quick(|_| {})).await;
    let mut socket = TcpStream::connect(address).await.expect("connect");
    assert_eq!(read_until_closed(&mut socket, SECOND + MARGIN).await, "");
    // A kept-alive connection idle after its request: closed by it too.
    let mut socket = TcpStream::connect(address).await.expect("connect");
    socket.write_all(b"GET /healthz HTTP/1.1\r\nHost: chronik\r\n\r\n").await.expect("request");
    let answer = read_until_closed(&mut socket, SECOND + MARGIN).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // With a long header timeout, the socket's own idle timeout closes it.
    let address = test.serve_with(quick(|limits| (limits.header_timeout, limits.idle_timeout) = (60, 1))).await;
    let mut socket = TcpStream::connect(address).await.expect("connect");
    assert_eq!(read_until_closed(&mut socket, SECOND + MARGIN).await, "");
}

async fn a_websocket_without_connection_init_is_closed_with_4408(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve_with(quick(|_| {})).await;
    let mut request = format!("ws://{address}/graphql/ws").into_client_request().expect("request");
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("connect");
    let frame = loop {
        match tokio::time::timeout(SECOND + MARGIN, socket.next()).await.expect("closed in time") {
            Some(Ok(Message::Close(Some(frame)))) => break frame,
            Some(Ok(Message::Text(text))) => panic!("a message instead of the close: {text}"),
            Some(Ok(_)) => {}
            other => panic!("no close frame: {other:?}"),
        }
    };
    assert_eq!(u16::from(frame.code), 4408);
    assert_eq!(frame.reason.as_str(), "Connection initialisation timeout");

    // One that sends it in time stays open past the deadline.
    let mut request = format!("ws://{address}/graphql/ws").into_client_request().expect("request");
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-transport-ws"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("connect");
    socket.send(Message::text(json!({ "type": "connection_init" }).to_string())).await.expect("init");
    let ack = tokio::time::timeout(SECOND, socket.next()).await.expect("ack").expect("open").expect("ok");
    assert!(ack.to_text().expect("text").contains("connection_ack"), "{ack}");
    tokio::time::sleep(SECOND * 2).await;
    socket.send(Message::text(json!({ "type": "ping" }).to_string())).await.expect("still open");
    let pong = tokio::time::timeout(SECOND, socket.next()).await.expect("pong").expect("open").expect("ok");
    assert!(pong.to_text().expect("text").contains("pong"), "{pong}");
}

async fn get(address: SocketAddr, path: &str) -> Result<(u16, String), reqwest::Error> {
    // A client of its own: a new connection each time.
    let response = reqwest::Client::new().get(format!("http://{address}{path}")).send().await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}

async fn connections_past_the_cap_are_refused_while_health_answers(backend: Backend) {
    let test = TestDb::on(backend).await;
    let address = test.serve_with(quick(|limits| (limits.header_timeout, limits.max_connections) = (60, 4))).await;
    let query = "/graphql?query=%7B__typename%7D";

    // Four idle connections fill the server.
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(TcpStream::connect(address).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, body) = get(address, "/healthz").await.expect("health answers past the cap");
    assert_eq!(status, 200, "{body}");
    let (status, body) = get(address, query).await.expect("an answer");
    assert_eq!(status, 503, "{body}");
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAVAILABLE", "{body}");

    // The room kept for health checks, once full too: closed at once.
    let mut room = Vec::new();
    for _ in 0..HEALTH_ROOM {
        room.push(TcpStream::connect(address).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut past = TcpStream::connect(address).await.expect("the kernel accepts");
    assert_eq!(read_until_closed(&mut past, SECOND).await, "");
    // The room's idle connections are let go soon (a health check sends its request at once).
    tokio::time::sleep(SECOND).await;
    assert_eq!(get(address, "/healthz").await.expect("health again").0, 200);

    // Once the idle connections go, queries are answered again.
    drop(idle);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(get(address, query).await.expect("a query").0, 200);
}

on_both_backends!(
    slow_bodies_and_slow_headers_are_cut_off,
    idle_connections_are_closed,
    a_websocket_without_connection_init_is_closed_with_4408,
    connections_past_the_cap_are_refused_while_health_answers,
);
