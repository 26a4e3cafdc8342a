//! An event row read by column position: sea-orm's own decoding looks each column up by a name it
//! formats anew for every column of every row, an eighth of the server's CPU on a timeline page
//! on PostgreSQL (issue 15's profile). The statement must select the columns in the order of
//! `event::Column`, as [`columns`] does.

use sea_orm::{DbBackend, DbErr, EntityTrait, QueryResult, QueryTrait, TryGetable};
use uuid::Uuid;

use entity::event;

use super::dates::DateView;

/// `SELECT` of every column of `event`, in the order [`from_position`] reads them, `FROM "event"`.
pub fn columns(backend: DbBackend) -> String {
    event::Entity::find().build(backend).sql
}

/// Reads the columns of a row one after the other.
struct Columns<'a> {
    row: &'a QueryResult,
    next: usize,
}

impl Columns<'_> {
    fn take<T: TryGetable>(&mut self) -> Result<T, DbErr> {
        let value = self.row.try_get_by_index(self.next);
        self.next += 1;
        value
    }
}

/// The event in a row selected by [`columns`]. The fields are read in the order they are written
/// here, which is the entity's column order (`tests/service.rs` compares a row read both ways,
/// every column holding a value of its own).
pub fn from_position(row: &QueryResult) -> Result<event::Model, DbErr> {
    let mut columns = Columns { row, next: 0 };
    Ok(event::Model {
        id: columns.take()?,
        parent_id: columns.take()?,
        title: columns.take()?,
        summary: columns.take()?,
        kind: columns.take()?,
        start_value: columns.take()?,
        start_precision: columns.take()?,
        start_earliest: columns.take()?,
        start_latest: columns.take()?,
        end_value: columns.take()?,
        end_precision: columns.take()?,
        end_earliest: columns.take()?,
        end_latest: columns.take()?,
        span_latest: columns.take()?,
        time_zone: columns.take()?,
        place_name: columns.take()?,
        place_latitude: columns.take()?,
        place_longitude: columns.take()?,
        confidence: columns.take()?,
        created_at: columns.take()?,
        updated_at: columns.take()?,
        deleted_at: columns.take()?,
        version: columns.take()?,
        external_id: columns.take()?,
        first_reported_value: columns.take()?,
        first_reported_precision: columns.take()?,
        first_reported_earliest: columns.take()?,
        first_reported_latest: columns.take()?,
        first_reported_set: columns.take()?,
        disputed_aspects: columns.take()?,
        support: columns.take()?,
    })
}

/// The columns of an event the timeline's built page can show, and the two of its cursor: a
/// window's page read with these instead of [`columns`] moves and decodes half the columns, and
/// its summary and end only when the page shows them.
#[derive(Debug, Clone)]
pub struct ShownEvent {
    pub id: Uuid,
    pub title: String,
    /// None when not selected, as when the event has none.
    pub summary: Option<String>,
    pub kind: String,
    pub confidence: String,
    pub time_zone: Option<String>,
    pub version: i32,
    pub start: DateColumns,
    /// Empty when not selected, as when the event has no end.
    pub end: DateColumns,
    /// The cursor's key before the ID: the start's earliest and precision, or the first report's.
    pub key: (i64, i16),
}

/// A date's four columns as stored.
#[derive(Debug, Clone, Default)]
pub struct DateColumns {
    pub value: Option<String>,
    pub precision: Option<i16>,
    pub earliest: Option<i64>,
    pub latest: Option<i64>,
}

impl DateColumns {
    /// The date read in `zone`, its text moved into the view (a page's value is built once); None
    /// when it has none (or its columns are unreadable).
    pub fn take_view(&mut self, zone: Option<&str>) -> Option<DateView> {
        DateView::from_columns(self.value.take(), self.precision, self.earliest, self.latest, zone)
    }
}

/// Which of the optional columns a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shown {
    pub summary: bool,
    pub end: bool,
}

impl ShownEvent {
    /// The shown columns of a whole row, its cursor's key on the "became known" axis when
    /// `reported`.
    pub fn of(row: &event::Model, reported: bool) -> Self {
        let key = if reported {
            (row.first_reported_earliest.unwrap_or_default(), row.first_reported_precision.unwrap_or_default())
        } else {
            (row.start_earliest, row.start_precision)
        };
        ShownEvent {
            id: row.id,
            title: row.title.clone(),
            summary: row.summary.clone(),
            kind: row.kind.clone(),
            confidence: row.confidence.clone(),
            time_zone: row.time_zone.clone(),
            version: row.version,
            start: DateColumns {
                value: Some(row.start_value.clone()),
                precision: Some(row.start_precision),
                earliest: Some(row.start_earliest),
                latest: Some(row.start_latest),
            },
            end: DateColumns {
                value: row.end_value.clone(),
                precision: row.end_precision,
                earliest: row.end_earliest,
                latest: row.end_latest,
            },
            key,
        }
    }
}

/// `SELECT` of the columns [`shown_from_position`] reads, `FROM "event"`: NULL in place of the
/// summary and the end when `shown` leaves them out. The cursor's key is the start's.
pub fn shown_columns(shown: Shown) -> String {
    let column = |name: &str| format!(r#""event"."{name}""#);
    let or_null = |name: &str, selected: bool| if selected { column(name) } else { "NULL".to_owned() };
    let list = [
        column("id"),
        column("title"),
        or_null("summary", shown.summary),
        column("kind"),
        column("confidence"),
        column("time_zone"),
        column("version"),
        column("start_value"),
        column("start_precision"),
        column("start_earliest"),
        column("start_latest"),
        or_null("end_value", shown.end),
        or_null("end_precision", shown.end),
        or_null("end_earliest", shown.end),
        or_null("end_latest", shown.end),
    ];
    format!(r#"SELECT {} FROM "event""#, list.join(", "))
}

/// The event in a row selected by [`shown_columns`].
pub fn shown_from_position(row: &QueryResult) -> Result<ShownEvent, DbErr> {
    let mut columns = Columns { row, next: 0 };
    let id = columns.take()?;
    let title = columns.take()?;
    let summary = columns.take()?;
    let kind = columns.take()?;
    let confidence = columns.take()?;
    let time_zone = columns.take()?;
    let version = columns.take()?;
    let start = DateColumns {
        value: columns.take()?,
        precision: columns.take()?,
        earliest: columns.take()?,
        latest: columns.take()?,
    };
    let end = DateColumns {
        value: columns.take()?,
        precision: columns.take()?,
        earliest: columns.take()?,
        latest: columns.take()?,
    };
    let key = (start.earliest.unwrap_or_default(), start.precision.unwrap_or_default());
    Ok(ShownEvent { id, title, summary, kind, confidence, time_zone, version, start, end, key })
}
