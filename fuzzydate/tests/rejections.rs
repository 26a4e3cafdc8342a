//! Texts that are not fuzzy dates, and the messages that explain why.

use fuzzydate::{FuzzyDate, ParseError};

fn reject(text: &str) -> ParseError {
    match text.parse::<FuzzyDate>() {
        Ok(date) => panic!("{text:?} was accepted as {date:?}"),
        Err(error) => error,
    }
}

fn check(text: &str, message: &str, offset: usize) {
    let error = reject(text);
    assert_eq!(error.message(), message, "{text:?}");
    assert_eq!(error.to_string(), message, "{text:?}");
    assert_eq!(error.offset(), offset, "{text:?}: {message}");
}

const EXPECTED: &str = "expected a date like 2024, 2024-02, 2024-02-19 or 2024-03-01T22:00+01:00";

#[test]
fn out_of_range_components() {
    check("2024-13", "month must be 01–12, found 13", 5);
    check("2024-00", "month must be 01–12, found 00", 5);
    check("2023-02-29", "day must be 01–28 in February 2023, found 29", 8);
    check("2024-04-31", "day must be 01–30 in April 2024, found 31", 8);
    check("2024-W54", "week must be 01–52 in 2024, found 54", 6);
    check("2021-W53", "week must be 01–52 in 2021, found 53", 6);
    check("2024-W00", "week must be 01–52 in 2024, found 00", 6);
    check("2024-02-19T25:00", "hour must be 00–23, found 25", 11);
    check("2024-02-19T24", "hour must be 00–23, found 24", 11);
    check("2024-02-19T10:60", "minute must be 00–59, found 60", 14);
    check("2024-02-19T10:00:60", "second must be 00–59, found 60", 17);
}

#[test]
fn malformed_years() {
    check("24-02", "the year must have four digits, e.g. 2024, found 24", 0);
    check("20245", "the year must have four digits, e.g. 2024, found 20245", 0);
    check("202x", "write unknown digits of the year as a capital X, e.g. 202X", 3);
    // EDTF's own mistakes get EDTF's messages, with the character they were found at.
    check("-0000", "-0000 is not a valid year at character 1 (not a date Chronik can read)", 0);
    check("202X-W05", "a year with unknown digits (202X) cannot have a month, week or day", 4);
    // A year EDTF allows but chrono cannot place on the time line.
    check("Y-300000", "the date is outside the supported range (years −262143 to 262142)", 0);
}

#[test]
fn wrong_separators_and_shapes() {
    // An interval from 2024 to a year "02".
    check("2024/02", "year must have exactly four digits (or X) at character 7 (not a date Chronik can read)", 6);
    check("2019-06/2019-05", "interval end precedes interval start at character 9 (not a date Chronik can read)", 8);
    check("2024-2", "month must have two digits (01–12), found 2", 5);
    check("2024-02-1", "day must have two digits (01–31), found 1", 8);
    check("2024-13-XX", "month must be 01-12 or a sub-year code 21-41 at character 6 (not a date Chronik can read)", 5);
    check("2024-w08", "write the week with a capital W, e.g. 2024-W08", 5);
    check(
        "2024-W08-1",
        "week dates with a weekday (2024-W08-1) are not supported; \
         write the calendar date, e.g. 2024-02-19",
        8,
    );
    check("2024-02-19 10:00", "use a capital T between the date and the time, e.g. 2024-02-19T10:00", 10);
    check("2024-02-19T", "hour must have two digits (00–23), found nothing", 11);
    check("2024-02-19T10:", "minute must have two digits (00–59), found nothing", 14);
    check("20240219", "the year must have four digits, e.g. 2024, found 20240219", 0);
    check("2024-02-19x", &format!("unexpected \"x\" after \"2024-02-19\"; {EXPECTED}"), 10);
}

#[test]
fn empty_and_whitespace() {
    check("", &format!("the date is empty; {EXPECTED}"), 0);
    check(" 2024", "remove the space before the date", 0);
    check("2024 ", "remove the space after the date", 4);
    check("2024\n", "remove the space after the date", 4);
    check("\t2024", "remove the space before the date", 0);
}

#[test]
fn fractions() {
    check("2024-02-19T10:00:00.5", "fractional seconds are not supported; give whole seconds, e.g. 10:00:00", 19);
    check("2024-02-19T10:00:00,5", "fractional seconds are not supported; give whole seconds, e.g. 10:00:00", 19);
    check("2024-02-19T10.5", "decimal fractions of a time are not supported; write e.g. 10:30 or 10:30:15", 13);
}

#[test]
fn designators() {
    let needs_time = "a time zone such as Z or +01:00 needs a time, e.g. 2024-03-01T22:00Z";
    check("2024Z", needs_time, 4);
    check("2024-02-19+01:00", needs_time, 10);
    check("2024-02-19-05:00", needs_time, 10);
    check("2024-02Z", needs_time, 7);
    let malformed = "a UTC offset must look like +01:00, +0100 or +01 (or Z for UTC)";
    check("2024-02-19T10:00+1", malformed, 16);
    check("2024-02-19T10:00+01:0", malformed, 16);
    check("2024-02-19T10:00+010", malformed, 16);
    check("2024-02-19T10:00+", malformed, 16);
    check("2024-02-19T10:00+24:00", "UTC offset hours must be 00–23, found 24", 17);
    check("2024-02-19T10:00+01:60", "UTC offset minutes must be 00–59, found 60", 16);
    check("2024-02-19T10:00z", "write the UTC designator as a capital Z", 16);
    check("2024-02-19T10:00ZZ", &format!("unexpected \"Z\" after \"2024-02-19T10:00Z\"; {EXPECTED}"), 17);
}

#[test]
fn qualifiers() {
    check("2024~~", "only one qualifier (~, ? or %) may end the date, found a second ~", 5);
    check("2024?~", "only one qualifier (~, ? or %) may end the date, found a second ~", 5);
    check("2024-02-19T10:00~Z", "the qualifier ~ must come at the very end, but \"Z\" follows it", 17);
    check("2024-02-19T10:00~~", "only one qualifier (~, ? or %) may end the date, found a second ~", 17);
}

#[test]
fn words_are_not_dates() {
    check("last month", &format!("could not read \"last month\" as a date; {EXPECTED}"), 0);
    check("Friday", &format!("could not read \"Friday\" as a date; {EXPECTED}"), 0);
    check("2024-02-19T10:00 Europe/Berlin", &format!("unexpected \" \" after \"2024-02-19T10:00\"; {EXPECTED}"), 16);
    check("2024-02é", &format!("unexpected \"é\" after \"2024-02\"; {EXPECTED}"), 7);
}

#[test]
fn long_or_odd_input_is_quoted_briefly() {
    let long = "a".repeat(100);
    let error = reject(&long);
    assert_eq!(error.message(), format!("could not read \"{}…\" as a date; {EXPECTED}", "a".repeat(40)));
    check("2024\u{0}", &format!("unexpected \"\\0\" after \"2024\"; {EXPECTED}"), 4);
}
