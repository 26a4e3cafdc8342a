//! The Query root, merged from one resolver struct per domain.

mod actors;
mod dates;
mod events;
mod extract;
pub mod history;
mod levels;
mod node;
mod notes;
mod sources;
mod views;
mod vocabulary;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    events::EventQuery,
    actors::ActorQuery,
    sources::SourceQuery,
    node::NodeQuery,
    vocabulary::VocabularyQuery,
    history::HistoryQuery,
    dates::DateQuery,
    notes::NoteQuery,
    extract::ExtractQuery,
    views::ViewQuery,
    levels::LevelQuery,
);
