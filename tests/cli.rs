//! The real `chronik` binary in a temporary directory: `serve` (the default), the example affair on
//! a new database only, `--no-example` and its variable, `migrate`, the `CHRONIK_*` variables and
//! a graceful shutdown on SIGTERM.

mod common;

use std::path::Path;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use common::process::{EXAMPLE_LOADED, Server, blocking, chronik, plain};

use chronik_api::Database;
use chronik_api::db::DatabaseOptions;

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

#[tokio::test(flavor = "multi_thread")]
async fn tokens_are_created_listed_and_revoked_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("t.db");
    let token_command = |args: &[&str]| {
        let mut command = chronik(dir.path());
        command.arg("--database").arg(&path).arg("token").args(args).stdout(std::process::Stdio::piped());
        command
    };
    let output = token_command(&["create", "--name", "desk", "--role", "editor"]).output().expect("token create");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let secret = stdout.lines().last().expect("a last line").trim().to_owned();
    assert!(secret.starts_with("chronik_") && secret.len() > 40, "the last line is the token alone: {stdout:?}");

    let listed = token_command(&["list"]).output().expect("token list");
    let listing = String::from_utf8(listed.stdout).expect("utf-8");
    assert!(listing.contains("desk") && listing.contains("editor") && listing.contains("active"), "{listing}");
    assert!(!listing.contains(&secret), "the listing shows the secret");

    let db = Database::connect(path.to_str().expect("utf-8"), DatabaseOptions::default()).await.expect("open");
    let principal = chronik_api::auth::tokens::verify(&db, &secret).await.expect("verify");
    assert_eq!(principal.map(|p| p.name), Some("desk".to_owned()));

    let revoked = token_command(&["revoke", "desk"]).output().expect("token revoke");
    assert!(revoked.status.success());
    assert!(
        chronik_api::auth::tokens::verify(&db, &secret).await.expect("verify").is_none(),
        "a revoked token still works"
    );
    let listing = String::from_utf8(token_command(&["list"]).output().expect("list").stdout).expect("utf-8");
    assert!(listing.contains("revoked"), "{listing}");
}
