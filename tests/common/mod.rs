//! Shared test fixtures: a real SQLite file built by the real migrations, the real schema, and
//! the real router on a real port.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_graphql::{Request, Response, Variables};
use chronik_api::db::{DatabaseOptions, StatementObserver};
use chronik_api::graphql::{AppSchema, Limits, build_schema};
use chronik_api::http::{AppState, HttpLimits, app};
use chronik_api::{Database, seed};
use serde_json::Value;
use tempfile::TempDir;

/// A database in a temporary directory, deleted when dropped.
pub struct TestDb {
    pub db: Database,
    pub statements: Arc<AtomicUsize>,
    pub log: Arc<Mutex<Vec<String>>>,
    _dir: TempDir,
}

impl TestDb {
    /// An empty, migrated database.
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("chronik-test.db");
        let statements = Arc::new(AtomicUsize::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (counter, lines) = (statements.clone(), log.clone());
        let observer: StatementObserver = Arc::new(move |sql: &str| {
            counter.fetch_add(1, Ordering::SeqCst);
            lines.lock().expect("log lock").push(sql.to_owned());
        });
        let db = Database::connect(
            path.to_str().expect("utf-8 path"),
            DatabaseOptions { readers: 4, observer: Some(observer) },
        )
        .await
        .expect("open database");
        db.migrate().await.expect("migrate");
        Self { db, statements, log, _dir: dir }
    }

    /// A migrated database holding the example affair.
    pub async fn with_example() -> Self {
        let test = Self::new().await;
        seed::load_example(&test.db).await.expect("load the example");
        test
    }

    pub fn schema(&self) -> AppSchema {
        build_schema(self.db.clone(), Limits::default())
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

    /// Starts the real router on a free port of 127.0.0.1.
    pub async fn serve(&self) -> SocketAddr {
        let state = AppState { schema: self.schema(), db: self.db.clone(), limits: HttpLimits::default() };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move { axum::serve(listener, app(state)).await.expect("serve") });
        address
    }
}

/// Runs a GraphQL operation through the schema.
pub async fn run(schema: &AppSchema, query: &str, variables: Value) -> Response {
    schema.execute(Request::new(query).variables(Variables::from_json(variables))).await
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
