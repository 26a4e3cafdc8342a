//! The rules that find date expressions in tokens and say what they mean before resolution:
//! "last month" is [`Expr::Rel`] (month, -1), "two days later" is [`Expr::Context`] (day, +2).
//! Written against a [`Lexicon`]'s word lists; at each token the longest match wins.

use chrono::Weekday;

use crate::lang::{Direction, Lexicon, PartOfDay, Unit};
use crate::token::{Kind, Token};
use crate::value::Reference;

/// Which year a quarter, half or season is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearRef {
    /// Written: "the third quarter of 1989".
    Explicit(i32),
    /// Not said: the nearest, by the tense.
    Implicit,
    /// Relative to the publication year: "last summer" (-1), "this year's third quarter" (0).
    Rel(Direction),
}

/// A part of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Quarter,
    Half,
    Season,
}

/// What an expression says, before it is resolved against the publication date and context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A calendar date, maybe without year or day ("March 3", "March 1990", "March").
    Abs {
        year: Option<i32>,
        month: u32,
        day: Option<u32>,
    },
    Year(i32),
    /// Three leading digits: 199 for the 1990s.
    Decade(i32),
    /// Two leading digits: 19 for the 20th century.
    Century(i32),
    /// A weekday, with "last"/"this"/"next" when said.
    Weekday(Weekday, Option<Direction>),
    /// "Saturday, April 25": month, day and the weekday that tells the year.
    WeekdayDate(u32, u32, Weekday),
    /// "the previous Friday" (-1), "the following Monday" (+1): from the day in context.
    ContextWeekday(Weekday, Direction),
    /// A day relative to the publication: "yesterday" is -1.
    RelDay(i64),
    /// "last week", "this month", "next year": units from the publication date.
    Rel(Unit, Direction),
    /// "two days ago", "in three weeks from now": a count of units from the publication date.
    Ago(Unit, i32),
    /// "two days later", "the following week", "that year": units from the date in context.
    Context(Unit, i32),
    /// "a year earlier", "year-ago": the date in context, one year before, at its precision.
    YearBefore,
    /// "last April", "next May": a month relative to the publication.
    MonthRel(u32, Direction),
    /// "June last year": a month of the year before (-1), this (0) or the next (+1).
    MonthOfYear(u32, Direction),
    /// A quarter, half or season (number 1–4, 1–2 or 1–4) in some year.
    Part(Part, u32, YearRef),
    /// "the quarter", "the latest period": the quarter reported on.
    ReportingQuarter,
    /// "the year-earlier period": the quarter reported on, a year before.
    ReportingQuarterYearBefore,
    /// "the 1988 period": the quarter reported on, in that year.
    ReportingQuarterOfYear(i32),
    /// "the year", "the full year": the year in context.
    ContextYear,
    /// "compared with … last year": the quarter or half in context a year before, else last year.
    PeriodYearBefore,
    /// "the first nine months": the year so far (what "a year earlier" then compares with).
    YearToDate,
    Reference(Reference),
    /// A clock time (hour, minute, second) on a day said next to it, or the day in context.
    Time(u32, Option<u32>, Option<u32>, Option<Box<Expr>>),
}

/// One expression found: tokens `start..end`.
#[derive(Debug, Clone)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub expr: Expr,
    /// "around", "early", "the end of": the date is approximate ("late Friday" is not: the
    /// modifier speaks of the hours, the day is sure).
    pub approximate: bool,
    pub part_of_day: Option<PartOfDay>,
}

/// The rules over one text's tokens.
pub struct Grammar<'a> {
    t: &'a [Token],
    lex: &'static Lexicon,
}

impl<'a> Grammar<'a> {
    pub fn new(t: &'a [Token], lex: &'static Lexicon) -> Self {
        Grammar { t, lex }
    }

    /// All expressions in the text, left to right, none overlapping.
    pub fn find_all(&self) -> Vec<Found> {
        let mut found = Vec::new();
        let mut i = 0;
        while i < self.t.len() {
            if self.starts_word(i)
                && let Some(f) = self.parse_at(i)
            {
                i = f.end.max(i + 1);
                found.push(f);
                continue;
            }
            i += 1;
        }
        found
    }

    /// Token `i` is not the inside of a word or number ("s" of "1990s").
    fn starts_word(&self, i: usize) -> bool {
        match (i.checked_sub(1).and_then(|p| self.t.get(p)), self.t.get(i)) {
            (Some(prev), Some(tok)) => tok.space_before || prev.kind == Kind::Punct,
            _ => true,
        }
    }

    // ---- token helpers ----

    fn tok(&self, i: usize) -> Option<&'a Token> {
        self.t.get(i)
    }

    fn word(&self, i: usize) -> Option<&'a str> {
        self.tok(i).filter(|t| t.kind == Kind::Word).map(|t| t.lower.as_str())
    }

    fn punct(&self, i: usize, c: &str) -> bool {
        self.tok(i).is_some_and(|t| t.kind == Kind::Punct && t.lower == c)
    }

    fn glued(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| !t.space_before)
    }

    /// Matches `phrase` (words separated by spaces) at `i`; a hyphen may join two words.
    pub fn phrase(&self, i: usize, phrase: &str) -> Option<usize> {
        let mut j = i;
        for (k, w) in phrase.split(' ').enumerate() {
            if k > 0 && self.punct(j, "-") && self.glued(j) {
                j += 1;
            }
            // The word may span glued tokens ("'ll", "a.m"): match them piece by piece.
            let start = j;
            let mut rest = w;
            loop {
                let tok = self.tok(j)?;
                if j > start && tok.space_before {
                    return None;
                }
                rest = rest.strip_prefix(tok.lower.as_str())?;
                j += 1;
                if rest.is_empty() {
                    break;
                }
            }
        }
        // The phrase must not stop inside a word: "now" is not "nowhere".
        if let (Some(last), Some(next)) = (j.checked_sub(1).and_then(|p| self.tok(p)), self.tok(j))
            && !next.space_before
            && last.kind != Kind::Punct
            && next.kind == last.kind
        {
            return None;
        }
        Some(j)
    }

    fn longest(&self, i: usize, list: &[&str]) -> Option<usize> {
        list.iter().filter_map(|p| self.phrase(i, p)).max()
    }

    fn longest_kv<T: Copy>(&self, i: usize, list: &[(&str, T)]) -> Option<(usize, T)> {
        list.iter().filter_map(|(p, v)| self.phrase(i, p).map(|e| (e, *v))).max_by_key(|(e, _)| *e)
    }

    fn one_of(&self, i: usize, list: &[&str]) -> bool {
        self.word(i).is_some_and(|w| Lexicon::has(list, w))
    }

    /// A month name at `i` (and the full stop of an abbreviation).
    fn month(&self, i: usize) -> Option<(usize, u32)> {
        let tok = self.tok(i)?;
        let w = self.word(i)?;
        let m = Lexicon::lookup(self.lex.months, w)?;
        if self.lex.month_needs_capital && !tok.cap {
            return None;
        }
        let full = self.lex.full_month(w);
        if self.punct(i + 1, ".") && self.glued(i + 1) && !full {
            return Some((i + 2, m));
        }
        // An abbreviation without its full stop must be followed by a day or a year.
        if !full && !self.tok(i + 1).is_some_and(|t| t.kind == Kind::Num) {
            return None;
        }
        Some((i + 1, m))
    }

    fn weekday(&self, i: usize) -> Option<(usize, Weekday)> {
        let w = self.word(i)?;
        let d = Lexicon::lookup(self.lex.weekdays, w)?;
        Some((i + 1, d))
    }

    /// A weekday, or (where the language writes them as one word) a weekday and a part of the
    /// day: German "Freitagabend" is Friday, in the evening; "Freitagmittag" Friday.
    fn weekday_with_part(&self, i: usize) -> Option<(usize, Weekday, Option<PartOfDay>)> {
        if let Some((e, d)) = self.weekday(i) {
            return Some((e, d, None));
        }
        if !self.lex.compound_day_parts {
            return None;
        }
        let w = self.word(i)?;
        self.lex.weekdays.iter().find_map(|(name, d)| {
            let rest = w.strip_prefix(name)?;
            if let Some(p) = Lexicon::lookup(self.lex.parts_of_day, rest) {
                return Some((i + 1, *d, Some(p)));
            }
            Lexicon::lookup(self.lex.clock_words, rest).map(|_| (i + 1, *d, None))
        })
    }

    /// A unit noun in the plural ("years", German "Jahren"): a stretch of time, not a date.
    fn plural_unit(&self, i: usize) -> bool {
        self.word(i).is_some_and(|w| Lexicon::has(self.lex.unit_plurals, w))
    }

    /// A number token of at most `digits` digits.
    fn small_num(&self, i: usize, digits: usize) -> Option<u32> {
        self.tok(i).filter(|t| t.kind == Kind::Num && t.digits() <= digits).map(|t| t.num)
    }

    /// The ordinal suffix glued to the number before `i` ("rd" of "3rd", the full stop of German
    /// "3."); a full stop followed by more digits is a decimal or a date ("3.5", "2.3.2024").
    fn ordinal_suffix(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| {
            !t.space_before
                && Lexicon::has(self.lex.ordinal_suffixes, &t.lower)
                && (t.kind == Kind::Word || self.tok(i + 1).is_none_or(|n| n.space_before))
        })
    }

    /// A day of the month: "3", "3rd", German "3.", or an ordinal word ("March eighth").
    fn day_of_month(&self, i: usize) -> Option<(usize, u32)> {
        if self.tok(i).is_some_and(|t| t.kind == Kind::Word) {
            return self.ordinal(i).filter(|(_, d)| (1..=31).contains(d));
        }
        let d = self.small_num(i, 2).filter(|d| (1..=31).contains(d))?;
        if self.ordinal_suffix(i + 1) {
            return Some((i + 2, d));
        }
        // "3:30", "3.5", "3,000", "3-year" are not days.
        if let Some(next) = self.tok(i + 1).filter(|t| !t.space_before) {
            if next.kind != Kind::Punct || next.lower == "-" || next.lower == "/" || next.lower == "%" {
                return None;
            }
            if self.tok(i + 2).is_some_and(|t| !t.space_before && t.kind == Kind::Num) {
                return None;
            }
        }
        Some((i + 1, d))
    }

    /// A count: digits, number words ("twenty-five", "a").
    fn count(&self, i: usize) -> Option<(usize, u32)> {
        if let Some(n) = self.small_num(i, 3) {
            return Some((i + 1, n));
        }
        let w = self.word(i)?;
        let n = Lexicon::lookup(self.lex.numbers, w)?;
        if (20..100).contains(&n) && n % 10 == 0 {
            let mut j = i + 1;
            if self.punct(j, "-") {
                j += 1;
            }
            if let Some(u) = self.word(j).and_then(|w| Lexicon::lookup(self.lex.numbers, w)).filter(|u| *u < 10) {
                return Some((j + 1, n + u));
            }
        }
        Some((i + 1, n))
    }

    /// An ordinal: "third", "3rd".
    fn ordinal(&self, i: usize) -> Option<(usize, u32)> {
        if let Some(n) = self.small_num(i, 2) {
            if self.ordinal_suffix(i + 1) {
                return Some((i + 2, n));
            }
            return None;
        }
        let w = self.word(i)?;
        Lexicon::lookup(self.lex.ordinals, w).map(|n| (i + 1, n))
    }

    /// A four-digit year that reads as a year (not "$1990", "1,990", "1990.5", "1990%").
    fn year4(&self, i: usize) -> Option<(usize, i32)> {
        let tok = self.tok(i)?;
        if tok.kind != Kind::Num || tok.digits() != 4 || !(1000..=2199).contains(&tok.num) {
            return None;
        }
        if !tok.space_before && i > 0 {
            let prev = self.tok(i - 1)?;
            if matches!(prev.lower.as_str(), "$" | "," | "." | "#" | "£" | "€") || prev.kind != Kind::Punct {
                return None;
            }
        }
        if let Some(next) = self.tok(i + 1) {
            if !next.space_before
                && matches!(next.lower.as_str(), "," | "." | "%" | ":")
                && self.tok(i + 2).is_some_and(|t| t.kind == Kind::Num && !t.space_before)
            {
                return None;
            }
            if !next.space_before && next.lower == "%" {
                return None;
            }
        }
        if self.one_of(i + 1, &["percent", "people", "feet", "meters", "tons", "shares", "employees"]) {
            return None;
        }
        Some((i + 1, tok.num as i32))
    }

    /// A year, written or spelled ("nineteen ninety-six").
    fn year(&self, i: usize) -> Option<(usize, i32)> {
        if let Some(y) = self.year4(i) {
            return Some(y);
        }
        self.spelled_year(i)
    }

    fn spelled_year(&self, i: usize) -> Option<(usize, i32)> {
        let w = self.word(i)?;
        if let Some(c) = Lexicon::lookup(self.lex.spelled_centuries, w) {
            let (end, n) = self.count(i + 1)?;
            if self.word(i + 1).is_some_and(|w| w != "a" && w != "an") && (10..100).contains(&n) {
                return Some((end, c * 100 + n as i32));
            }
            return None;
        }
        // "two thousand (and) one": only as "the year two thousand", a count otherwise.
        if i == 0 || self.word(i - 1).is_none_or(|w| w != "year") {
            return None;
        }
        let (end, n) = self.count(i)?;
        let end = self.longest(end, self.lex.thousand)?;
        let mut y = n as i32 * 1000;
        let mut j = end;
        if self.one_of(j, &["and"]) {
            j += 1;
        }
        if let Some((e, k)) = self.count(j).filter(|(_, k)| *k < 100)
            && self.word(j).is_some_and(|w| w != "a" && w != "an")
        {
            y += k as i32;
            return Some((e, y));
        }
        Some((end, y))
    }

    /// The year after a month, quarter or season: "1990", ", 1990", "of 1990", "of fiscal 1990".
    fn year_after(&self, i: usize) -> Option<(usize, i32)> {
        let mut j = i;
        if self.punct(j, ",") {
            j += 1;
        }
        if let Some(e) = self.longest(j, self.lex.of) {
            j = e;
            if self.one_of(j, self.lex.determiners) && self.one_of(j + 1, self.lex.fiscal) {
                j += 1;
            }
        }
        if self.one_of(j, self.lex.fiscal) {
            j += 1;
            if self.word(j) == Some("year") {
                j += 1;
            }
        }
        self.year(j)
    }

    fn part_of_day(&self, i: usize) -> Option<(usize, PartOfDay)> {
        self.word(i).and_then(|w| Lexicon::lookup(self.lex.parts_of_day, w)).map(|p| (i + 1, p))
    }

    fn unit(&self, i: usize) -> Option<(usize, Unit)> {
        self.word(i).and_then(|w| Lexicon::lookup(self.lex.units, w)).map(|u| (i + 1, u))
    }

    // ---- the rules ----

    fn parse_at(&self, i: usize) -> Option<Found> {
        // Prefix modifiers: "around", "early", "late", "mid-", "the end of".
        let mut j = i;
        let mut approximate = false;
        let mut day_modifier = false;
        for _ in 0..2 {
            match self.longest(j, self.lex.approximate) {
                Some(e) => {
                    day_modifier |= e == j + 1 && self.one_of(j, self.lex.day_modifiers);
                    approximate = true;
                    j = e;
                    if self.punct(j, "-") {
                        j += 1;
                    }
                }
                None => break,
            }
        }
        if j > i
            && let Some((end, expr, pod)) = self.core(j)
        {
            let day_level = matches!(expr, Expr::Weekday(..) | Expr::RelDay(_));
            return Some(Found {
                start: i,
                end,
                expr,
                approximate: approximate && !(day_modifier && day_level),
                part_of_day: pod,
            });
        }
        let (end, expr, pod) = self.core(i)?;
        // "quarter-to-quarter", "year-to-year": an adverb of comparison, no date.
        if self.punct(end, "-") && self.glued(end) && self.one_of(end + 1, self.lex.to) {
            return None;
        }
        if matches!(expr, Expr::Rel(..)) && self.title(i, end) {
            return None;
        }
        // "USA Today", "VOA Today": a capitalised day word after a capitalised word, inside a
        // sentence, ends a name.
        if matches!(expr, Expr::RelDay(_))
            && !self.lex.nouns_capitalised
            && end == i + 1
            && self.tok(i).is_some_and(|t| t.cap)
            && i.checked_sub(1).and_then(|p| self.tok(p)).is_some_and(|p| p.kind == Kind::Word && p.cap)
        {
            return None;
        }
        // "the past year": the twelve months before, about the year before.
        let approximate =
            matches!(expr, Expr::Rel(..)) && (i..end).any(|x| self.one_of(x, self.lex.approximate_directions));
        Some(Found { start: i, end, expr, approximate, part_of_day: pod })
    }

    /// Tokens `i..end` are a title in quotes, every word capitalised (ABC's "This Week"), in a
    /// language that does not capitalise every noun.
    fn title(&self, i: usize, end: usize) -> bool {
        !self.lex.nouns_capitalised
            && end > i + 1
            && i.checked_sub(1).is_some_and(|p| self.punct(p, "\"") && self.glued(i))
            && (i..end).all(|x| self.tok(x).is_some_and(|t| t.cap || t.kind != Kind::Word))
    }

    /// The longest of the rules at `i`.
    fn core(&self, i: usize) -> Option<(usize, Expr, Option<PartOfDay>)> {
        let mut best: Option<(usize, Expr, Option<PartOfDay>)> = None;
        let mut offer = |m: Option<(usize, Expr, Option<PartOfDay>)>| {
            if let Some(m) = m
                && best.as_ref().is_none_or(|b| m.0 > b.0)
            {
                best = Some(m);
            }
        };
        offer(self.numeric_date(i).map(|(e, x)| (e, x, None)));
        offer(self.month_date(i).map(|(e, x)| (e, x, None)));
        offer(self.day_month(i).map(|(e, x)| (e, x, None)));
        offer(self.year_or_decade(i).map(|(e, x)| (e, x, None)));
        offer(self.century(i).map(|(e, x)| (e, x, None)));
        offer(self.day_words(i));
        offer(self.directional(i));
        offer(self.context_words(i).map(|(e, x)| (e, x, None)));
        offer(self.counted(i).map(|(e, x)| (e, x, None)));
        offer(self.year_parts(i).map(|(e, x)| (e, x, None)));
        offer(self.reporting(i).map(|(e, x)| (e, x, None)));
        offer(self.clock(i).map(|(e, x)| (e, x, None)));
        offer(self.reference(i).map(|(e, x)| (e, x, None)));
        offer(self.longest(i, self.lex.year_to_date).map(|e| (e, Expr::YearToDate, None)));
        best
    }

    /// "02/13/1998 14:26:00", "08-15-90 1337EDT", "1998-02-13".
    fn numeric_date(&self, i: usize) -> Option<(usize, Expr)> {
        let a = self.tok(i).filter(|t| t.kind == Kind::Num)?;
        let sep = self.tok(i + 1).filter(|t| !t.space_before && Lexicon::has(self.lex.numeric_separators, &t.lower))?;
        let b = self.tok(i + 2).filter(|t| t.kind == Kind::Num && !t.space_before)?;
        if !self.punct(i + 3, &sep.lower) || !self.glued(i + 3) {
            return None;
        }
        let c = self.tok(i + 4).filter(|t| t.kind == Kind::Num && !t.space_before)?;
        let (y, m, d) = if a.digits() == 4 {
            (a.num as i32, b.num, c.num)
        } else if a.digits() <= 2 && b.digits() <= 2 && (c.digits() == 4 || c.digits() == 2) {
            let y = if c.digits() == 2 { if c.num < 30 { 2000 + c.num } else { 1900 + c.num } } else { c.num };
            if self.lex.numeric_day_first { (y as i32, b.num, a.num) } else { (y as i32, a.num, b.num) }
        } else {
            return None;
        };
        chrono::NaiveDate::from_ymd_opt(y, m, d)?;
        let day = Expr::Abs { year: Some(y), month: m, day: Some(d) };
        let end = i + 5;
        // A time after it: "14:26:00" or "1337EDT".
        if let Some(h) = self.tok(end).filter(|t| t.kind == Kind::Num) {
            if h.digits() <= 2
                && self.punct(end + 1, ":")
                && let Some(mm) = self.small_num(end + 2, 2)
            {
                let mut e = end + 3;
                let mut s = None;
                if self.punct(e, ":")
                    && let Some(ss) = self.small_num(e + 1, 2)
                {
                    s = Some(ss);
                    e += 2;
                }
                if h.num < 24 && mm < 60 {
                    return Some((e, Expr::Time(h.num, Some(mm), s, Some(Box::new(day)))));
                }
            }
            if h.digits() == 4 && h.num / 100 < 24 && h.num % 100 < 60 {
                let mut e = end + 1;
                if self.glued(e) && self.one_of(e, self.lex.time_zones) {
                    e += 1;
                }
                return Some((e, Expr::Time(h.num / 100, Some(h.num % 100), None, Some(Box::new(day)))));
            }
        }
        Some((end, day))
    }

    /// "March 3", "March 3, 1990", "Sept. 30", "March 1990", "March".
    fn month_date(&self, i: usize) -> Option<(usize, Expr)> {
        let (k, month) = self.month(i)?;
        if let Some((e, day)) = self.day_of_month(k) {
            let mut year = None;
            let mut end = e;
            let mut j = e;
            if self.punct(j, ",") {
                j += 1;
            }
            if let Some((ye, y)) = self.year4(j) {
                year = Some(y);
                end = ye;
            }
            return Some((end, Expr::Abs { year, month, day: Some(day) }));
        }
        if let Some((e, y)) = self.year_after(k) {
            return Some((e, Expr::Abs { year: Some(y), month, day: None }));
        }
        // "June last year", "January this year"
        if let Some(d) = self.word(k).and_then(|w| Lexicon::lookup(self.lex.directions, w))
            && self.unit(k + 1).is_some_and(|(_, u)| u == Unit::Year)
            && !self.plural_unit(k + 1)
            && self.word(k) != Some("past")
        {
            return Some((k + 2, Expr::MonthOfYear(month, d)));
        }
        // "May" alone is too often the verb; a month alone must not open a sentence.
        if self.word(i) == Some("may")
            && !self.one_of(
                i.wrapping_sub(1),
                &["in", "since", "until", "by", "of", "early", "late", "mid", "last", "next", "this", "that"],
            )
        {
            return None;
        }
        Some((k, Expr::Abs { year: None, month, day: None }))
    }

    /// "3 March 1990", "the 3rd of March".
    fn day_month(&self, i: usize) -> Option<(usize, Expr)> {
        let (mut k, day) = self.day_of_month(i)?;
        if self.word(k) == Some("of") {
            k += 1;
        }
        let (k, month) = self.month(k)?;
        let (end, year) = match self.year4(k) {
            Some((e, y)) => (e, Some(y)),
            None => (k, None),
        };
        Some((end, Expr::Abs { year, month, day: Some(day) }))
    }

    /// "1990", "fiscal 1990", "the 1990s", "the '80s", "the eighties".
    fn year_or_decade(&self, i: usize) -> Option<(usize, Expr)> {
        let mut j = i;
        if self.one_of(j, self.lex.determiners) {
            j += 1;
        }
        if self.one_of(j, self.lex.fiscal) {
            j += 1;
            if self.word(j) == Some("year") {
                j += 1;
            }
        }
        if let Some(d) = self.word(j).and_then(|w| Lexicon::lookup(self.lex.decade_words, w)) {
            return Some((j + 1, Expr::Decade(d)));
        }
        // '80s
        if self.punct(j, "'")
            && let Some(n) = self.small_num(j + 1, 2).filter(|_| self.glued(j + 1))
            && self.glued(j + 2)
            && self.one_of(j + 2, self.lex.decade_suffix)
            && n % 10 == 0
        {
            let c = if n < 30 { 200 } else { 190 };
            return Some((j + 3, Expr::Decade(c + n as i32 / 10)));
        }
        let tok = self.tok(j)?;
        if tok.kind == Kind::Num && tok.digits() == 4 && self.glued(j + 1) && self.one_of(j + 1, self.lex.decade_suffix)
        {
            let y = tok.num as i32;
            if y % 10 == 0 && (1000..2200).contains(&y) {
                if y % 100 == 0 && y != 2000 {
                    return Some((j + 2, Expr::Century(y / 100)));
                }
                return Some((j + 2, Expr::Decade(y / 10)));
            }
        }
        let (e, y) = self.year(j)?;
        // A bare determiner before a year is not part of it ("the 1990 budget").
        let start_ok = j == i || self.one_of(i, self.lex.fiscal) || self.one_of(i + 1, self.lex.fiscal);
        if !start_ok {
            return None;
        }
        Some((e, Expr::Year(y)))
    }

    /// "the 20th century", "the nineteenth century".
    fn century(&self, i: usize) -> Option<(usize, Expr)> {
        let mut j = i;
        if self.one_of(j, self.lex.determiners) {
            j += 1;
        }
        let (k, n) = self.ordinal(j)?;
        let e = self.longest(k, self.lex.century)?;
        Some((e, Expr::Century(n as i32 - 1)))
    }

    /// "yesterday", "today", "tonight", "Friday", "Friday evening", "Friday, March 1".
    fn day_words(&self, i: usize) -> Option<(usize, Expr, Option<PartOfDay>)> {
        let w = self.word(i)?;
        let (k, expr, mut pod) = if let Some(d) = Lexicon::lookup(self.lex.relative_days, w) {
            (i + 1, Expr::RelDay(d), None)
        } else if Lexicon::has(self.lex.tonight, w) {
            (i + 1, Expr::RelDay(0), Some(PartOfDay::Night))
        } else if let Some((k, wd, compound)) = self.weekday_with_part(i) {
            if let Some((e, x)) = self.weekday_date(k, wd) {
                return Some((e, x, None));
            }
            (k, Expr::Weekday(wd, None), compound)
        } else {
            return None;
        };
        // German "am Morgen" is in the morning, not tomorrow: a word for a day that also names
        // a part of the day is the part after a determiner or preposition.
        if matches!(expr, Expr::RelDay(_))
            && Lexicon::lookup(self.lex.parts_of_day, w).is_some()
            && i.checked_sub(1)
                .is_some_and(|p| self.one_of(p, self.lex.determiners) || self.one_of(p, self.lex.context_openers))
        {
            return None;
        }
        let mut end = k;
        if pod.is_none()
            && let Some((e, p)) = self.part_of_day(k)
        {
            pod = Some(p);
            end = e;
        }
        Some((end, expr, pod))
    }

    /// The date after a weekday ending at `k` ("Friday, March 1"): the date says it all, and the
    /// weekday the year.
    fn weekday_date(&self, k: usize, wd: Weekday) -> Option<(usize, Expr)> {
        let mut j = k;
        if self.punct(j, ",") {
            j += 1;
        }
        let (e, x) = self.month_date(j).or_else(|| self.day_month(j))?;
        let Expr::Abs { year, month, day: Some(day) } = x else {
            return None;
        };
        match year {
            Some(_) => Some((e, x)),
            None => Some((e, Expr::WeekdayDate(month, day, wd))),
        }
    }

    /// "last week", "this month", "next year", "last April", "next Friday", "last summer",
    /// "this morning", "last night", "this year's third quarter".
    fn directional(&self, i: usize) -> Option<(usize, Expr, Option<PartOfDay>)> {
        let mut j = i;
        let the = self.word(j) == Some("the");
        if the {
            j += 1;
        }
        let w = self.word(j)?;
        // A phrase ("this past") opens with a direction word: look the word up first, as most
        // tokens are none.
        Lexicon::lookup(self.lex.directions, w)?;
        let (mut k, d) = self.longest_kv(j, self.lex.directions)?;
        // "the last few months", "the next several days": the past or the future, no date.
        if d != 0 && self.one_of(k, self.lex.vague_counts) && self.plural_unit(k + 1) {
            let r = if d < 0 { Reference::Past } else { Reference::Future };
            return Some((k + 2, Expr::Reference(r), None));
        }
        // "the next day" counts from the text's date ("the coming week", "the past year" from
        // the publication).
        let vague = Lexicon::has(self.lex.approximate_directions, w);
        if the && d != 0 && w != "coming" && !vague {
            return None;
        }
        // "the current fiscal year"
        if self.one_of(k, self.lex.fiscal) && self.unit(k + 1).is_some() {
            k += 1;
        }
        if let Some((e, u)) = self.unit(k) {
            // "this year's third quarter"
            if u == Unit::Year
                && self.punct(e, "'")
                && self.word(e + 1) == Some("s")
                && let Some((e2, x)) = self.year_parts_bare(e + 2, YearRef::Rel(d))
            {
                return Some((e2, x, None));
            }
            // "last years", "past days": plurals are durations; "the past century" is the
            // hundred years before, about this century as much as the last.
            if self.plural_unit(k) || (vague && matches!(u, Unit::Decade | Unit::Century)) {
                return None;
            }
            return Some((e, Expr::Rel(u, d), None));
        }
        // "past" says which way only before a unit ("the past year").
        if vague {
            return None;
        }
        if let Some((e, m)) = self.month_word_any_case(k) {
            return Some((e, Expr::MonthRel(m, d), None));
        }
        if let Some((e, wd, compound)) = self.weekday_with_part(k) {
            // "this coming Sunday, March eighth": the date says which Sunday.
            if let Some((e2, x)) = self.weekday_date(e, wd) {
                return Some((e2, x, None));
            }
            let (end, pod) = match self.part_of_day(e) {
                Some((e2, p)) => (e2, Some(p)),
                None => (e, compound),
            };
            return Some((end, Expr::Weekday(wd, Some(d)), pod));
        }
        if let Some(s) = self.word(k).and_then(|w| Lexicon::lookup(self.lex.seasons, w)) {
            return Some((k + 1, Expr::Part(Part::Season, s, YearRef::Rel(d)), None));
        }
        if let Some((e, p)) = self.part_of_day(k) {
            return match (d, p) {
                (0, _) => Some((e, Expr::RelDay(0), Some(p))),
                (-1, PartOfDay::Night | PartOfDay::Evening) => Some((e, Expr::RelDay(-1), Some(p))),
                _ => None,
            };
        }
        None
    }

    /// A month after "last"/"next": capitalisation is not needed there.
    fn month_word_any_case(&self, i: usize) -> Option<(usize, u32)> {
        let w = self.word(i)?;
        let m = Lexicon::lookup(self.lex.months, w)?;
        self.lex.full_month(w).then_some((i + 1, m))
    }

    /// "the following day", "the previous year", "that day", "the same week".
    fn context_words(&self, i: usize) -> Option<(usize, Expr)> {
        let (k, d) = if let Some(e) = self.longest(i, self.lex.same) {
            (e, 0)
        } else {
            if !self.one_of(i, self.lex.context_openers) {
                return None;
            }
            let w = self.word(i + 1)?;
            (i + 2, Lexicon::lookup(self.lex.context_directions, w)?)
        };
        // "the previous Friday", "the following Monday": from the day in context.
        if let Some((e, wd)) = self.weekday(k) {
            return (d != 0).then_some((e, Expr::ContextWeekday(wd, d)));
        }
        let (e, u) = self.unit(k)?;
        if self.plural_unit(k) {
            return None;
        }
        if u == Unit::Weekend || u == Unit::Decade || u == Unit::Century {
            return None;
        }
        Some((e, Expr::Context(u, d)))
    }

    /// "two days ago", "three weeks later", "a year earlier", "several years ago".
    fn counted(&self, i: usize) -> Option<(usize, Expr)> {
        if let Some(e) = self.longest(i, self.lex.year_before_context) {
            // "a year earlier than expected" is a comparison, still the year before.
            return Some((e, Expr::YearBefore));
        }
        if let Some(x) = self.counted_before(i) {
            return Some(x);
        }
        let (k, n) = match self.count(i) {
            Some(c) => (c.0, Some(c.1)),
            None if self.one_of(i, self.lex.vague_counts) => {
                let mut k = i + 1;
                if self.word(k) == Some("of") {
                    k += 1;
                }
                (k, None)
            }
            None => return None,
        };
        // "more than two years ago" and such: the count is still the count.
        let (e, u) = self.unit(k)?;
        if u == Unit::Weekend {
            return None;
        }
        let (end, sign, context) = if let Some(e2) = self.longest(e, self.lex.ago) {
            (e2, -1, false)
        } else if let Some(e2) = self.longest(e, self.lex.from_now) {
            (e2, 1, false)
        } else if let Some(e2) = self.longest(e, self.lex.earlier) {
            // "two days before the vote": the anchor is the vote, not known here.
            if self.word(e) == Some("before") && self.tok(e2).is_some_and(|t| t.kind == Kind::Word) {
                return None;
            }
            (e2, -1, true)
        } else if let Some(e2) = self.longest(e, self.lex.later) {
            (e2, 1, true)
        } else {
            return None;
        };
        let Some(n) = n else {
            let r = if sign < 0 { Reference::Past } else { Reference::Future };
            return Some((end, Expr::Reference(r)));
        };
        let n = n as i32 * sign;
        if context { Some((end, Expr::Context(u, n))) } else { Some((end, Expr::Ago(u, n))) }
    }

    /// A count and unit after the word that says which way (German "vor zwei Tagen", "vor einer
    /// Woche", "in drei Wochen"); "vor Jahren", "vor einigen Tagen" are the past.
    fn counted_before(&self, i: usize) -> Option<(usize, Expr)> {
        let sign = if self.one_of(i, self.lex.ago_before) {
            -1
        } else if self.one_of(i, self.lex.from_now_before) {
            1
        } else {
            return None;
        };
        let (k, n) = match self.count(i + 1) {
            Some((k, n)) => (k, Some(n)),
            None if self.one_of(i + 1, self.lex.vague_counts) => (i + 2, None),
            None if sign < 0 && self.plural_unit(i + 1) => (i + 1, None),
            None => return None,
        };
        let (e, u) = self.unit(k)?;
        if u == Unit::Weekend {
            return None;
        }
        match n {
            Some(n) => Some((e, Expr::Ago(u, n as i32 * sign))),
            None => Some((e, Expr::Reference(if sign < 0 { Reference::Past } else { Reference::Future }))),
        }
    }

    /// "the third quarter (of 1989)", "third-quarter", "the fiscal first quarter", "Q3",
    /// "the first half", "last summer" (in `directional`), "summer 1998", "the spring".
    fn year_parts(&self, i: usize) -> Option<(usize, Expr)> {
        let mut j = i;
        if self.word(j) == Some("the") {
            j += 1;
        }
        if self.one_of(j, self.lex.fiscal) {
            j += 1;
        }
        self.year_parts_bare(j, YearRef::Implicit)
    }

    fn year_parts_bare(&self, j: usize, year: YearRef) -> Option<(usize, Expr)> {
        let (k, part, n) = if let Some((k, 1)) = self.ordinal(j)
            && self.count(k).is_some_and(|(_, c)| c == 2)
            && self.plural_unit(k + 1)
            && self.unit(k + 1).is_some_and(|(_, u)| u == Unit::Quarter)
        {
            // "the first two quarters (of 1990)": the first half.
            (k + 2, Part::Half, 1)
        } else if let Some((k, n)) = self.ordinal(j) {
            let mut k = k;
            if self.punct(k, "-") {
                k += 1;
            }
            if let Some(e) = self.longest(k, self.lex.quarter) {
                (e, Part::Quarter, n)
            } else if let Some(e) = self.longest(k, self.lex.half) {
                (e, Part::Half, n)
            } else {
                return None;
            }
        } else if self.word(j) == Some("last") && self.longest(j + 1, self.lex.half).is_some() {
            (j + 2, Part::Half, 2)
        } else if self.word(j) == Some("q") && self.glued(j + 1) {
            let n = self.small_num(j + 1, 1)?;
            (j + 2, Part::Quarter, n)
        } else if let Some(s) = self.word(j).and_then(|w| Lexicon::lookup(self.lex.seasons, w)) {
            // A bare season needs "the", a year or a preposition to be a date ("fall" is a verb).
            let ok = j > 0 && (self.one_of(j - 1, self.lex.season_openers) || self.year_after(j + 1).is_some());
            if !ok {
                return None;
            }
            (j + 1, Part::Season, s)
        } else {
            return None;
        };
        let max = match part {
            Part::Quarter | Part::Season => 4,
            Part::Half => 2,
        };
        if n == 0 || n > max {
            return None;
        }
        // "the last half of the '80s": a part of a decade, which the decade says.
        if part == Part::Half && self.longest(k, self.lex.of).is_some() {
            let mut d = k + 1;
            if self.one_of(d, self.lex.determiners) {
                d += 1;
            }
            if matches!(self.year_or_decade(d), Some((_, Expr::Decade(_) | Expr::Century(_)))) {
                return None;
            }
        }
        if let Some((e, y)) = self.year_after(k) {
            return Some((e, Expr::Part(part, n, YearRef::Explicit(y))));
        }
        // "first-half profit": still the half.
        Some((k, Expr::Part(part, n, year)))
    }

    /// "the quarter", "the latest quarter", "the latest period", "the year-earlier period",
    /// "the year-ago third quarter", "the 1988 period", "the 1988 second quarter", "last year's
    /// quarter", "the corresponding period last year", "year-ago", "the year", "the full year".
    fn reporting(&self, i: usize) -> Option<(usize, Expr)> {
        let the = self.one_of(i, &["the", "that"]);
        let mut j = if the { i + 1 } else { i };
        if the && self.one_of(j, self.lex.comparable) {
            j += 1;
        }
        // "last year's quarter", "last year's third quarter"
        if self.word(j) == Some("last")
            && self.word(j + 1) == Some("year")
            && self.punct(j + 2, "'")
            && self.word(j + 3) == Some("s")
        {
            let k = j + 4;
            if let Some(x) = self.year_parts_bare(k, YearRef::Rel(-1)) {
                return Some(x);
            }
            return self.longest(k, self.lex.reporting_period).map(|e| (e, Expr::ReportingQuarterYearBefore));
        }
        if let Some(e) = self.longest(j, self.lex.year_earlier) {
            if let Some(x) = self.year_parts_bare(e, YearRef::Rel(-1)) {
                return Some(x);
            }
            if let Some(e2) = self.longest(e, self.lex.reporting_period) {
                return Some((e2, Expr::ReportingQuarterYearBefore));
            }
            // "year-earlier" alone modifies a noun ("year-earlier sales", "the year-ago
            // results"): the period reported on, a year before.
            if self.punct(j + 1, "-") {
                return Some((e, Expr::PeriodYearBefore));
            }
            return None;
        }
        if !the {
            return None;
        }
        // "the 1988 second quarter", "the 1988 period"
        if let Some((e, y)) = self.year4(j) {
            let mut e = e;
            if self.one_of(e, self.lex.fiscal) {
                e += 1;
            }
            if let Some((e2, Expr::Part(part, n, _))) = self.year_parts_bare(e, YearRef::Explicit(y)) {
                return Some((e2, Expr::Part(part, n, YearRef::Explicit(y))));
            }
            return self.longest(e, self.lex.reporting_period).map(|e2| (e2, Expr::ReportingQuarterOfYear(y)));
        }
        let mut k = j;
        let latest = self.longest(k, self.lex.latest);
        if let Some(e) = latest {
            k = e;
        }
        if self.one_of(k, self.lex.fiscal) {
            k += 1;
        }
        if let Some(e) = self.longest(k, self.lex.reporting_period) {
            // "the quarter a year ago", "the corresponding period last year"
            if let Some(e2) = self.longest(e, self.lex.year_before_context).or_else(|| self.phrase(e, "last year")) {
                return Some((e2, Expr::ReportingQuarterYearBefore));
            }
            let is_period = self.word(k) == Some("period");
            if is_period && latest.is_none() {
                return None;
            }
            // "the quarter ended Sept. 30": still the quarter reported on.
            return Some((e, Expr::ReportingQuarter));
        }
        // "the latest fiscal year": the last one ended.
        if latest.is_some() && self.unit(k).is_some_and(|(_, u)| u == Unit::Year) && !self.plural_unit(k) {
            return Some((k + 1, Expr::Rel(Unit::Year, -1)));
        }
        if self.word(k) == Some("full") {
            k += 1;
        }
        if self.word(k) == Some("year") && !self.punct(k + 1, "-") {
            // "the year before", "the year two thousand" are other rules.
            if self.one_of(k + 1, &["before", "earlier", "ago", "two", "after"]) {
                return None;
            }
            return Some((k + 1, Expr::ContextYear));
        }
        None
    }

    /// "10 p.m.", "7:15 p.m. EDT", "noon", "noon Thursday", "10 p.m. Wednesday".
    fn clock(&self, i: usize) -> Option<(usize, Expr)> {
        let (mut e, h, m, s) = if let Some(h) = self.word(i).and_then(|w| Lexicon::lookup(self.lex.clock_words, w)) {
            (i + 1, h, Some(0), None)
        } else {
            let h = self.small_num(i, 2).filter(|h| *h <= 24)?;
            let mut e = i + 1;
            let mut m = None;
            let mut s = None;
            if self.punct(e, ":") && self.glued(e) {
                let mm = self.small_num(e + 1, 2).filter(|m| *m < 60 && self.glued(e + 1))?;
                if self.tok(e + 1).is_some_and(|t| t.digits() != 2) {
                    return None;
                }
                m = Some(mm);
                e += 2;
                if self.punct(e, ":")
                    && self.glued(e)
                    && let Some(ss) = self.small_num(e + 1, 2).filter(|s| *s < 60)
                {
                    s = Some(ss);
                    e += 2;
                }
            }
            match self.meridiem(e) {
                Some((e2, add)) => {
                    if h == 0 || h > 12 {
                        return None;
                    }
                    let h = if h == 12 { add } else { h + add };
                    (e2, h, Some(m.unwrap_or(0)), s)
                }
                None if m.is_some() && h < 24 => (e, h, m, s),
                None => return None,
            }
        };
        if self.one_of(e, self.lex.time_zones) {
            e += 1;
        }
        // The day said with it: "10 p.m. Wednesday", "noon on Thursday", "noon today".
        let mut day = None;
        let mut k = e;
        if self.word(k) == Some("on") || self.punct(k, ",") {
            k += 1;
        }
        if let Some((e2, x, _)) = self.day_words(k) {
            day = Some(Box::new(x));
            e = e2;
        } else if let Some((e2, x)) = self.month_date(k).filter(|(_, x)| matches!(x, Expr::Abs { day: Some(_), .. })) {
            day = Some(Box::new(x));
            e = e2;
        }
        Some((e, Expr::Time(h, m, s, day)))
    }

    /// "a.m.", "pm", "p.m": the hours to add.
    fn meridiem(&self, i: usize) -> Option<(usize, u32)> {
        let w = self.word(i)?;
        match w {
            "am" | "pm" => Some((i + 1 + usize::from(self.punct(i + 1, ".")), if w == "pm" { 12 } else { 0 })),
            "a" | "p" if self.punct(i + 1, ".") && self.word(i + 2) == Some("m") => {
                let end = i + 3 + usize::from(self.punct(i + 3, ".") && self.glued(i + 3));
                Some((end, if w == "p" { 12 } else { 0 }))
            }
            _ => None,
        }
    }

    /// "now", "recently", "the future", "in recent years", "at one point".
    fn reference(&self, i: usize) -> Option<(usize, Expr)> {
        let (e, r) = self.longest_kv(i, self.lex.references)?;
        // "the past year", "the future of": durations and nouns, not references.
        if self.unit(e).is_some() && !self.plural_unit(e - 1) {
            return None;
        }
        if self.word(i) == Some("future") {
            // Adjectives: "future plans", "current account" are not dates, except the bare
            // word before a punctuation mark.
            if self.tok(e).is_some_and(|t| t.kind == Kind::Word) {
                return None;
            }
        }
        // "shortly before the merger": relative to an event, not to now.
        if self.word(e) == Some("of") || self.one_of(e, self.lex.before_after) {
            return None;
        }
        Some((e, Expr::Reference(r)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;
    use crate::token::tokenize;

    fn first(text: &str) -> (String, Expr) {
        let toks = tokenize(text);
        let g = Grammar::new(&toks, Language::English.lexicon());
        let f = g.find_all().into_iter().next().unwrap_or_else(|| panic!("nothing in {text:?}"));
        let s = toks[f.start].start;
        let e = toks[f.end - 1].end;
        (text.chars().skip(s).take(e - s).collect(), f.expr)
    }

    #[test]
    fn absolute_dates() {
        assert_eq!(
            first("on March 3, 1990 it"),
            ("March 3, 1990".into(), Expr::Abs { year: Some(1990), month: 3, day: Some(3) })
        );
        assert_eq!(first("by Sept. 30."), ("Sept. 30".into(), Expr::Abs { year: None, month: 9, day: Some(30) }));
        assert_eq!(
            first("in August 1988,"),
            ("August 1988".into(), Expr::Abs { year: Some(1988), month: 8, day: None })
        );
        assert_eq!(
            first("on 3 March 2024"),
            ("3 March 2024".into(), Expr::Abs { year: Some(2024), month: 3, day: Some(3) })
        );
        assert_eq!(
            first("at 02/13/1998 14:26:00"),
            (
                "02/13/1998 14:26:00".into(),
                Expr::Time(
                    14,
                    Some(26),
                    Some(0),
                    Some(Box::new(Expr::Abs { year: Some(1998), month: 2, day: Some(13) }))
                )
            )
        );
    }

    #[test]
    fn may_the_verb_is_not_a_month() {
        let toks = tokenize("It may rain. They met in May.");
        let g = Grammar::new(&toks, Language::English.lexicon());
        let found = g.find_all();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].expr, Expr::Abs { year: None, month: 5, day: None });
    }

    #[test]
    fn years_decades_centuries() {
        assert_eq!(first("in 1988 sales").1, Expr::Year(1988));
        assert_eq!(first("fiscal 1989 results").1, Expr::Year(1989));
        assert_eq!(first("the mid-1990s").1, Expr::Decade(199));
        assert_eq!(first("the '80s").1, Expr::Decade(198));
        assert_eq!(first("the 20th century").1, Expr::Century(19));
        assert_eq!(first("in nineteen ninety-six").1, Expr::Year(1996));
        assert_eq!(first("the year two thousand").1, Expr::Year(2000));
        let toks = tokenize("$1990 and 1,990 and 1990%");
        assert!(Grammar::new(&toks, Language::English.lexicon()).find_all().is_empty());
    }

    #[test]
    fn relative_expressions() {
        assert_eq!(first("last month").1, Expr::Rel(Unit::Month, -1));
        assert_eq!(first("this week").1, Expr::Rel(Unit::Week, 0));
        assert_eq!(first("two days ago").1, Expr::Ago(Unit::Day, -2));
        assert_eq!(first("three weeks later").1, Expr::Context(Unit::Week, 3));
        assert_eq!(first("a year earlier").1, Expr::YearBefore);
        assert_eq!(first("the following day").1, Expr::Context(Unit::Day, 1));
        assert_eq!(first("last April").1, Expr::MonthRel(4, -1));
        assert_eq!(first("several years ago").1, Expr::Reference(Reference::Past));
        assert_eq!(first("late Friday").1, Expr::Weekday(Weekday::Fri, None));
        assert_eq!(first("last summer").1, Expr::Part(Part::Season, 2, YearRef::Rel(-1)));
        assert_eq!(first("the previous Friday").1, Expr::ContextWeekday(Weekday::Fri, -1));
        assert_eq!(first("on Saturday, April 25,").1, Expr::WeekdayDate(4, 25, Weekday::Sat));
    }

    #[test]
    fn quarters_and_halves() {
        assert_eq!(first("third-quarter profit").1, Expr::Part(Part::Quarter, 3, YearRef::Implicit));
        assert_eq!(first("the fourth quarter of 1989").1, Expr::Part(Part::Quarter, 4, YearRef::Explicit(1989)));
        assert_eq!(first("this year's third quarter").1, Expr::Part(Part::Quarter, 3, YearRef::Rel(0)));
        assert_eq!(first("the first half").1, Expr::Part(Part::Half, 1, YearRef::Implicit));
        assert_eq!(first("the latest quarter").1, Expr::ReportingQuarter);
        assert_eq!(first("the year-earlier period").1, Expr::ReportingQuarterYearBefore);
    }

    #[test]
    fn clock_times_and_parts_of_day() {
        assert_eq!(
            first("at 10 p.m. Wednesday").1,
            Expr::Time(22, Some(0), None, Some(Box::new(Expr::Weekday(Weekday::Wed, None))))
        );
        assert_eq!(
            first("noon Thursday").1,
            Expr::Time(12, Some(0), None, Some(Box::new(Expr::Weekday(Weekday::Thu, None))))
        );
        let toks = tokenize("Thursday evening");
        let f = Grammar::new(&toks, Language::English.lexicon()).find_all();
        assert_eq!(f[0].part_of_day, Some(PartOfDay::Evening));
        assert_eq!(f[0].end, 2);
    }

    #[test]
    fn references() {
        assert_eq!(first("is now").1, Expr::Reference(Reference::Present));
        assert_eq!(first("was recently arrested").1, Expr::Reference(Reference::Past));
        assert_eq!(first("in the future.").1, Expr::Reference(Reference::Future));
        assert_eq!(first("Britain at one point offered").1, Expr::Reference(Reference::Past));
        let toks = tokenize("the future of future plans");
        assert!(Grammar::new(&toks, Language::English.lexicon()).find_all().is_empty());
    }
}
