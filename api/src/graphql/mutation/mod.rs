//! The Mutation root, merged from one resolver struct per domain. Resolvers decode IDs, call the
//! service layer, and wrap what it returns.

mod actors;
mod events;
mod evidence;
mod exchange;
mod input;
mod notes;
mod revert;
mod sources;
mod tokens;
mod views;

use async_graphql::MergedObject;

pub use input::decode_all;

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    events::EventMutation,
    revert::RevertMutation,
    notes::NoteMutation,
    actors::ActorMutation,
    sources::SourceMutation,
    exchange::ExchangeMutation,
    tokens::TokenMutation,
    evidence::EvidenceMutation,
    views::ViewMutation,
);
