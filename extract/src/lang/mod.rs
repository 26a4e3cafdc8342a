//! The words of one language that the rules look for. The grammar (`grammar.rs`) is written
//! against these lists, not against English words, so a language is one module that fills a
//! [`Lexicon`]: `en.rs`, and `de.rs` with its inflected forms, "vor" as a prefix of "ago",
//! day-first numeric dates and the ordinal full stop ("2. März").

use chrono::Weekday;

use crate::value::Reference;

pub mod de;
pub mod en;

/// A language the extraction knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    English,
    German,
}

impl Language {
    /// The lexicon of this language.
    pub fn lexicon(self) -> &'static Lexicon {
        match self {
            Language::English => &en::LEXICON,
            Language::German => &de::LEXICON,
        }
    }

    /// The ISO 639-1 code: "en", "de".
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
        }
    }
}

impl std::str::FromStr for Language {
    type Err = String;

    /// "en" or "de" (any case; "english", "german", "deutsch" too).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Language::English),
            "de" | "german" | "deutsch" => Ok(Language::German),
            _ => Err(format!("{s:?} is not a language the extraction knows (en, de)")),
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
    /// Suffixes written after ordinal digits ("1st", "3rd"; German's full stop, "3.").
    pub ordinal_suffixes: &'static [&'static str],
    /// Counts that say "some": "several years ago" is the past, not a date.
    pub vague_counts: &'static [&'static str],
    /// Unit nouns, singular and plural (and their inflected forms).
    pub units: &'static [(&'static str, Unit)],
    /// The plural forms among `units`: "the past years" is a stretch of time, not a year.
    pub unit_plurals: &'static [&'static str],
    /// Season names: 1 spring, 2 summer, 3 autumn, 4 winter.
    pub seasons: &'static [(&'static str, u32)],
    pub parts_of_day: &'static [(&'static str, PartOfDay)],
    /// Days named relative to today: "yesterday" is -1.
    pub relative_days: &'static [(&'static str, i64)],
    /// "tonight": today, at night.
    pub tonight: &'static [&'static str],
    /// Modifiers before a unit, month, weekday or season, with their direction; a phrase
    /// ("this past") opens with a word of the list ("this").
    pub directions: &'static [(&'static str, Direction)],
    /// Directions that make a unit approximate ("the past year": the twelve months before).
    pub approximate_directions: &'static [&'static str],
    /// Modifiers that count from a date of the text, not from the publication ("the following
    /// day", "the previous year"), with their direction.
    pub context_directions: &'static [(&'static str, Direction)],
    /// After a count and unit, counting back from the publication date ("ago").
    pub ago: &'static [&'static str],
    /// Before a count and unit, counting back from the publication date (German "vor zwei
    /// Tagen"); a plural unit without a count ("vor Jahren") is the past.
    pub ago_before: &'static [&'static str],
    /// Before a count and unit, counting forward from the publication date (German "in zwei
    /// Wochen").
    pub from_now_before: &'static [&'static str],
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
    /// Words before a `context_directions` modifier ("the following day", German "am
    /// folgenden Tag").
    pub context_openers: &'static [&'static str],
    /// Words that let a bare season name be a date ("in summer": "fall" alone is a verb).
    pub season_openers: &'static [&'static str],
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
    /// "shortly before", "soon after": a reference word relative to an event, no date.
    pub before_after: &'static [&'static str],
    /// The middle of "quarter-to-quarter", "year-to-year": a comparison, no date.
    pub to: &'static [&'static str],
    /// Words before a day that closes a period ("the quarter ended Sept. 30").
    pub period_end: &'static [&'static str],
    /// Words joining a date to the year after it ("of" 1989, "in" 1989, "des Jahres" 2023).
    pub of: &'static [&'static str],
    /// Separators of all-numeric dates ("02/13/1998", German "02.03.2024"), and whether the day
    /// comes first (German) or the month (American English). A four-digit year first is always
    /// year-month-day.
    pub numeric_separators: &'static [&'static str],
    pub numeric_day_first: bool,
    /// A weekday and a part of the day may be one word (German "Freitagabend").
    pub compound_day_parts: bool,
    /// Vague references: phrases and what they refer to.
    pub references: &'static [(&'static str, Reference)],
    /// Words that mark the past tense near a date (besides participles).
    pub past_markers: &'static [&'static str],
    /// A past participle or simple past by its form ("posted", German "gesagt"): a weaker
    /// marker of the past than `past_markers`.
    pub participle: fn(&str) -> bool,
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
    /// Every noun is capitalised (German): a single capitalised word is not proposed as a new
    /// actor, only a run of two or more ("Olaf Scholz") or a known name.
    pub nouns_capitalised: bool,
}

impl Lexicon {
    pub fn lookup<T: Copy>(list: &[(&str, T)], word: &str) -> Option<T> {
        list.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)
    }

    pub fn has(list: &[&str], word: &str) -> bool {
        list.contains(&word)
    }

    /// `word` is a month name written out, not an abbreviation: no longer name of the same
    /// month starts with it ("may", "juni" are names; "sept", "mär" shorten "september", "märz").
    pub fn full_month(&self, word: &str) -> bool {
        match Lexicon::lookup(self.months, word) {
            Some(m) => !self.months.iter().any(|(w, n)| *n == m && w.len() > word.len() && w.starts_with(word)),
            None => false,
        }
    }
}
