//! The peer (issue 15): PostGraphile V5 with the amber preset on Node 22, both from npm in
//! `bench/peer` (`npm ci` there), serving the same PostgreSQL database; the window is its
//! `chronikWindow` field, the STABLE function of `bench/peer/window.sql`.

use std::io::{BufRead as _, BufReader};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context as _, bail};
use serde_json::{Value, json};

use crate::data::{peak_kb, status_kb};
use crate::raw::Row;
use crate::window::{Variant, Windows};

/// The window as the peer's generated schema asks for it: the same fields as Chronik's query,
/// each relation in the order of its primary key (as Chronik and the raw SQL read them).
const QUERY: &str = "query($from: BigInt!, $to: BigInt!, $afterStart: BigInt, $afterPrecision: Int, $afterId: UUID) {
  chronikWindow(fromAt: $from, toAt: $to, afterStart: $afterStart, afterPrecision: $afterPrecision,
    afterId: $afterId, pageSize: 100, first: 100) {
    nodes { rowId title startValue startPrecision
      participationsByEventId(orderBy: PRIMARY_KEY_ASC) { nodes { role actorByActorId { name } } }
      citationsByEventId(orderBy: PRIMARY_KEY_ASC) { nodes { quote sourceBySourceId { title } } } } } }";

pub struct Peer {
    child: Child,
    url: String,
    client: reqwest::Client,
}

impl Peer {
    /// Starts `server.mjs` in `dir` with the Node binary installed there, and waits until it has
    /// built its schema and listens.
    pub fn start(dir: &Path, database: &str) -> anyhow::Result<Self> {
        let node = dir.join("node_modules/.bin/node");
        anyhow::ensure!(node.exists(), "{} is missing: run `npm ci` in {}", node.display(), dir.display());
        // Absolute, as the child runs in `dir`, where a relative path would mean something else.
        let node = node.canonicalize()?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut child = Command::new(&node)
            .arg("server.mjs")
            .current_dir(dir)
            .env("DATABASE_URL", database)
            .env("PORT", port.to_string())
            .env("NODE_ENV", "production")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("spawn PostGraphile")?;
        let stdout = child.stdout.take().context("stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        if line.trim() != "listening" {
            let _ = child.kill();
            bail!("PostGraphile did not start: {line}");
        }
        let client = reqwest::Client::builder().pool_max_idle_per_host(64).timeout(Duration::from_secs(60)).build()?;
        Ok(Self { child, url: format!("http://127.0.0.1:{port}/graphql"), client })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn peak_kb(&self) -> u64 {
        peak_kb(self.child.id()).unwrap_or(0)
    }

    pub fn rss_kb(&self) -> u64 {
        status_kb(self.child.id(), "VmRSS:").unwrap_or(0)
    }

    /// One window query, its body checked against the expected rows.
    pub async fn window(&self, windows: &Windows, variant: Variant, i: usize) -> anyhow::Result<()> {
        let window = windows.pick(i);
        let cursor = variant.cursor();
        let variables = json!({
            "from": window.from.to_string(),
            "to": window.to.to_string(),
            "afterStart": cursor.then(|| window.from.to_string()),
            "afterPrecision": cursor.then_some(0),
            "afterId": cursor.then_some("00000000-0000-0000-0000-000000000000"),
        });
        let response =
            self.client.post(&self.url).json(&json!({ "query": QUERY, "variables": variables })).send().await?;
        let status = response.status();
        let value: Value = response.json().await?;
        if !status.is_success() || value.get("errors").is_some() {
            bail!("PostGraphile answered {status}: {value}");
        }
        check(&value["data"]["chronikWindow"]["nodes"], window.expected(variant))
    }

    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The same check as Chronik's answers get, on the peer's field names.
fn check(nodes: &Value, expected: &[Row]) -> anyhow::Result<()> {
    let nodes = nodes.as_array().ok_or_else(|| anyhow::anyhow!("no nodes: {nodes}"))?;
    anyhow::ensure!(nodes.len() == expected.len(), "{} events, expected {}", nodes.len(), expected.len());
    anyhow::ensure!(expected.len() == 100, "a window with fewer than 100 events");
    let text = |v: &Value| v.as_str().map(str::to_owned);
    for (node, row) in nodes.iter().zip(expected) {
        anyhow::ensure!(node["title"] == row.title.as_str(), "title {} != {}", node["title"], row.title);
        anyhow::ensure!(
            node["rowId"].is_string() && node["startValue"].is_string() && node["startPrecision"].is_number(),
            "incomplete node {node}"
        );
        let list = |relation: &str| node[relation]["nodes"].as_array().cloned().unwrap_or_default();
        let participants: Vec<(String, String)> = list("participationsByEventId")
            .iter()
            .map(|p| (text(&p["role"]).unwrap_or_default(), text(&p["actorByActorId"]["name"]).unwrap_or_default()))
            .collect();
        anyhow::ensure!(participants == row.participants, "participants of {} differ", row.title);
        let citations: Vec<(Option<String>, String)> = list("citationsByEventId")
            .iter()
            .map(|c| (text(&c["quote"]), text(&c["sourceBySourceId"]["title"]).unwrap_or_default()))
            .collect();
        anyhow::ensure!(citations == row.citations, "citations of {} differ", row.title);
    }
    Ok(())
}
