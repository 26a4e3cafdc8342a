//! TimelineJS3's JSON, the shapes both ways, and its dates: a date object with `year`, `month`,
//! `day`, `hour`, `minute`, `second` is as precise as the fields it fills, which is what a fuzzy
//! date's precision says (`{year: 2024, month: 2}` ↔ `2024-02`).

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use fuzzydate::{FuzzyDate, Precision};
use serde::{Deserialize, Deserializer, Serialize};

/// A TimelineJS3 file.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Timeline {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Slide>,
    #[serde(default)]
    pub events: Vec<Slide>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eras: Vec<Slide>,
}

/// A slide (an event), the title slide or an era.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Slide {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
    #[serde(default, deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_date: Option<String>,
    #[serde(default, deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub unique_id: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Text {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct Media {
    #[serde(default)]
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

/// A TimelineJS date; its numbers may be written as JSON numbers or strings.
#[derive(Debug, Default, Clone, PartialEq, Deserialize, Serialize)]
pub struct Date {
    #[serde(default, deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub year: Option<String>,
    #[serde(default, deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    #[serde(default, deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub day: Option<String>,
    #[serde(default, deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub hour: Option<String>,
    #[serde(default, deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub minute: Option<String>,
    #[serde(default, deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub second: Option<String>,
    #[serde(default, deserialize_with = "text_or_number", skip_serializing_if = "Option::is_none")]
    pub millisecond: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_date: Option<String>,
}

fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        Text(String),
        Integer(i64),
        Number(f64),
    }
    Ok(match Option::<Value>::deserialize(deserializer)? {
        None => None,
        Some(Value::Text(text)) => Some(text.trim().to_owned()).filter(|text| !text.is_empty()),
        Some(Value::Integer(number)) => Some(number.to_string()),
        Some(Value::Number(number)) => Some(number.to_string()),
    })
}

/// The fields of a date, coarsest first, with their range.
const FIELDS: [(&str, i64, i64); 6] =
    [("year", 0, 9999), ("month", 1, 12), ("day", 1, 31), ("hour", 0, 23), ("minute", 0, 59), ("second", 0, 59)];

impl Date {
    fn parts(&self) -> [Option<&str>; 6] {
        [
            self.year.as_deref(),
            self.month.as_deref(),
            self.day.as_deref(),
            self.hour.as_deref(),
            self.minute.as_deref(),
            self.second.as_deref(),
        ]
    }

    /// The fuzzy date this date is: as precise as the fields it fills (`2024`, `2024-02`, …,
    /// `2024-02-19T10:15:30`). Errors name the field (`month`) and say what is wrong.
    pub fn to_fuzzy(&self) -> Result<String, (&'static str, String)> {
        let mut text = String::new();
        let mut missing: Option<&str> = None;
        for ((name, low, high), part) in FIELDS.into_iter().zip(self.parts()) {
            let Some(part) = part else {
                missing.get_or_insert(name);
                continue;
            };
            if let Some(gap) = missing {
                return Err((name, format!("is given without a {gap}")));
            }
            let number: i64 = part
                .parse::<f64>()
                .ok()
                .filter(|n| n.fract() == 0.0)
                .map(|n| n as i64)
                .ok_or_else(|| (name, format!("{part:?} is not a whole number")))?;
            if !(low..=high).contains(&number) {
                return Err((name, format!("{number} is not between {low} and {high}")));
            }
            match name {
                "year" => text.push_str(&format!("{number:04}")),
                "month" | "day" => text.push_str(&format!("-{number:02}")),
                "hour" => text.push_str(&format!("T{number:02}")),
                _ => text.push_str(&format!(":{number:02}")),
            }
        }
        if text.is_empty() {
            return Err(("year", "is missing".to_owned()));
        }
        Ok(text)
    }
}

/// A stored fuzzy date as TimelineJS dates: the start, the end its span implies when its
/// precision has no TimelineJS form (a week, a decade, a quarter, an interval, a set), and words
/// for `display_date` when the fields alone would say more than the source does (a week, a
/// decade, `~`, `?`, unspecified digits) or less (an open end: TimelineJS needs a start, so
/// `../2019-05` is exported at its known side with `display_date` "until May 2019 (…)").
pub struct Converted {
    pub start: Date,
    pub end: Option<Date>,
    pub display: Option<String>,
}

/// Whether the fields of a TimelineJS date can say exactly what `value` says: a year, month or
/// day of years 0–9999 with at most one final qualifier, or one of Chronik's times.
fn fields_say_it(date: &FuzzyDate, value: &str) -> bool {
    let plain = value.trim_end_matches(['~', '?', '%']);
    let digits_and_dashes = plain.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    let shaped = matches!(plain.len(), 4 | 7 | 10) && !plain.starts_with('-');
    let precise = matches!(date.precision(), Precision::Year | Precision::Month | Precision::Day);
    (!date.is_edtf() && date.precision() >= Precision::Hour) || (digits_and_dashes && shaped && precise)
}

pub fn from_fuzzy(value: &str, zone: Option<Tz>) -> Option<Converted> {
    let date = FuzzyDate::parse(value, zone).ok()?;
    let plain = value.trim_end_matches(['~', '?', '%']);
    let display = (date.approximate() || date.uncertain()).then(|| date.describe());
    let digits = |from: usize| plain.get(from..from + 2).map(|s| s.trim_start_matches('0').to_owned());
    let number = |text: Option<String>| text.map(|t| if t.is_empty() { "0".to_owned() } else { t });
    let converted = match date.precision() {
        _ if !fields_say_it(&date, value) => {
            let local = |instant: DateTime<Utc>| -> Date {
                let day = match zone {
                    Some(tz) => instant.with_timezone(&tz).date_naive(),
                    None => instant.date_naive(),
                };
                Date {
                    year: Some(day.year().to_string()),
                    month: Some(day.month().to_string()),
                    day: Some(day.day().to_string()),
                    ..Date::default()
                }
            };
            let precision = date.precision();
            let trim = |mut d: Date| {
                if precision <= Precision::Year {
                    d.month = None;
                }
                if precision <= Precision::Month {
                    d.day = None;
                }
                d
            };
            let (start, end) = match (date.earliest(), date.latest()) {
                (Some(earliest), Some(latest)) => (local(earliest), Some(trim(local(latest)))),
                // One side open or unknown: the known side alone, and the words say which it is.
                (Some(known), None) | (None, Some(known)) => (local(known), None),
                (None, None) => return None,
            };
            Converted { start: trim(start), end, display: Some(date.describe()) }
        }
        precision => {
            let mut start = Date { year: plain.get(0..4).map(|y| y.to_owned()), ..Date::default() };
            if precision >= Precision::Month {
                start.month = number(digits(5));
            }
            if precision >= Precision::Day {
                start.day = number(digits(8));
            }
            if precision >= Precision::Hour {
                start.hour = number(digits(11));
            }
            if precision >= Precision::Minute {
                start.minute = number(digits(14));
            }
            if precision >= Precision::Second {
                start.second = number(digits(17));
            }
            Converted { start, end: None, display }
        }
    };
    Some(converted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: &str, month: Option<&str>, day: Option<&str>) -> Date {
        Date { year: Some(year.into()), month: month.map(Into::into), day: day.map(Into::into), ..Date::default() }
    }

    #[test]
    fn precision_follows_the_fields() {
        assert_eq!(date("2024", None, None).to_fuzzy(), Ok("2024".to_owned()));
        assert_eq!(date("2024", Some("2"), None).to_fuzzy(), Ok("2024-02".to_owned()));
        assert_eq!(date("2024", Some("02"), Some("9")).to_fuzzy(), Ok("2024-02-09".to_owned()));
        let timed = Date { hour: Some("22".into()), minute: Some("5".into()), ..date("2024", Some("3"), Some("1")) };
        assert_eq!(timed.to_fuzzy(), Ok("2024-03-01T22:05".to_owned()));
        assert_eq!(date("2024", None, Some("3")).to_fuzzy().map_err(|e| e.0), Err("day"));
        assert_eq!(date("2024", Some("13"), None).to_fuzzy().map_err(|e| e.0), Err("month"));
        assert_eq!(Date::default().to_fuzzy().map_err(|e| e.0), Err("year"));
    }

    #[test]
    fn fuzzy_dates_map_back() {
        let month = from_fuzzy("2024-02", None).map(|c| c.start);
        assert_eq!(month, Some(date("2024", Some("2"), None)));
        let minute = from_fuzzy("2024-03-01T22:00+01:00", None).map(|c| c.start);
        assert_eq!(minute.and_then(|d| d.minute), Some("0".to_owned()));
        let week = from_fuzzy("2024-W08", None).expect("a week");
        assert_eq!(week.start, date("2024", Some("2"), Some("19")));
        assert_eq!(week.end, Some(date("2024", Some("2"), Some("25"))));
        assert!(week.display.is_some());
        let decade = from_fuzzy("202X", None).expect("a decade");
        assert_eq!(
            (decade.start.year.as_deref(), decade.end.and_then(|e| e.year)),
            (Some("2020"), Some("2029".into()))
        );
        assert!(from_fuzzy("2024-02~", None).and_then(|c| c.display).is_some());
    }

    #[test]
    fn edtf_beyond_the_fields_is_exported_at_its_nearest_and_said_in_words() {
        let ides = from_fuzzy("-0044-03-15", None).expect("a day before year 1");
        assert_eq!(ides.start, date("-44", Some("3"), Some("15")));
        assert!(ides.display.is_some_and(|d| d.contains("45 BC")));
        let quarter = from_fuzzy("2023-35", None).expect("a quarter");
        assert_eq!((quarter.start, quarter.end), (date("2023", Some("7"), None), Some(date("2023", Some("9"), None))));
        assert!(quarter.display.is_some_and(|d| d.starts_with("the third quarter of 2023")));
        let before = from_fuzzy("../2019-05", None).expect("open start");
        assert_eq!((before.start, before.end), (date("2019", Some("5"), None), None));
        assert!(before.display.is_some_and(|d| d.starts_with("until May 2019")));
        let after = from_fuzzy("2024-03/..", None).expect("open end");
        assert_eq!((after.start, after.end), (date("2024", Some("3"), None), None));
        assert!(after.display.is_some_and(|d| d.starts_with("from March 2024 on")));
        let unspecified = from_fuzzy("1985-XX-12", None).expect("unspecified month");
        assert_eq!(unspecified.start, date("1985", Some("1"), Some("12")));
        assert_eq!(unspecified.end, Some(date("1985", Some("12"), Some("12"))));
        assert!(unspecified.display.is_some_and(|d| d.starts_with("day 12 of an unspecified month")));
    }
}
