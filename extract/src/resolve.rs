//! Resolution: what an [`Expr`] means on the calendar, given the publication date, the tense of
//! its sentence and the date the text spoke of last (the anchor of "two days later").

use chrono::{Datelike, NaiveDate, Weekday};

use crate::grammar::{Expr, Part, YearRef};
use crate::lang::Unit;
use crate::value::{Reference, Value, add_days, add_months, month_plus, quarter_of_month, quarter_plus, week_of};

/// The tense around an expression: a bare "Friday" is the one before, unless the future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    /// A past form next to the date ("said", "was").
    Past,
    /// Only a participle near it ("posted"): the past, less surely (it may be a passive).
    PastForm,
    /// The day closes a period that has ended ("the fiscal year ended Jan. 31"): it is not
    /// after the publication.
    Ended,
    Future,
    Unknown,
}

/// What an expression resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Value(Value),
    Reference(Reference),
}

/// Resolves expressions in text order, keeping the anchor.
pub struct Resolver {
    published: NaiveDate,
    anchor: Option<Value>,
    /// The quarter a financial report is about: the first quarter the text names that has
    /// ended by the publication ("third-quarter profit rose"). "The latest quarter", "the
    /// year-earlier period" speak of it even after a passing mention of another ("after a flat
    /// second quarter", "a fourth-quarter charge").
    reporting: Option<Value>,
    /// The anchor is the year so far ("the first nine months"): "the 1988 period" is then 1988.
    to_date: bool,
}

impl Resolver {
    pub fn new(published: NaiveDate) -> Self {
        Resolver { published, anchor: None, reporting: None, to_date: false }
    }

    /// Resolves `expr`; the result becomes the anchor for what follows, unless it is a
    /// comparison with the year before ("a year earlier"), which keeps the anchor it used.
    /// `anchor` false keeps the anchor as it is ("the quarter ended Sept. 30").
    pub fn resolve(&mut self, expr: &Expr, tense: Tense, anchor: bool) -> Option<Resolved> {
        let resolved = self.value(expr, tense)?;
        if let Resolved::Value(v) = resolved
            && anchor
            && !matches!(
                expr,
                Expr::YearBefore
                    | Expr::ReportingQuarterYearBefore
                    | Expr::PeriodYearBefore
                    | Expr::ReportingQuarterOfYear(_)
            )
        {
            self.anchor = Some(v);
            self.to_date = matches!(expr, Expr::YearToDate);
            // Ended, and within the year before the publication: the quarter just reported.
            if let Value::Quarter(y, q) = v
                && self.reporting.is_none()
                && quarter_plus(y, q, 1).first_day().is_some_and(|next| {
                    next <= self.published && add_months(next, 12).is_some_and(|d| d > self.published)
                })
            {
                self.reporting = Some(v);
            }
        }
        Some(resolved)
    }

    fn value(&self, expr: &Expr, tense: Tense) -> Option<Resolved> {
        let p = self.published;
        let y = p.year();
        let v = match *expr {
            Expr::Reference(r) => return Some(Resolved::Reference(r)),
            Expr::Abs { year, month, day } => {
                let year = match year {
                    Some(y) => y,
                    None => self.implicit_year(month, day, tense),
                };
                match day {
                    Some(d) => Value::Day(NaiveDate::from_ymd_opt(year, month, d)?),
                    None => Value::Month(year, month),
                }
            }
            Expr::Year(y) => Value::Year(y),
            Expr::Decade(d) => Value::Decade(d),
            Expr::Century(c) => Value::Century(c),
            Expr::Weekday(wd, dir) => Value::Day(self.weekday(wd, dir, tense)?),
            Expr::RelDay(n) => Value::Day(add_days(p, n)?),
            Expr::WeekdayDate(month, day, wd) => {
                // The year nearest the publication in which that date is that weekday.
                let fits = [y, y - 1, y + 1]
                    .into_iter()
                    .filter_map(|c| NaiveDate::from_ymd_opt(c, month, day))
                    .filter(|d| d.weekday() == wd)
                    .min_by_key(|d| (*d - p).num_days().abs());
                match fits {
                    Some(d) => Value::Day(d),
                    None => {
                        Value::Day(NaiveDate::from_ymd_opt(self.implicit_year(month, Some(day), tense), month, day)?)
                    }
                }
            }
            Expr::ContextWeekday(wd, d) => {
                let base = match self.anchor {
                    Some(Value::Day(b) | Value::Time(b, ..)) => b,
                    _ => p,
                };
                let today = base.weekday().num_days_from_monday() as i64;
                let target = wd.num_days_from_monday() as i64;
                let offset = if d < 0 {
                    -(today - target - 1).rem_euclid(7) - 1
                } else {
                    (target - today - 1).rem_euclid(7) + 1
                };
                Value::Day(add_days(base, offset)?)
            }
            Expr::Rel(unit, d) | Expr::Ago(unit, d) => self.units_from_published(unit, d)?,
            Expr::Context(unit, n) => self.units_from_anchor(unit, n)?,
            Expr::YearBefore => match self.anchor {
                Some(a) => a.shift_years(-1)?,
                None => Value::Year(y - 1),
            },
            Expr::MonthRel(m, d) => {
                let year = match d {
                    d if d < 0 => y - i32::from(m >= p.month()),
                    0 => y,
                    _ => y + i32::from(m <= p.month()),
                };
                Value::Month(year, m)
            }
            Expr::MonthOfYear(m, d) => Value::Month(y + d, m),
            Expr::Part(part, n, year) => self.part(part, n, year, tense),
            Expr::ReportingQuarterOfYear(year) if self.to_date => Value::Year(year),
            Expr::ReportingQuarterOfYear(year) => match self.reporting_quarter() {
                Value::Quarter(_, q) => Value::Quarter(year, q),
                other => other,
            },
            Expr::ReportingQuarter => self.reporting_quarter(),
            Expr::ReportingQuarterYearBefore => self.reporting_quarter().shift_years(-1)?,
            // "the year", "the full year": the publication's ("that year" is `Context`).
            Expr::ContextYear => Value::Year(y),
            Expr::PeriodYearBefore => match self.anchor {
                Some(q @ (Value::Quarter(..) | Value::Half(..))) => q.shift_years(-1)?,
                _ => Value::Year(y - 1),
            },
            Expr::YearToDate => match self.anchor {
                Some(q @ (Value::Quarter(..) | Value::Half(..) | Value::Month(..))) => Value::Year(q.year()),
                _ => Value::Year(y),
            },
            Expr::Time(h, m, s, ref day) => {
                let day = match day {
                    Some(x) => match self.value(x, tense)? {
                        Resolved::Value(v) => v.first_day()?,
                        Resolved::Reference(_) => return None,
                    },
                    None => match self.anchor {
                        Some(Value::Day(d) | Value::Time(d, ..)) => d,
                        _ => p,
                    },
                };
                Value::Time(day, h, m, s)
            }
        };
        Some(Resolved::Value(v))
    }

    /// The year of a month and day said without one: the one nearest the publication, unless
    /// the tense says otherwise and the nearest is months away on the wrong side ("in
    /// December" said in February is last year's; in the past tense so is "in June" said in
    /// February). A month alone in the past tense is never one still to begin ("KKR bought RJR
    /// in February", said in October, is this February, and "changed in December" last
    /// December).
    fn implicit_year(&self, month: u32, day: Option<u32>, tense: Tense) -> i32 {
        let p = self.published;
        let days = |y: i32| {
            NaiveDate::from_ymd_opt(y, month, day.unwrap_or(1).min(28)).map_or(i64::MAX, |d| (d - p).num_days())
        };
        let y = p.year();
        let mut best = y;
        for c in [y - 1, y + 1] {
            if days(c).abs() < days(best).abs() {
                best = c;
            }
        }
        let offset = days(best);
        if day.is_none() && tense == Tense::Past && (best, month) > (p.year(), p.month()) {
            return best - 1;
        }
        if tense == Tense::Ended && offset > 0 {
            return best - 1;
        }
        match tense {
            Tense::Past | Tense::PastForm | Tense::Unknown if offset >= 100 => best - 1,
            Tense::Future if offset <= -100 => best + 1,
            _ => best,
        }
    }

    /// A weekday: the nearest before the publication (or on it), the next one in the future
    /// tense or after "next"; "last Friday" is never the publication day itself.
    fn weekday(&self, wd: Weekday, dir: Option<i32>, tense: Tense) -> Option<NaiveDate> {
        let p = self.published;
        let today = p.weekday().num_days_from_monday() as i64;
        let target = wd.num_days_from_monday() as i64;
        let back = (today - target).rem_euclid(7);
        let fwd = (target - today).rem_euclid(7);
        let offset = match (dir, tense) {
            (Some(d), _) if d < 0 => -(if back == 0 { 7 } else { back }),
            (Some(d), _) if d > 0 => {
                if fwd == 0 {
                    7
                } else {
                    fwd
                }
            }
            (_, Tense::Future) => fwd,
            _ => -back,
        };
        add_days(p, offset)
    }

    /// `n` units from the publication date, at the unit's precision.
    fn units_from_published(&self, unit: Unit, n: i32) -> Option<Value> {
        at_unit(Value::Day(self.published), unit, n, self.published)
    }

    /// `n` units from the anchor, at the unit's precision (from the publication date when the
    /// text has said no date as precise as the unit).
    fn units_from_anchor(&self, unit: Unit, n: i32) -> Option<Value> {
        let base = match self.anchor {
            Some(a) if fine_enough(a, unit) => a,
            _ => Value::Day(self.published),
        };
        at_unit(base, unit, n, self.published)
    }

    fn part(&self, part: Part, n: u32, year: YearRef, tense: Tense) -> Value {
        let p = self.published;
        let y = p.year();
        let make = |year: i32| match part {
            Part::Quarter => Value::Quarter(year, n),
            Part::Half => Value::Half(year, n),
            Part::Season => Value::Season(year, n),
        };
        match year {
            YearRef::Explicit(year) => make(year),
            YearRef::Rel(d) if part != Part::Season => make(y + d),
            YearRef::Rel(d) => make(season_year(p, n, d)),
            YearRef::Implicit => match part {
                // A quarter two or more ahead of today's is last year's (reported late), unless
                // the future tense says it is to come.
                Part::Quarter => {
                    let current = quarter_of_month(p.month());
                    if n > current + 1 && tense != Tense::Future { make(y - 1) } else { make(y) }
                }
                Part::Half => {
                    let current = if p.month() <= 6 { 1 } else { 2 };
                    if n > current && matches!(tense, Tense::Past | Tense::PastForm | Tense::Ended) {
                        make(y - 1)
                    } else {
                        make(y)
                    }
                }
                Part::Season => match tense {
                    Tense::Past | Tense::PastForm | Tense::Ended => make(current_or_past(p, n)),
                    Tense::Future => make(current_or_future(p, n)),
                    Tense::Unknown => make(y),
                },
            },
        }
    }

    /// The quarter a financial report speaks of: the one it is about, the one in context, or
    /// the last one ended.
    fn reporting_quarter(&self) -> Value {
        match self.reporting.or(self.anchor) {
            Some(q @ Value::Quarter(..)) => q,
            _ => {
                let p = self.published;
                quarter_plus(p.year(), quarter_of_month(p.month()), -1)
            }
        }
    }
}

/// The anchor `a` is at least as precise as `unit`, so counting units from it makes sense.
fn fine_enough(a: Value, unit: Unit) -> bool {
    use crate::value::Precision as P;
    let need = match unit {
        Unit::Day => P::Day,
        Unit::Week | Unit::Weekend => P::Week,
        Unit::Month => P::Month,
        Unit::Quarter => P::Quarter,
        Unit::Half => P::Half,
        Unit::Year | Unit::Decade | Unit::Century => P::Year,
    };
    match a.precision() {
        P::Week => need <= P::Week && need != P::Month,
        P::Season => need <= P::Year,
        have => have >= need,
    }
}

/// `base` moved by `n` units, at the unit's precision.
fn at_unit(base: Value, unit: Unit, n: i32, published: NaiveDate) -> Option<Value> {
    let day = base.first_day().unwrap_or(published);
    Some(match unit {
        Unit::Day => Value::Day(add_days(day, i64::from(n))?),
        Unit::Week => week_of(add_days(day, 7 * i64::from(n))?),
        Unit::Weekend => return None,
        Unit::Month => match base {
            Value::Month(y, m) => month_plus(y, m, n),
            _ => {
                let d = add_months(day, n)?;
                Value::Month(d.year(), d.month())
            }
        },
        Unit::Quarter => match base {
            Value::Quarter(y, q) => quarter_plus(y, q, n),
            _ => quarter_plus(day.year(), quarter_of_month(day.month()), n),
        },
        Unit::Half => {
            let index = day.year() * 2 + i32::from(day.month() > 6) + n;
            Value::Half(index.div_euclid(2), index.rem_euclid(2) as u32 + 1)
        }
        Unit::Year => Value::Year(base.year() + n),
        Unit::Decade => Value::Decade((base.year() + 10 * n).div_euclid(10)),
        Unit::Century => Value::Century((base.year() + 100 * n).div_euclid(100)),
    })
}

/// Months since year 0 of the first and last month of season `s` of year `y` (winter runs
/// from December into the next year).
fn season_span(y: i32, s: u32) -> (i32, i32) {
    let start = y * 12 + 3 * s as i32 - 1;
    (start, start + 2)
}

fn month_index(p: NaiveDate) -> i32 {
    p.year() * 12 + p.month() as i32 - 1
}

/// The year of "last" (-1), "this" (0) or "next" (+1) season `s` seen from `p`.
fn season_year(p: NaiveDate, s: u32, d: i32) -> i32 {
    let now = month_index(p);
    let y = p.year();
    match d {
        d if d < 0 => (y - 2..=y).rev().find(|&c| season_span(c, s).1 < now).unwrap_or(y - 1),
        // "this winter" in January is the one begun in December.
        0 if s == 4 && p.month() <= 2 => y - 1,
        0 => y,
        _ => (y..=y + 1).find(|&c| season_span(c, s).0 > now).unwrap_or(y + 1),
    }
}

/// The latest season `s` begun by `p`.
fn current_or_past(p: NaiveDate, s: u32) -> i32 {
    let now = month_index(p);
    (p.year() - 1..=p.year()).rev().find(|&c| season_span(c, s).0 <= now).unwrap_or(p.year() - 1)
}

/// The first season `s` not ended by `p`.
fn current_or_future(p: NaiveDate, s: u32) -> i32 {
    let now = month_index(p);
    (p.year() - 1..=p.year() + 1).find(|&c| season_span(c, s).1 >= now).unwrap_or(p.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn edtf(r: &mut Resolver, e: Expr, t: Tense) -> String {
        match r.resolve(&e, t, true) {
            Some(Resolved::Value(v)) => v.edtf(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn weekdays_by_tense_and_modifier() {
        // Saturday 2 March 2024.
        let mut r = Resolver::new(day(2024, 3, 2));
        assert_eq!(edtf(&mut r, Expr::Weekday(Weekday::Fri, None), Tense::Past), "2024-03-01");
        assert_eq!(edtf(&mut r, Expr::Weekday(Weekday::Sat, None), Tense::Past), "2024-03-02");
        assert_eq!(edtf(&mut r, Expr::Weekday(Weekday::Mon, None), Tense::Future), "2024-03-04");
        assert_eq!(edtf(&mut r, Expr::Weekday(Weekday::Fri, Some(1)), Tense::Unknown), "2024-03-08");
        assert_eq!(edtf(&mut r, Expr::Weekday(Weekday::Sat, Some(-1)), Tense::Unknown), "2024-02-24");
    }

    #[test]
    fn weekdays_from_the_text() {
        // Published Friday 24 April 1998: "Saturday, April 25" is 1998's (1997's was a Friday).
        let mut r = Resolver::new(day(1998, 4, 24));
        assert_eq!(edtf(&mut r, Expr::WeekdayDate(4, 25, Weekday::Sat), Tense::Past), "1998-04-25");
        // From Friday 13 October 1989 in context: the previous Friday, the following Monday.
        let mut r = Resolver::new(day(1989, 10, 30));
        assert_eq!(edtf(&mut r, Expr::Abs { year: Some(1989), month: 10, day: Some(13) }, Tense::Past), "1989-10-13");
        assert_eq!(edtf(&mut r, Expr::ContextWeekday(Weekday::Fri, -1), Tense::Past), "1989-10-06");
        assert_eq!(edtf(&mut r, Expr::ContextWeekday(Weekday::Mon, 1), Tense::Past), "1989-10-09");
    }

    #[test]
    fn relative_units() {
        let mut r = Resolver::new(day(2024, 3, 2));
        assert_eq!(edtf(&mut r, Expr::Rel(Unit::Month, -1), Tense::Past), "2024-02");
        assert_eq!(edtf(&mut r, Expr::Rel(Unit::Week, -1), Tense::Past), "2024-W08");
        assert_eq!(edtf(&mut r, Expr::Rel(Unit::Year, 1), Tense::Future), "2025");
        assert_eq!(edtf(&mut r, Expr::Rel(Unit::Quarter, -1), Tense::Past), "2023-36");
        assert_eq!(edtf(&mut r, Expr::Ago(Unit::Day, -2), Tense::Past), "2024-02-29");
        assert_eq!(edtf(&mut r, Expr::Ago(Unit::Month, -5), Tense::Past), "2023-10");
        assert_eq!(edtf(&mut r, Expr::Rel(Unit::Decade, 0), Tense::Past), "202X");
        assert_eq!(edtf(&mut r, Expr::MonthRel(4, -1), Tense::Past), "2023-04");
        assert_eq!(edtf(&mut r, Expr::MonthRel(9, 0), Tense::Past), "2024-09");
    }

    #[test]
    fn anchoring_on_the_date_in_context() {
        let mut r = Resolver::new(day(2024, 3, 20));
        assert_eq!(edtf(&mut r, Expr::Abs { year: None, month: 3, day: Some(3) }, Tense::Past), "2024-03-03");
        assert_eq!(edtf(&mut r, Expr::Context(Unit::Day, 2), Tense::Past), "2024-03-05");
        assert_eq!(edtf(&mut r, Expr::Context(Unit::Day, 1), Tense::Past), "2024-03-06");
        assert_eq!(edtf(&mut r, Expr::Part(Part::Quarter, 3, YearRef::Explicit(1989)), Tense::Past), "1989-35");
        assert_eq!(edtf(&mut r, Expr::YearBefore, Tense::Past), "1988-35");
        // The comparison does not move the anchor.
        assert_eq!(edtf(&mut r, Expr::YearBefore, Tense::Past), "1988-35");
        assert_eq!(edtf(&mut r, Expr::ReportingQuarter, Tense::Past), "1989-35");
        assert_eq!(edtf(&mut r, Expr::Context(Unit::Year, 0), Tense::Past), "1989");
        assert_eq!(edtf(&mut r, Expr::ContextYear, Tense::Past), "2024");
    }

    #[test]
    fn implicit_years() {
        let mut r = Resolver::new(day(1990, 2, 10));
        assert_eq!(edtf(&mut r, Expr::Abs { year: None, month: 12, day: Some(7) }, Tense::Past), "1989-12-07");
        assert_eq!(edtf(&mut r, Expr::Abs { year: None, month: 1, day: None }, Tense::Unknown), "1990-01");
        assert_eq!(edtf(&mut r, Expr::Part(Part::Quarter, 4, YearRef::Implicit), Tense::Past), "1989-36");
        assert_eq!(edtf(&mut r, Expr::ReportingQuarter, Tense::Past), "1989-36");
        let mut r = Resolver::new(day(1989, 10, 26));
        assert_eq!(edtf(&mut r, Expr::Part(Part::Quarter, 3, YearRef::Implicit), Tense::Past), "1989-35");
        assert_eq!(edtf(&mut r, Expr::Part(Part::Season, 2, YearRef::Rel(-1)), Tense::Past), "1989-22");
        assert_eq!(edtf(&mut r, Expr::Part(Part::Season, 2, YearRef::Rel(1)), Tense::Past), "1990-22");
    }

    #[test]
    fn clock_times() {
        let mut r = Resolver::new(day(1998, 2, 13));
        let t = Expr::Time(22, Some(0), None, Some(Box::new(Expr::Weekday(Weekday::Wed, None))));
        assert_eq!(edtf(&mut r, t, Tense::Past), "1998-02-11T22:00");
        assert_eq!(edtf(&mut r, Expr::Time(9, Some(30), None, None), Tense::Past), "1998-02-11T09:30");
    }
}
