//! The controlled vocabularies: kinds of events, actors and links, roles and confidence levels.
//! Event kinds, roles and link kinds are open (users add their own); these are the suggested ones.

pub const EVENT_KINDS: &[&str] =
    &["meeting", "leak", "publication", "statement", "investigation", "arrest", "decision", "correction", "other"];

pub const ACTOR_KINDS: &[&str] = &["person", "organisation", "state_body", "media_outlet", "group"];

pub const ROLES: &[&str] = &["organiser", "participant", "speaker", "subject", "target", "leaker", "investigator"];

pub const LINK_KINDS: &[&str] = &["reveals", "responds_to", "causes", "investigates", "corrects", "follows", "part_of"];

/// How well an event is established, from best to worst.
pub const CONFIDENCE: &[&str] = &["confirmed", "reported", "alleged", "disputed"];

/// What a citation's quote supports.
pub const CITATION_SUPPORTS: &[&str] = &["event", "date", "place", "participation"];
