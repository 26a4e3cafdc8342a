//! The words of one language that the rules look for. The grammar (`grammar.rs`) is written
//! against these lists, not against English words, so a language is one module that fills a
//! [`Lexicon`] (German next: `de.rs` with its inflected forms, "vor" as a prefix of "ago").

use chrono::Weekday;

use crate::value::Reference;

pub mod en;

/// A language the extraction knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    English,
}

impl Language {
    /// The lexicon of this language.
    pub fn lexicon(self) -> &'static Lexicon {
        match self {
            Language::English => &en::LEXICON,
        }
    }
}

/// A part of the day, as TimeML names them (MO, AF, EV, NI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartOfDay {
    Morning,
    Afternoon,
    Evening,
    Night,
}

/// Units of the relative expressions ("two weeks ago", "last month").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Half,
    Year,
    Decade,
    Century,
}

/// Which way a modifier points: "last"/"previous" (-1), "this"/"current" (0), "next" (+1).
pub type Direction = i32;

/// The words of one language. Phrases are lower case with words separated by spaces; a hyphen
/// between two words of the text ("year-earlier") matches a space of the phrase.
pub struct Lexicon {
    /// Month names and abbreviations (an abbreviation may be followed by a full stop).
    pub months: &'static [(&'static str, u32)],
    /// Month names that are also common words: taken as months only when capitalised.
    pub month_needs_capital: bool,
    pub weekdays: &'static [(&'static str, Weekday)],
    /// Cardinal number words ("a" and "an" count as one).
    pub numbers: &'static [(&'static str, u32)],
    /// Ordinal words ("first", "third").
    pub ordinals: &'static [(&'static str, u32)],
    /// Suffixes written after ordinal digits ("1st", "3rd").
    pub ordinal_suffixes: &'static [&'static str],
    /// Counts that say "some": "several years ago" is the past, not a date.
    pub vague_counts: &'static [&'static str],
    /// Unit nouns, singular and plural.
    pub units: &'static [(&'static str, Unit)],
    /// Season names: 1 spring, 2 summer, 3 autumn, 4 winter.
    pub seasons: &'static [(&'static str, u32)],
    pub parts_of_day: &'static [(&'static str, PartOfDay)],
    /// Days named relative to today: "yesterday" is -1.
    pub relative_days: &'static [(&'static str, i64)],
    /// "tonight": today, at night.
    pub tonight: &'static [&'static str],
    /// Modifiers before a unit, month, weekday or season, with their direction.
    pub directions: &'static [(&'static str, Direction)],
    /// Modifiers that count from a date of the text, not from the publication ("the following
    /// day", "the previous year"), with their direction.
    pub context_directions: &'static [(&'static str, Direction)],
    /// After a count and unit, counting back from the publication date ("ago").
    pub ago: &'static [&'static str],
    /// After a count and unit, counting forward from the publication date ("from now").
    pub from_now: &'static [&'static str],
    /// After a count and unit, counting back from the date in context ("earlier", "before").
    pub earlier: &'static [&'static str],
    /// After a count and unit, counting forward from the date in context ("later", "after").
    pub later: &'static [&'static str],
    /// Modifiers that make a date approximate ("around", "early", "mid", "the end of").
    pub approximate: &'static [&'static str],
    /// Modifiers of a day that do not make it vague ("late Friday").
    pub day_modifiers: &'static [&'static str],
    /// Articles and demonstratives that may open a date ("the third quarter").
    pub determiners: &'static [&'static str],
    /// "that year", "the same day": the date in context.
    pub same: &'static [&'static str],
    /// The noun for a quarter and for a half of a year, and the word for a fiscal year.
    pub quarter: &'static [&'static str],
    pub half: &'static [&'static str],
    pub fiscal: &'static [&'static str],
    /// "the period", "the latest quarter": the quarter reported on.
    pub reporting_period: &'static [&'static str],
    /// "comparable", "corresponding": before a reporting period compared with.
    pub comparable: &'static [&'static str],
    /// Words for the latest reporting period ("latest", "recent", "most recent").
    pub latest: &'static [&'static str],
    /// Compounds meaning one year before the date in context ("year-earlier", "year-ago").
    pub year_earlier: &'static [&'static str],
    /// "a year earlier", "a year ago": one year before the date in context.
    pub year_before_context: &'static [&'static str],
    /// The part of the year so far ("the first nine months").
    pub year_to_date: &'static [&'static str],
    /// Century and decade nouns ("20th century", "the 1990s").
    pub century: &'static [&'static str],
    pub decade_suffix: &'static [&'static str],
    /// Decade words ("the eighties").
    pub decade_words: &'static [(&'static str, i32)],
    /// Spelled years: the hundreds ("nineteen" ninety-six) and the thousands ("two thousand").
    pub spelled_centuries: &'static [(&'static str, i32)],
    pub thousand: &'static [&'static str],
    /// "noon", "midnight" with their hour.
    pub clock_words: &'static [(&'static str, u32)],
    /// "a.m."/"p.m." (as joined letters) with the hours they add.
    pub meridiem: &'static [(&'static str, u32)],
    /// Time-zone abbreviations that may follow a clock time.
    pub time_zones: &'static [&'static str],
    /// Words of a comparison ("compared with … last year").
    pub comparison: &'static [&'static str],
    /// Words before a day that closes a period ("the quarter ended Sept. 30").
    pub period_end: &'static [&'static str],
    /// Words joining a date to the year after it ("of" 1989, "in" 1989).
    pub of: &'static [&'static str],
    /// Vague references: phrases and what they refer to.
    pub references: &'static [(&'static str, Reference)],
    /// Words that mark the past tense near a date (besides "-ed" forms).
    pub past_markers: &'static [&'static str],
    /// Words that mark the future tense near a date.
    pub future_markers: &'static [&'static str],
    /// Abbreviations whose full stop does not end a sentence ("Gen.", "Sept.").
    pub abbreviations: &'static [&'static str],
    /// Lines that open the scraped trailer of a page (related stories, footers).
    pub trailer_markers: &'static [&'static str],
    /// Verbs that report something happening, with the kind of event they suggest.
    pub event_verbs: &'static [(&'static str, &'static str)],
    /// Titles before names ("Gen.", "President"): part of a new actor's name, not the name.
    pub honorifics: &'static [&'static str],
    /// Capitalised words that are not names (sentence openers, pronouns).
    pub not_names: &'static [&'static str],
}

impl Lexicon {
    pub fn lookup<T: Copy>(list: &[(&str, T)], word: &str) -> Option<T> {
        list.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)
    }

    pub fn has(list: &[&str], word: &str) -> bool {
        list.contains(&word)
    }
}
