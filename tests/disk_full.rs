//! The real binary on a real full disk (a small tmpfs the test mounts, which needs root): while
//! the disk is full every write is refused with UNAVAILABLE, none is acknowledged that is not
//! stored, the server takes writes again once space is freed, and after a kill -9 and a restart
//! the database holds exactly the writes that were acknowledged.
//!
//! Without root the test is skipped with a notice, unless `CHRONIK_REQUIRE_ROOT_TESTS` is set
//! (as in CI), where a skip is a failure.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use common::process::{Server, blocking, chronik};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A tmpfs of its own, unmounted when dropped.
struct Tmpfs {
    dir: TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if mounted {
            return Some(Self { dir });
        }
        if std::env::var_os("CHRONIK_REQUIRE_ROOT_TESTS").is_some() {
            panic!("CHRONIK_REQUIRE_ROOT_TESTS is set but a tmpfs cannot be mounted (not root?)");
        }
        eprintln!("disk_full: skipped (mounting a tmpfs needs root; CI runs it)");
        None
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Bytes still free on the file system.
    fn available(&self) -> u64 {
        let out = Command::new("df").args(["--output=avail", "-B1"]).arg(self.path()).output().expect("df");
        let text = String::from_utf8_lossy(&out.stdout);
        text.lines().nth(1).and_then(|line| line.trim().parse().ok()).expect("df prints the free bytes")
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

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

/// What became of one createEvent.
enum Outcome {
    Acknowledged,
    Refused(String),
}

async fn create(server: &Server, token: &str, title: &str, summary: &str) -> Outcome {
    let query = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id title } } }";
    let input = json!({ "title": title, "kind": "statement", "start": "2024-03-01", "summary": summary });
    let response = server
        .client
        .post(format!("http://{}/graphql", server.address))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": { "input": input } }))
        .send()
        .await
        .expect("POST /graphql");
    let body: Value = response.json().await.expect("a JSON body");
    if body["data"]["createEvent"]["event"]["title"] == title {
        assert!(body.get("errors").is_none(), "an acknowledged write with errors: {body}");
        return Outcome::Acknowledged;
    }
    let code = body["errors"][0]["extensions"]["code"].as_str().unwrap_or("none").to_owned();
    let message = body["errors"][0]["message"].as_str().unwrap_or("").to_owned();
    Outcome::Refused(format!("{code}: {message}"))
}

/// Every title the server has.
async fn titles(server: &Server) -> BTreeSet<String> {
    let mut titles = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let body: Value = server
            .client
            .post(format!("http://{}/graphql", server.address))
            .json(&json!({
                "query": "query($after: String) { events(first: 100, after: $after) {
                    pageInfo { hasNextPage endCursor } edges { node { title } } } }",
                "variables": { "after": after },
            }))
            .send()
            .await
            .expect("POST /graphql")
            .json()
            .await
            .expect("JSON");
        let events = &body["data"]["events"];
        let edges = events["edges"].as_array().unwrap_or_else(|| panic!("no events: {body}"));
        titles.extend(edges.iter().map(|edge| edge["node"]["title"].as_str().expect("title").to_owned()));
        if events["pageInfo"]["hasNextPage"] != true {
            return titles;
        }
        after = events["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_refuses_writes_loudly_and_loses_none_that_were_acknowledged() {
    let Some(disk) = Tmpfs::mount("16m") else {
        return;
    };
    let database = disk.path().join("chronik.db").display().to_string();
    let token = token(disk.path(), &database);
    let server = serve(disk.path(), &database);

    // Leave about 2 MiB free: room for a few dozen events of 15 kB, not for a hundred and fifty.
    let filler = disk.path().join("filler");
    let room = disk.available().saturating_sub(2 << 20);
    std::fs::write(&filler, vec![0u8; usize::try_from(room).expect("size")]).expect("fill the disk");

    let summary = "s".repeat(15_000);
    let mut acknowledged = BTreeSet::new();
    let mut refused = Vec::new();
    // One writer at a time, then four at once: writes alone and writes sharing group commits.
    for i in 0..60 {
        let title = format!("alone {i:03}");
        match create(&server, &token, &title, &summary).await {
            Outcome::Acknowledged => acknowledged.insert(title),
            Outcome::Refused(why) => {
                refused.push((title, why));
                false
            }
        };
    }
    let clients = (0..4).map(|client| {
        let (server, token, summary) = (&server, &token, &summary);
        async move {
            let mut outcomes = Vec::new();
            for i in 0..30 {
                let title = format!("client {client} {i:03}");
                outcomes.push((create(server, token, &title, summary).await, title));
            }
            outcomes
        }
    });
    for client in futures_util::future::join_all(clients).await {
        for (outcome, title) in client {
            match outcome {
                Outcome::Acknowledged => acknowledged.insert(title),
                Outcome::Refused(why) => {
                    refused.push((title, why));
                    false
                }
            };
        }
    }
    assert!(refused.len() > 30, "the disk filled up: only {} of 180 writes were refused", refused.len());
    for (title, why) in &refused {
        assert!(why.starts_with("UNAVAILABLE: the write was not saved"), "{title} was refused as {why}");
    }
    assert!(
        refused.iter().any(|(_, why)| why.contains("disk is full")),
        "the refusals say the disk is full: {refused:?}"
    );
    assert_eq!(titles(&server).await, acknowledged, "the server has exactly the acknowledged writes");

    // Space freed: writes are taken again.
    std::fs::remove_file(&filler).expect("free the disk");
    for i in 0..10 {
        let title = format!("after {i:03}");
        match create(&server, &token, &title, &summary).await {
            Outcome::Acknowledged => acknowledged.insert(title),
            Outcome::Refused(why) => panic!("{title} refused once space was freed: {why}"),
        };
    }

    // A crash, then a restart: everything acknowledged is there, nothing refused is.
    let mut server = server;
    server.child.kill().expect("kill -9");
    server.child.wait().expect("wait");
    let restarted = serve(disk.path(), &database);
    assert_eq!(titles(&restarted).await, acknowledged, "after kill -9 and a restart");
}
