//! Database tables of Chronik as sea-orm entities: rows, not the API (the GraphQL types live in `chronik-api`).

pub mod access_token;
pub mod account;
pub mod actor;
pub mod audit_log;
pub mod citation;
pub mod event;
pub mod event_link;
pub mod event_revision;
pub mod event_star;
pub mod event_tag;
pub mod note;
pub mod participation;
pub mod saved_view;
pub mod source;
pub mod source_change;
pub mod story;
