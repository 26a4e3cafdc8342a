//! The seed article (published Saturday 2 March 2024) through the extraction, with the example
//! affair's actors as the known ones: the dates the issue names resolve at their precision, the
//! events carry them, and the scraped trailer stays apart and low.

use chronik_extract::{Extraction, KnownActor, Options, Precision, extract};
use chrono::NaiveDate;

const ARTICLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/seeds/taurus-leak-article.txt");
const AFFAIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../api/src/seed/taurus-leak.json");

fn run() -> Option<(String, Extraction)> {
    let Ok(text) = std::fs::read_to_string(ARTICLE) else {
        println!("skipped: the article is not at {ARTICLE} (a clone without ../shared)");
        return None;
    };
    let affair: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(AFFAIR).expect("read the example affair")).expect("parse it");
    let mut options = Options::new(NaiveDate::from_ymd_opt(2024, 3, 2).expect("date"));
    for a in affair["actors"].as_array().expect("actors") {
        options.actors.push(KnownActor {
            id: a["key"].as_str().expect("key").into(),
            name: a["name"].as_str().expect("name").into(),
            person: a["kind"] == "person",
            aliases: a["aliases"]
                .as_array()
                .map(|l| l.iter().filter_map(|x| x.as_str().map(String::from)).collect())
                .unwrap_or_default(),
        });
    }
    let out = extract(&text, &options);
    Some((text, out))
}

/// The value and precision of the first date whose text is `text`, after `context` in the article.
fn date_after(text: &str, out: &Extraction, context: &str, phrase: &str) -> (String, Precision) {
    let at = text.find(context).expect("context in the article");
    let at = text[..at].chars().count();
    let d = out
        .dates
        .iter()
        .find(|d| d.start >= at && d.text == phrase)
        .unwrap_or_else(|| panic!("{phrase:?} after {context:?}"));
    (d.value.clone().expect("a value"), d.precision.expect("a precision"))
}

#[test]
fn the_dates_of_the_affair_resolve_against_the_publication() {
    let Some((text, out)) = run() else { return };
    assert_eq!(
        date_after(&text, &out, "gathered his top officers", "last month"),
        ("2024-02".into(), Precision::Month)
    );
    assert_eq!(date_after(&text, &out, "was posted online", "late Friday"), ("2024-03-01".into(), Precision::Day));
    assert_eq!(
        date_after(&text, &out, "during a visit to the Vatican", "Saturday"),
        ("2024-03-02".into(), Precision::Day)
    );
    assert_eq!(
        date_after(&text, &out, "This should be a wake-up call", "Last week"),
        ("2024-W08".into(), Precision::Week)
    );
    // "recently arrested" and "at one point" are references to the past, not made-up dates.
    for phrase in ["recently", "at one point"] {
        let d = out.dates.iter().find(|d| d.text == phrase).expect(phrase);
        assert_eq!((d.value.as_deref(), d.reference), (None, Some(chronik_extract::Reference::Past)));
    }
}

#[test]
fn the_events_carry_the_dates_and_the_known_actors() {
    let Some((_, out)) = run() else { return };
    let posted = out.events.iter().find(|e| e.quote.contains("was posted online late Friday")).expect("the posting");
    assert_eq!(posted.date.as_deref(), Some("2024-03-01"));
    assert!(!posted.date_inherited);
    let refusal = out.events.iter().find(|e| e.quote.starts_with("Last week, Scholz said")).expect("the refusal");
    assert_eq!(refusal.date.as_deref(), Some("2024-W08"));
    assert!(refusal.title.starts_with("Scholz said Taurus missiles"));
    assert!(refusal.actors.iter().any(|a| a.actor_id.as_deref() == Some("scholz")), "{:?}", refusal.actors);
    let vatican =
        out.events.iter().find(|e| e.quote.contains("visit to the Vatican on Saturday")).expect("the Vatican");
    assert_eq!(vatican.date.as_deref(), Some("2024-03-02"));
    // The affair's dated sentences rank above everything of the trailer.
    for e in [posted, refusal, vatican] {
        assert!(e.confidence >= 0.8, "{e:?}");
    }
}

#[test]
fn the_trailer_is_set_apart_and_low() {
    let Some((text, out)) = run() else { return };
    let break_at = text[..text.find("Write to Bojan Pancevski").expect("the footer")].chars().count();
    let (trailer, article): (Vec<_>, Vec<_>) = out.events.iter().partition(|e| e.trailer);
    assert!(article.iter().all(|e| e.quote_end <= break_at), "an article candidate after the break");
    assert!(trailer.iter().all(|e| e.quote_start >= break_at && e.confidence <= 0.1), "{trailer:?}");
    assert!(trailer.len() <= 10, "{} candidates from the trailer", trailer.len());
    // Its dates are found but marked as the trailer's.
    let horoscope = out.dates.iter().find(|d| d.text == "November 28").expect("the horoscope's date");
    assert!(horoscope.trailer);
}
