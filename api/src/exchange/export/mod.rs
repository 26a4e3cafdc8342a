//! Exports: the whole database, or the events a filter picks with what they refer to, streamed a
//! page at a time to one of the format writers.

mod chronik;
mod csv;
mod filter;
mod ftm;
mod gexf;
mod graphml;
mod ical;
mod select;
mod timelinejs;
mod writer;

use std::io::Write;

use serde::Serialize;

use super::format::Format;
use crate::db::Database;
use crate::error::ServiceError;

pub use filter::ExportFilter;
pub use select::{Item, Link, Page};
pub use writer::FormatWriter;

/// How many rows an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    pub events: usize,
    pub actors: usize,
    pub sources: usize,
    pub links: usize,
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
}

impl From<sea_orm::DbErr> for ExportError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Service(ServiceError::Database(error))
    }
}

fn io(error: std::io::Error) -> ExportError {
    ExportError::Io(error)
}

/// Told after each page an export has written. Where the bytes go on to a slower reader (a
/// socket), it waits for room there, so that an export never runs ahead of its reader by more
/// than a page; an error stops the export (the reader has gone).
pub trait Pace {
    fn page_written(&mut self) -> impl Future<Output = std::io::Result<()>>;
}

/// No pace: `out` takes what it is given (a file, stdout).
impl Pace for () {
    async fn page_written(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes the events `filter` picks (everything, when it is empty) in `format` to `out`.
pub async fn export<W: Write>(
    db: &Database,
    format: Format,
    filter: &ExportFilter,
    out: W,
) -> Result<ExportSummary, ExportError> {
    export_paced(db, format, filter, out, &mut ()).await
}

/// [`export`], telling `pace` after each page.
pub async fn export_paced<W: Write>(
    db: &Database,
    format: Format,
    filter: &ExportFilter,
    out: W,
    pace: &mut impl Pace,
) -> Result<ExportSummary, ExportError> {
    let filter = filter.check(db).await?;
    let mut writer: Box<dyn FormatWriter + '_> = match format {
        Format::Json => Box::new(chronik::Document::new(out)),
        Format::JsonLines => Box::new(chronik::Lines::new(out)),
        Format::Csv => Box::new(csv::Rows::new(out)),
        Format::TimelineJs => Box::new(timelinejs::Slides::new(out)),
        Format::ICalendar => Box::new(ical::Calendar::new(out)),
        Format::GraphMl => Box::new(graphml::Graph::new(out)),
        Format::FollowTheMoney => Box::new(ftm::Entities::new(out)),
        Format::Gexf => Box::new(gexf::Graph::new(out)?),
        Format::Acled | Format::Gdelt => {
            return Err(ExportError::Service(ServiceError::validation(
                "format",
                format!("Chronik cannot export {format}; it only imports it"),
            )));
        }
    };
    let mut summary = ExportSummary::default();
    writer.begin().map_err(io)?;
    if writer.records() {
        let mut after = None;
        loop {
            let page = select::actors(db, &filter, after).await?;
            for row in &page {
                writer.actor(row).map_err(io)?;
            }
            summary.actors += page.len();
            pace.page_written().await.map_err(io)?;
            match page.last() {
                Some(last) => after = Some(last.id),
                None => break,
            }
        }
        let mut after = None;
        loop {
            let page = select::sources(db, &filter, after).await?;
            let mut changes = select::source_changes(db, &filter, &page).await?;
            for row in &page {
                let changes = changes.remove(&row.id).unwrap_or_default();
                writer.source_with_changes(row, &changes).map_err(io)?;
            }
            summary.sources += page.len();
            pace.page_written().await.map_err(io)?;
            match page.last() {
                Some(last) => after = Some(last.id),
                None => break,
            }
        }
    }
    let mut last = None;
    loop {
        let page = select::events(db, &filter, last.as_ref()).await?;
        if page.events.is_empty() {
            break;
        }
        writer.events(&page).map_err(io)?;
        summary.events += page.events.len();
        pace.page_written().await.map_err(io)?;
        last = page.events.last().map(|item| item.row.clone());
    }
    if writer.records() {
        let mut after = None;
        while let Some((last, page)) = select::links(db, &filter, after).await? {
            for link in &page {
                writer.link(link).map_err(io)?;
            }
            summary.links += page.len();
            pace.page_written().await.map_err(io)?;
            after = Some(last);
        }
    }
    writer.finish().map_err(io)?;
    drop(writer);
    pace.page_written().await.map_err(io)?;
    Ok(summary)
}

/// A story as TimelineJS3 JSON: one slide per step whose event is still there, in the story's
/// order, with the step's text (see `timelinejs::story`).
pub async fn story_timeline(
    db: &Database,
    row: &entity::story::Model,
) -> Result<super::timelinejs::Timeline, ExportError> {
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
    let steps: Vec<(uuid::Uuid, String)> =
        crate::service::stories::steps_of(row)?.into_iter().map(|step| (step.event_id, step.text)).collect();
    let ids: Vec<uuid::Uuid> = steps.iter().map(|(id, _)| *id).collect();
    let live = Condition::all().add(entity::event::Column::DeletedAt.is_null());
    let rows = entity::event::Entity::find()
        .filter(live.clone())
        .filter(entity::event::Column::Id.is_in(ids))
        .all(db.reader())
        .await?;
    let page = select::with_parts(db, rows, live).await?;
    Ok(timelinejs::story(&page, &row.title, &steps))
}
