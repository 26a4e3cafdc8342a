//! The examples of the EDTF specification (Library of Congress, "Extended Date/Time Format
//! (EDTF) Specification", 2019; ISO 8601-2:2019 Annex A), levels 0, 1 and the level 2 forms a
//! timeline needs, each with its precision and the earliest and latest second it spans, read
//! in UTC and written out by hand. `-` stands for an open or unknown side.

use fuzzydate::{FuzzyDate, Precision};

/// Text, precision, earliest, latest (`-` for none).
type Example = (&'static str, Precision, &'static str, &'static str);

fn instant(value: Option<chrono::DateTime<chrono::Utc>>) -> String {
    value.map_or_else(|| "-".to_owned(), |instant| instant.format("%Y-%m-%dT%H:%M:%S").to_string())
}

fn check(examples: &[Example]) {
    for &(text, precision, earliest, latest) in examples {
        let date = match FuzzyDate::parse(text, None) {
            Ok(date) => date,
            Err(error) => panic!("{text}: {error}"),
        };
        assert_eq!(date.text(), text);
        assert_eq!(date.precision(), precision, "{text}");
        assert_eq!(instant(date.earliest()), earliest, "{text} earliest");
        assert_eq!(instant(date.latest()), latest, "{text} latest");
        assert!(!date.describe().is_empty());
    }
}

use Precision::{Century, Day, Decade, Millennium, Month, Season, Second, Year};

#[test]
fn level_0() {
    check(&[
        ("1985-04-12", Day, "1985-04-12T00:00:00", "1985-04-12T23:59:59"),
        ("1985-04", Month, "1985-04-01T00:00:00", "1985-04-30T23:59:59"),
        ("1985", Year, "1985-01-01T00:00:00", "1985-12-31T23:59:59"),
        // Date and time, read by Chronik's parser (which also reads hours and minutes).
        ("1985-04-12T23:20:30", Second, "1985-04-12T23:20:30", "1985-04-12T23:20:30"),
        ("1985-04-12T23:20:30Z", Second, "1985-04-12T23:20:30", "1985-04-12T23:20:30"),
        ("1985-04-12T23:20:30-04", Second, "1985-04-13T03:20:30", "1985-04-13T03:20:30"),
        ("1985-04-12T23:20:30+04:30", Second, "1985-04-12T18:50:30", "1985-04-12T18:50:30"),
        // Intervals.
        ("1964/2008", Year, "1964-01-01T00:00:00", "2008-12-31T23:59:59"),
        ("2004-06/2006-08", Month, "2004-06-01T00:00:00", "2006-08-31T23:59:59"),
        ("2004-02-01/2005-02-08", Day, "2004-02-01T00:00:00", "2005-02-08T23:59:59"),
        ("2004-02-01/2005-02", Month, "2004-02-01T00:00:00", "2005-02-28T23:59:59"),
        ("2004-02-01/2005", Year, "2004-02-01T00:00:00", "2005-12-31T23:59:59"),
        ("2005/2006-02", Year, "2005-01-01T00:00:00", "2006-02-28T23:59:59"),
    ]);
}

#[test]
fn level_1() {
    check(&[
        // Letter-prefixed calendar year (Y170000002 is beyond chrono; see below).
        ("Y-200000", Year, "-200000-01-01T00:00:00", "-200000-12-31T23:59:59"),
        ("Y20000", Year, "+20000-01-01T00:00:00", "+20000-12-31T23:59:59"),
        // Seasons (no hemisphere: counted as the northern one).
        ("2001-21", Season, "2001-03-01T00:00:00", "2001-05-31T23:59:59"),
        ("2001-24", Season, "2001-12-01T00:00:00", "2002-02-28T23:59:59"),
        // Qualification of a date (complete).
        ("1984?", Year, "1984-01-01T00:00:00", "1984-12-31T23:59:59"),
        ("2004-06~", Month, "2004-06-01T00:00:00", "2004-06-30T23:59:59"),
        ("2004-06-11%", Day, "2004-06-11T00:00:00", "2004-06-11T23:59:59"),
        // Unspecified digits from the right.
        ("201X", Decade, "2010-01-01T00:00:00", "2019-12-31T23:59:59"),
        ("20XX", Century, "2000-01-01T00:00:00", "2099-12-31T23:59:59"),
        ("2004-XX", Month, "2004-01-01T00:00:00", "2004-12-31T23:59:59"),
        ("1985-04-XX", Day, "1985-04-01T00:00:00", "1985-04-30T23:59:59"),
        ("1985-XX-XX", Day, "1985-01-01T00:00:00", "1985-12-31T23:59:59"),
        // Extended interval: open and unknown ends.
        ("1985-04-12/..", Day, "1985-04-12T00:00:00", "-"),
        ("1985-04/..", Month, "1985-04-01T00:00:00", "-"),
        ("1985/..", Year, "1985-01-01T00:00:00", "-"),
        ("../1985-04-12", Day, "-", "1985-04-12T23:59:59"),
        ("../1985-04", Month, "-", "1985-04-30T23:59:59"),
        ("../1985", Year, "-", "1985-12-31T23:59:59"),
        ("1985-04-12/", Day, "1985-04-12T00:00:00", "-"),
        ("1985-04/", Month, "1985-04-01T00:00:00", "-"),
        ("1985/", Year, "1985-01-01T00:00:00", "-"),
        ("/1985-04-12", Day, "-", "1985-04-12T23:59:59"),
        ("/1985-04", Month, "-", "1985-04-30T23:59:59"),
        ("/1985", Year, "-", "1985-12-31T23:59:59"),
        // Negative calendar year: ISO 8601 counts a year 0, so -1985 is 1986 BC.
        ("-1985", Year, "-1985-01-01T00:00:00", "-1985-12-31T23:59:59"),
        ("-0044-03-15", Day, "-0044-03-15T00:00:00", "-0044-03-15T23:59:59"),
    ]);
}

#[test]
fn level_2() {
    check(&[
        // Significant digits: the year is known to two of its four digits.
        ("1950S2", Year, "1900-01-01T00:00:00", "1999-12-31T23:59:59"),
        // Sub-year groupings: quarters 33–36, four months 37–39, halves 40–41, seasons by
        // hemisphere 25–32.
        ("2001-33", Season, "2001-01-01T00:00:00", "2001-03-31T23:59:59"),
        ("2001-34", Season, "2001-04-01T00:00:00", "2001-06-30T23:59:59"),
        ("2023-35", Season, "2023-07-01T00:00:00", "2023-09-30T23:59:59"),
        ("2001-36", Season, "2001-10-01T00:00:00", "2001-12-31T23:59:59"),
        ("2001-37", Season, "2001-01-01T00:00:00", "2001-04-30T23:59:59"),
        ("2001-39", Season, "2001-09-01T00:00:00", "2001-12-31T23:59:59"),
        ("2001-40", Season, "2001-01-01T00:00:00", "2001-06-30T23:59:59"),
        ("2001-41", Season, "2001-07-01T00:00:00", "2001-12-31T23:59:59"),
        ("2001-25", Season, "2001-03-01T00:00:00", "2001-05-31T23:59:59"),
        ("2019-28", Season, "2019-12-01T00:00:00", "2020-02-29T23:59:59"),
        ("2001-29", Season, "2001-09-01T00:00:00", "2001-11-30T23:59:59"),
        ("2001-32", Season, "2001-06-01T00:00:00", "2001-08-31T23:59:59"),
        // Sets: one of `[..]`, all of `{..}`; each spans its first to its last member.
        ("[1667,1668,1670..1672]", Year, "1667-01-01T00:00:00", "1672-12-31T23:59:59"),
        ("[..1760-12-03]", Day, "-", "1760-12-03T23:59:59"),
        ("[1760-12..]", Month, "1760-12-01T00:00:00", "-"),
        ("[1760-01,1760-02,1760-12..]", Month, "1760-01-01T00:00:00", "-"),
        ("[1667,1760-12]", Year, "1667-01-01T00:00:00", "1760-12-31T23:59:59"),
        ("[..1984]", Year, "-", "1984-12-31T23:59:59"),
        ("{1667,1668,1670..1672}", Year, "1667-01-01T00:00:00", "1672-12-31T23:59:59"),
        ("{1960,1961-12}", Year, "1960-01-01T00:00:00", "1961-12-31T23:59:59"),
        ("{..1984}", Year, "-", "1984-12-31T23:59:59"),
        // Qualification of components.
        ("2004-06-~11", Day, "2004-06-11T00:00:00", "2004-06-11T23:59:59"),
        ("2004-06?-11", Day, "2004-06-11T00:00:00", "2004-06-11T23:59:59"),
        ("?2004-06-~11", Day, "2004-06-11T00:00:00", "2004-06-11T23:59:59"),
        ("2004-?06-?11", Day, "2004-06-11T00:00:00", "2004-06-11T23:59:59"),
        // Unspecified digits anywhere.
        ("156X-12-25", Day, "1560-12-25T00:00:00", "1569-12-25T23:59:59"),
        ("15XX-12-25", Day, "1500-12-25T00:00:00", "1599-12-25T23:59:59"),
        ("XXXX-12-XX", Day, "0000-12-01T00:00:00", "9999-12-31T23:59:59"),
        ("1XXX-XX", Month, "1000-01-01T00:00:00", "1999-12-31T23:59:59"),
        ("1XXX-12", Month, "1000-12-01T00:00:00", "1999-12-31T23:59:59"),
        ("1984-1X", Month, "1984-10-01T00:00:00", "1984-12-31T23:59:59"),
        ("1985-XX-12", Day, "1985-01-12T00:00:00", "1985-12-12T23:59:59"),
        ("1XXX", Millennium, "1000-01-01T00:00:00", "1999-12-31T23:59:59"),
        // Intervals with qualified or unspecified ends.
        ("2004-06-~01/2004-06-~20", Day, "2004-06-01T00:00:00", "2004-06-20T23:59:59"),
        ("2004-06-XX/2004-07-03", Day, "2004-06-01T00:00:00", "2004-07-03T23:59:59"),
    ]);
}

#[test]
fn leap_years_also_before_year_0() {
    check(&[
        ("2000-02-29", Day, "2000-02-29T00:00:00", "2000-02-29T23:59:59"),
        ("0000-02-29", Day, "0000-02-29T00:00:00", "0000-02-29T23:59:59"),
        ("-0004-02-29", Day, "-0004-02-29T00:00:00", "-0004-02-29T23:59:59"),
        ("-0004-02", Month, "-0004-02-01T00:00:00", "-0004-02-29T23:59:59"),
        ("-0001-02", Month, "-0001-02-01T00:00:00", "-0001-02-28T23:59:59"),
        ("1900-02", Month, "1900-02-01T00:00:00", "1900-02-28T23:59:59"),
    ]);
    for text in ["1900-02-29", "-0001-02-29", "2023-02-29"] {
        assert!(FuzzyDate::parse(text, None).is_err(), "{text} has no 29 February");
    }
}

#[test]
fn beyond_what_chrono_can_place_is_refused() {
    for text in ["Y170000002", "Y-17E7", "Y-300000"] {
        let error = FuzzyDate::parse(text, None).err().map(|error| error.to_string());
        assert_eq!(error.as_deref(), Some("the date is outside the supported range (years −262143 to 262142)"));
    }
}

#[test]
fn qualifiers_anywhere_count_for_the_whole() {
    let date = FuzzyDate::parse("2004-06-~11", None).expect("valid");
    assert!(date.approximate() && !date.uncertain());
    let date = FuzzyDate::parse("?2004-06-~11", None).expect("valid");
    assert!(date.approximate() && date.uncertain());
    let date = FuzzyDate::parse("../2019-05?", None).expect("valid");
    assert!(!date.approximate() && date.uncertain());
}
