//! The precision of a fuzzy date: how coarse the unit is that the text names.

use std::fmt;

/// How precisely a fuzzy date was given.
///
/// Ordered from coarsest to finest; `Ord` follows that order
/// (`Millennium < Century < Decade < Year < Season < Month < Week < Day < Hour < Minute < Second`).
///
/// Note that a week is finer than a month but is not contained in one: an ISO week
/// can straddle two months or two calendar years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// A thousand years written with three unspecified digits, e.g. `1XXX` (1000–1999).
    Millennium,
    /// A hundred years written with two unspecified digits, e.g. `20XX` (2000–2099).
    Century,
    /// Ten years written with one unspecified digit, e.g. `202X` (2020–2029).
    Decade,
    /// A calendar year, e.g. `2024`.
    Year,
    /// A part of a year (EDTF sub-year groupings 21–41): a season, a quarter (`2023-35`),
    /// four months or a half.
    Season,
    /// A calendar month, e.g. `2024-02`.
    Month,
    /// An ISO 8601 week, Monday to Sunday, e.g. `2024-W08`.
    Week,
    /// A calendar day, e.g. `2024-02-19`.
    Day,
    /// An hour, e.g. `2024-02-19T10`.
    Hour,
    /// A minute, e.g. `2024-02-19T10:15`.
    Minute,
    /// A second, e.g. `2024-02-19T10:15:30`.
    Second,
}

impl Precision {
    /// Every precision, coarsest first.
    pub const ALL: [Precision; 11] = [
        Precision::Millennium,
        Precision::Century,
        Precision::Decade,
        Precision::Year,
        Precision::Season,
        Precision::Month,
        Precision::Week,
        Precision::Day,
        Precision::Hour,
        Precision::Minute,
        Precision::Second,
    ];

    /// The rank stored in the database: 0 for `Century` up to 8 for `Second`, as before EDTF
    /// level 2 came; then 9 for `Millennium` and 10 for `Season`. Stored ranks never change, so
    /// the ranks of these two do not follow the order.
    pub fn rank(self) -> i16 {
        match self {
            Precision::Millennium => 9,
            Precision::Season => 10,
            Precision::Century => 0,
            Precision::Decade => 1,
            Precision::Year => 2,
            Precision::Month => 3,
            Precision::Week => 4,
            Precision::Day => 5,
            Precision::Hour => 6,
            Precision::Minute => 7,
            Precision::Second => 8,
        }
    }

    /// The precision with the given [`rank`](Precision::rank), or `None` outside 0–10.
    pub fn from_rank(rank: i16) -> Option<Precision> {
        Precision::ALL.into_iter().find(|p| p.rank() == rank)
    }

    /// The upper-case name: `"MILLENNIUM"`, `"CENTURY"`, `"DECADE"`, `"YEAR"`, `"SEASON"`, `"MONTH"`, `"WEEK"`,
    /// `"DAY"`, `"HOUR"`, `"MINUTE"` or `"SECOND"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Millennium => "MILLENNIUM",
            Precision::Season => "SEASON",
            Precision::Century => "CENTURY",
            Precision::Decade => "DECADE",
            Precision::Year => "YEAR",
            Precision::Month => "MONTH",
            Precision::Week => "WEEK",
            Precision::Day => "DAY",
            Precision::Hour => "HOUR",
            Precision::Minute => "MINUTE",
            Precision::Second => "SECOND",
        }
    }

    /// The lower-case English word used in descriptions, e.g. `"month"`.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Precision::Millennium => "millennium",
            Precision::Season => "season",
            Precision::Century => "century",
            Precision::Decade => "decade",
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Week => "week",
            Precision::Day => "day",
            Precision::Hour => "hour",
            Precision::Minute => "minute",
            Precision::Second => "second",
        }
    }
}

impl fmt::Display for Precision {
    /// Writes [`as_str`](Precision::as_str).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Precision;

    #[test]
    fn ranks_round_trip_and_follow_the_order() {
        for p in Precision::ALL {
            assert_eq!(Precision::from_rank(p.rank()), Some(p));
        }
        let mut ranks: Vec<i16> = Precision::ALL.iter().map(|p| p.rank()).collect();
        ranks.sort_unstable();
        assert_eq!(ranks, (0..=10).collect::<Vec<i16>>(), "every rank once");
        // The ranks stored before EDTF level 2 keep their meaning.
        assert_eq!(Precision::Century.rank(), 0);
        assert_eq!(Precision::Second.rank(), 8);
        assert_eq!(Precision::from_rank(-1), None);
        assert_eq!(Precision::from_rank(11), None);
        assert!(Precision::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(Precision::Century < Precision::Second);
    }

    #[test]
    fn names() {
        let names: Vec<&str> = Precision::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(
            names,
            ["MILLENNIUM", "CENTURY", "DECADE", "YEAR", "SEASON", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND"]
        );
        assert_eq!(Precision::Week.to_string(), "WEEK");
    }
}
