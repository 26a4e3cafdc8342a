//! What a reader hands to the writer: one actor, source, event or link of the file, in the
//! shapes of the `chronik/1` document ([`super::chronik`]), keyed by the file's own keys.

use crate::exchange::chronik::{ActorEntry, EventEntry, LinkEntry, SourceEntry};

use super::error::Position;

/// One record of a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// An actor to create, or to update when one has this key already.
    Actor(ActorEntry),
    Source(SourceEntry),
    Event(EventRecord),
    Link(LinkEntry),
    /// An actor named inline by a format without actor records (a CSV `participants` cell): the
    /// actor with this key, else the first one of this name, else a new one. Never updates.
    ActorStub(ActorEntry),
    /// A source named inline (TimelineJS media): the source with this key, else the first with this
    /// URL, else a new one. Never updates.
    SourceStub(SourceEntry),
    /// A source a format names in full in every row that cites it (GDELT's `SOURCEURL`): written
    /// like [`Record::Source`] the first time the file names its key, passed over after, so that
    /// the writer's set of the file's keys is the only one that remembers it.
    CitedSource(SourceEntry),
}

/// An event, with what its format leaves out.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub entry: EventEntry,
    /// The format has no participants (TimelineJS): an update keeps the event's participants.
    pub keep_participants: bool,
}

impl EventRecord {
    pub fn full(entry: EventEntry) -> Self {
        Self { entry, keep_participants: false }
    }
}

/// A record and where it is in the file.
pub type Positioned = (Position, Record);
