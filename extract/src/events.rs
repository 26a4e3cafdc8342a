//! Candidate events: one per sentence that reports something happening (an event verb, or a
//! date of its own), with a title, a kind, a date (its own, or inherited within the paragraph),
//! the actors it names and a confidence. The trailer's sentences stay apart and low.

use std::collections::HashMap;

use crate::lang::Lexicon;
use crate::sentences::Sentence;
use crate::token::{Kind, Token};
use crate::{ActorMention, Candidate, FoundDate, KnownActor, Options};

/// Words in a title, at most.
const TITLE_WORDS: usize = 14;

pub fn candidates(
    chars: &[char],
    t: &[Token],
    sentences: &[Sentence],
    dates: &[FoundDate],
    sentence_of: &[usize],
    options: &Options,
    lex: &Lexicon,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    // The last date given in this paragraph: a careful reader carries it to the next sentence.
    let mut carried: Option<usize> = None;
    let known = KnownNames::new(&options.actors);
    for (si, s) in sentences.iter().enumerate() {
        if s.paragraph_start {
            carried = None;
        }
        let toks = t.get(s.start..s.end).unwrap_or_default();
        let words = toks.iter().filter(|x| x.kind == Kind::Word).count();
        let own = sentence_of
            .iter()
            .enumerate()
            .filter(|(_, x)| **x == si)
            .map(|(i, _)| i)
            .find(|&i| dates.get(i).is_some_and(|d| d.value.is_some()));
        let verb =
            toks.iter().filter(|x| x.kind == Kind::Word).find_map(|x| Lexicon::lookup(lex.event_verbs, &x.lower));
        if words < 4 || (own.is_none() && verb.is_none()) {
            if own.is_some() {
                carried = own;
            }
            continue;
        }
        let (Some(first), Some(last)) = (toks.first(), toks.last()) else {
            continue;
        };
        let (date_index, inherited) = match own {
            Some(i) => (Some(i), false),
            None => (carried, carried.is_some()),
        };
        if own.is_some() {
            carried = own;
        }
        let date = date_index.and_then(|i| dates.get(i));
        let actors = actors(chars, toks, &known, lex);
        let mut confidence: f32 = 0.3;
        if own.is_some() {
            confidence += 0.3;
        } else if inherited {
            confidence += 0.1;
        }
        if verb.is_some() {
            confidence += 0.15;
        }
        if !actors.is_empty() {
            confidence += 0.1;
        }
        if !s.terminated {
            confidence -= 0.25;
        }
        if s.trailer {
            confidence = confidence.min(0.1);
        }
        out.push(Candidate {
            title: title(chars, toks, dates, own),
            kind: verb.unwrap_or("other").to_string(),
            date: date.and_then(|d| d.value.clone()),
            precision: date.and_then(|d| d.precision),
            date_index,
            date_inherited: inherited,
            actors,
            quote: chars.get(first.start..last.end).map(|c| c.iter().collect()).unwrap_or_default(),
            quote_start: first.start,
            quote_end: last.end,
            confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
            trailer: s.trailer,
        });
    }
    out
}

/// The sentence without a leading date ("Last week, Scholz said …" gives "Scholz said …"),
/// cut at a word boundary.
fn title(chars: &[char], toks: &[Token], dates: &[FoundDate], own: Option<usize>) -> String {
    let mut from = 0;
    if let (Some(d), Some(first)) = (own.and_then(|i| dates.get(i)), toks.first())
        && d.start == first.start
    {
        from = toks.iter().position(|x| x.start >= d.end).unwrap_or(0);
        if toks.get(from).is_some_and(|x| x.lower == ",") {
            from += 1;
        }
    }
    let rest = toks.get(from..).unwrap_or_default();
    let mut end = rest.len();
    let mut words = 0;
    for (i, x) in rest.iter().enumerate() {
        if x.kind == Kind::Word {
            words += 1;
            if words > TITLE_WORDS {
                end = i;
                break;
            }
        }
    }
    // Drop trailing punctuation.
    while end > 0 && rest.get(end - 1).is_some_and(|x| x.kind == Kind::Punct && x.lower != ")") {
        end -= 1;
    }
    let (Some(a), Some(b)) = (rest.first(), end.checked_sub(1).and_then(|e| rest.get(e))) else {
        return String::new();
    };
    let mut title: String = chars.get(a.start..b.end).map(|c| c.iter().collect()).unwrap_or_default();
    if end < rest.len() && words > TITLE_WORDS {
        title.push('…');
    }
    let mut cs = title.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => title,
    }
}

/// The names of the known actors, tokenised once, by their first word.
pub struct KnownNames<'o> {
    by_first: HashMap<String, Vec<(&'o KnownActor, Vec<String>)>>,
}

impl<'o> KnownNames<'o> {
    pub fn new(actors: &'o [KnownActor]) -> Self {
        let surname = |actor: &KnownActor| -> Option<String> {
            let last = actor.name.split_whitespace().last().filter(|_| actor.person && actor.name.contains(' '))?;
            let shared = actors.iter().filter(|a| a.person && a.name.split_whitespace().last() == Some(last)).count();
            (shared == 1).then(|| last.to_string())
        };
        let mut by_first: HashMap<String, Vec<(&KnownActor, Vec<String>)>> = HashMap::new();
        for actor in actors {
            let surname = surname(actor);
            for name in std::iter::once(&actor.name).chain(actor.aliases.iter()).chain(surname.iter()) {
                let parts: Vec<String> = crate::token::tokenize(name).into_iter().map(|x| x.lower).collect();
                if let Some(first) = parts.first() {
                    by_first.entry(first.clone()).or_default().push((actor, parts));
                }
            }
        }
        // The longest name first: "German leader Olaf Scholz" before "German".
        for list in by_first.values_mut() {
            list.sort_by_key(|(_, parts)| std::cmp::Reverse(parts.len()));
        }
        KnownNames { by_first }
    }
}

/// Known actors by name and alias (whole words, any case), then runs of capitalised words as
/// new ones ("Gen. Ingo Gerhartz" proposes "Ingo Gerhartz").
fn actors(chars: &[char], toks: &[Token], known: &KnownNames, lex: &Lexicon) -> Vec<ActorMention> {
    let mut out: Vec<ActorMention> = Vec::new();
    let mut taken = vec![false; toks.len()];
    for i in 0..toks.len() {
        let Some(list) = toks.get(i).and_then(|t| known.by_first.get(&t.lower)) else { continue };
        for (actor, parts) in list {
            let hit = parts.iter().enumerate().all(|(k, p)| toks.get(i + k).is_some_and(|x| &x.lower == p));
            let glued_after = toks.get(i + parts.len()).is_some_and(|x| !x.space_before && x.kind == Kind::Word);
            if !hit || glued_after || taken.get(i).copied().unwrap_or(true) {
                continue;
            }
            let (Some(a), Some(b)) = (toks.get(i), toks.get(i + parts.len() - 1)) else { continue };
            for slot in taken.iter_mut().skip(i).take(parts.len()) {
                *slot = true;
            }
            if !out.iter().any(|m| m.actor_id.as_deref() == Some(actor.id.as_str())) {
                out.push(ActorMention {
                    name: actor.name.clone(),
                    actor_id: Some(actor.id.clone()),
                    start: a.start,
                    end: b.end,
                });
            }
            break;
        }
    }
    let mut i = 0;
    while i < toks.len() {
        let is_name_word = |j: usize| {
            toks.get(j).is_some_and(|x| {
                x.kind == Kind::Word
                    && x.cap
                    && !taken.get(j).copied().unwrap_or(true)
                    && !Lexicon::has(lex.not_names, &x.lower)
                    && Lexicon::lookup(lex.months, &x.lower).is_none()
                    && Lexicon::lookup(lex.weekdays, &x.lower).is_none()
            })
        };
        if !is_name_word(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut parts: Vec<usize> = Vec::new();
        while is_name_word(j) {
            // "Gen." and "President" describe the person; they are not the name.
            let honorific = Lexicon::has(lex.honorifics, &toks[j].lower);
            if !honorific {
                parts.push(j);
            }
            j += 1;
            if toks.get(j).is_some_and(|x| x.lower == "." && !x.space_before) && honorific {
                j += 1;
            }
        }
        // A single capitalised word opening the sentence, or anywhere where every noun is
        // capitalised, is not a name by its capital alone.
        let sentence_initial_single = (i == 0 || lex.nouns_capitalised) && parts.len() == 1;
        let adjective = parts.len() == 1
            && parts.first().and_then(|&p| toks.get(p)).is_some_and(|x| {
                ["an", "ish", "ese", "ern", "ic"].iter().any(|s| x.lower.ends_with(s)) && x.lower.len() > 4
            });
        if let (Some(&a), Some(&b)) = (parts.first(), parts.last())
            && !sentence_initial_single
            && !adjective
        {
            let (a, b) = (&toks[a], &toks[b]);
            let name: String = chars.get(a.start..b.end).map(|c| c.iter().collect()).unwrap_or_default();
            if name.chars().count() > 1 && !out.iter().any(|m| m.name == name) {
                out.push(ActorMention { name, actor_id: None, start: a.start, end: b.end });
            }
        }
        i = j.max(i + 1);
    }
    out.sort_by_key(|m| m.start);
    out
}

#[cfg(test)]
mod tests {
    use crate::{KnownActor, Options, extract};
    use chrono::NaiveDate;

    fn options() -> Options {
        let mut o = Options::new(NaiveDate::from_ymd_opt(2024, 3, 2).unwrap());
        o.actors.push(KnownActor { id: "scholz".into(), name: "Olaf Scholz".into(), aliases: vec![], person: true });
        o
    }

    #[test]
    fn a_dated_sentence_with_a_known_and_a_new_actor() {
        let out = extract("Last week, Scholz met Gen. Ingo Gerhartz in Berlin.", &options());
        let c = &out.events[0];
        assert_eq!(c.title, "Scholz met Gen. Ingo Gerhartz in Berlin");
        assert_eq!(c.kind, "meeting");
        assert_eq!(c.date.as_deref(), Some("2024-W08"));
        let names: Vec<_> = c.actors.iter().map(|a| (a.name.as_str(), a.actor_id.as_deref())).collect();
        assert_eq!(names, [("Olaf Scholz", Some("scholz")), ("Ingo Gerhartz", None), ("Berlin", None)]);
        assert!(c.confidence > 0.8);
    }

    #[test]
    fn the_date_is_inherited_within_the_paragraph_only() {
        let text =
            "On Friday the tape was posted. Officials confirmed it was real.\n\nThe minister resigned in protest.";
        let out = extract(text, &options());
        assert_eq!(out.events.len(), 3);
        assert_eq!(out.events[1].date.as_deref(), Some("2024-03-01"));
        assert!(out.events[1].date_inherited);
        assert_eq!(out.events[2].date, None);
        assert!(out.events[1].confidence < out.events[0].confidence);
    }

    #[test]
    fn sentences_without_verbs_or_dates_are_not_events() {
        let out = extract("The weather is nice and the sky is blue.", &options());
        assert!(out.events.is_empty());
    }
}
