//! Reading mutation inputs: optional fields that can be cleared, and lists of IDs.

use async_graphql::{ID, MaybeUndefined};

use crate::error::ServiceResult;
use crate::ids::{self, NodeKind};

/// Absent leaves a field alone, null clears it, a value sets it.
pub fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(value) => Some(Some(value)),
    }
}

/// Decodes a list of IDs, naming each entry's field on error.
pub fn decode_all(kind: NodeKind, values: &[ID], field: &str) -> ServiceResult<Vec<uuid::Uuid>> {
    values.iter().enumerate().map(|(i, id)| ids::decode(kind, id, &format!("{field}[{i}]"))).collect()
}
