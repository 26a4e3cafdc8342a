//! The HTTP router: GraphQL at `/graphql` (subscriptions over WebSocket at `/graphql/ws`),
//! health at `/healthz`, the page at `/`.

mod graphql;
mod health;
mod page;

use async_graphql_axum::GraphQLSubscription;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::db::Database;
use crate::graphql::AppSchema;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub db: Database,
    pub limits: HttpLimits,
}

/// Limits on requests, enforced before any GraphQL work.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// Largest request body, in bytes.
    pub body_bytes: usize,
    /// Most operations in one batched request.
    pub batch: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self { body_bytes: 1024 * 1024, batch: 10 }
    }
}

/// The whole application as a router, so tests run exactly what the server runs.
pub fn app(state: AppState) -> Router {
    let body_limit = state.limits.body_bytes;
    let subscriptions = GraphQLSubscription::new(state.schema.clone());
    Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route_service("/graphql/ws", subscriptions)
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
