//! An event row read by column position: sea-orm's own decoding looks each column up by a name it
//! formats anew for every column of every row, an eighth of the server's CPU on a timeline page
//! on PostgreSQL (issue 15's profile). The statement must select the columns in the order of
//! `event::Column`, as [`columns`] does.

use sea_orm::{DbBackend, DbErr, EntityTrait, QueryResult, QueryTrait, TryGetable};

use entity::event;

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
