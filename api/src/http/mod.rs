//! The HTTP router: GraphQL at `/graphql` (subscriptions over WebSocket at `/graphql/ws`),
//! health at `/healthz`, downloads at `/export` (and a story's at `/stories/{id}/timelinejs`), the pages at `/` and `/graphiql`, the map's
//! settings at `/map/config`. Every refusal, from any of them or
//! from the body limit, is a GraphQL-shaped body with `extensions.code` (`refusal.rs`).

mod admission;
mod body_limit;
mod body_timeout;
mod export;
mod fanout;
mod fragments;
mod graphql;
mod health;
mod map;
mod media;
mod page;
mod params;
mod query_room;
mod refusal;
mod request_id;
mod revocation;
mod serve;
mod state;
mod story;
mod subscriptions;
mod surrogates;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::get;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use map::TileUrl;
pub use query_room::QueryRoom;
pub use serve::{HEALTH_ROOM, serve};
pub use state::{AppState, Settings};

/// The whole application as a router, so tests run exactly what the server runs.
pub fn app(state: AppState) -> Router {
    let body_limit = state.settings.body_limit;
    let body_bounds = body_timeout::BodyBounds {
        timeout: std::time::Duration::from_secs(state.settings.connections.body_timeout.max(1)),
        limit: body_limit,
    };
    Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post).fallback(graphql::other_method))
        .route("/graphql/ws", get(subscriptions::upgrade).fallback(subscriptions::other_method))
        .route("/healthz", get(health::health))
        .route("/export", get(export::export))
        .route("/stories/{id}/timelinejs", get(story::timelinejs))
        .route("/map/config", get(map::config))
        .route("/", get(page::index))
        .route("/graphiql", get(page::graphiql))
        .route("/assets/{*path}", get(page::asset))
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                // A client's X-Request-Id that is not a short token is replaced before it is used.
                .layer(middleware::from_fn(request_id::screen))
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http())
                .layer(PropagateRequestIdLayer::x_request_id())
                // Both: a body that announces a size over the limit is refused before it is read;
                // the extractor's limit covers chunked bodies that grow past it.
                .layer(middleware::from_fn_with_state(body_limit, body_limit::refuse_announced))
                .layer(middleware::from_fn_with_state(body_bounds, body_timeout::read_within))
                .layer(DefaultBodyLimit::max(body_limit)),
        )
}
