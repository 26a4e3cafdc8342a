//! The real `chronik` binary in a temporary directory: `serve` (the default), the example affair on
//! a new database only, `--no-example` and its variable, `migrate`, the `CHRONIK_*` variables and
//! a graceful shutdown on SIGTERM.

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use chronik_api::Database;
use chronik_api::db::DatabaseOptions;
use serde_json::{Value, json};

const STARTUP: Duration = Duration::from_secs(30);
const SHUTDOWN: Duration = Duration::from_secs(10);
const LISTENING: &str = "listening on http://";
const EXAMPLE_LOADED: &str = "loaded the example affair";

/// The binary with a clean environment: no `CHRONIK_*` variable leaks in from the caller.
fn chronik(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chronik"));
    command.current_dir(dir).env("RUST_LOG", "info").env("NO_COLOR", "1");
    for name in
        ["CHRONIK_DATABASE_URL", "CHRONIK_LISTEN", "CHRONIK_NO_EXAMPLE", "CHRONIK_SQLITE_READERS", "CHRONIK_BODY_LIMIT"]
    {
        command.env_remove(name);
    }
    command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    command
}

/// Drops ANSI escape sequences, in case the log is coloured after all.
fn plain(line: &str) -> String {
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
struct Server {
    child: Child,
    lines: Receiver<String>,
    /// The log lines up to and including the "listening" one.
    startup: Vec<String>,
    address: SocketAddr,
    /// Kept for the server's lifetime, so an idle keep-alive connection is open when it is told to stop.
    client: reqwest::Client,
}

impl Server {
    /// Spawns the command and waits (at most 30 s) for it to say where it listens.
    fn start(mut command: Command) -> Self {
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

    fn logged(&self, text: &str) -> bool {
        self.startup.iter().any(|line| line.contains(text))
    }

    /// `totalCount` of all events, over HTTP.
    async fn total_events(&self) -> i64 {
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
    fn terminate(mut self) -> (ExitStatus, Vec<String>) {
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
fn blocking<T>(work: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(work)
}

/// Runs a command that should finish by itself (at most 60 s) and returns its status and stderr.
fn run(mut command: Command) -> (ExitStatus, String) {
    let mut child = command.spawn().expect("spawn chronik");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chronik did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status, plain(&reader.join().expect("stderr reader")))
}

/// Opens a database file with the library and reports how many migrations were still pending.
async fn pending_migrations(path: &Path) -> usize {
    let db = Database::connect(path.to_str().expect("utf-8 path"), DatabaseOptions::default()).await.expect("open");
    let migrated = db.migrate().await.expect("migrate");
    db.close().await.expect("close");
    migrated.applied
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_loads_the_example_and_shuts_down_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("c.db");
    let mut command = chronik(dir.path());
    command.arg("--database").arg(&path).args(["serve", "--listen", "127.0.0.1:0"]);
    let server = blocking(|| Server::start(command));

    assert!(server.address.ip().is_loopback() && server.address.port() != 0, "{}", server.address);
    assert!(server.logged(EXAMPLE_LOADED), "no example line in {:#?}", server.startup);
    assert!(server.total_events().await >= 12);
    assert!(path.exists());

    let (status, rest) = blocking(|| server.terminate());
    assert!(status.success(), "exit status {status}; log after start: {rest:#?}");
    assert!(rest.iter().any(|line| line.contains("shutting down")), "log after start: {rest:#?}");
    // Closed cleanly: SQLite checkpointed the WAL and removed it with the last connection.
    assert!(!dir.path().join("c.db-wal").exists(), "the WAL is still there after a graceful shutdown");
}

#[tokio::test(flavor = "multi_thread")]
async fn restart_on_the_same_file_keeps_the_data_and_loads_no_example() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("c.db");
    let serve = || {
        let mut command = chronik(dir.path());
        command.arg("--database").arg(&path).args(["serve", "--listen", "127.0.0.1:0"]);
        blocking(|| Server::start(command))
    };

    let first = serve();
    assert!(first.logged(EXAMPLE_LOADED), "no example line in {:#?}", first.startup);
    let count = first.total_events().await;
    assert!(count >= 12, "{count}");
    let (status, _) = blocking(|| first.terminate());
    assert!(status.success(), "{status}");

    let second = serve();
    assert!(!second.logged("example affair"), "the example was loaded again: {:#?}", second.startup);
    assert!(!second.logged("migrated the database"), "migrations ran again: {:#?}", second.startup);
    assert_eq!(second.total_events().await, count);
    let (status, _) = blocking(|| second.terminate());
    assert!(status.success(), "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_example_flag_leaves_a_new_database_empty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut command = chronik(dir.path());
    command.arg("--database").arg(dir.path().join("n.db")).args(["serve", "--listen", "127.0.0.1:0", "--no-example"]);
    let server = blocking(|| Server::start(command));
    assert!(!server.logged("example affair"), "{:#?}", server.startup);
    assert_eq!(server.total_events().await, 0);
    let (status, _) = blocking(|| server.terminate());
    assert!(status.success(), "{status}");
}

async fn serve_with_no_example_variable(value: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut command = chronik(dir.path());
    command.env("CHRONIK_NO_EXAMPLE", value);
    command.arg("--database").arg(dir.path().join("e.db")).args(["serve", "--listen", "127.0.0.1:0"]);
    let server = blocking(|| Server::start(command));
    assert!(!server.logged("example affair"), "{:#?}", server.startup);
    assert_eq!(server.total_events().await, 0);
    let (status, _) = blocking(|| server.terminate());
    assert!(status.success(), "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_example_variable_true_leaves_a_new_database_empty() {
    serve_with_no_example_variable("true").await;
}

/// The start-up log itself tells users to set `CHRONIK_NO_EXAMPLE=1`.
#[tokio::test(flavor = "multi_thread")]
async fn no_example_variable_one_leaves_a_new_database_empty() {
    serve_with_no_example_variable("1").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn migrate_creates_the_database_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.db");
    let mut command = chronik(dir.path());
    command.arg("--database").arg(&path).arg("migrate");
    let (status, log) = blocking(|| run(command));
    assert!(status.success(), "exit status {status}; log: {log}");
    assert!(path.exists(), "migrate did not create {}", path.display());
    assert!(!dir.path().join("chronik.db").exists(), "the default database was created instead");
    assert_eq!(pending_migrations(&path).await, 0, "migrate left migrations pending");

    // Again on the same file: nothing to do, still a success.
    let mut command = chronik(dir.path());
    command.arg("--database").arg(&path).arg("migrate");
    let (status, log) = blocking(|| run(command));
    assert!(status.success(), "exit status {status}; log: {log}");
}

#[tokio::test(flavor = "multi_thread")]
async fn database_url_variable_selects_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("from-env.db");
    let mut command = chronik(dir.path());
    command.env("CHRONIK_DATABASE_URL", &path).arg("migrate");
    let (status, log) = blocking(|| run(command));
    assert!(status.success(), "exit status {status}; log: {log}");
    assert!(path.exists(), "CHRONIK_DATABASE_URL was ignored");
    assert!(!dir.path().join("chronik.db").exists(), "the default database was created instead");
    assert_eq!(pending_migrations(&path).await, 0, "migrate left migrations pending");

    // The same variable as a sqlite:// URL, for serve.
    let url_path = dir.path().join("url.db");
    let mut command = chronik(dir.path());
    command.env("CHRONIK_DATABASE_URL", format!("sqlite://{}", url_path.display())).args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--no-example",
    ]);
    let server = blocking(|| Server::start(command));
    assert!(url_path.exists(), "CHRONIK_DATABASE_URL (sqlite://) was ignored");
    assert_eq!(server.total_events().await, 0);
    let (status, _) = blocking(|| server.terminate());
    assert!(status.success(), "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bare_chronik_serves_with_the_default_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut command = chronik(dir.path());
    command.env("CHRONIK_LISTEN", "127.0.0.1:0");
    let server = blocking(|| Server::start(command));
    assert!(server.address.ip().is_loopback() && server.address.port() != 0, "{}", server.address);
    assert!(dir.path().join("chronik.db").exists(), "the default database chronik.db was not created");
    assert!(server.logged(EXAMPLE_LOADED), "{:#?}", server.startup);
    assert!(server.total_events().await >= 12);
    let (status, _) = blocking(|| server.terminate());
    assert!(status.success(), "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_on_a_busy_port_fails_instead_of_hanging() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("c.db");
    let mut command = chronik(dir.path());
    command.arg("--database").arg(&path).args(["serve", "--listen", "127.0.0.1:0", "--no-example"]);
    let server = blocking(|| Server::start(command));

    let mut command = chronik(dir.path());
    command.arg("--database").arg(&path).args(["serve", "--listen", &server.address.to_string()]);
    let (status, log) = blocking(|| run(command));
    assert!(!status.success(), "a second server on {} started; log: {log}", server.address);
    assert!(log.contains("cannot listen on"), "log: {log}");

    // The first one is unaffected.
    assert_eq!(server.total_events().await, 0);
    let (status, _) = blocking(|| server.terminate());
    assert!(status.success(), "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bare_chronik_rejects_a_malformed_listen_variable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut command = chronik(dir.path());
    command.env("CHRONIK_LISTEN", "not-an-address");
    let (status, log) = blocking(|| run(command));
    assert_eq!(status.code(), Some(2), "log: {log}");
    assert!(log.contains("not-an-address"), "log: {log}");
    assert!(!dir.path().join("chronik.db").exists(), "a database was created before the configuration was checked");
}
