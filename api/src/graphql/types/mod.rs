//! GraphQL output types. Each wraps a row and a batch scope shared with its siblings; relations
//! resolve through the scope (see [`super::batch`]).

pub mod account;
pub mod actor;
pub mod date;
pub mod event;
pub mod extraction;
pub mod node;
pub mod note;
pub mod saved_view;
pub mod source;
pub mod story;

pub use account::Account;
pub use actor::{Actor, Participation};
pub use date::{DatePrecision, FuzzyDate};
pub use event::{Event, EventLink, Place};
pub use node::Node;
pub use note::Note;
pub use saved_view::SavedView;
pub use source::{Citation, Source};
pub use story::Story;
