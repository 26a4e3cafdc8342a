//! What settling an event by its accounts sets on it, worked out without the database: the one
//! rule behind [`super::evidence::settle`] (which reads an event's accounts and sources and
//! updates its row) and the import (which sets it on a new event's row before writing it, so
//! that the row is written once and its history need not read it back).

use std::collections::HashMap;

use entity::{account, event, source};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, DbErr, UpdateMany, Value};
use uuid::Uuid;

use super::dates::StoredDate;
use super::rules::account::{self as account_rules, Aspect};

/// The columns settling sets on an event, and their values.
pub struct Settlement {
    columns: Vec<(event::Column, Value)>,
}

impl Settlement {
    /// Settles an event by its `own` accounts, the sources its citations cite (`cited`) and the
    /// sources of its accounts (`sources`, by ID): the value of WHEN and WHERE when some account
    /// gives one (otherwise the event keeps its own), the disputed aspects, the support, and
    /// when it became known (the earliest publication among those sources), unless an editor
    /// set that (`first_reported_set`).
    pub fn of(
        first_reported_set: bool,
        own: &[account::Model],
        cited: &[&source::Model],
        sources: &HashMap<Uuid, source::Model>,
    ) -> Self {
        let statuses: Vec<&str> = cited.iter().map(|s| s.status.as_str()).collect();
        let evaluation = account_rules::evaluate(own, &statuses);
        let mut columns = vec![
            (event::Column::DisputedAspects, evaluation.disputed_column().into()),
            (event::Column::Support, evaluation.support.into()),
        ];
        if let Some((start, end)) = &evaluation.when {
            columns.extend(when(start, end.as_ref()));
        }
        if let Some(place) = &evaluation.place {
            columns.extend([
                (event::Column::PlaceName, place.name.clone().into()),
                (event::Column::PlaceLatitude, place.latitude.into()),
                (event::Column::PlaceLongitude, place.longitude.into()),
            ]);
        }
        if !first_reported_set {
            let published = own
                .iter()
                .filter_map(|a| sources.get(&a.source_id))
                .chain(cited.iter().copied())
                .filter(|s| s.published_earliest.is_some())
                .min_by_key(|s| (s.published_earliest, s.published_precision.map(std::cmp::Reverse)));
            columns.extend([
                (event::Column::FirstReportedValue, published.and_then(|s| s.published_value.clone()).into()),
                (event::Column::FirstReportedPrecision, published.and_then(|s| s.published_precision).into()),
                (event::Column::FirstReportedEarliest, published.and_then(|s| s.published_earliest).into()),
                (event::Column::FirstReportedLatest, published.and_then(|s| s.published_latest).into()),
            ]);
        }
        Self { columns }
    }

    /// The update that stores it on a row.
    pub fn update(&self, update: UpdateMany<event::Entity>) -> UpdateMany<event::Entity> {
        self.columns.iter().fold(update, |update, (column, value)| update.col_expr(*column, Expr::value(value.clone())))
    }

    /// Sets it on a row about to be written.
    pub fn apply(&self, model: &mut event::ActiveModel) -> Result<(), DbErr> {
        for (column, value) in &self.columns {
            model.try_set(*column, value.clone())?;
        }
        Ok(())
    }
}

/// The WHEN value's columns: the start, the end, and the latest instant of either.
fn when(start: &StoredDate, end: Option<&StoredDate>) -> [(event::Column, Value); 9] {
    [
        (event::Column::StartValue, start.value.clone().into()),
        (event::Column::StartPrecision, start.precision.into()),
        (event::Column::StartEarliest, start.earliest.into()),
        (event::Column::StartLatest, start.latest.into()),
        (event::Column::EndValue, end.map(|d| d.value.clone()).into()),
        (event::Column::EndPrecision, end.map(|d| d.precision).into()),
        (event::Column::EndEarliest, end.map(|d| d.earliest).into()),
        (event::Column::EndLatest, end.map(|d| d.latest).into()),
        (event::Column::SpanLatest, end.map_or(start.latest, |d| std::cmp::max(d.latest, start.latest)).into()),
    ]
}

/// The participations the current WHO accounts that support one add to an event: each
/// (actor, role) that `has` does not already hold, once.
pub fn participations_to_add(own: &[account::Model], has: impl Fn(Uuid, &str) -> bool) -> Vec<(Uuid, String)> {
    let mut added: Vec<(Uuid, String)> = Vec::new();
    for account in
        own.iter().filter(|a| a.aspect == Aspect::Who.name() && a.status == "current" && a.stance == "supports")
    {
        if let (Some(actor_id), Some(role)) = (account.actor_id, account.role.as_deref())
            && !has(actor_id, role)
            && !added.iter().any(|(actor, r)| *actor == actor_id && r == role)
        {
            added.push((actor_id, role.to_owned()));
        }
    }
    added
}
