//! The real binary killed with SIGKILL, on SQLite: under eight concurrent writers, every write
//! acknowledged before the kill is there after a restart, and the file passes SQLite's integrity,
//! foreign-key and full-text checks; an import killed at any moment leaves all of its file or
//! none of it, never a part.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::process::{Server, blocking, chronik};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};
use tokio::sync::Mutex;

fn token(dir: &Path, database: &str) -> String {
    let out = chronik(dir)
        .args(["--database", database, "token", "create", "--name", "writer", "--role", "editor"])
        .stdout(Stdio::piped())
        .output()
        .expect("token create");
    assert!(out.status.success(), "token create: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().last().expect("the token").trim().to_owned()
}

fn serve(dir: &Path, database: &str) -> Server {
    let mut command = chronik(dir);
    command.args(["--database", database, "serve", "--no-example", "--listen", "127.0.0.1:0"]);
    blocking(|| Server::start(command))
}

/// One SQL answer of the file, read by a connection of the test's own.
async fn scalar(database: &str, sql: &str) -> String {
    let db = Database::connect(format!("sqlite://{database}?mode=ro")).await.expect("open the file");
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect(sql);
    let values: Vec<String> = rows
        .iter()
        .map(|row| {
            row.try_get_by_index::<String>(0)
                .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
                .expect("a value")
        })
        .collect();
    db.close().await.expect("close");
    values.join("\n")
}

async fn titles(database: &str) -> BTreeSet<String> {
    scalar(database, "SELECT title FROM event")
        .await
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// SQLite's own checks of the file: pages, foreign keys, the full-text index against its table.
async fn assert_sound(database: &str) {
    assert_eq!(scalar(database, "PRAGMA integrity_check").await, "ok", "integrity_check");
    assert_eq!(scalar(database, "PRAGMA foreign_key_check").await, "", "foreign_key_check");
    let db = Database::connect(format!("sqlite://{database}")).await.expect("open the file");
    db.execute_unprepared("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
        .await
        .expect("the full-text index matches its table");
    db.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_writes_survive_kill_9_under_eight_writers() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let database = dir.path().join("chronik.db").display().to_string();
    let token = token(dir.path(), &database);
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    for round in 0..3 {
        let mut server = serve(dir.path(), &database);
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..8)
            .map(|writer| {
                let (client, address) = (server.client.clone(), server.address);
                let (token, stop, acknowledged) = (token.clone(), stop.clone(), acknowledged.clone());
                tokio::spawn(async move {
                    let mut i = 0;
                    while !stop.load(Ordering::SeqCst) {
                        let title = format!("round {round} writer {writer} write {i:05}");
                        i += 1;
                        let query =
                            "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { title } } }";
                        let input = json!({ "title": title, "kind": "statement", "start": "2024-03-01",
                            "tags": ["crash"], "summary": "written while the server may be killed" });
                        let sent = client
                            .post(format!("http://{address}/graphql"))
                            .bearer_auth(&token)
                            .json(&json!({ "query": query, "variables": { "input": input } }))
                            .send()
                            .await;
                        // A write whose answer never arrived may or may not be stored: only an
                        // answer of success is an acknowledgement.
                        let Ok(response) = sent else { continue };
                        let Ok(body) = response.json::<Value>().await else { continue };
                        if body["data"]["createEvent"]["event"]["title"] == title.as_str() {
                            acknowledged.lock().await.insert(title);
                        }
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        server.child.kill().expect("kill -9");
        server.child.wait().expect("wait");
        stop.store(true, Ordering::SeqCst);
        for writer in writers {
            writer.await.expect("writer");
        }
        let stored = titles(&database).await;
        let acknowledged = acknowledged.lock().await;
        let lost: Vec<_> = acknowledged.difference(&stored).collect();
        assert!(lost.is_empty(), "round {round}: {} acknowledged writes lost: {lost:?}", lost.len());
        assert!(acknowledged.len() > (round + 1) * 20, "round {round}: writes were made ({})", acknowledged.len());
        assert_sound(&database).await;
    }
    // The file still serves after three crashes.
    let server = serve(dir.path(), &database);
    assert!(server.total_events().await >= 60);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_killed_at_any_moment_leaves_all_of_it_or_nothing() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let events = 6_000;
    let generate = chronik(dir.path())
        .args(["generate", "--events", &events.to_string(), "--seed", "5", "--out", "data.jsonl"])
        .output()
        .expect("generate");
    assert!(generate.status.success(), "generate: {}", String::from_utf8_lossy(&generate.stderr));

    // What the whole file leaves when nothing stops it: its events, and a revision for each plus
    // one for each event whose links or parent were written after it.
    let reference = dir.path().join("reference.db").display().to_string();
    let full = chronik(dir.path()).args(["--database", &reference, "import", "data.jsonl"]).output().expect("import");
    assert!(full.status.success(), "import: {}", String::from_utf8_lossy(&full.stderr));
    let whole: i64 = scalar(&reference, "SELECT count(*) FROM event").await.parse().expect("a count");
    assert_eq!(whole, events, "the uninterrupted import stores every event");
    let whole_history: i64 = scalar(&reference, "SELECT count(*) FROM event_revision").await.parse().expect("a count");
    assert!(whole_history >= events, "a revision per event at least ({whole_history})");

    let mut interrupted = 0;
    for (attempt, after_ms) in [150u64, 400, 800, 1600, 3200].into_iter().enumerate() {
        let database = dir.path().join(format!("import-{attempt}.db")).display().to_string();
        let migrate = chronik(dir.path()).args(["--database", &database, "migrate"]).output().expect("migrate");
        assert!(migrate.status.success());
        let mut import =
            chronik(dir.path()).args(["--database", &database, "import", "data.jsonl"]).spawn().expect("import");
        std::thread::sleep(Duration::from_millis(after_ms));
        let running = import.try_wait().expect("try_wait").is_none();
        import.kill().expect("kill -9");
        import.wait().expect("wait");
        let stored: i64 = scalar(&database, "SELECT count(*) FROM event").await.parse().expect("a count");
        assert!(stored == 0 || stored == events, "attempt {attempt}: {stored} of {events} events stored");
        if running && stored == 0 {
            interrupted += 1;
        }
        let history: i64 = scalar(&database, "SELECT count(*) FROM event_revision").await.parse().expect("a count");
        let expected = if stored == 0 { 0 } else { whole_history };
        assert_eq!(history, expected, "attempt {attempt}: the whole history, or none");
        assert_sound(&database).await;
    }
    assert!(interrupted >= 2, "at least two kills landed while the import ran ({interrupted})");
}
