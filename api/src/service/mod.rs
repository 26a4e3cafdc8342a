//! The service layer: every read and write of Chronik's data, validated, in transactions.
//! Resolvers stay thin and call these functions; they return typed [`ServiceError`]s. Every write
//! runs through [`write::write`], which holds the transaction, its retries, its history and its
//! commit; [`rules`] holds every check that needs no database, for the services and the import.
//!
//! [`ServiceError`]: crate::error::ServiceError

pub mod actors;
pub mod as_of;
pub mod dates;
pub mod event_parts;
pub mod event_query;
pub mod event_row;
pub mod event_version;
pub mod events;
pub mod evidence;
pub mod extraction;
pub mod histogram;
pub mod history;
pub mod levels;
pub mod links;
pub mod notes;
pub mod overlap;
pub mod owned;
pub mod page;
pub mod page_relations;
pub mod relations;
pub mod revert;
pub mod rules;
pub mod search;
pub mod settlement;
pub mod sources;
mod statement_cache;
pub mod stories;
pub mod views;
pub mod vocabulary;
pub mod write;
