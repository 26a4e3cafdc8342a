//! Reading a date without storing it: what the form's date preview shows as the user types, from
//! the server's own grammar, so the page keeps no second copy of it.

use async_graphql::{Object, Result};

use crate::graphql::types::date::FuzzyDate;
use crate::service::dates::{self, DateView};
use crate::service::rules;

#[derive(Default)]
pub struct DateQuery;

#[Object]
impl DateQuery {
    /// Parses `text` as an event's start or end would be (in `timeZone` when it has no offset)
    /// and says what it means: its precision, its earliest and latest instant (null on an open
    /// side) and a description in words. A text that is not a date, or reaches outside the
    /// years Chronik stores, fails with VALIDATION on the field `text`.
    async fn describe_date(&self, text: String, time_zone: Option<String>) -> Result<FuzzyDate> {
        let zone = rules::time_zone("timeZone", time_zone.as_deref())?;
        let stored = dates::parse("text", &text, zone)?;
        let view = DateView {
            precision: fuzzydate::Precision::from_rank(stored.precision).unwrap_or(fuzzydate::Precision::Year),
            earliest: dates::instant(stored.earliest),
            latest: dates::instant(stored.latest),
            value: stored.value,
            zone,
        };
        Ok(FuzzyDate(view))
    }
}
