//! One of the readers' connections held for the few statements of one answer (the timeline's
//! built page: its window, then its relations). Through the pool, every statement takes a
//! connection and gives it back, and sqlx checks each connection given back with a round trip
//! of its own (a `Sync` and its answer on PostgreSQL, a hand-off to the connection's thread on
//! SQLite), on a task it spawns for that; held, the page gives its connection back once.

use std::sync::Arc;

use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{self, AssertSqlSafe, Postgres, Sqlite};
use sea_orm::{ConnAcquireErr, ConnectionTrait, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr, Statement};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Mutex;

use super::StatementObserver;

/// A pooled connection of either backend.
enum Pooled {
    Postgres(PoolConnection<Postgres>),
    Sqlite(PoolConnection<Sqlite>),
}

/// A reader's connection, held until dropped; runs statements as the pool would, one at a time.
pub struct HeldReader {
    connection: Mutex<Pooled>,
    backend: DbBackend,
    observer: Option<StatementObserver>,
}

impl HeldReader {
    /// Takes a connection from `pool` (the readers' pool), reporting each statement to `observer`.
    pub(super) async fn acquire(
        pool: &sea_orm::DatabaseConnection,
        observer: Option<StatementObserver>,
    ) -> Result<Self, DbErr> {
        let backend = pool.get_database_backend();
        let connection = match backend {
            DbBackend::Postgres => {
                Pooled::Postgres(pool.get_postgres_connection_pool().acquire().await.map_err(acquire)?)
            }
            DbBackend::Sqlite => Pooled::Sqlite(pool.get_sqlite_connection_pool().acquire().await.map_err(acquire)?),
            // (The enum is non-exhaustive; Chronik opens no other.)
            other => return Err(DbErr::Custom(format!("Chronik does not run on {other:?}"))),
        };
        Ok(Self { connection: Mutex::new(connection), backend, observer })
    }

    fn observe(&self, statement: &Statement) {
        if let Some(observer) = &self.observer {
            observer(&statement.sql);
        }
    }
}

/// The query with its values bound, as sea-orm's own drivers bind them.
fn bound(statement: &Statement) -> (AssertSqlSafe<&str>, SqlxValues) {
    let values = statement.values.clone().unwrap_or(sea_orm::Values(Vec::new()));
    (AssertSqlSafe(statement.sql.as_str()), SqlxValues(values))
}

/// A connection the pool could not give, as sea-orm reports it.
fn acquire(error: sqlx::Error) -> DbErr {
    match error {
        sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
        sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
        error => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(error))),
    }
}

fn query(error: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(Arc::new(error)))
}

fn exec(error: sqlx::Error) -> DbErr {
    DbErr::Exec(RuntimeErr::SqlxError(Arc::new(error)))
}

#[async_trait::async_trait]
impl ConnectionTrait for HeldReader {
    fn get_database_backend(&self) -> DbBackend {
        self.backend
    }

    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        self.observe(&statement);
        let (sql, values) = bound(&statement);
        match &mut *self.connection.lock().await {
            Pooled::Postgres(c) => sqlx::query_with(sql, values).execute(&mut **c).await.map(Into::into).map_err(exec),
            Pooled::Sqlite(c) => sqlx::query_with(sql, values).execute(&mut **c).await.map(Into::into).map_err(exec),
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.execute_raw(Statement::from_string(self.get_database_backend(), sql)).await
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.observe(&statement);
        let (sql, values) = bound(&statement);
        match &mut *self.connection.lock().await {
            Pooled::Postgres(c) => {
                sqlx::query_with(sql, values).fetch_optional(&mut **c).await.map(|r| r.map(Into::into))
            }
            Pooled::Sqlite(c) => {
                sqlx::query_with(sql, values).fetch_optional(&mut **c).await.map(|r| r.map(Into::into))
            }
        }
        .map_err(query)
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.observe(&statement);
        let (sql, values) = bound(&statement);
        match &mut *self.connection.lock().await {
            Pooled::Postgres(c) => sqlx::query_with(sql, values)
                .fetch_all(&mut **c)
                .await
                .map(|rows| rows.into_iter().map(Into::into).collect()),
            Pooled::Sqlite(c) => sqlx::query_with(sql, values)
                .fetch_all(&mut **c)
                .await
                .map(|rows| rows.into_iter().map(Into::into).collect()),
        }
        .map_err(query)
    }
}
