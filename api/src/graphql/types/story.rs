//! A story (`stories`, `story(id)`): steps through events, each with a short text. The events of
//! a set of sibling stories load in one query, whatever their number.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use entity::story;

use super::Event;
use super::event::{self, EventRefs};
use crate::auth::Principal;
use crate::db::Database;
use crate::graphql::batch::{Lazy, unique};
use crate::graphql::cost;
use crate::ids::{self, NodeKind};
use crate::service::stories::{self, Step};

#[derive(Clone)]
pub struct Story {
    pub row: story::Model,
    steps: Vec<Step>,
    scope: Arc<StoryScope>,
}

/// The events of a set of sibling stories.
struct StoryScope {
    db: Database,
    events: EventRefs,
}

/// Wraps sibling stories sharing one scope.
pub fn wrap(db: &Database, rows: Vec<story::Model>) -> Result<Vec<Story>> {
    let parsed = rows
        .into_iter()
        .map(|row| Ok((stories::steps_of(&row)?, row)))
        .collect::<Result<Vec<_>, crate::error::ServiceError>>()?;
    let scope = Arc::new(StoryScope {
        db: db.clone(),
        events: Lazy::new(unique(parsed.iter().flat_map(|(steps, _)| steps.iter().map(|step| step.event_id)))),
    });
    Ok(parsed.into_iter().map(|(steps, row)| Story { row, steps, scope: scope.clone() }).collect())
}

#[Object]
impl Story {
    pub async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::Story, self.row.id))
    }

    async fn title(&self) -> &str {
        &self.row.title
    }

    /// The steps in order (at most 100: `saveStory` refuses more).
    #[graphql(complexity = "cost::times(crate::service::stories::MAX_STEPS, child_complexity)")]
    async fn steps(&self) -> Vec<StoryStep> {
        self.steps
            .iter()
            .enumerate()
            .map(|(at, step)| StoryStep { story: self.clone(), position: at, step: step.clone() })
            .collect()
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

    /// Changes with every save; send it back with `saveStory`.
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

/// One step of a story.
pub struct StoryStep {
    story: Story,
    position: usize,
    step: Step,
}

#[Object]
impl StoryStep {
    /// Its place in the story, from 0.
    async fn position(&self) -> i32 {
        i32::try_from(self.position).unwrap_or(i32::MAX)
    }

    async fn text(&self) -> &str {
        &self.step.text
    }

    async fn event_id(&self) -> ID {
        ID(ids::encode(NodeKind::Event, self.step.event_id))
    }

    /// The step's event; null if it was deleted since.
    async fn event(&self) -> Result<Option<Event>> {
        let scope = &self.story.scope;
        let all = scope.events.all(|ids| event::load(&scope.db, ids)).await?;
        Ok(all.get(&self.step.event_id).filter(|event| event.row.deleted_at.is_none()).cloned())
    }
}
