//! Date operands: absolute dates, relative periods and the date functions
//! (`startOfDay(-1)`, `endOfMonth()`, `now()`), fixed against the lookup's "now" and
//! read in the lookup's time zone: `created >= "2026-03-01"` and `startOfDay()` mean
//! midnight where the caller lives, as in Jira.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Zoned};

use super::{Lookup, Resolver};
use crate::jql::Operand;
use crate::jql::dates::{DateValue, Period, parse_date_value, parse_function_offset};

impl<L: Lookup> Resolver<'_, L> {
    /// A date operand as epoch milliseconds.
    pub(super) fn date_value(&mut self, field: &str, v: &Operand) -> Option<i64> {
        let tz = self.lookup.time_zone();
        match v {
            Operand::Function { name, args } => {
                let lower = name.to_lowercase();
                let offset = |unit: char| {
                    args.first()
                        .and_then(|a| parse_function_offset(a, unit))
                        .unwrap_or_default()
                };
                let now = self.now;
                if matches!(lower.as_str(), "now" | "currentlogin" | "lastlogin") {
                    return Some(now);
                }
                let Some((unit, start)) = unit_of(&lower) else {
                    self.function_error(name);
                    return None;
                };
                let today = zoned(now, tz)?.date();
                // The function's own unit shifts the period first (`startOfMonth(-1)` is
                // the first of last month), then the boundary is taken.
                let first = first_day(unit, today);
                let v = if start {
                    apply_period(tz, at_midnight(tz, first)?, offset(unit))
                } else {
                    let next = first.checked_add(unit_span(unit)).ok()?;
                    apply_period(tz, at_midnight(tz, next)?, offset(unit)) - 1
                };
                Some(v)
            }
            Operand::Value(s, _) => match parse_date_value(s) {
                Some(DateValue::Absolute { date, time }) => {
                    let t = time.unwrap_or(::time::Time::MIDNIGHT);
                    let civil = DateTime::new(
                        i16::try_from(date.year()).ok()?,
                        date.month() as i8,
                        date.day() as i8,
                        t.hour() as i8,
                        t.minute() as i8,
                        0,
                        0,
                    )
                    .ok()?;
                    to_millis(tz, civil)
                }
                Some(DateValue::Relative(p)) => Some(apply_period(tz, self.now, p)),
                None => {
                    self.error(format!("Date value '{s}' for field '{field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."));
                    None
                }
            },
            Operand::Number(n) => Some(*n),
            _ => {
                self.error(format!("The value for field '{field}' must be a date."));
                None
            }
        }
    }
}

/// `startOfWeek` → (`'w'`, true); the unit letter is also the offset's default unit.
fn unit_of(function: &str) -> Option<(char, bool)> {
    let (start, unit) = if let Some(u) = function.strip_prefix("startof") {
        (true, u)
    } else {
        (false, function.strip_prefix("endof")?)
    };
    let unit = match unit {
        "day" => 'd',
        "week" => 'w',
        "month" => 'M',
        "year" => 'y',
        _ => return None,
    };
    Some((unit, start))
}

/// The first day of the day, week, month or year holding `day`. Weeks start on
/// Sunday, as in Jira's default (en_US) locale.
fn first_day(unit: char, day: Date) -> Date {
    match unit {
        'w' => day
            .checked_sub(Span::new().days(day.weekday().to_sunday_zero_offset()))
            .unwrap_or(day),
        'M' => day.first_of_month(),
        'y' => day.first_of_year(),
        _ => day,
    }
}

fn unit_span(unit: char) -> Span {
    match unit {
        'w' => Span::new().weeks(1),
        'M' => Span::new().months(1),
        'y' => Span::new().years(1),
        _ => Span::new().days(1),
    }
}

fn zoned(ms: i64, tz: &TimeZone) -> Option<Zoned> {
    Some(Timestamp::from_millisecond(ms).ok()?.to_zoned(tz.clone()))
}

/// The instant a wall-clock time names in `tz`; in a gap or overlap of a clock
/// change, the earlier reading (Java's rule, and so Jira's).
fn to_millis(tz: &TimeZone, civil: DateTime) -> Option<i64> {
    let z = tz.to_ambiguous_zoned(civil).compatible().ok()?;
    Some(z.timestamp().as_millisecond())
}

/// The first instant of `day` in `tz` (not always 00:00: some zones skip midnight).
fn at_midnight(tz: &TimeZone, day: Date) -> Option<i64> {
    Some(
        day.to_zoned(tz.clone())
            .ok()?
            .start_of_day()
            .ok()?
            .timestamp()
            .as_millisecond(),
    )
}

/// Adds a period to a time on the wall clock of `tz`: calendar months first (the day
/// clamped to the month's length, so `-1M` from 31 March is the end of February),
/// then the fixed part, so a day is a calendar day across a clock change. A result
/// outside the calendar's range leaves the time as it was.
fn apply_period(tz: &TimeZone, ms: i64, p: Period) -> i64 {
    let shifted = || -> Option<i64> {
        let z = zoned(ms, tz)?;
        let civil = z
            .datetime()
            .checked_add(Span::new().try_months(p.months).ok()?)
            .ok()?
            .checked_add(Span::new().try_minutes(p.minutes).ok()?)
            .ok()?;
        to_millis(tz, civil)
    };
    shifted().unwrap_or(ms)
}
