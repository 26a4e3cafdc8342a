//! The real `chronik` binary as a child process: started with a clean environment, its address
//! read from its log, stopped with SIGTERM.

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const STARTUP: Duration = Duration::from_secs(30);
pub const SHUTDOWN: Duration = Duration::from_secs(10);
pub const LISTENING: &str = "listening on http://";
pub const EXAMPLE_LOADED: &str = "loaded the example affair";

/// The binary with a clean environment: no `CHRONIK_*` variable leaks in from the caller.
pub fn chronik(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chronik"));
    command.current_dir(dir).env("RUST_LOG", "info").env("NO_COLOR", "1");
    // Every option has a CHRONIK_* variable, and the tests' own (CHRONIK_TEST_POSTGRES_URL,
    // CHRONIK_REQUIRE_POSTGRES) share the prefix: none of them may configure the binary.
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(|name| name.starts_with("CHRONIK_")) {
            command.env_remove(name);
        }
    }
    command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    command
}

/// Drops ANSI escape sequences, in case the log is coloured after all.
pub fn plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A running `chronik`, killed when dropped if it is still running.
pub struct Server {
    pub child: Child,
    pub lines: Receiver<String>,
    /// The log lines up to and including the "listening" one.
    pub startup: Vec<String>,
    pub address: SocketAddr,
    /// Kept for the server's lifetime, so an idle keep-alive connection is open when it is told to stop.
    pub client: reqwest::Client,
}

impl Server {
    /// Spawns the command and waits (at most 30 s) for it to say where it listens.
    pub fn start(mut command: Command) -> Self {
        let mut child = command.spawn().expect("spawn chronik");
        let stderr = child.stderr.take().expect("piped stderr");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if sender.send(plain(&line)).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + STARTUP;
        let mut startup = Vec::new();
        let address = loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(remaining) {
                Ok(line) => {
                    let address = line.split_once(LISTENING).map(|(_, rest)| {
                        let end = rest.find(|c: char| c.is_whitespace() || c == '/' || c == ')').unwrap_or(rest.len());
                        rest[..end].parse::<SocketAddr>().unwrap_or_else(|e| panic!("bad address in {line:?}: {e}"))
                    });
                    startup.push(line);
                    if let Some(address) = address {
                        break address;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("chronik did not say where it listens within {STARTUP:?}; log: {startup:#?}");
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = child.wait().expect("wait");
                    panic!("chronik exited ({status}) before listening; log: {startup:#?}");
                }
            }
        };
        let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("client");
        Self { child, lines, startup, address, client }
    }

    pub fn logged(&self, text: &str) -> bool {
        self.startup.iter().any(|line| line.contains(text))
    }

    /// `totalCount` of all events, over HTTP.
    pub async fn total_events(&self) -> i64 {
        let response = self
            .client
            .post(format!("http://{}/graphql", self.address))
            .json(&json!({ "query": "{ events(first: 500) { totalCount } }" }))
            .send()
            .await
            .expect("POST /graphql");
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        let body: Value = response.json().await.expect("JSON");
        assert!(body.get("errors").is_none(), "errors: {body}");
        body["data"]["events"]["totalCount"].as_i64().unwrap_or_else(|| panic!("no totalCount: {body}"))
    }

    /// Sends SIGTERM and waits (at most 10 s) for the process to exit; returns its status and
    /// the lines it logged after starting.
    pub fn terminate(mut self) -> (ExitStatus, Vec<String>) {
        let pid = self.child.id().to_string();
        let kill = Command::new("kill").args(["-TERM", &pid]).status().expect("run kill");
        assert!(kill.success(), "kill -TERM {pid} failed");
        let deadline = Instant::now() + SHUTDOWN;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(Instant::now() < deadline, "chronik did not exit within {SHUTDOWN:?} of SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        // The process is gone: its stderr ends, so the reader thread hangs up soon.
        let mut rest = Vec::new();
        let deadline = Instant::now() + SHUTDOWN;
        loop {
            match self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) => rest.push(line),
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => panic!("stderr stayed open after the process exited"),
            }
        }
        (status, rest)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs blocking process work without stalling the runtime's other tasks.
pub fn blocking<T>(work: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(work)
}
