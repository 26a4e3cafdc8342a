//! The rules of accounts and source changes that need no database, shared by the mutations and
//! the import: the fields of an account (which an aspect needs), the kinds of source changes, and
//! what the accounts of an event make of it — its value of each aspect, the aspects in dispute and
//! its support. ARCHITECTURE.md ("Evidence") states the same rules in words.

use entity::account;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::event::{Place, PlaceDraft, place};
use super::{MAX_TEXT, closed_term, open_term, optional_text};
use crate::error::{ServiceError, ServiceResult};
use crate::service::dates::{self, StoredDate};

pub const ASPECTS: &[&str] = &["when", "where", "who", "whether"];
pub const STANCES: &[&str] = &["supports", "disputes"];
pub const STATUSES: &[&str] = &["current", "superseded", "retracted"];
pub const CHANGE_KINDS: &[&str] = &["updated", "corrected", "retracted"];
pub const SOURCE_STATUSES: &[&str] = &["published", "updated", "corrected", "retracted"];
pub const SUPPORT: &[&str] = &[SUPPORTED, "weakened", "unsupported"];
/// The support of an event no account or source speaks against: what [`evaluate`] gives an
/// event without accounts, and what a new or imported event starts with.
pub const SUPPORTED: &str = "supported";

/// One aspect of an event an account can speak to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Aspect {
    When,
    Where,
    Who,
    Whether,
}

impl Aspect {
    pub const ALL: [Aspect; 4] = [Aspect::When, Aspect::Where, Aspect::Who, Aspect::Whether];

    pub fn name(self) -> &'static str {
        match self {
            Aspect::When => "when",
            Aspect::Where => "where",
            Aspect::Who => "who",
            Aspect::Whether => "whether",
        }
    }

    pub fn parse(name: &str) -> Option<Aspect> {
        Aspect::ALL.into_iter().find(|aspect| aspect.name() == name)
    }
}

/// An account as given, its source and actor found already. `at` prefixes the field names of
/// its errors (`accounts[0]` in a list, empty for a single input).
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountDraft<'a> {
    pub aspect: &'a str,
    /// None: `supports`.
    pub stance: Option<&'a str>,
    pub date: Option<&'a str>,
    pub end: Option<&'a str>,
    /// The event's IANA zone, which the dates are read in.
    pub time_zone: Option<chrono_tz::Tz>,
    pub place: Option<PlaceDraft<'a>>,
    pub actor_id: Option<Uuid>,
    pub role: Option<&'a str>,
    pub source_id: Uuid,
    pub quote: Option<&'a str>,
}

/// An account's own fields, checked: what its columns hold.
#[derive(Debug, Clone)]
pub struct AccountFields {
    pub aspect: Aspect,
    pub stance: String,
    pub date: Option<StoredDate>,
    pub end: Option<StoredDate>,
    pub place: Place,
    pub actor_id: Option<Uuid>,
    pub role: Option<String>,
    pub source_id: Uuid,
    pub quote: Option<String>,
}

fn field(at: &str, name: &str) -> String {
    if at.is_empty() { name.to_owned() } else { format!("{at}.{name}") }
}

/// Checks an account: a known aspect and stance, and exactly what its aspect needs — a date for
/// WHEN (an end only there, not before the date), a place for WHERE, an actor and a role for
/// WHO, nothing more for WHETHER.
pub fn fields(at: &str, draft: AccountDraft<'_>) -> ServiceResult<AccountFields> {
    let aspect_name = closed_term(&field(at, "aspect"), draft.aspect, ASPECTS)?;
    let aspect = Aspect::parse(&aspect_name).ok_or_else(|| ServiceError::validation(field(at, "aspect"), "unknown"))?;
    let stance = closed_term(&field(at, "stance"), draft.stance.unwrap_or("supports"), STANCES)?;
    let quote = optional_text(&field(at, "citation.quote"), draft.quote, MAX_TEXT)?;
    let refuse = |name: &str, message: &str| Err(ServiceError::validation(field(at, name), message));
    let given = |text: Option<&str>| text.is_some_and(|t| !t.trim().is_empty());
    if aspect != Aspect::When && (given(draft.date) || given(draft.end)) {
        return refuse(if given(draft.date) { "date" } else { "end" }, "only a WHEN account has dates");
    }
    if aspect != Aspect::Where && draft.place.is_some() {
        return refuse("place", "only a WHERE account has a place");
    }
    if aspect != Aspect::Who && (draft.actor_id.is_some() || given(draft.role)) {
        return refuse(if draft.actor_id.is_some() { "actorId" } else { "role" }, "only a WHO account names an actor");
    }
    let mut fields = AccountFields {
        aspect,
        stance,
        date: None,
        end: None,
        place: Place::default(),
        actor_id: None,
        role: None,
        source_id: draft.source_id,
        quote,
    };
    match aspect {
        Aspect::When => {
            let Some(date) = draft.date.filter(|t| !t.trim().is_empty()) else {
                return refuse("date", "a WHEN account needs a date");
            };
            let date = dates::parse(&field(at, "date"), date, draft.time_zone)?;
            let end = match draft.end.map(str::trim) {
                None | Some("") => None,
                Some(text) => Some(dates::parse(&field(at, "end"), text, draft.time_zone)?),
            };
            if let Some(end) = &end
                && end.latest < date.earliest
            {
                return refuse("end", "ends before the date");
            }
            fields.date = Some(date);
            fields.end = end;
        }
        Aspect::Where => {
            let checked = place(draft.place).map_err(|error| prefixed(at, error))?;
            if checked.name.is_none() && checked.latitude.is_none() {
                return refuse("place", "a WHERE account needs a place: a name or coordinates");
            }
            fields.place = checked;
        }
        Aspect::Who => {
            let Some(actor_id) = draft.actor_id else {
                return refuse("actorId", "a WHO account names an actor");
            };
            fields.actor_id = Some(actor_id);
            fields.role = Some(open_term(&field(at, "role"), draft.role.unwrap_or("participant"))?);
        }
        Aspect::Whether => {}
    }
    Ok(fields)
}

/// An error of the place rules (`place.name`), named within this account.
fn prefixed(at: &str, error: ServiceError) -> ServiceError {
    match error {
        ServiceError::Validation { field: name, message } => {
            ServiceError::Validation { field: field(at, &name), message }
        }
        other => other,
    }
}

impl AccountFields {
    /// Sets the columns these fields fill (not the ID, event, status, preference, version or
    /// timestamps).
    pub fn apply(self, model: &mut account::ActiveModel) {
        let AccountFields { aspect, stance, date, end, place, actor_id, role, source_id, quote } = self;
        model.aspect = Set(aspect.name().to_owned());
        model.stance = Set(stance);
        model.date_value = Set(date.as_ref().map(|d| d.value.clone()));
        model.date_precision = Set(date.as_ref().map(|d| d.precision));
        model.date_earliest = Set(date.as_ref().map(|d| d.earliest));
        model.date_latest = Set(date.as_ref().map(|d| d.latest));
        model.end_value = Set(end.as_ref().map(|d| d.value.clone()));
        model.end_precision = Set(end.as_ref().map(|d| d.precision));
        model.end_earliest = Set(end.as_ref().map(|d| d.earliest));
        model.end_latest = Set(end.as_ref().map(|d| d.latest));
        model.place_name = Set(place.name);
        model.place_latitude = Set(place.latitude);
        model.place_longitude = Set(place.longitude);
        model.actor_id = Set(actor_id);
        model.role = Set(role);
        model.source_id = Set(source_id);
        model.quote = Set(quote);
    }
}

/// The status of an account when given (`current` if not).
pub fn status(field: &str, value: Option<&str>) -> ServiceResult<String> {
    closed_term(field, value.unwrap_or("current"), STATUSES)
}

/// The kind of a source change.
pub fn change_kind(field: &str, value: &str) -> ServiceResult<String> {
    closed_term(field, value, CHANGE_KINDS)
}

/// The note of a source change.
pub fn change_note(field: &str, value: Option<&str>) -> ServiceResult<Option<String>> {
    optional_text(field, value, MAX_TEXT)
}

/// Which accounts a change supersedes: only a correction supersedes; each once, each resting on
/// the changed source (`rests_on` says whether one does).
pub fn supersedes(field: &str, kind: &str, ids: &[Uuid], rests_on: impl Fn(Uuid) -> bool) -> ServiceResult<Vec<Uuid>> {
    super::list_len(field, ids)?;
    if !ids.is_empty() && kind != "corrected" {
        return Err(ServiceError::validation(field, "only a correction supersedes accounts"));
    }
    let mut seen = Vec::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate() {
        if !rests_on(*id) {
            return Err(ServiceError::validation(format!("{field}[{index}]"), "no account on this source has this ID"));
        }
        if !seen.contains(id) {
            seen.push(*id);
        }
    }
    Ok(seen)
}

/// What a source's status becomes after a change of `kind`: a retraction is final, a later
/// update or correction does not undo it.
pub fn status_after(current: &str, kind: &str) -> String {
    if current == "retracted" { current.to_owned() } else { kind.to_owned() }
}

/// The span of a WHEN account, in Unix seconds: from its date's earliest to the latest of its
/// date or end.
fn span(account: &account::Model) -> Option<(i64, i64)> {
    let earliest = account.date_earliest?;
    let latest = account.date_latest?.max(account.end_latest.unwrap_or(i64::MIN));
    Some((earliest, latest))
}

fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

fn is_current(account: &account::Model) -> bool {
    account.status == "current"
}

fn supports(account: &account::Model) -> bool {
    account.stance == "supports"
}

/// The date of a WHEN account, as stored.
pub fn stored_date(account: &account::Model) -> Option<(StoredDate, Option<StoredDate>)> {
    let date = StoredDate {
        value: account.date_value.clone()?,
        precision: account.date_precision?,
        earliest: account.date_earliest?,
        latest: account.date_latest?,
    };
    let end = match (&account.end_value, account.end_precision, account.end_earliest, account.end_latest) {
        (Some(value), Some(precision), Some(earliest), Some(latest)) => {
            Some(StoredDate { value: value.clone(), precision, earliest, latest })
        }
        _ => None,
    };
    Some((date, end))
}

fn place_key(account: &account::Model) -> (Option<String>, Option<i64>, Option<i64>) {
    // Coordinates compared to about a metre; names without case or surrounding space.
    let round = |value: Option<f64>| value.map(|v| (v * 100_000.0).round() as i64);
    (
        account.place_name.as_deref().map(|n| n.trim().to_lowercase()),
        round(account.place_latitude),
        round(account.place_longitude),
    )
}

/// What the accounts of an event make of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The WHEN value (date and end), when some account gives one.
    pub when: Option<(StoredDate, Option<StoredDate>)>,
    /// The WHERE value, when some account gives one.
    pub place: Option<Place>,
    /// The aspects whose current accounts cannot all be true, in the order of [`Aspect::ALL`].
    pub disputed: Vec<Aspect>,
    /// `supported`, `weakened` or `unsupported`.
    pub support: &'static str,
}

impl Evaluation {
    /// The `disputed_aspects` column: the names comma-separated, `None` for none.
    pub fn disputed_column(&self) -> Option<String> {
        (!self.disputed.is_empty()).then(|| self.disputed.iter().map(|a| a.name()).collect::<Vec<_>>().join(","))
    }
}

/// Evaluates an event's accounts, given the statuses of the sources its citations cite.
///
/// - Value of WHEN: the preferred account if it is current; otherwise, among the current
///   SUPPORTS accounts, the one whose span overlaps the most others (all of them, when they
///   agree), then the most precise (highest precision, then narrowest span), then the oldest.
///   No current account: none (the event keeps the value it has, retracted or superseded
///   preferences included).
/// - Value of WHERE: the preferred account if current; otherwise the place most current
///   SUPPORTS accounts name, then the oldest such account; none when no account is current.
/// - Disputed: WHEN, two current SUPPORTS accounts whose spans do not overlap; WHERE, two
///   current SUPPORTS accounts naming different places; WHO, one actor with SUPPORTS and
///   DISPUTES accounts; WHETHER, a current SUPPORTS and a current DISPUTES account.
/// - Support: UNSUPPORTED when the standing evidence says it did not happen (a current WHETHER
///   account DISPUTES it and no current WHETHER account SUPPORTS it); otherwise WEAKENED when an
///   aspect that has accounts has no current one, or a cited source is retracted (so an event
///   whose every source was retracted stays on its date, weakened); SUPPORTED otherwise.
pub fn evaluate(accounts: &[account::Model], cited_source_statuses: &[&str]) -> Evaluation {
    let mut ordered: Vec<&account::Model> = accounts.iter().collect();
    ordered.sort_by_key(|a| a.id);
    let of = |aspect: Aspect| ordered.iter().copied().filter(move |a| a.aspect == aspect.name());

    let whens: Vec<&account::Model> = of(Aspect::When).filter(|a| supports(a)).collect();
    let current_whens: Vec<&account::Model> = whens.iter().copied().filter(|a| is_current(a)).collect();
    let preferred_when = whens.iter().copied().find(|a| a.preferred);
    let when = match preferred_when.filter(|a| is_current(a)) {
        Some(preferred) => stored_date(preferred),
        None if !current_whens.is_empty() => {
            let spans: Vec<(i64, i64)> = current_whens.iter().filter_map(|a| span(a)).collect();
            current_whens
                .iter()
                .copied()
                .filter_map(|a| span(a).map(|s| (a, s)))
                .max_by_key(|(a, s)| {
                    let agreeing = spans.iter().filter(|other| overlaps(*s, **other)).count();
                    (agreeing, a.date_precision.unwrap_or(0), -(s.1 - s.0), std::cmp::Reverse(a.id))
                })
                .and_then(|(a, _)| stored_date(a))
        }
        // Nothing current: the event keeps the value it has (a retracted preference does not
        // come back as its date).
        None => None,
    };
    let disputed_when = current_whens.iter().enumerate().any(|(i, a)| {
        current_whens[i + 1..].iter().any(|b| matches!((span(a), span(b)), (Some(x), Some(y)) if !overlaps(x, y)))
    });

    let wheres: Vec<&account::Model> = of(Aspect::Where).filter(|a| supports(a)).collect();
    let current_wheres: Vec<&account::Model> = wheres.iter().copied().filter(|a| is_current(a)).collect();
    let preferred_where = wheres.iter().copied().find(|a| a.preferred);
    let chosen_where = match preferred_where.filter(|a| is_current(a)) {
        Some(preferred) => Some(preferred),
        None if !current_wheres.is_empty() => current_wheres.iter().copied().max_by_key(|a| {
            let agreeing = current_wheres.iter().filter(|b| place_key(b) == place_key(a)).count();
            (agreeing, std::cmp::Reverse(a.id))
        }),
        None => None,
    };
    let place = chosen_where.map(|a| Place {
        name: a.place_name.clone(),
        latitude: a.place_latitude,
        longitude: a.place_longitude,
    });
    let disputed_where = current_wheres.iter().any(|a| current_wheres.iter().any(|b| place_key(a) != place_key(b)));

    let current_who: Vec<&account::Model> = of(Aspect::Who).filter(|a| is_current(a)).collect();
    let disputed_who =
        current_who.iter().any(|a| supports(a) && current_who.iter().any(|b| !supports(b) && b.actor_id == a.actor_id));
    let current_whether: Vec<&account::Model> = of(Aspect::Whether).filter(|a| is_current(a)).collect();
    let disputed_whether = current_whether.iter().any(|a| supports(a)) && current_whether.iter().any(|a| !supports(a));

    let disputed = [
        (Aspect::When, disputed_when),
        (Aspect::Where, disputed_where),
        (Aspect::Who, disputed_who),
        (Aspect::Whether, disputed_whether),
    ]
    .into_iter()
    .filter(|(_, disputed)| *disputed)
    .map(|(aspect, _)| aspect)
    .collect();

    // Only the standing evidence saying it did not happen makes an event unsupported; losing
    // what it rested on leaves it where it was, weakened, for an editor to judge.
    let denied = current_whether.iter().any(|a| !supports(a)) && !current_whether.iter().any(|a| supports(a));
    let retracted_citation = cited_source_statuses.contains(&"retracted");
    let aspect_lost = Aspect::ALL.into_iter().any(|aspect| of(aspect).next().is_some() && !of(aspect).any(is_current));
    let support = if denied {
        "unsupported"
    } else if aspect_lost || retracted_citation {
        "weakened"
    } else {
        SUPPORTED
    };
    Evaluation { when, place, disputed, support }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(id: u128, date: &str, status: &str, preferred: bool) -> account::Model {
        let stored = dates::parse("date", date, None).expect("date");
        let now = chrono::Utc::now();
        account::Model {
            id: Uuid::from_u128(id),
            event_id: Uuid::nil(),
            aspect: "when".into(),
            stance: "supports".into(),
            date_value: Some(stored.value),
            date_precision: Some(stored.precision),
            date_earliest: Some(stored.earliest),
            date_latest: Some(stored.latest),
            end_value: None,
            end_precision: None,
            end_earliest: None,
            end_latest: None,
            place_name: None,
            place_latitude: None,
            place_longitude: None,
            actor_id: None,
            role: None,
            source_id: Uuid::nil(),
            quote: None,
            status: status.into(),
            preferred,
            created_at: now,
            updated_at: now,
            created_by: None,
            updated_by: None,
            version: 1,
            external_id: None,
        }
    }

    fn start(evaluation: &Evaluation) -> Option<&str> {
        evaluation.when.as_ref().map(|(date, _)| date.value.as_str())
    }

    #[test]
    fn the_most_precise_agreeing_date_is_the_value() {
        let accounts = [when(1, "2024-02", "current", false), when(2, "2024-02-19", "current", false)];
        let evaluation = evaluate(&accounts, &[]);
        assert_eq!(start(&evaluation), Some("2024-02-19"));
        assert!(evaluation.disputed.is_empty());
        assert_eq!(evaluation.support, "supported");
    }

    #[test]
    fn dates_that_do_not_overlap_are_disputed_and_the_majority_wins() {
        let accounts = [
            when(1, "2024-02", "current", false),
            when(2, "2024-02-19", "current", false),
            when(3, "2024-03-03", "current", false),
        ];
        let evaluation = evaluate(&accounts, &[]);
        assert_eq!(evaluation.disputed, vec![Aspect::When]);
        assert_eq!(start(&evaluation), Some("2024-02-19"));
    }

    #[test]
    fn a_preferred_account_counts_only_while_current() {
        let accounts = [when(1, "2024-02", "current", false), when(2, "2024-03-03", "current", true)];
        assert_eq!(start(&evaluate(&accounts, &[])), Some("2024-03-03"));
        let accounts = [when(1, "2024-02", "current", false), when(2, "2024-03-03", "retracted", true)];
        let evaluation = evaluate(&accounts, &[]);
        assert_eq!(start(&evaluation), Some("2024-02"));
        assert!(evaluation.disputed.is_empty(), "a retracted account disputes nothing");
    }

    fn whether(id: u128, stance: &str, status: &str) -> account::Model {
        let mut account = when(id, "2024", status, false);
        account.aspect = "whether".into();
        account.stance = stance.into();
        (account.date_value, account.date_precision, account.date_earliest, account.date_latest) =
            (None, None, None, None);
        account
    }

    #[test]
    fn support_follows_what_still_stands() {
        let lost = [when(1, "2024-02", "retracted", false)];
        assert_eq!(evaluate(&lost, &[]).support, "weakened", "nothing stands: weakened, not denied");
        assert_eq!(evaluate(&lost, &["published"]).support, "weakened");
        assert_eq!(evaluate(&[], &["retracted"]).support, "weakened");
        assert_eq!(evaluate(&[], &["retracted", "corrected"]).support, "weakened");
        assert_eq!(evaluate(&[], &[]).support, "supported");
        // Only a standing denial makes an event unsupported.
        let denied = [when(1, "2024-02", "current", false), whether(2, "disputes", "current")];
        assert_eq!(evaluate(&denied, &[]).support, "unsupported");
        let contested = [whether(2, "disputes", "current"), whether(3, "supports", "current")];
        let evaluation = evaluate(&contested, &[]);
        assert_eq!((evaluation.support, evaluation.disputed.as_slice()), ("supported", &[Aspect::Whether][..]));
        let withdrawn = [when(1, "2024-02", "current", false), whether(2, "disputes", "retracted")];
        assert_eq!(evaluate(&withdrawn, &[]).support, "weakened", "a retracted denial denies nothing");
    }

    #[test]
    fn with_nothing_current_the_event_keeps_its_value() {
        // The preferred precise account and the month were both retracted: no value is given, so
        // the event stays where the month had put it.
        let accounts = [when(1, "2024-02", "retracted", false), when(2, "2024-02-19", "retracted", true)];
        let evaluation = evaluate(&accounts, &["retracted"]);
        assert_eq!((evaluation.when.as_ref(), evaluation.support), (None, "weakened"));
        assert!(evaluation.disputed.is_empty());
    }

    #[test]
    fn an_aspect_takes_only_its_own_fields() {
        let draft = AccountDraft { aspect: "where", date: Some("2024"), ..AccountDraft::default() };
        let error = fields("accounts[0]", draft);
        assert!(matches!(error, Err(ServiceError::Validation { ref field, .. }) if field == "accounts[0].date"));
        let draft = AccountDraft { aspect: "who", ..AccountDraft::default() };
        assert!(matches!(fields("", draft), Err(ServiceError::Validation { ref field, .. }) if field == "actorId"));
        let draft = AccountDraft { aspect: "sometimes", ..AccountDraft::default() };
        assert!(matches!(fields("", draft), Err(ServiceError::Validation { ref field, .. }) if field == "aspect"));
        assert!(supersedes("supersedes", "retracted", &[Uuid::nil()], |_| true).is_err());
        assert_eq!(status_after("retracted", "corrected"), "retracted");
    }
}
