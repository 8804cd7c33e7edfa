//! Date operands: absolute dates, relative periods and the date functions
//! (`startOfDay(-1)`, `endOfMonth()`, `now()`), fixed against the lookup's "now".

use super::{Lookup, Resolver};
use crate::jql::Operand;
use crate::jql::dates::{DateValue, Period, parse_date_value, parse_function_offset};

impl<L: Lookup> Resolver<'_, L> {
    /// A date operand as epoch milliseconds.
    pub(super) fn date_value(&mut self, field: &str, v: &Operand) -> Option<i64> {
        match v {
            Operand::Function { name, args } => {
                let lower = name.to_lowercase();
                let offset = |unit: char| {
                    args.first()
                        .and_then(|a| parse_function_offset(a, unit))
                        .unwrap_or_default()
                };
                let now = self.now;
                let day = 86_400_000i64;
                let start_of_day = now - now.rem_euclid(day);
                let v = match lower.as_str() {
                    "now" | "currentlogin" | "lastlogin" => now,
                    "startofday" => apply_period(start_of_day, offset('d')),
                    "endofday" => apply_period(start_of_day + day - 1, offset('d')),
                    "startofweek" | "endofweek" => {
                        // Weeks start on Sunday, as in Jira's default (en_US) locale.
                        let days_since_sunday = ((start_of_day / day) + 4).rem_euclid(7);
                        let start = start_of_day - days_since_sunday * day;
                        let base = if lower == "startofweek" {
                            start
                        } else {
                            start + 7 * day - 1
                        };
                        apply_period(base, offset('w'))
                    }
                    "startofmonth" | "endofmonth" | "startofyear" | "endofyear" => {
                        let dt = ::time::OffsetDateTime::from_unix_timestamp(now / 1000).ok()?;
                        let (y, m) = (dt.year(), dt.month());
                        let unit = if lower.contains("month") { 'M' } else { 'y' };
                        let first = if unit == 'M' {
                            ::time::Date::from_calendar_date(y, m, 1).ok()?
                        } else {
                            ::time::Date::from_calendar_date(y, ::time::Month::January, 1).ok()?
                        };
                        let start = first.midnight().assume_utc().unix_timestamp() * 1000;
                        let base = if lower.starts_with("start") {
                            start
                        } else {
                            apply_period(
                                start,
                                Period {
                                    months: if unit == 'M' { 1 } else { 12 },
                                    minutes: 0,
                                },
                            ) - 1
                        };
                        apply_period(base, offset(unit))
                    }
                    _ => {
                        self.function_error(name);
                        return None;
                    }
                };
                Some(v)
            }
            Operand::Value(s, _) => match parse_date_value(s) {
                Some(DateValue::Absolute { date, time }) => {
                    let t = time.unwrap_or(::time::Time::MIDNIGHT);
                    Some(date.with_time(t).assume_utc().unix_timestamp() * 1000)
                }
                Some(DateValue::Relative(p)) => Some(apply_period(self.now, p)),
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

/// Adds a period to a time: calendar months first, then the fixed part.
fn apply_period(ms: i64, p: Period) -> i64 {
    let mut out = ms;
    if p.months != 0
        && let Ok(dt) = ::time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
    {
        let total = dt.year() as i64 * 12 + (dt.month() as i64 - 1) + p.months;
        let (y, m) = (
            total.div_euclid(12) as i32,
            (total.rem_euclid(12) + 1) as u8,
        );
        if let Ok(month) = ::time::Month::try_from(m) {
            let last = month.length(y);
            if let Ok(date) = ::time::Date::from_calendar_date(y, month, dt.day().min(last)) {
                out = date.with_time(dt.time()).assume_utc().unix_timestamp() * 1000
                    + ms.rem_euclid(1000);
            }
        }
    }
    out + p.seconds() * 1000
}
