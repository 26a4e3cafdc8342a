//! The Mutation root, merged from one resolver struct per domain. Resolvers decode IDs, call the
//! service layer, and wrap what it returns.

mod actors;
mod events;
mod exchange;
mod sources;
mod tokens;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    events::EventMutation,
    actors::ActorMutation,
    sources::SourceMutation,
    exchange::ExchangeMutation,
    tokens::TokenMutation,
);

use async_graphql::{ID, MaybeUndefined};

use crate::error::ServiceResult;
use crate::ids::{self, NodeKind};

/// Absent leaves a field alone, null clears it, a value sets it.
fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(value) => Some(Some(value)),
    }
}

/// Decodes a list of IDs, naming each entry's field on error.
fn decode_all(kind: NodeKind, values: &[ID], field: &str) -> ServiceResult<Vec<uuid::Uuid>> {
    values.iter().enumerate().map(|(i, id)| ids::decode(kind, id, &format!("{field}[{i}]"))).collect()
}
