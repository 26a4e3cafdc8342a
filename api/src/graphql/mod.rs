//! The GraphQL API: the schema, built from one resolver struct per domain, over the service layer.

pub mod batch;
pub mod connection;
pub mod cost;
pub mod errors;
pub mod limits;
pub mod mutation;
pub mod page_value;
pub mod query;
mod schema;
pub mod subscription;
pub mod types;

pub use schema::{AppSchema, build_schema, sdl};
