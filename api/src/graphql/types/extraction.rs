//! The answer of `extractFromText`: the dates an article's text holds and the events it proposes,
//! as `chronik extract` prints them, with each date also read as Chronik reads an event's date
//! (so a page can describe it in words) and each name matched to a known actor where one is.

use std::collections::HashMap;

use async_graphql::{Enum, Object, Result};
use chronik_extract::{ActorMention, Candidate, FoundDate};
use chrono_tz::Tz;

use super::actor::{self, Actor};
use super::date::FuzzyDate;
use super::source::{self, Source};
use crate::db::Database;
use crate::graphql::cost;
use crate::service::dates;
use crate::service::extraction::Extracted;

/// How precise an extracted date is. Finer than `DatePrecision` where the words are: a half or
/// a quarter of a year is a SEASON in `DatePrecision` (EDTF 33–41).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ExtractedPrecision {
    Century,
    Decade,
    Year,
    Half,
    Quarter,
    Season,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
}

impl From<chronik_extract::Precision> for ExtractedPrecision {
    fn from(precision: chronik_extract::Precision) -> Self {
        use chronik_extract::Precision as P;
        match precision {
            P::Century => Self::Century,
            P::Decade => Self::Decade,
            P::Year => Self::Year,
            P::Half => Self::Half,
            P::Quarter => Self::Quarter,
            P::Season => Self::Season,
            P::Month => Self::Month,
            P::Week => Self::Week,
            P::Day => Self::Day,
            P::Hour => Self::Hour,
            P::Minute => Self::Minute,
            P::Second => Self::Second,
        }
    }
}

/// A bare reference to a time without a date: "recently", "now", "in the future".
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum TimeReference {
    Past,
    Present,
    Future,
}

impl From<chronik_extract::Reference> for TimeReference {
    fn from(reference: chronik_extract::Reference) -> Self {
        match reference {
            chronik_extract::Reference::Past => Self::Past,
            chronik_extract::Reference::Present => Self::Present,
            chronik_extract::Reference::Future => Self::Future,
        }
    }
}

/// "Friday evening": the part of the day, which a date value cannot say.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PartOfDay {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl From<chronik_extract::PartOfDay> for PartOfDay {
    fn from(part: chronik_extract::PartOfDay) -> Self {
        match part {
            chronik_extract::PartOfDay::Morning => Self::Morning,
            chronik_extract::PartOfDay::Afternoon => Self::Afternoon,
            chronik_extract::PartOfDay::Evening => Self::Evening,
            chronik_extract::PartOfDay::Night => Self::Night,
        }
    }
}

/// A value read as an event's date would be; None if Chronik could not store it.
fn read(value: Option<&str>, zone: Option<Tz>) -> Option<FuzzyDate> {
    value.and_then(|text| dates::view("value", text, zone).ok()).map(FuzzyDate)
}

/// What was found in one text. Nothing of it is stored.
pub struct Extraction {
    extracted: Extracted,
    actors: HashMap<String, Actor>,
    source: Option<Source>,
}

impl Extraction {
    pub fn new(db: &Database, mut extracted: Extracted) -> Self {
        let rows = std::mem::take(&mut extracted.actors);
        let ids: Vec<String> = rows.iter().map(|row| row.id.to_string()).collect();
        // `wrap` keeps the rows' order.
        let actors = ids.into_iter().zip(actor::wrap(db, rows)).collect();
        let source = extracted.source.take().and_then(|row| source::wrap(db, vec![row]).pop());
        Self { extracted, actors, source }
    }
}

#[Object]
impl Extraction {
    /// The publication date the text was read against (`2024-03-02`).
    async fn published(&self) -> String {
        self.extracted.published.format("%Y-%m-%d").to_string()
    }

    /// The source given by `sourceId`, if any.
    async fn source(&self) -> Option<&Source> {
        self.source.as_ref()
    }

    /// How many dates were found (`dates` is a page of them).
    async fn date_count(&self) -> usize {
        self.extracted.extraction.dates.len()
    }

    /// How many candidate events were found (`events` is a page of them).
    async fn event_count(&self) -> usize {
        self.extracted.extraction.events.len()
    }

    /// The date expressions in text order: `first` (at most 500) from `offset`.
    #[graphql(complexity = "cost::paged(first, child_complexity)")]
    async fn dates(
        &self,
        #[graphql(default_with = "cost::DEFAULT_PAGE")] first: i32,
        #[graphql(default)] offset: i32,
    ) -> Result<Vec<ExtractedDate>> {
        let zone = self.extracted.zone;
        let all = self.extracted.extraction.dates.iter().map(|found| ExtractedDate { found: found.clone(), zone });
        Ok(cost::page(all.collect(), first, offset)?)
    }

    /// The candidate events in text order, those of the page's trailer (after the break where
    /// the article ends) last among them as they come: `first` (at most 500) from `offset`.
    #[graphql(complexity = "cost::paged(first, child_complexity)")]
    async fn events(
        &self,
        #[graphql(default_with = "cost::DEFAULT_PAGE")] first: i32,
        #[graphql(default)] offset: i32,
    ) -> Result<Vec<EventCandidate<'_>>> {
        let zone = self.extracted.zone;
        let all = self.extracted.extraction.events.iter().map(|candidate| EventCandidate {
            candidate,
            zone,
            actors: &self.actors,
        });
        Ok(cost::page(all.collect(), first, offset)?)
    }
}

/// A date expression in the text. Offsets count Unicode code points.
pub struct ExtractedDate {
    found: FoundDate,
    zone: Option<Tz>,
}

#[Object]
impl ExtractedDate {
    /// Where the expression begins (a code point offset into the text).
    async fn start(&self) -> usize {
        self.found.start
    }

    /// Where it ends (exclusive).
    async fn end(&self) -> usize {
        self.found.end
    }

    async fn text(&self) -> &str {
        &self.found.text
    }

    /// The resolved date in Chronik's date syntax (`2024-02`, `2024-03-01`, `2024~`); null for a
    /// bare reference ("recently").
    async fn value(&self) -> Option<&str> {
        self.found.value.as_deref()
    }

    async fn precision(&self) -> Option<ExtractedPrecision> {
        self.found.precision.map(Into::into)
    }

    /// PAST, PRESENT or FUTURE for "recently", "now", "in the future".
    async fn reference(&self) -> Option<TimeReference> {
        self.found.reference.map(Into::into)
    }

    async fn part_of_day(&self) -> Option<PartOfDay> {
        self.found.part_of_day.map(Into::into)
    }

    /// In the page's trailer (after the break where the article ends).
    async fn trailer(&self) -> bool {
        self.found.trailer
    }

    /// `value` as an event's date would hold it, read in the request's time zone: its earliest
    /// and latest instant and its description in words.
    async fn date(&self) -> Option<FuzzyDate> {
        read(self.found.value.as_deref(), self.zone)
    }
}

/// A proposed event: one sentence that reports something happening.
pub struct EventCandidate<'a> {
    candidate: &'a Candidate,
    zone: Option<Tz>,
    actors: &'a HashMap<String, Actor>,
}

#[Object]
impl<'a> EventCandidate<'a> {
    /// A suggested title: the sentence without a leading date, cut at a word.
    async fn title(&self) -> &str {
        &self.candidate.title
    }

    /// A suggested kind, in the example affair's words ("meeting", "statement", "leak", … or "other").
    async fn kind(&self) -> &str {
        &self.candidate.kind
    }

    /// The date in Chronik's date syntax: the sentence's own, or inherited from the one before
    /// in the paragraph (`dateInherited`); null when there is none.
    async fn date(&self) -> Option<&str> {
        self.candidate.date.as_deref()
    }

    async fn precision(&self) -> Option<ExtractedPrecision> {
        self.candidate.precision.map(Into::into)
    }

    /// The index in `dates` of the date used.
    async fn date_index(&self) -> Option<usize> {
        self.candidate.date_index
    }

    async fn date_inherited(&self) -> bool {
        self.candidate.date_inherited
    }

    /// `date` as an event's start would hold it (earliest, latest, description).
    async fn when(&self) -> Option<FuzzyDate> {
        read(self.candidate.date.as_deref(), self.zone)
    }

    /// The names in the sentence, in text order: known actors (with `actor`) or proposed new
    /// ones. At most as many as an event's participants may be.
    #[graphql(complexity = "cost::capped(child_complexity)")]
    async fn actors(&self) -> Vec<ExtractedActor<'_>> {
        self.candidate
            .actors
            .iter()
            .take(crate::service::rules::MAX_LIST)
            .map(|mention| ExtractedActor {
                mention,
                actor: mention.actor_id.as_deref().and_then(|id| self.actors.get(id)),
            })
            .collect()
    }

    /// The sentence, verbatim: the quote of the event's citation.
    async fn quote(&self) -> &str {
        &self.candidate.quote
    }

    /// Where the sentence begins in the text (a code point offset).
    async fn quote_start(&self) -> usize {
        self.candidate.quote_start
    }

    /// Where it ends (exclusive).
    async fn quote_end(&self) -> usize {
        self.candidate.quote_end
    }

    /// From 0 to 1: how likely this is an event worth keeping.
    async fn confidence(&self) -> f64 {
        // As the extraction rounds it (0.85), not as its f32 widens (0.8500000238…).
        (f64::from(self.candidate.confidence) * 100.0).round() / 100.0
    }

    /// From the scraped page's trailer (links to other stories after the article), not the article.
    async fn trailer(&self) -> bool {
        self.candidate.trailer
    }
}

/// A name in a candidate's sentence.
pub struct ExtractedActor<'a> {
    mention: &'a ActorMention,
    actor: Option<&'a Actor>,
}

#[Object]
impl<'a> ExtractedActor<'a> {
    /// The name as known (a known actor's own name) or as written (a proposed new actor).
    async fn name(&self) -> &str {
        &self.mention.name
    }

    /// The known actor matched by name or alias; null for a name proposed as a new actor.
    async fn actor(&self) -> Option<&Actor> {
        self.actor
    }

    /// Where the name stands in the text (code point offsets, end exclusive).
    async fn start(&self) -> usize {
        self.mention.start
    }

    async fn end(&self) -> usize {
        self.mention.end
    }
}
