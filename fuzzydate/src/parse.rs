//! Reads the text of a fuzzy date (ISO 8601 extended format with EDTF level-1
//! qualifiers and unspecified year digits) into its validated components.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, Weekday};

use crate::describe::month_name;
use crate::error::ParseError;
use crate::precision::Precision;

/// What every "I could not read this" message ends with.
pub(crate) const EXPECTED: &str = "expected a date like 2024, 2024-02, 2024-02-19 or 2024-03-01T22:00+01:00";

/// The components of a date text, validated but not yet placed on the time line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) precision: Precision,
    /// The first local instant of the unit the text names (for a week, its Monday).
    pub(crate) start: NaiveDateTime,
    /// The UTC offset written after the time, if any (`Z` is `+00:00`).
    pub(crate) designator: Option<FixedOffset>,
    pub(crate) approximate: bool,
    pub(crate) uncertain: bool,
}

/// How the four year characters were written.
enum YearForm {
    Exact(i32),
    /// `YYYX`: the first year of the decade.
    Decade(i32),
    /// `YYXX`: the first year of the century.
    Century(i32),
}

/// Parses `text`; see the crate documentation for the grammar.
pub(crate) fn parse(text: &str) -> Result<Parsed, ParseError> {
    if text.is_empty() {
        return Err(ParseError::new(format!("the date is empty; {EXPECTED}"), 0));
    }
    if text.starts_with(char::is_whitespace) {
        return Err(ParseError::new("remove the space before the date", 0));
    }
    if text.ends_with(char::is_whitespace) {
        return Err(ParseError::new("remove the space after the date", text.trim_end().len()));
    }
    let mut cursor = Cursor { text, pos: 0 };
    let (precision, start) = cursor.date_and_time()?;
    let designator = if precision >= Precision::Hour { cursor.designator()? } else { None };
    let qualifier = cursor.qualifier();
    cursor.finish(precision, qualifier)?;
    let (approximate, uncertain) = match qualifier {
        Some('~') => (true, false),
        Some('?') => (false, true),
        Some(_) => (true, true),
        None => (false, false),
    };
    Ok(Parsed { precision, start, designator, approximate, uncertain })
}

/// Whether `year` has a 29 February.
pub(crate) fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` (1–12) of `year`.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The number of ISO 8601 weeks (52 or 53) in ISO week-numbering `year`.
pub(crate) fn weeks_in_year(year: i32) -> u32 {
    if NaiveDate::from_isoywd_opt(year, 53, Weekday::Mon).is_some() { 53 } else { 52 }
}

fn out_of_range() -> ParseError {
    ParseError::new("the date is outside the supported range", 0)
}

/// A position in the text being read. It only ever advances over ASCII, so `pos`
/// is always a character boundary.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn peek_char(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|rest| rest.chars().next())
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The text read so far.
    fn consumed(&self) -> &str {
        self.text.get(..self.pos).unwrap_or_default()
    }

    /// Consumes the longest run of bytes matching `keep` and returns it.
    fn run(&mut self, keep: impl Fn(u8) -> bool) -> &str {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.pos += 1;
        }
        self.text.get(start..self.pos).unwrap_or_default()
    }

    /// How to name what stands at the cursor in a "found …" message.
    fn found_here(&self) -> String {
        match self.peek_char() {
            Some(c) => format!("\"{}\"", c.escape_debug()),
            None => "nothing".to_owned(),
        }
    }

    /// Reads exactly two digits. `what` names the field ("month"); `range` is the
    /// allowed range as the user would write it ("01–12").
    fn two_digits(&mut self, what: &str, range: &str) -> Result<(u32, usize), ParseError> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'X' | b'x')) {
            return Err(ParseError::new(
                format!("only the year may contain unknown digits (X); give the {what} as {range}"),
                start,
            ));
        }
        let digits = self.run(|b| b.is_ascii_digit());
        if digits.len() != 2 {
            let found = if digits.is_empty() { self.found_here() } else { digits.to_owned() };
            return Err(ParseError::new(format!("{what} must have two digits ({range}), found {found}"), start));
        }
        let value = digits.parse::<u32>().map_err(|_| out_of_range())?;
        Ok((value, start))
    }

    /// Reads the whole date and time part, up to any designator or qualifier.
    fn date_and_time(&mut self) -> Result<(Precision, NaiveDateTime), ParseError> {
        let midnight = |date: NaiveDate| date.and_hms_opt(0, 0, 0).ok_or_else(out_of_range);
        let year = match self.year()? {
            YearForm::Century(first) => {
                self.no_month_after_x()?;
                let date = NaiveDate::from_ymd_opt(first, 1, 1).ok_or_else(out_of_range)?;
                return Ok((Precision::Century, midnight(date)?));
            }
            YearForm::Decade(first) => {
                self.no_month_after_x()?;
                let date = NaiveDate::from_ymd_opt(first, 1, 1).ok_or_else(out_of_range)?;
                return Ok((Precision::Decade, midnight(date)?));
            }
            YearForm::Exact(year) => year,
        };
        if !self.eat(b'-') {
            let date = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(out_of_range)?;
            return Ok((Precision::Year, midnight(date)?));
        }
        match self.peek() {
            Some(b'W') => {
                self.pos += 1;
                let week = self.week(year)?;
                return Ok((Precision::Week, midnight(week)?));
            }
            Some(b'w') => {
                return Err(ParseError::new("write the week with a capital W, e.g. 2024-W08", self.pos));
            }
            _ => {}
        }
        let (month, month_at) = self.two_digits("month", "01–12")?;
        if !(1..=12).contains(&month) {
            return Err(ParseError::new(format!("month must be 01–12, found {month:02}"), month_at));
        }
        if !self.eat(b'-') {
            let date = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(out_of_range)?;
            return Ok((Precision::Month, midnight(date)?));
        }
        let (day, day_at) = self.two_digits("day", "01–31")?;
        let last_day = days_in_month(year, month);
        if !(1..=last_day).contains(&day) {
            return Err(ParseError::new(
                format!("day must be 01–{last_day} in {} {year:04}, found {day:02}", month_name(month)),
                day_at,
            ));
        }
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(out_of_range)?;
        if !self.eat(b'T') {
            return Ok((Precision::Day, midnight(date)?));
        }
        let (precision, hour, minute, second) = self.time()?;
        let start = date.and_hms_opt(hour, minute, second).ok_or_else(out_of_range)?;
        Ok((precision, start))
    }

    /// Reads the four year characters.
    fn year(&mut self) -> Result<YearForm, ParseError> {
        let chars = self.run(|b| b.is_ascii_digit() || b == b'X' || b == b'x');
        if chars.is_empty() {
            let mut rest: String = self.text.chars().take(40).collect();
            if rest.len() < self.text.len() {
                rest.push('…');
            }
            let signed_year =
                matches!(self.peek(), Some(b'-' | b'+')) && self.text.as_bytes().get(1).is_some_and(u8::is_ascii_digit);
            let message = if signed_year {
                "years before 0000 or after 9999 are not supported".to_owned()
            } else {
                format!("could not read \"{rest}\" as a date; {EXPECTED}")
            };
            return Err(ParseError::new(message, 0));
        }
        if let Some(i) = chars.find('x') {
            return Err(ParseError::new("write unknown digits of the year as a capital X, e.g. 202X", i));
        }
        if chars.len() != 4 {
            return Err(ParseError::new(format!("the year must have four digits, e.g. 2024, found {chars}"), 0));
        }
        let known = chars.trim_end_matches('X');
        if known.contains('X') || known.len() < 2 {
            return Err(ParseError::new(
                format!(
                    "only the last one or two digits of the year may be X \
                     (202X is a decade, 20XX a century), found {chars}"
                ),
                0,
            ));
        }
        let value = known.parse::<i32>().map_err(|_| out_of_range())?;
        Ok(match known.len() {
            2 => YearForm::Century(value * 100),
            3 => YearForm::Decade(value * 10),
            _ => YearForm::Exact(value),
        })
    }

    /// After a decade or century nothing but a qualifier may follow.
    fn no_month_after_x(&self) -> Result<(), ParseError> {
        if self.peek() == Some(b'-') {
            return Err(ParseError::new(
                format!("a year with unknown digits ({}) cannot have a month, week or day", self.consumed()),
                self.pos,
            ));
        }
        Ok(())
    }

    /// Reads the two week digits after `W` and returns that week's Monday.
    fn week(&mut self, year: i32) -> Result<NaiveDate, ParseError> {
        let weeks = weeks_in_year(year);
        let (week, week_at) = self.two_digits("week", &format!("01–{weeks}"))?;
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
            .ok_or_else(|| ParseError::new(format!("week must be 01–{weeks} in {year:04}, found {week:02}"), week_at))
    }

    /// Reads `HH`, `HH:MM` or `HH:MM:SS` after the `T`.
    fn time(&mut self) -> Result<(Precision, u32, u32, u32), ParseError> {
        let (hour, hour_at) = self.two_digits("hour", "00–23")?;
        if hour > 23 {
            return Err(ParseError::new(format!("hour must be 00–23, found {hour:02}"), hour_at));
        }
        if !self.eat(b':') {
            return Ok((Precision::Hour, hour, 0, 0));
        }
        let (minute, minute_at) = self.two_digits("minute", "00–59")?;
        if minute > 59 {
            return Err(ParseError::new(format!("minute must be 00–59, found {minute:02}"), minute_at));
        }
        if !self.eat(b':') {
            return Ok((Precision::Minute, hour, minute, 0));
        }
        let (second, second_at) = self.two_digits("second", "00–59")?;
        if second > 59 {
            return Err(ParseError::new(format!("second must be 00–59, found {second:02}"), second_at));
        }
        Ok((Precision::Second, hour, minute, second))
    }

    /// Reads an optional `Z`, `±HH:MM`, `±HHMM` or `±HH`.
    fn designator(&mut self) -> Result<Option<FixedOffset>, ParseError> {
        let sign_at = self.pos;
        let sign = match self.peek() {
            Some(b'Z') => {
                self.pos += 1;
                return Ok(Some(FixedOffset::east_opt(0).ok_or_else(out_of_range)?));
            }
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Ok(None),
        };
        self.pos += 1;
        let digits = self.run(|b| b.is_ascii_digit()).to_owned();
        let malformed = || ParseError::new("a UTC offset must look like +01:00, +0100 or +01 (or Z for UTC)", sign_at);
        let (hours, minutes) = match digits.len() {
            2 if self.eat(b':') => {
                let minutes = self.run(|b| b.is_ascii_digit());
                if minutes.len() != 2 {
                    return Err(malformed());
                }
                (digits.as_str(), minutes.to_owned())
            }
            2 => (digits.as_str(), "00".to_owned()),
            4 => {
                let (h, m) = digits.split_at_checked(2).ok_or_else(malformed)?;
                (h, m.to_owned())
            }
            _ => return Err(malformed()),
        };
        let hours = hours.parse::<i32>().map_err(|_| malformed())?;
        let minutes = minutes.parse::<i32>().map_err(|_| malformed())?;
        if hours > 23 {
            return Err(ParseError::new(format!("UTC offset hours must be 00–23, found {hours:02}"), sign_at + 1));
        }
        if minutes > 59 {
            return Err(ParseError::new(format!("UTC offset minutes must be 00–59, found {minutes:02}"), sign_at));
        }
        let seconds = sign * (hours * 3600 + minutes * 60);
        FixedOffset::east_opt(seconds).map(Some).ok_or_else(malformed)
    }

    /// Reads an optional `~`, `?` or `%`.
    fn qualifier(&mut self) -> Option<char> {
        let qualifier = match self.peek() {
            Some(b'~') => '~',
            Some(b'?') => '?',
            Some(b'%') => '%',
            _ => return None,
        };
        self.pos += 1;
        Some(qualifier)
    }

    /// Checks that the whole text was read, explaining whatever is left over.
    fn finish(&self, precision: Precision, qualifier: Option<char>) -> Result<(), ParseError> {
        let Some(next) = self.peek_char() else {
            return Ok(());
        };
        let at = self.pos;
        let shown = next.escape_debug();
        let message = match (qualifier, next) {
            (Some(_), '~' | '?' | '%') => {
                format!("only one qualifier (~, ? or %) may end the date, found a second {next}")
            }
            (Some(q), _) => {
                format!("the qualifier {q} must come at the very end, but \"{shown}\" follows it")
            }
            (None, '/') => "use - to separate year, month and day, found \"/\" \
                            (date ranges are not supported)"
                .to_owned(),
            (None, '.' | ',') if precision == Precision::Second => {
                "fractional seconds are not supported; give whole seconds, e.g. 10:00:00".to_owned()
            }
            (None, '.' | ',') if precision >= Precision::Hour => {
                "decimal fractions of a time are not supported; write e.g. 10:30 or 10:30:15".to_owned()
            }
            (None, 'z') if precision >= Precision::Hour => "write the UTC designator as a capital Z".to_owned(),
            (None, ' ' | 't') if precision == Precision::Day => {
                "use a capital T between the date and the time, e.g. 2024-02-19T10:00".to_owned()
            }
            (None, '-') if precision == Precision::Week => "week dates with a weekday (2024-W08-1) are not supported; \
                 write the calendar date, e.g. 2024-02-19"
                .to_owned(),
            (None, 'Z' | 'z' | '+' | '-') if precision < Precision::Hour => {
                "a time zone such as Z or +01:00 needs a time, e.g. 2024-03-01T22:00Z".to_owned()
            }
            (None, _) => format!("unexpected \"{shown}\" after \"{}\"; {EXPECTED}", self.consumed()),
        };
        Err(ParseError::new(message, at))
    }
}
