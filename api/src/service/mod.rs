//! The service layer: every read and write of Chronik's data, validated, in transactions.
//! Resolvers stay thin and call these functions; they return typed [`ServiceError`]s.
//!
//! [`ServiceError`]: crate::error::ServiceError

pub mod actors;
pub mod dates;
pub mod event_parts;
pub mod event_query;
pub mod events;
pub mod links;
pub mod page;
pub mod relations;
pub mod search;
pub mod sources;
pub mod validate;
pub mod vocabulary;
