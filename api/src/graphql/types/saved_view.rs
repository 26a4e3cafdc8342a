//! A saved view (`views`, `view(id)`): a named state of the timeline page.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::saved_view;

use crate::auth::Principal;
use crate::ids::{self, NodeKind};
use crate::service::views::{self, ViewState};

/// The page's state a view stores: the same fields as the page's link.
#[derive(SimpleObject, InputObject, Clone, Default)]
#[graphql(input_name = "ViewStateInput")]
pub struct ViewStateFields {
    /// What the lanes are: `actor` (the default), `kind` or `tag`.
    #[graphql(default)]
    pub group: String,
    /// Actor IDs: only events they take part in.
    #[graphql(default)]
    pub actors: Vec<String>,
    #[graphql(default)]
    pub kinds: Vec<String>,
    #[graphql(default)]
    pub tags: Vec<String>,
    /// A fuzzy date: only events from it on.
    #[graphql(default)]
    pub from: String,
    #[graphql(default)]
    pub to: String,
    /// The search words.
    #[graphql(default)]
    pub q: String,
    /// The window of the timeline: both ends or neither.
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// The timeline as the database held it at this instant.
    pub as_of: Option<DateTime<Utc>>,
    /// Which date places events: `happened` (the default), `reported` or `both`.
    #[graphql(default)]
    pub axis: String,
    #[graphql(default)]
    pub disputed: bool,
    #[graphql(default)]
    pub weak: bool,
    /// Source IDs: only events resting on them.
    #[graphql(default)]
    pub rests_on: Vec<String>,
    /// The zone times are shown in: '' for the browser's, `UTC`, or an IANA name.
    #[graphql(default)]
    pub time_zone: String,
    /// The event whose detail is open.
    pub event: Option<String>,
}

impl From<ViewStateFields> for ViewState {
    fn from(f: ViewStateFields) -> Self {
        ViewState {
            group: f.group,
            actors: f.actors,
            kinds: f.kinds,
            tags: f.tags,
            from: f.from,
            to: f.to,
            q: f.q,
            start: f.start,
            end: f.end,
            as_of: f.as_of,
            axis: f.axis,
            disputed: f.disputed,
            weak: f.weak,
            rests_on: f.rests_on,
            time_zone: f.time_zone,
            event: f.event,
        }
    }
}

impl From<ViewState> for ViewStateFields {
    fn from(s: ViewState) -> Self {
        ViewStateFields {
            group: s.group,
            actors: s.actors,
            kinds: s.kinds,
            tags: s.tags,
            from: s.from,
            to: s.to,
            q: s.q,
            start: s.start,
            end: s.end,
            as_of: s.as_of,
            axis: s.axis,
            disputed: s.disputed,
            weak: s.weak,
            rests_on: s.rests_on,
            time_zone: s.time_zone,
            event: s.event,
        }
    }
}

#[derive(Clone)]
pub struct SavedView {
    pub row: saved_view::Model,
}

#[Object]
impl SavedView {
    pub async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::View, self.row.id))
    }

    async fn name(&self) -> &str {
        &self.row.name
    }

    async fn state(&self) -> Result<ViewStateFields> {
        Ok(views::state_of(&self.row)?.into())
    }

    /// The name of the token that saved it first.
    async fn author(&self) -> Option<&str> {
        self.row.author.as_deref()
    }

    /// Whether the token of this request saved it (and so may change or delete it).
    async fn mine(&self, ctx: &Context<'_>) -> bool {
        let name = ctx.data_opt::<Principal>().map(|p| p.name.as_str());
        name.is_some() && name == self.row.author.as_deref()
    }

    /// Changes with every save; send it back with `saveView`.
    async fn version(&self) -> i32 {
        self.row.version
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }
}
