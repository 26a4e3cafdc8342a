//! Extraction of dates and candidate events from an article, resolved against its publication
//! date: deterministic rules over a per-language lexicon (`lang/`), offline, no model.
//!
//! [`extract`] tokenises the text (`token`), splits it into sentences and sets the scraped
//! trailer apart (`sentences`), finds date expressions (`grammar`), resolves them in text order
//! against the publication date, the tense and the date in context (`resolve`), and proposes
//! an event for each sentence that reports something happening (`events`).
//!
//! ```
//! use chronik_extract::{extract, Options};
//! let published = chrono::NaiveDate::from_ymd_opt(2024, 3, 2).unwrap();
//! let out = extract("The tape was posted online late Friday.", &Options::new(published));
//! assert_eq!(out.dates[0].value.as_deref(), Some("2024-03-01"));
//! assert_eq!(out.events[0].date.as_deref(), Some("2024-03-01"));
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod events;
mod grammar;
pub mod lang;
mod resolve;
mod sentences;
mod token;
mod value;

use chrono::NaiveDate;
use serde::Serialize;

pub use lang::{Language, PartOfDay};
pub use value::{Precision, Reference};

use lang::Lexicon;
use resolve::{Resolved, Resolver, Tense};

/// What to extract with.
#[derive(Debug, Clone)]
pub struct Options {
    /// The article's publication date (in its own time zone), the anchor of "yesterday".
    pub published: NaiveDate,
    pub language: Language,
    /// Actors already known, matched by name and aliases.
    pub actors: Vec<KnownActor>,
}

impl Options {
    /// English, no known actors.
    pub fn new(published: NaiveDate) -> Self {
        Options { published, language: Language::English, actors: Vec::new() }
    }
}

/// An actor already in the database.
#[derive(Debug, Clone)]
pub struct KnownActor {
    /// The caller's identifier, handed back on a match.
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// A person: the last word of the name alone ("Scholz") names them too, when no other
    /// known person shares it.
    pub person: bool,
}

/// Everything found in one text.
#[derive(Debug, Clone, Serialize)]
pub struct Extraction {
    pub dates: Vec<FoundDate>,
    pub events: Vec<Candidate>,
}

/// A date expression found in the text. Offsets are in Unicode code points.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FoundDate {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The resolved date (EDTF), absent for a bare reference ("recently").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    /// PAST, PRESENT or FUTURE for "recently", "now", "in the future".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<Reference>,
    /// "Friday evening": the part of the day, which EDTF cannot say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of_day: Option<PartOfDay>,
    /// In the page's trailer (after the break where the article ends).
    pub trailer: bool,
}

/// A proposed event: one sentence that reports something happening.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub title: String,
    /// A suggested kind, in the example affair's words ("meeting", "statement", "leak",
    /// "publication", "arrest", … or "other").
    pub kind: String,
    /// The date (EDTF), from the sentence or inherited from the one before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    /// Index into `dates` of the date used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_index: Option<usize>,
    /// The date comes from an earlier sentence of the paragraph, not this one.
    pub date_inherited: bool,
    pub actors: Vec<ActorMention>,
    /// The sentence, to cite.
    pub quote: String,
    pub quote_start: usize,
    pub quote_end: usize,
    /// 0 to 1: how likely this is an event worth keeping.
    pub confidence: f32,
    pub trailer: bool,
}

/// A name in a candidate's sentence: a known actor (with its id) or a proposed new one.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ActorMention {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// Finds the dates and candidate events of `text`.
pub fn extract(text: &str, options: &Options) -> Extraction {
    let lex = options.language.lexicon();
    let tokens = token::tokenize(text);
    let sentences = sentences::split(&tokens, lex);
    let found = grammar::Grammar::new(&tokens, lex).find_all();
    let chars: Vec<char> = text.chars().collect();
    let mut resolver = Resolver::new(options.published);
    let mut dates = Vec::with_capacity(found.len());
    let mut sentence_of = Vec::with_capacity(found.len());
    let mut s = 0;
    for f in &found {
        while sentences.get(s).is_some_and(|x| x.end <= f.start) {
            s += 1;
        }
        let sentence = sentences.get(s).copied();
        let tense = sentence.map_or(Tense::Unknown, |x| tense(&tokens, lex, x.start, x.end, f.start, f.end));
        // "the quarter ended Sept. 30": the day closes the period in context, it does not
        // replace it as the anchor.
        let before = f.start.checked_sub(1).and_then(|p| tokens.get(p));
        let closes = before.is_some_and(|x| Lexicon::has(lex.period_end, &x.lower));
        // "the fiscal year ended Jan. 31": that day has passed.
        let tense = if closes && before.is_some_and(|x| (lex.participle)(&x.lower)) { Tense::Ended } else { tense };
        // "compared with $4 million last year": in a comparison, the same period a year before.
        let compared = f.expr == grammar::Expr::Rel(lang::Unit::Year, -1)
            && sentence.is_some_and(|x| {
                (x.start.max(f.start.saturating_sub(12))..f.start)
                    .any(|i| tokens.get(i).is_some_and(|t| Lexicon::has(lex.comparison, &t.lower)))
            });
        let expr = if compared { &grammar::Expr::PeriodYearBefore } else { &f.expr };
        let Some(resolved) = resolver.resolve(expr, tense, !closes) else {
            continue;
        };
        let (Some(first), Some(last)) = (tokens.get(f.start), f.end.checked_sub(1).and_then(|e| tokens.get(e))) else {
            continue;
        };
        let (start, end) = (first.start, last.end);
        let mut date = FoundDate {
            start,
            end,
            text: chars.get(start..end).map(|c| c.iter().collect()).unwrap_or_default(),
            value: None,
            precision: None,
            reference: None,
            part_of_day: f.part_of_day,
            trailer: sentence.is_some_and(|x| x.trailer),
        };
        match resolved {
            Resolved::Value(v) => {
                let mut text = v.edtf();
                if f.approximate {
                    text.push('~');
                }
                date.value = Some(text);
                date.precision = Some(v.precision());
            }
            Resolved::Reference(r) => date.reference = Some(r),
        }
        dates.push(date);
        sentence_of.push(s);
    }
    let events = events::candidates(&chars, &tokens, &sentences, &dates, &sentence_of, options, lex);
    Extraction { dates, events }
}

/// The tense around tokens `from..to` in the sentence `start..end`: the nearest strong marker
/// decides, a future one ("will", "expected to") or a past one ("said", "was"); on a tie the
/// one before; a past participle ("-ed") right next to the date wins over a farther marker.
/// "The company said Tuesday it will report Friday": Tuesday is past, Friday future.
fn tense(t: &[token::Token], lex: &'static lang::Lexicon, start: usize, end: usize, from: usize, to: usize) -> Tense {
    let g = grammar::Grammar::new(t, lex);
    let word = |i: usize| t.get(i).filter(|x| x.kind == token::Kind::Word).map(|x| x.lower.as_str());
    let before = |i: usize, k: usize| i.checked_sub(k).and_then(|j| t.get(j)).map(|x| x.lower.as_str());
    let strong = |i: usize| -> Option<Tense> {
        if lex.future_markers.iter().any(|m| g.phrase(i, m).is_some()) {
            // "had been scheduled to", "as previously planned": a plan of the past;
            // "lower-than-expected": no plan at all.
            if matches!(before(i, 1), Some("-" | "than")) {
                return None;
            }
            if [before(i, 1), before(i, 2)]
                .iter()
                .any(|w| matches!(w, Some("had" | "been" | "was" | "were" | "previously")))
            {
                return Some(Tense::Past);
            }
            return Some(Tense::Future);
        }
        // "will be paid": the participle of a future; "is set for January": a passive present.
        if matches!(before(i, 1), Some("be" | "to" | "being" | "is" | "are")) {
            return None;
        }
        word(i).filter(|w| Lexicon::has(lex.past_markers, w)).map(|_| Tense::Past)
    };
    let weak = |i: usize| {
        word(i).is_some_and(lex.participle) && !matches!(before(i, 1), Some("be" | "to" | "being" | "is" | "are"))
    };
    let around = |distance: usize| {
        let before = from.checked_sub(distance).filter(|&i| i >= start);
        let after = Some(to + distance - 1).filter(|&i| i < end);
        [before, after].into_iter().flatten()
    };
    for distance in 1..=12 {
        if let Some(tense) = around(distance).find_map(strong) {
            return tense;
        }
        if distance <= 2 && around(distance).any(weak) {
            return Tense::PastForm;
        }
    }
    if (3..=8).any(|d| around(d).any(weak)) { Tense::PastForm } else { Tense::Unknown }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str, published: (i32, u32, u32)) -> Vec<(String, String)> {
        let p = NaiveDate::from_ymd_opt(published.0, published.1, published.2).unwrap();
        extract(text, &Options::new(p))
            .dates
            .into_iter()
            .map(|d| {
                let v = d.value.unwrap_or_else(|| format!("{:?}", d.reference.unwrap()));
                (d.text, v)
            })
            .collect()
    }

    #[test]
    fn tense_chooses_the_weekday() {
        let v = values("The company said Tuesday it will report results Friday.", (1998, 2, 12));
        assert_eq!(v, [("Tuesday".into(), "1998-02-10".into()), ("Friday".into(), "1998-02-13".into())]);
    }

    #[test]
    fn anchors_follow_the_text() {
        let v = values("On March 3 the talks began. Two days later they failed.", (2024, 3, 20));
        assert_eq!(v, [("March 3".into(), "2024-03-03".into()), ("Two days later".into(), "2024-03-05".into())]);
    }

    #[test]
    fn vague_words_are_qualified_or_references() {
        let v = values("Prices rose in early March and recently fell.", (2024, 6, 1));
        assert_eq!(v, [("early March".into(), "2024-03~".into()), ("recently".into(), "Past".into())]);
    }

    #[test]
    fn relative_days_months_and_years() {
        let v = values(
            "Yesterday evening he quit. Earlier this year sales fell, and this month too. \
             In the 1990s and the 20th century, before tomorrow.",
            (2024, 3, 2),
        );
        let v: Vec<(&str, &str)> = v.iter().map(|(t, v)| (t.as_str(), v.as_str())).collect();
        assert_eq!(
            v,
            [
                ("Yesterday evening", "2024-03-01"),
                ("Earlier this year", "2024~"),
                ("this month", "2024-03"),
                ("the 1990s", "199X"),
                ("the 20th century", "19XX"),
                ("tomorrow", "2024-03-03"),
            ]
        );
    }

    #[test]
    fn financial_periods_and_comparisons() {
        let text = "Third-quarter profit rose to $5 million from $4 million a year earlier. \
                    Sales were down from $9 million last year. For the nine months, net rose \
                    from a year earlier. In the 1988 period, it lost money.";
        let v: Vec<String> = values(text, (1989, 10, 26)).into_iter().map(|(_, v)| v).collect();
        // After the nine months, "the 1988 period" is 1988's nine months: the year.
        assert_eq!(v, ["1989-35", "1988-35", "1988-35", "1989", "1988", "1988"]);
    }

    #[test]
    fn the_report_is_about_its_first_ended_quarter() {
        // A passing mention of another quarter ("a flat second quarter", a fourth-quarter
        // charge to come) does not change the quarter "the latest quarter" and "the year-earlier
        // period" speak of; "year-ago" alone is the reported period a year before.
        let text = "Third-quarter net rose. After a flat second quarter, sales grew. It expects a                     fourth-quarter charge. Earnings fell in the latest quarter, and charges hit the                     year-earlier period. In the 1989 period, taxes were lower. The year-ago results                     included a gain.";
        let v: Vec<String> = values(text, (1989, 11, 1)).into_iter().map(|(_, v)| v).collect();
        assert_eq!(v, ["1989-35", "1989-34", "1989-36", "1989-35", "1988-35", "1989-35", "1988-35"]);
    }

    #[test]
    fn the_reported_quarter_is_a_recent_one() {
        // A quarter five years back is history, not the quarter reported on.
        let text = "Its best was the third quarter of 1984. Third-quarter net rose. Earnings fell in \
                    the latest quarter.";
        let v: Vec<String> = values(text, (1989, 10, 27)).into_iter().map(|(_, v)| v).collect();
        assert_eq!(v, ["1984-35", "1989-35", "1989-35"]);
    }

    #[test]
    fn halves_latest_and_current_periods() {
        let v = values(
            "Through the first two quarters of 1990, sales in the latest fiscal year, the current \
             quarter and the current fiscal year.",
            (1989, 10, 26),
        );
        let v: Vec<(&str, &str)> = v.iter().map(|(t, v)| (t.as_str(), v.as_str())).collect();
        assert_eq!(
            v,
            [
                ("the first two quarters of 1990", "1990-40"),
                ("the latest fiscal year", "1988"),
                ("the current quarter", "1989-36"),
                ("the current fiscal year", "1989"),
            ]
        );
        // "the last half of the '80s" is a part of the decade, which the decade says.
        let v = values("the trend of the last half of the '80s", (1989, 10, 26));
        assert_eq!(v, [("the '80s".into(), "198X".into())]);
    }

    #[test]
    fn the_past_year_this_past_spring_and_the_last_few_months() {
        let v = values(
            "Hate groups grew over the past year. It scrapped the unit this past spring. Rates \
             have fallen in the last few months. It was an event of the past century.",
            (1989, 10, 30),
        );
        let v: Vec<(&str, &str)> = v.iter().map(|(t, v)| (t.as_str(), v.as_str())).collect();
        assert_eq!(v, [("the past year", "1988~"), ("this past spring", "1989-21"), ("the last few months", "Past")]);
    }

    #[test]
    fn titles_comparisons_and_relative_words_are_no_dates() {
        let v = values(
            "Baker said on ABC's \"This Week\" that the quarter-to-quarter gain came shortly \
             before the merger.",
            (1990, 8, 13),
        );
        assert!(v.is_empty(), "{v:?}");
        // The same words as a date.
        let v = values("Baker said this week that it came shortly.", (1990, 8, 13));
        assert_eq!(v, [("this week".into(), "1990-W33".into()), ("shortly".into(), "Future".into())]);
    }

    #[test]
    fn the_day_a_period_ended_has_passed() {
        // Said on 31 October 1989: the fiscal year ended last January 31, although next
        // January 31 is nearer; "ending" may still be to come.
        let v = values("In the fiscal year ended Jan. 31, sales rose.", (1989, 10, 31));
        assert_eq!(v.last(), Some(&("Jan. 31".into(), "1989-01-31".into())));
        let v = values("For the quarter ending Nov. 30, sales will rise.", (1989, 10, 31));
        assert_eq!(v.last(), Some(&("Nov. 30".into(), "1989-11-30".into())));
    }

    #[test]
    fn a_weekday_with_its_date_and_day_words_in_names() {
        let v = values("Women's Day is this coming Sunday, March eighth.", (1998, 3, 5));
        assert_eq!(v, [("this coming Sunday, March eighth".into(), "1998-03-08".into())]);
        // "USA Today" is a newspaper; "today" inside a sentence is a date.
        let v = values("It told USA Today that it met today.", (1998, 3, 5));
        assert_eq!(v, [("today".into(), "1998-03-05".into())]);
    }

    #[test]
    fn a_month_in_the_past_tense_has_begun() {
        // Said on 30 October 1989: February and January are this year's, already past; in the
        // future tense January is the next; "is set for" is no past.
        let v = values(
            "Since KKR bought RJR in February, it sold units. In January, it brought in a chief.",
            (1989, 10, 30),
        );
        assert_eq!(v[0].1, "1989-02");
        assert_eq!(v[1].1, "1989-01");
        let v = values("A vote is set for January.", (1989, 10, 30));
        assert_eq!(v[0].1, "1990-01");
    }

    #[test]
    fn months_with_their_year_said_after() {
        let v = values("In June last year the talks failed; in January this year they resumed.", (1998, 2, 19));
        assert_eq!(v, [("June last year".into(), "1997-06".into()), ("January this year".into(), "1998-01".into())]);
    }

    #[test]
    fn the_nearest_year_unless_the_tense_says_otherwise() {
        // Published 26 October 1989: "payable Dec. 15" is this December, "in January" the next.
        let v = values("The dividend is payable Dec. 15. A vote is set for January.", (1989, 10, 26));
        assert_eq!(v[0].1, "1989-12-15");
        assert_eq!(v[1].1, "1990-01");
        // In the past tense, a date months ahead is last year's.
        let v = values("The plant closed in August.", (1998, 2, 13));
        assert_eq!(v[0].1, "1997-08");
    }

    #[test]
    fn offsets_are_code_points() {
        let p = NaiveDate::from_ymd_opt(2024, 3, 2).unwrap();
        let out = extract("Über\u{AD}all — „last week“", &Options::new(p));
        let d = &out.dates[0];
        assert_eq!(d.text, "last week");
        assert_eq!((d.start, d.end), (12, 21));
    }
}
