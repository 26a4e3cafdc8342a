//! The real `chronik` binary as a child process, on a new SQLite file and on a new PostgreSQL
//! database: `serve` (the default), the example affair on a new database only, `--no-example`
//! and its variable, `migrate`, `token`, the `CHRONIK_*` variables, a busy port and a graceful
//! shutdown on SIGTERM; on SQLite also the default `chronik.db` and the WAL file.

mod common;

use std::path::Path;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use common::process::{EXAMPLE_LOADED, Server, blocking, chronik, plain};
use common::{Backend, BlankDb};

use chronik_api::Database;
use chronik_api::db::{DatabaseOptions, Migrated};
use sea_orm::{EntityTrait, PaginatorTrait};

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

/// `chronik --database DATABASE serve --listen 127.0.0.1:0 ARGS` in `dir`, once it listens.
fn serve(dir: &Path, database: &str, args: &[&str]) -> Server {
    let mut command = chronik(dir);
    command.args(["--database", database, "serve", "--listen", "127.0.0.1:0"]).args(args);
    blocking(|| Server::start(command))
}

/// Opens a database with the library and migrates it: `applied` is how many migrations were
/// still pending, `created` says the database had none applied yet.
async fn migrate_again(database: &str) -> Migrated {
    let db = Database::connect(database, DatabaseOptions::default()).await.expect("open");
    let migrated = db.migrate().await.expect("migrate");
    db.close().await.expect("close");
    migrated
}

/// Events in a database, counted through the entity: fails if the table is missing.
async fn events_in(database: &str) -> u64 {
    let db = Database::connect(database, DatabaseOptions::default()).await.expect("open");
    let count = entity::event::Entity::find().count(db.reader()).await.expect("count events");
    db.close().await.expect("close");
    count
}

/// Names of the `CHRONIK_*` variables in a running process's environment.
fn chronik_variables(pid: u32) -> Vec<String> {
    let environ = std::fs::read(format!("/proc/{pid}/environ")).expect("read the child's environment");
    environ
        .split(|&byte| byte == 0)
        .filter_map(|entry| std::str::from_utf8(entry).ok())
        .filter_map(|entry| entry.split_once('=').map(|(name, _)| name.to_owned()))
        .filter(|name| name.starts_with("CHRONIK_"))
        .collect()
}

async fn serve_loads_the_example_and_shuts_down_gracefully_on_sigterm(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = BlankDb::on(backend).await;
    let server = serve(dir.path(), &database.url, &[]);

    assert!(server.address.ip().is_loopback() && server.address.port() != 0, "{}", server.address);
    assert!(server.logged(EXAMPLE_LOADED), "no example line in {:#?}", server.startup);
    assert!(server.total_events().await >= 12);
    // The tests' own variables (CHRONIK_TEST_POSTGRES_URL…) share the options' prefix; the binary
    // must be configured by its arguments alone.
    assert_eq!(chronik_variables(server.child.id()), Vec::<String>::new(), "variables leaked into the binary");
    if let Some(file) = database.file() {
        assert!(file.exists(), "{} was not created", file.display());
    }

    let (status, rest) = blocking(|| server.terminate());
    assert!(status.success(), "exit status {status}; log after start: {rest:#?}");
    assert!(rest.iter().any(|line| line.contains("shutting down")), "log after start: {rest:#?}");
    if database.file().is_some() {
        // Closed cleanly: SQLite checkpointed the WAL and removed it with the last connection.
        let wal = format!("{}-wal", database.url);
        assert!(!Path::new(&wal).exists(), "the WAL is still there after a graceful shutdown");
    }
    assert_eq!(migrate_again(&database.url).await.applied, 0, "serve left migrations pending");
}

async fn restart_on_the_same_database_keeps_the_data_and_loads_no_example(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = BlankDb::on(backend).await;

    let first = serve(dir.path(), &database.url, &[]);
    assert!(first.logged("migrated the database"), "no migration line in {:#?}", first.startup);
    assert!(first.logged(EXAMPLE_LOADED), "no example line in {:#?}", first.startup);
    let count = first.total_events().await;
    assert!(count >= 12, "{count}");
    let (status, _) = blocking(|| first.terminate());
    assert!(status.success(), "{status}");

    let second = serve(dir.path(), &database.url, &[]);
    assert!(!second.logged("example affair"), "the example was loaded again: {:#?}", second.startup);
    assert!(!second.logged("migrated the database"), "migrations ran again: {:#?}", second.startup);
    assert_eq!(second.total_events().await, count);
    let (status, _) = blocking(|| second.terminate());
    assert!(status.success(), "{status}");
}

async fn no_example_flag_leaves_a_new_database_empty(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = BlankDb::on(backend).await;
    let server = serve(dir.path(), &database.url, &["--no-example"]);
    assert!(!server.logged("example affair"), "{:#?}", server.startup);
    assert_eq!(server.total_events().await, 0);
    let (status, _) = blocking(|| server.terminate());
    assert!(status.success(), "{status}");
}

async fn serve_with_no_example_variable(backend: Backend, value: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = BlankDb::on(backend).await;
    let mut command = chronik(dir.path());
    command.env("CHRONIK_NO_EXAMPLE", value);
    command.args(["--database", &database.url, "serve", "--listen", "127.0.0.1:0"]);
    let server = blocking(|| Server::start(command));
    assert!(!server.logged("example affair"), "{:#?}", server.startup);
    assert_eq!(server.total_events().await, 0);
    let (status, _) = blocking(|| server.terminate());
    assert!(status.success(), "{status}");
}

async fn no_example_variable_true_leaves_a_new_database_empty(backend: Backend) {
    serve_with_no_example_variable(backend, "true").await;
}

/// The start-up log itself tells users to set `CHRONIK_NO_EXAMPLE=1`.
async fn no_example_variable_one_leaves_a_new_database_empty(backend: Backend) {
    serve_with_no_example_variable(backend, "1").await;
}

async fn migrate_creates_the_database(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = BlankDb::on(backend).await;
    let migrate = || {
        let mut command = chronik(dir.path());
        command.args(["--database", &database.url, "migrate"]);
        blocking(|| run(command))
    };
    let (status, log) = migrate();
    assert!(status.success(), "exit status {status}; log: {log}");
    if let Some(file) = database.file() {
        assert!(file.exists(), "migrate did not create {}", file.display());
    }
    assert!(!dir.path().join("chronik.db").exists(), "the default database was created instead");
    assert_eq!(migrate_again(&database.url).await.applied, 0, "migrate left migrations pending");
    assert_eq!(events_in(&database.url).await, 0, "migrate wrote events");

    // Again on the same database: nothing to do, still a success.
    let (status, log) = migrate();
    assert!(status.success(), "exit status {status}; log: {log}");
}

/// The URL `CHRONIK_DATABASE_URL` is given for `serve`: on SQLite the `sqlite://` form of the path.
fn as_url(database: &BlankDb) -> String {
    match database.file() {
        Some(file) => format!("sqlite://{}", file.display()),
        None => database.url.clone(),
    }
}

async fn database_url_variable_selects_the_database(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = BlankDb::on(backend).await;
    let mut command = chronik(dir.path());
    command.env("CHRONIK_DATABASE_URL", &database.url).arg("migrate");
    let (status, log) = blocking(|| run(command));
    assert!(status.success(), "exit status {status}; log: {log}");
    if let Some(file) = database.file() {
        assert!(file.exists(), "CHRONIK_DATABASE_URL was ignored");
    }
    assert!(!dir.path().join("chronik.db").exists(), "the default database was created instead");
    assert_eq!(migrate_again(&database.url).await.applied, 0, "migrate left migrations pending");

    // The same variable as a URL, for serve.
    let served = BlankDb::on(backend).await;
    let mut command = chronik(dir.path());
    command.env("CHRONIK_DATABASE_URL", as_url(&served)).args(["serve", "--listen", "127.0.0.1:0", "--no-example"]);
    let server = blocking(|| Server::start(command));
    if let Some(file) = served.file() {
        assert!(file.exists(), "CHRONIK_DATABASE_URL (sqlite://) was ignored");
    }
    assert_eq!(server.total_events().await, 0);
    let (status, _) = blocking(|| server.terminate());
    assert!(status.success(), "{status}");
    assert!(!dir.path().join("chronik.db").exists(), "serve created the default database instead");
    assert_eq!(migrate_again(&served.url).await.applied, 0, "serve did not migrate the database it was given");
}

/// About the default database, a file in the working directory: SQLite only.
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

async fn serve_on_a_busy_port_fails_instead_of_hanging(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = BlankDb::on(backend).await;
    let server = serve(dir.path(), &database.url, &["--no-example"]);

    let mut command = chronik(dir.path());
    command.args(["--database", &database.url, "serve", "--listen", &server.address.to_string()]);
    let (status, log) = blocking(|| run(command));
    assert!(!status.success(), "a second server on {} started; log: {log}", server.address);
    assert!(log.contains("cannot listen on"), "log: {log}");

    // The first one is unaffected.
    assert_eq!(server.total_events().await, 0);
    let (status, _) = blocking(|| server.terminate());
    assert!(status.success(), "{status}");
}

async fn bare_chronik_rejects_a_malformed_listen_variable(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = BlankDb::on(backend).await;
    let mut command = chronik(dir.path());
    command.env("CHRONIK_LISTEN", "not-an-address");
    // SQLite: the default database, chronik.db here, is the one that must not appear. PostgreSQL
    // has no default; a database that is named must stay untouched.
    if backend == Backend::Postgres {
        command.args(["--database", &database.url]);
    }
    let (status, log) = blocking(|| run(command));
    assert_eq!(status.code(), Some(2), "log: {log}");
    assert!(log.contains("not-an-address"), "log: {log}");
    assert!(!dir.path().join("chronik.db").exists(), "a database was created before the configuration was checked");
    if backend == Backend::Postgres {
        assert!(
            migrate_again(&database.url).await.created,
            "the database was migrated before the configuration was checked"
        );
    }
}

async fn tokens_are_created_listed_and_revoked_from_the_command_line(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = BlankDb::on(backend).await;
    let token_command = |args: &[&str]| {
        let mut command = chronik(dir.path());
        command.args(["--database", &database.url, "token"]).args(args).stdout(std::process::Stdio::piped());
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

    let db = Database::connect(&database.url, DatabaseOptions::default()).await.expect("open");
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
    db.close().await.expect("close");
}

on_both_backends!(
    serve_loads_the_example_and_shuts_down_gracefully_on_sigterm,
    restart_on_the_same_database_keeps_the_data_and_loads_no_example,
    no_example_flag_leaves_a_new_database_empty,
    no_example_variable_true_leaves_a_new_database_empty,
    no_example_variable_one_leaves_a_new_database_empty,
    migrate_creates_the_database,
    database_url_variable_selects_the_database,
    serve_on_a_busy_port_fails_instead_of_hanging,
    bare_chronik_rejects_a_malformed_listen_variable,
    tokens_are_created_listed_and_revoked_from_the_command_line,
);
