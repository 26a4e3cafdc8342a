//! The GraphQL API: the schema, built from one resolver struct per domain, over the service layer.

pub mod batch;
pub mod connection;
pub mod cost;
pub mod errors;
pub mod limits;
pub mod mutation;
pub mod page_value;
pub mod query;
pub mod subscription;
pub mod types;

use async_graphql::Schema;

use crate::config::RequestLimits;
use crate::db::Database;
use limits::DocumentLimits;
use mutation::MutationRoot;
use query::QueryRoot;
use subscription::SubscriptionRoot;

pub type AppSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Builds the schema with the database in its context and the limits of `limits`.
pub fn build_schema(db: Database, limits: &RequestLimits) -> AppSchema {
    let mut builder = Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot)
        .data(db)
        .extension(errors::ErrorCodes)
        .extension(DocumentLimits { max_depth: limits.max_depth, max_complexity: limits.max_complexity })
        .limit_directives(limits.max_directives);
    if !limits.introspection {
        // Suggestions ("did you mean …") would leak the schema that introspection hides.
        builder = builder.disable_introspection().disable_suggestions();
    }
    builder.finish()
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot).finish().sdl()
}
