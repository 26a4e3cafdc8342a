//! Reading mutation inputs: optional fields that can be cleared, lists of IDs, and the input
//! types more than one domain takes (a place).

use async_graphql::{ID, InputObject, MaybeUndefined};

use crate::error::ServiceResult;
use crate::ids::{self, NodeKind};
use crate::service::events::Place;

#[derive(InputObject)]
pub struct PlaceInput {
    pub name: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl From<PlaceInput> for Place {
    fn from(input: PlaceInput) -> Self {
        Place { name: input.name, latitude: input.latitude, longitude: input.longitude }
    }
}

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
