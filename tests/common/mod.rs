//! Shared test fixtures: a real SQLite file or PostgreSQL database built by the real migrations,
//! the real schema, and the real router on a real port.
#![allow(dead_code)]

pub mod process;
pub mod validate;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_graphql::{Request, Response, Variables};
use chronik_api::auth::{Principal, Role, tokens};
use chronik_api::config::RequestLimits;
use chronik_api::db::{DatabaseOptions, Faults, StatementObserver};
use chronik_api::graphql::{AppSchema, build_schema};
use chronik_api::http::{AppState, Settings, serve};
use chronik_api::{Database, seed};
use serde_json::Value;
use tempfile::TempDir;

/// The database server a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server for tests, from `CHRONIK_TEST_POSTGRES_URL` (a URL of an existing
/// database; tests create databases of their own beside it and drop them after).
pub fn postgres_url() -> Option<String> {
    std::env::var("CHRONIK_TEST_POSTGRES_URL").ok().filter(|url| !url.is_empty())
}

/// Whether PostgreSQL tests can run. Without the variable they are skipped with a notice, unless
/// `CHRONIK_REQUIRE_POSTGRES` is set (as in CI), where a skip is a failure.
pub fn postgres_available(test: &str) -> bool {
    if postgres_url().is_some() {
        return true;
    }
    if std::env::var_os("CHRONIK_REQUIRE_POSTGRES").is_some() {
        panic!("{test}: CHRONIK_REQUIRE_POSTGRES is set but CHRONIK_TEST_POSTGRES_URL is not");
    }
    eprintln!("{test}: skipped on PostgreSQL (set CHRONIK_TEST_POSTGRES_URL to run it)");
    false
}

/// Defines, for each named `async fn name(backend: Backend)`, a module `name` with two tests:
/// `name::sqlite` and `name::postgres` (skipped with a notice when no PostgreSQL is configured).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread")]
            async fn sqlite() {
                super::$name($crate::common::Backend::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread")]
            async fn postgres() {
                if $crate::common::postgres_available(concat!(module_path!(), "::", stringify!($name))) {
                    super::$name($crate::common::Backend::Postgres).await
                }
            }
        }
    )*};
}

/// Where a test database lives; removed when dropped.
enum Place {
    /// A SQLite file in a temporary directory.
    Directory(TempDir),
    /// A PostgreSQL database of its own on the test server.
    Postgres { admin_url: String, name: String },
}

impl Place {
    /// A place for a new database on `backend`, and what `--database` would be given to reach it.
    /// The SQLite file does not exist yet; the PostgreSQL database exists, without tables.
    async fn new(backend: Backend) -> (String, Self) {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("chronik-test.db");
                (path.to_str().expect("utf-8 path").to_owned(), Place::Directory(dir))
            }
            Backend::Postgres => {
                let admin_url = postgres_url().expect("CHRONIK_TEST_POSTGRES_URL");
                let name = format!("chronik_test_{}", uuid::Uuid::new_v4().simple());
                admin_execute(&admin_url, &format!("CREATE DATABASE {name}")).await;
                (with_database(&admin_url, &name), Place::Postgres { admin_url, name })
            }
        }
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Place::Postgres { admin_url, name } = self {
            // Drop runs outside async; a thread of its own with its own runtime drops the database
            // (FORCE ends connections still open to it, a test's pool or a killed child's).
            let (admin_url, sql) = (admin_url.clone(), format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            let dropped = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(admin_execute(&admin_url, &sql))
            })
            .join();
            if dropped.is_err() {
                eprintln!("could not drop the test database {name}");
            }
        }
    }
}

/// A database of a test's own with nothing in it, not even tables: what `chronik` takes for a
/// new database (on SQLite a file that does not exist yet). Gone when dropped.
pub struct BlankDb {
    pub backend: Backend,
    /// What `--database` would be given to reach it.
    pub url: String,
    place: Place,
}

impl BlankDb {
    pub async fn on(backend: Backend) -> Self {
        let (url, place) = Place::new(backend).await;
        Self { backend, url, place }
    }

    /// The SQLite file (which the first `chronik` to open it creates); None on PostgreSQL.
    pub fn file(&self) -> Option<&std::path::Path> {
        match self.place {
            Place::Directory(_) => Some(std::path::Path::new(&self.url)),
            Place::Postgres { .. } => None,
        }
    }
}

/// A migrated database of a test's own, gone when dropped.
pub struct TestDb {
    pub db: Database,
    pub backend: Backend,
    /// What `--database` would be given to reach it.
    pub url: String,
    pub statements: Arc<AtomicUsize>,
    pub log: Arc<Mutex<Vec<String>>>,
    place: Place,
}

/// `postgres://host/db?x` with another database name.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(base, query)| (base, Some(query)));
    let (server, _) = base.rsplit_once('/').expect("a database URL ends in /name");
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

pub async fn admin_execute(admin_url: &str, sql: &str) {
    use sea_orm::ConnectionTrait;
    let admin = sea_orm::Database::connect(admin_url).await.expect("connect to the PostgreSQL test server");
    admin.execute_unprepared(sql).await.expect(sql);
    admin.close().await.expect("close");
}

impl TestDb {
    /// An empty, migrated SQLite database.
    pub async fn new() -> Self {
        Self::on(Backend::Sqlite).await
    }

    /// An empty, migrated database on `backend`.
    pub async fn on(backend: Backend) -> Self {
        Self::with_faults(backend, None).await
    }

    /// An empty, migrated database on `backend` whose group commit meets the failures `faults`
    /// is armed with (SQLite).
    pub async fn with_faults(backend: Backend, faults: Option<Arc<Faults>>) -> Self {
        // The server's log, shown for failing tests (RUST_LOG picks the detail).
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
        let (url, place) = Place::new(backend).await;
        let statements = Arc::new(AtomicUsize::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (counter, lines) = (statements.clone(), log.clone());
        let observer: StatementObserver = Arc::new(move |sql: &str| {
            counter.fetch_add(1, Ordering::SeqCst);
            lines.lock().expect("log lock").push(sql.to_owned());
        });
        let db = Database::connect(&url, DatabaseOptions { readers: 4, observer: Some(observer), faults })
            .await
            .expect("open database");
        db.migrate().await.expect("migrate");
        Self { db, backend, url, statements, log, place }
    }

    /// A migrated SQLite database holding the example affair.
    pub async fn with_example() -> Self {
        Self::with_example_on(Backend::Sqlite).await
    }

    /// A migrated database on `backend` holding the example affair.
    pub async fn with_example_on(backend: Backend) -> Self {
        let test = Self::on(backend).await;
        seed::load_example(&test.db).await.expect("load the example");
        test
    }

    pub fn schema(&self) -> AppSchema {
        build_schema(self.db.clone(), &RequestLimits::default())
    }

    /// Statements run since the last call.
    pub fn take_statements(&self) -> Vec<String> {
        self.statements.store(0, Ordering::SeqCst);
        std::mem::take(&mut *self.log.lock().expect("log lock"))
    }

    /// Rows in a table, counted with plain SQL.
    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let row = self
            .db
            .reader()
            .query_one_raw(Statement::from_string(self.db.backend(), format!("SELECT COUNT(*) AS n FROM {table}")))
            .await
            .expect("count query")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("count")
    }

    /// Starts the real router on a free port of 127.0.0.1, with the default settings; an admin
    /// token for it is then known to [`token_for`].
    pub async fn serve(&self) -> SocketAddr {
        self.serve_with(Settings::default()).await
    }

    /// Starts the real router with these settings.
    pub async fn serve_with(&self, settings: Settings) -> SocketAddr {
        self.serve_state(AppState::new(self.db.clone(), settings)).await
    }

    /// Starts the real router on this state (a test keeps a clone to reach into it).
    pub async fn serve_state(&self, state: AppState) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move { serve(listener, state, std::future::pending()).await.expect("serve") });
        let name = format!("test-admin-{}", address.port());
        let created = tokens::create(&self.db, &name, Role::Admin).await.expect("an admin token");
        TOKENS.lock().expect("tokens lock").insert(address, created.secret);
        address
    }

    /// A new token with `role`; returns its secret.
    pub async fn token(&self, name: &str, role: Role) -> String {
        tokens::create(&self.db, name, role).await.expect("a token").secret
    }
}

/// The admin tokens of the servers [`TestDb::serve`] started, by address.
static TOKENS: std::sync::LazyLock<Mutex<std::collections::HashMap<SocketAddr, String>>> =
    std::sync::LazyLock::new(|| Mutex::new(std::collections::HashMap::new()));

/// The admin token of a server started by [`TestDb::serve`].
pub fn token_for(address: SocketAddr) -> String {
    TOKENS.lock().expect("tokens lock").get(&address).cloned().expect("a server started by TestDb::serve")
}

/// Runs a GraphQL operation through the schema, as an admin.
pub async fn run(schema: &AppSchema, query: &str, variables: Value) -> Response {
    run_as(schema, Some(Role::Admin), query, variables).await
}

/// Runs a GraphQL operation through the schema, as a token of `role` (or anonymously).
pub async fn run_as(schema: &AppSchema, role: Option<Role>, query: &str, variables: Value) -> Response {
    let mut request = Request::new(query).variables(Variables::from_json(variables));
    if let Some(role) = role {
        request = request.data(Principal { name: format!("test-{}", role.as_str()), role });
    }
    schema.execute(request).await
}

/// The data of a response that must have no errors.
pub fn data(response: Response) -> Value {
    assert!(response.errors.is_empty(), "unexpected errors: {:?}", response.errors);
    response.data.into_json().expect("json data")
}

/// The `extensions.code` and `extensions.field` of a response's only error.
pub fn error_code(response: &Response) -> (String, Option<String>) {
    assert_eq!(response.errors.len(), 1, "expected one error, got {:?}", response.errors);
    let extensions = response.errors[0].extensions.as_ref().expect("extensions");
    let code = match extensions.get("code") {
        Some(async_graphql::Value::String(code)) => code.clone(),
        other => panic!("no code: {other:?}"),
    };
    let field = match extensions.get("field") {
        Some(async_graphql::Value::String(field)) => Some(field.clone()),
        _ => None,
    };
    (code, field)
}

/// Creates an actor and returns its global ID.
pub async fn actor(schema: &AppSchema, name: &str, kind: &str) -> String {
    let response = run(
        schema,
        "mutation($input: CreateActorInput!) { createActor(input: $input) { actor { id } } }",
        serde_json::json!({ "input": { "name": name, "kind": kind } }),
    )
    .await;
    data(response)["createActor"]["actor"]["id"].as_str().expect("id").to_owned()
}

/// Creates a source and returns its global ID.
pub async fn source(schema: &AppSchema, title: &str) -> String {
    let response = run(
        schema,
        "mutation($input: CreateSourceInput!) { createSource(input: $input) { source { id } } }",
        serde_json::json!({ "input": { "title": title, "publisher": "Test Gazette", "published": "2024-03-02" } }),
    )
    .await;
    data(response)["createSource"]["source"]["id"].as_str().expect("id").to_owned()
}

/// Creates an event with a title and start date and returns its global ID.
pub async fn event(schema: &AppSchema, title: &str, start: &str) -> String {
    let response = run(
        schema,
        "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } } }",
        serde_json::json!({ "input": { "title": title, "start": start, "kind": "meeting" } }),
    )
    .await;
    data(response)["createEvent"]["event"]["id"].as_str().expect("id").to_owned()
}
