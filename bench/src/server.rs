//! The server under test: `chronik serve` as a child process on a free loopback port, on the
//! imported database, without the example affair.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use crate::Args;
use crate::data::{Imported, peak_kb, status_kb};

pub struct Server {
    child: Child,
    pub url: String,
    pub client: reqwest::Client,
    /// An editor's token, for mutations (reads are public and go without one).
    token: String,
}

/// Creates an editor token with the CLI; it prints the secret alone on its last line.
fn editor_token(args: &Args, imported: &Imported) -> anyhow::Result<String> {
    let name = format!("bench-{}", std::process::id());
    let output = Command::new(&args.chronik)
        .arg("--database")
        .arg(&imported.database)
        .args(["token", "create", "--name", &name, "--role", "editor"])
        .stderr(Stdio::null())
        .output()
        .context("chronik token create")?;
    let stdout = String::from_utf8(output.stdout)?;
    let token = stdout.lines().last().map(str::trim).unwrap_or_default().to_owned();
    if !output.status.success() || token.is_empty() {
        bail!("chronik token create failed");
    }
    Ok(token)
}

impl Server {
    pub async fn start(args: &Args, imported: &Imported) -> anyhow::Result<Self> {
        let token = editor_token(args, imported)?;
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        // The rate limit on mutations (600 a minute per token by default) would measure itself.
        let child = Command::new(&args.chronik)
            .arg("--database")
            .arg(&imported.database)
            .args(["serve", "--no-example", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--mutations-per-minute", "100000000"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("spawn chronik serve")?;
        // A connection idle between two phases is not reused: the server may be closing it
        // (its idle and header timeouts) just as the next phase's first request goes out on it.
        let client =
            reqwest::Client::builder().pool_max_idle_per_host(64).pool_idle_timeout(Duration::from_secs(5)).build()?;
        let server = Self { child, url: format!("http://127.0.0.1:{port}/graphql"), client, token };
        let health = format!("http://127.0.0.1:{port}/healthz");
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if server.client.get(&health).send().await.is_ok_and(|r| r.status().is_success()) {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("the server did not answer /healthz within 120 s")
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

    /// Posts a GraphQL query; the body as JSON, after checking there are no errors.
    pub async fn graphql(&self, query: &str, variables: serde_json::Value) -> anyhow::Result<serde_json::Value> {
        self.post(query, variables, false).await
    }

    /// Posts a mutation, with the editor's token.
    pub async fn mutate(&self, query: &str, variables: serde_json::Value) -> anyhow::Result<serde_json::Value> {
        self.post(query, variables, true).await
    }

    async fn post(&self, query: &str, variables: serde_json::Value, token: bool) -> anyhow::Result<serde_json::Value> {
        let body = serde_json::json!({ "query": query, "variables": variables });
        let mut request = self.client.post(&self.url).json(&body);
        if token {
            request = request.bearer_auth(&self.token);
        }
        let response = request.send().await?;
        let status = response.status();
        let value: serde_json::Value = response.json().await?;
        if !status.is_success() || value.get("errors").is_some() {
            bail!("GraphQL answered {status}: {value}");
        }
        value.get("data").cloned().context("no data")
    }

    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
