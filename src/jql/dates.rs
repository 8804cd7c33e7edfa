//! Date values as JQL writes them: periods relative to now (`-1d`, `-2w 3d`, `4h`,
//! `1M`) and absolute dates (`2026-01-31`, `2026/01/31 14:00`). Pure: the caller
//! supplies "now" and the time zone.

use time::{Date, Month, Time};

/// A signed period. Years and months are calendar units, kept apart from the fixed
/// ones so the caller can apply them with calendar arithmetic (as Jira does: `-1M`
/// from 31 March is the end of February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Period {
    /// `y` counts 12, `M` counts 1.
    pub months: i64,
    /// `w`, `d`, `h`, `m` in minutes.
    pub minutes: i64,
}

impl Period {
    /// The fixed part in seconds.
    pub fn seconds(&self) -> i64 {
        self.minutes.saturating_mul(60)
    }
}

/// A date value written in a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    /// A calendar date, with a time of day when one was given, in the user's zone.
    Absolute { date: Date, time: Option<Time> },
    /// An offset from now.
    Relative(Period),
}

/// Parses Jira's period format: an optional sign, then one or more `<digits><unit>`
/// groups, optionally separated by spaces, where the unit is `y` (years), `M`
/// (months), `w` (weeks), `d` (days), `h` (hours) or `m` (minutes). `y`, `w`, `d`
/// and `h` are accepted in either case. The sign applies to the whole period:
/// `-2w 3d` is seventeen days ago.
pub fn parse_period(s: &str) -> Option<Period> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'-' => (-1, &s[1..]),
        b'+' => (1, &s[1..]),
        _ => (1, s),
    };
    let mut period = Period::default();
    let mut chars = rest.trim_start().chars().peekable();
    let mut groups = 0;
    while chars.peek().is_some() {
        let mut n: i64 = 0;
        let mut digits = 0;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            n = n.checked_mul(10)?.checked_add(i64::from(d))?;
            digits += 1;
            chars.next();
        }
        if digits == 0 {
            return None;
        }
        let minutes_per = match chars.next()? {
            'y' | 'Y' => {
                period.months = period.months.checked_add(n.checked_mul(12)?)?;
                0
            }
            'M' => {
                period.months = period.months.checked_add(n)?;
                0
            }
            'w' | 'W' => 7 * 24 * 60,
            'd' | 'D' => 24 * 60,
            'h' | 'H' => 60,
            'm' => 1,
            _ => return None,
        };
        period.minutes = period.minutes.checked_add(n.checked_mul(minutes_per)?)?;
        groups += 1;
        while chars.peek() == Some(&' ') {
            chars.next();
        }
    }
    if groups == 0 {
        return None;
    }
    Some(Period {
        months: sign * period.months,
        minutes: sign * period.minutes,
    })
}

/// Parses `yyyy-MM-dd`, `yyyy/MM/dd`, optionally followed by ` HH:mm`; month, day
/// and hour may have one digit.
pub fn parse_absolute(s: &str) -> Option<(Date, Option<Time>)> {
    let s = s.trim();
    let (date_part, time_part) = match s.split_once(' ') {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let sep = if date_part.contains('-') { '-' } else { '/' };
    let mut it = date_part.split(sep);
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some()
        || y.len() != 4
        || !(1..=2).contains(&m.len())
        || !(1..=2).contains(&d.len())
    {
        return None;
    }
    let num = |x: &str| -> Option<u32> {
        if x.bytes().all(|b| b.is_ascii_digit()) {
            x.parse().ok()
        } else {
            None
        }
    };
    let date = Date::from_calendar_date(
        num(y)? as i32,
        Month::try_from(num(m)? as u8).ok()?,
        num(d)? as u8,
    )
    .ok()?;
    let time = match time_part {
        None => None,
        Some(t) => {
            let (h, mi) = t.split_once(':')?;
            if !(1..=2).contains(&h.len()) || mi.len() != 2 {
                return None;
            }
            Some(Time::from_hms(num(h)? as u8, num(mi)? as u8, 0).ok()?)
        }
    };
    Some((date, time))
}

/// Either form; absolute first.
pub fn parse_date_value(s: &str) -> Option<DateValue> {
    if let Some((date, time)) = parse_absolute(s) {
        return Some(DateValue::Absolute { date, time });
    }
    parse_period(s).map(DateValue::Relative)
}

/// The argument of `startOfDay(…)` and friends: `(+/-)n` with an optional unit
/// `y`, `M`, `w`, `d`, `h` or `m`; without a unit, `default_unit` applies (the
/// function's own: days for `startOfDay`).
pub fn parse_function_offset(s: &str, default_unit: char) -> Option<Period> {
    let s = s.trim();
    if s.ends_with(|c: char| c.is_ascii_digit()) {
        let mut with_unit = s.to_string();
        with_unit.push(default_unit);
        return parse_period(&with_unit);
    }
    parse_period(s)
}

/// Jira's message for a date it cannot read, in a field clause or a predicate.
pub(crate) const DATE_FORMATS: &str = "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";
