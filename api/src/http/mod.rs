//! The HTTP router: GraphQL at `/graphql` (subscriptions over WebSocket at `/graphql/ws`),
//! health at `/healthz`, the page at `/`.

mod admission;
mod graphql;
mod health;
mod page;
mod subscriptions;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::auth::ReadAccess;
use crate::config::{DEFAULT_BODY_LIMIT, DEFAULT_READ_ACCESS, RequestLimits, ServeArgs};
use crate::db::Database;
use crate::graphql::{AppSchema, build_schema};
use admission::MutationLimiter;

/// How the server treats requests.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Largest request body, in bytes.
    pub body_limit: usize,
    pub read_access: ReadAccess,
    pub limits: RequestLimits,
}

impl Default for Settings {
    /// The command line's defaults, whatever the environment holds.
    fn default() -> Self {
        Self { body_limit: DEFAULT_BODY_LIMIT, read_access: DEFAULT_READ_ACCESS, limits: RequestLimits::DEFAULT }
    }
}

impl From<&ServeArgs> for Settings {
    fn from(args: &ServeArgs) -> Self {
        Self { body_limit: args.body_limit, read_access: args.read_access, limits: args.limits }
    }
}

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub db: Database,
    pub settings: Settings,
    pub limiter: Arc<MutationLimiter>,
}

impl AppState {
    pub fn new(db: Database, settings: Settings) -> Self {
        Self {
            schema: build_schema(db.clone(), &settings.limits),
            db,
            limiter: MutationLimiter::new(settings.limits.mutations_per_minute),
            settings,
        }
    }
}

/// The whole application as a router, so tests run exactly what the server runs.
pub fn app(state: AppState) -> Router {
    let body_limit = state.settings.body_limit;
    Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/ws", get(subscriptions::upgrade))
        .route("/healthz", get(health::health))
        .route("/", get(page::index))
        .route("/graphiql", get(page::graphiql))
        .route("/assets/{*path}", get(page::asset))
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http())
                .layer(PropagateRequestIdLayer::x_request_id())
                // Both: the layer answers 413 from Content-Length up front; the extractor limit
                // also covers chunked bodies that grow past it.
                .layer(RequestBodyLimitLayer::new(body_limit))
                .layer(DefaultBodyLimit::max(body_limit)),
        )
}
