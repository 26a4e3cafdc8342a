//! Extraction from an article's text for review (`extractFromText`): the dates and candidate
//! events of `chronik-extract`, resolved against the publication date, with the names matched to
//! the actors already known. Nothing is written: an editor accepts candidates one by one, each
//! by an ordinary `createEvent`.

use chronik_extract::{Extraction, KnownActor, Options, extract};
use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use entity::{actor, source};
use sea_orm::{EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::{dates, rules, search, sources};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

/// The longest text taken, in characters (Unicode code points, as the offsets count): some
/// 15,000 words, three times a long feature. Extraction is linear in the text (about 10 ms for
/// 1,000 words in a release build), so this bounds what one request costs.
pub const MAX_TEXT: usize = 100_000;

/// The most distinct capitalised words looked up as possible names of known actors.
const MAX_NAME_WORDS: usize = 1_000;

/// The most known actors read for one text: those sharing a word with its capitalised words.
pub const MAX_ACTORS: u64 = 5_000;

/// What to extract from.
#[derive(Debug, Clone, Default)]
pub struct ExtractRequest {
    pub text: String,
    /// A date (`2024-03-02`) or an RFC 3339 instant, read in `time_zone`; without it the
    /// source's published date.
    pub published: Option<String>,
    pub time_zone: Option<String>,
    pub source_id: Option<Uuid>,
}

/// The extraction, with the known actors its mentions name (by ID) and what it was read against.
#[derive(Debug)]
pub struct Extracted {
    pub extraction: Extraction,
    pub actors: Vec<actor::Model>,
    pub published: NaiveDate,
    pub zone: Option<Tz>,
    pub source: Option<source::Model>,
}

/// Checks the request, finds the known actors the text may name, and extracts on a blocking
/// thread (the work is CPU only).
pub async fn run(db: &Database, request: ExtractRequest) -> ServiceResult<Extracted> {
    let length = request.text.chars().count();
    if length > MAX_TEXT {
        return Err(ServiceError::validation(
            "input.text",
            format!("the text is {length} characters long; at most {MAX_TEXT} are taken (cut the article into parts)"),
        ));
    }
    let zone = rules::time_zone("input.timeZone", request.time_zone.as_deref())?;
    let source = match request.source_id {
        Some(id) => Some(
            sources::get(db, id)
                .await?
                .ok_or_else(|| ServiceError::validation("input.sourceId", "no source has this ID"))?,
        ),
        None => None,
    };
    let published = match (request.published.as_deref().map(str::trim), &source) {
        (Some(text), _) if !text.is_empty() => publication_date(text, zone)?,
        (_, Some(source)) => source_date(source, zone)?,
        (_, None) => {
            return Err(ServiceError::validation(
                "input.published",
                "the article's publication date is needed (2024-03-02), or a source that has one",
            ));
        }
    };
    let actors = known_actors(db, &request.text).await?;
    let mut options = Options::new(published);
    options.actors = actors
        .iter()
        .map(|row| KnownActor {
            id: row.id.to_string(),
            name: row.name.clone(),
            aliases: search::aliases(row),
            person: row.kind == "person",
        })
        .collect();
    let text = request.text;
    let extraction = tokio::task::spawn_blocking(move || extract(&text, &options))
        .await
        .map_err(|error| ServiceError::Database(sea_orm::DbErr::Custom(format!("the extraction failed: {error}"))))?;
    // Only the actors some mention names are handed on.
    let named: std::collections::HashSet<&str> = extraction
        .events
        .iter()
        .flat_map(|candidate| candidate.actors.iter().filter_map(|mention| mention.actor_id.as_deref()))
        .collect();
    let actors = actors.into_iter().filter(|row| named.contains(row.id.to_string().as_str())).collect();
    Ok(Extracted { extraction, actors, published, zone, source })
}

/// The publication date as given: a date, or an instant whose date is taken in `zone` (UTC
/// without), as `chronik extract --published` reads it.
pub fn publication_date(text: &str, zone: Option<Tz>) -> ServiceResult<NaiveDate> {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date);
    }
    match DateTime::parse_from_rfc3339(text) {
        Ok(at) => Ok(match zone {
            Some(zone) => at.with_timezone(&zone).date_naive(),
            None => at.naive_utc().date(),
        }),
        Err(_) => Err(ServiceError::validation(
            "input.published",
            format!("{text:?} is neither a date (2024-03-02) nor an RFC 3339 instant (2024-03-02T09:30:00+01:00)"),
        )),
    }
}

/// The day a source was published, when its date says the day.
fn source_date(source: &source::Model, zone: Option<Tz>) -> ServiceResult<NaiveDate> {
    use fuzzydate::Precision;
    let precise = source.published_precision.and_then(Precision::from_rank).is_some_and(|precision| match precision {
        Precision::Day | Precision::Hour | Precision::Minute | Precision::Second => true,
        Precision::Millennium
        | Precision::Century
        | Precision::Decade
        | Precision::Year
        | Precision::Season
        | Precision::Month
        | Precision::Week => false,
    });
    let earliest = source.published_earliest.and_then(dates::instant).filter(|_| precise);
    match earliest {
        Some(at) => Ok(match zone {
            Some(zone) => at.with_timezone(&zone).date_naive(),
            None => at.date_naive(),
        }),
        None => Err(ServiceError::validation(
            "input.published",
            format!(
                "the source's date ({}) does not say the day: give the article's publication date",
                source.published_value.as_deref().unwrap_or("none")
            ),
        )),
    }
}

/// The known actors whose name or an alias shares a word with the capitalised words of `text`
/// (through the search index), at most [`MAX_ACTORS`]; extraction then matches them exactly.
async fn known_actors(db: &Database, text: &str) -> ServiceResult<Vec<actor::Model>> {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().next().is_some_and(char::is_uppercase) && word.chars().count() > 1)
        .map(str::to_lowercase)
        .collect();
    words.sort_unstable();
    words.dedup();
    words.truncate(MAX_NAME_WORDS);
    let Some(condition) = search::condition_any(db.backend(), search::Entity::Actor, &words) else {
        return Ok(Vec::new());
    };
    Ok(actor::Entity::find().filter(condition).limit(MAX_ACTORS).all(db.reader()).await?)
}
