//! Opaque global IDs (Relay): the type name and the row's UUID, base64url-encoded, so `node(id)`
//! can resolve any of them and clients never build IDs by hand.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use crate::error::ServiceError;

/// The types that have global IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Event,
    Actor,
    Source,
    Participation,
    Citation,
    EventLink,
    Account,
    Note,
    View,
    Story,
}

impl NodeKind {
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Event => "Event",
            NodeKind::Actor => "Actor",
            NodeKind::Source => "Source",
            NodeKind::Participation => "Participation",
            NodeKind::Citation => "Citation",
            NodeKind::EventLink => "EventLink",
            NodeKind::Account => "Account",
            NodeKind::Note => "Note",
            NodeKind::View => "SavedView",
            NodeKind::Story => "Story",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        [
            NodeKind::Event,
            NodeKind::Actor,
            NodeKind::Source,
            NodeKind::Participation,
            NodeKind::Citation,
            NodeKind::EventLink,
            NodeKind::Account,
            NodeKind::Note,
            NodeKind::View,
            NodeKind::Story,
        ]
        .into_iter()
        .find(|kind| kind.name() == name)
    }
}

/// Encodes a global ID.
pub fn encode(kind: NodeKind, id: Uuid) -> String {
    // "Kind:uuid" put together by hand rather than with `format!`: a page encodes hundreds.
    let name = kind.name();
    let mut text = Vec::with_capacity(name.len() + 1 + uuid::fmt::Hyphenated::LENGTH);
    text.extend_from_slice(name.as_bytes());
    text.push(b':');
    text.extend_from_slice(id.hyphenated().encode_lower(&mut Uuid::encode_buffer()).as_bytes());
    URL_SAFE_NO_PAD.encode(text)
}

/// Decodes any global ID into its kind and UUID; `field` names the input field for the error.
pub fn decode_any(global: &str, field: &str) -> Result<(NodeKind, Uuid), ServiceError> {
    let invalid = || ServiceError::validation(field, format!("not a Chronik ID: {global:?}"));
    let bytes = URL_SAFE_NO_PAD.decode(global).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (name, uuid) = text.split_once(':').ok_or_else(invalid)?;
    let kind = NodeKind::from_name(name).ok_or_else(invalid)?;
    let uuid = Uuid::parse_str(uuid).map_err(|_| invalid())?;
    Ok((kind, uuid))
}

/// Decodes a global ID that must be of `kind`.
pub fn decode(kind: NodeKind, global: &str, field: &str) -> Result<Uuid, ServiceError> {
    let (found, uuid) = decode_any(global, field)?;
    if found == kind {
        Ok(uuid)
    } else {
        Err(ServiceError::validation(
            field,
            format!(
                "expected the ID of {} {}, got the ID of {} {}",
                article(kind),
                kind.name(),
                article(found),
                found.name()
            ),
        ))
    }
}

fn article(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Event | NodeKind::Actor | NodeKind::EventLink | NodeKind::Account => "an",
        NodeKind::Source
        | NodeKind::Participation
        | NodeKind::Citation
        | NodeKind::Note
        | NodeKind::View
        | NodeKind::Story => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_checks_the_kind() {
        let id = Uuid::now_v7();
        let global = encode(NodeKind::Actor, id);
        assert_eq!(decode(NodeKind::Actor, &global, "id").ok(), Some(id));
        let wrong = decode(NodeKind::Event, &global, "actorIds[0]");
        assert!(matches!(wrong, Err(ServiceError::Validation { ref field, .. }) if field == "actorIds[0]"));
        assert!(decode_any("not-an-id", "id").is_err());
    }

    #[test]
    fn an_id_is_its_kind_and_uuid_in_base64() {
        // IDs are kept by clients (links, notebooks): their text may not change.
        let id = Uuid::parse_str("0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b").expect("a UUID");
        let text = URL_SAFE_NO_PAD.decode(encode(NodeKind::Participation, id)).expect("base64");
        assert_eq!(String::from_utf8(text).expect("UTF-8"), "Participation:0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b");
        assert_eq!(encode(NodeKind::Event, id), "RXZlbnQ6MDE5MmEzYjQtYzVkNi03ZThmLTlhMGItMWMyZDNlNGY1YTZi");
    }
}
