//! A pooled PostgreSQL connection used moments ago is handed out as it is: sqlx would otherwise
//! ping it on every checkout, one more round trip for every statement (`PING_WHEN_IDLE_FOR` in
//! `db/connect.rs`); a connection held for several statements is checked once, when given back
//! (`db/held.rs`). Counted at a TCP proxy between Chronik's pool and the server: each message
//! the pool sends waits for its answer, so each arrives as a read of its own.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chronik_api::Database;
use chronik_api::db::DatabaseOptions;
use common::{Backend, TestDb};
use sea_orm::{ConnectionTrait, Statement};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Forwards connections from a port of its own to `upstream`, counting the reads that carry
/// something from the client to the server.
async fn counting_proxy(upstream: String) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let sends = Arc::new(AtomicUsize::new(0));
    let counter = sends.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let server = TcpStream::connect(&upstream).await.expect("connect to PostgreSQL");
            let (mut from_client, mut to_client) = client.into_split();
            let (mut from_server, mut to_server) = server.into_split();
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 64 * 1024];
                while let Ok(n) = from_client.read(&mut buffer).await {
                    if n == 0 || to_server.write_all(&buffer[..n]).await.is_err() {
                        break;
                    }
                    counter.fetch_add(1, Ordering::SeqCst);
                }
            });
            tokio::spawn(async move { tokio::io::copy(&mut from_server, &mut to_client).await });
        }
    });
    (port, sends)
}

/// The statement both tests count.
const SELECT: &str = "SELECT 1 AS one";

/// A new PostgreSQL database reached through [`counting_proxy`], and the count of what is sent,
/// at zero. The pool's two connections (its size on PostgreSQL with one reader) are both opened,
/// with the statement prepared, before anything is counted. The database lives as long as the
/// `TestDb`.
async fn proxied() -> (TestDb, Database, Arc<AtomicUsize>) {
    let test = TestDb::on(Backend::Postgres).await;
    let address = test.url.split('@').nth(1).and_then(|rest| rest.split('/').next()).expect("host:port in the URL");
    let (port, sends) = counting_proxy(address.to_owned()).await;
    let proxied = test.url.replacen(address, &format!("127.0.0.1:{port}"), 1);
    let db = Database::connect(&proxied, DatabaseOptions { readers: 1, ..DatabaseOptions::default() })
        .await
        .expect("connect through the proxy");
    let select = || Statement::from_string(db.backend(), SELECT);
    for _ in 0..3 {
        let (a, b) = tokio::join!(db.reader().query_one_raw(select()), db.reader().query_one_raw(select()));
        a.expect("first");
        b.expect("second");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    sends.store(0, Ordering::SeqCst);
    (test, db, sends)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_statement_on_a_connection_used_moments_ago_is_not_preceded_by_a_ping() {
    if !common::postgres_available("a_statement_on_a_connection_used_moments_ago_is_not_preceded_by_a_ping") {
        return;
    }
    let (_test, db, sends) = proxied().await;
    let select = || Statement::from_string(db.backend(), SELECT);
    const STATEMENTS: usize = 20;
    for _ in 0..STATEMENTS {
        let row = db.reader().query_one_raw(select()).await.expect("select").expect("a row");
        assert_eq!(row.try_get_by_index::<i32>(0).expect("one"), 1);
    }
    // sqlx checks each connection as it goes back to the pool, after the answer: let those finish.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = sends.load(Ordering::SeqCst);
    // The statement and the check on its return: two; a ping before each would make three.
    assert!(sent <= 2 * STATEMENTS, "{sent} messages sent for {STATEMENTS} statements");
    assert!(sent >= STATEMENTS, "{sent} messages sent for {STATEMENTS} statements: the proxy saw them all?");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_held_reader_gives_its_connection_back_once() {
    if !common::postgres_available("a_held_reader_gives_its_connection_back_once") {
        return;
    }
    let (_test, db, sends) = proxied().await;
    let select = || Statement::from_string(db.backend(), SELECT);
    const STATEMENTS: usize = 20;
    let reader = db.held_reader().await.expect("a connection");
    for _ in 0..STATEMENTS {
        let rows = reader.query_all_raw(select()).await.expect("select");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].try_get_by_index::<i32>(0).expect("one"), 1);
    }
    drop(reader);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = sends.load(Ordering::SeqCst);
    // Each statement, and one check as the connection goes back; through the pool, each
    // statement's connection would be checked on its return (twice as many).
    assert!(sent <= STATEMENTS + 1, "{sent} messages sent for {STATEMENTS} statements on one held connection");
    assert!(sent >= STATEMENTS, "{sent} messages sent for {STATEMENTS} statements: the proxy saw them all?");
}
