//! The Mutation root, merged from one resolver struct per domain. Resolvers decode IDs, call the
//! service layer, and wrap what it returns.

mod actors;
mod events;
mod exchange;
mod input;
mod revert;
mod sources;
mod tokens;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    events::EventMutation,
    revert::RevertMutation,
    actors::ActorMutation,
    sources::SourceMutation,
    exchange::ExchangeMutation,
    tokens::TokenMutation,
);
