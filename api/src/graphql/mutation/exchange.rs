//! Importing a small file through GraphQL: `importEvents`, the same import as `chronik import`
//! (one transaction, keys as external IDs), for files of at most [`MAX_BYTES`].

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject};

use crate::auth::Role;
use crate::auth::guard::RoleGuard;
use crate::db::Database;
use crate::error::ServiceError;
use crate::exchange::{self, Format};

/// The largest file `importEvents` takes; larger ones go through `chronik import`.
pub const MAX_BYTES: usize = 512 * 1024;

/// The formats `importEvents` reads.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ImportFormat {
    /// A `chronik/1` JSON document (a TimelineJS file is recognised too).
    Json,
    /// `chronik/1` as JSON Lines.
    Jsonl,
    /// One event per row, Chronik's columns or the TimelineJS Google-Sheet template's.
    Csv,
    /// TimelineJS3 JSON.
    Timelinejs,
}

impl From<ImportFormat> for Format {
    fn from(format: ImportFormat) -> Self {
        match format {
            ImportFormat::Json => Format::Json,
            ImportFormat::Jsonl => Format::JsonLines,
            ImportFormat::Csv => Format::Csv,
            ImportFormat::Timelinejs => Format::TimelineJs,
        }
    }
}

#[derive(InputObject)]
pub struct ImportEventsInput {
    pub format: ImportFormat,
    /// The file's content, at most 512 KiB.
    pub data: String,
}

/// What the import wrote. Records whose key was imported before are updated, not added again.
#[derive(SimpleObject)]
pub struct ImportEventsPayload {
    pub events_created: i32,
    pub events_updated: i32,
    pub actors_created: i32,
    pub actors_updated: i32,
    pub sources_created: i32,
    pub sources_updated: i32,
    pub links: i32,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[derive(Default)]
pub struct ExchangeMutation;

#[Object]
impl ExchangeMutation {
    /// Imports a small file, all of it or nothing; a bad record is a VALIDATION error of `data`
    /// naming its line (or path) and field.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn import_events(&self, ctx: &Context<'_>, input: ImportEventsInput) -> Result<ImportEventsPayload> {
        let db = ctx.data::<Database>()?;
        if input.data.len() > MAX_BYTES {
            return Err(ServiceError::validation(
                "data",
                format!(
                    "is {} bytes; the limit is {MAX_BYTES}: import larger files with `chronik import`",
                    input.data.len()
                ),
            )
            .into());
        }
        let summary = exchange::import_bytes(db, input.format.into(), input.data.into_bytes())
            .await
            .map_err(ServiceError::from)?;
        Ok(ImportEventsPayload {
            events_created: count(summary.events_created),
            events_updated: count(summary.events_updated),
            actors_created: count(summary.actors_created),
            actors_updated: count(summary.actors_updated),
            sources_created: count(summary.sources_created),
            sources_updated: count(summary.sources_updated),
            links: count(summary.links),
        })
    }
}
