//! The Relay Node interface: anything with a global ID, resolvable through `node(id)`.

use async_graphql::{ID, Interface};

use super::{Account, Actor, Citation, Event, EventLink, Note, Participation, SavedView, Source, Story};

#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    Event(Event),
    Actor(Actor),
    Source(Source),
    Participation(Participation),
    Citation(Citation),
    EventLink(EventLink),
    Account(Account),
    Note(Note),
    SavedView(SavedView),
    Story(Story),
}
