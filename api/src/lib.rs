//! Chronik's library: configuration, database access, the service layer, the GraphQL schema and the HTTP router.

pub mod auth;
pub mod changes;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod exchange;
pub mod generate;
pub mod graphql;
pub mod http;
pub mod ids;
pub mod seed;
pub mod server;
pub mod service;

pub use config::{Cli, Command};
pub use db::Database;
pub use error::ServiceError;
