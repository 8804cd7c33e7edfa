//! Jira durations (`1w 2d 3h 20m`) read and written with the configured day and week.

use crate::domain::TimeTracking;

/// Parses Jira duration strings (`3h 20m`, `1d`, `2w`, bare minutes) into seconds.
pub fn parse_duration(raw: &str, hours_per_day: i64, days_per_week: i64) -> Option<i64> {
    let tt = TimeTracking {
        hours_per_day: hours_per_day as f64,
        days_per_week: days_per_week as f64,
        ..TimeTracking::default()
    };
    parse_duration_with(raw, &tt)
}

/// Parses a duration with the configured day and week lengths; a bare number is in the
/// configured default unit.
pub fn parse_duration_with(raw: &str, tt: &TimeTracking) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let day = tt.hours_per_day * 3600.0;
    let week = tt.days_per_week * day;
    if let Ok(n) = raw.parse::<f64>() {
        let unit = match tt.default_unit.as_str() {
            "week" => week,
            "day" => day,
            "hour" => 3600.0,
            _ => 60.0,
        };
        return (n >= 0.0 && n.is_finite()).then(|| (n * unit).round() as i64);
    }
    let mut total = 0i64;
    for part in raw.split_whitespace() {
        let (num, unit) = part.split_at(part.find(|c: char| c.is_ascii_alphabetic())?);
        let n: f64 = num.parse().ok()?;
        if n < 0.0 || !n.is_finite() {
            return None;
        }
        let secs = match unit {
            "w" => n * week,
            "d" => n * day,
            "h" => n * 3600.0,
            "m" => n * 60.0,
            _ => return None,
        };
        total += secs.round() as i64;
    }
    Some(total)
}

/// Formats seconds as Jira does: `1w 2d 3h 20m`.
pub fn format_duration(secs: i64, hours_per_day: i64, days_per_week: i64) -> String {
    let tt = TimeTracking {
        hours_per_day: hours_per_day as f64,
        days_per_week: days_per_week as f64,
        ..TimeTracking::default()
    };
    format_duration_with(secs, &tt)
}

/// Formats seconds with the configured day and week lengths (`pretty`: `1w 2d 3h 20m`);
/// `days` and `hours` formats show one decimal unit (`1.5d`, `12h`).
pub fn format_duration_with(secs: i64, tt: &TimeTracking) -> String {
    let secs = secs.max(0);
    let day = (tt.hours_per_day * 3600.0).round() as i64;
    let week = (tt.days_per_week * day as f64).round() as i64;
    let decimal = |v: f64, unit: &str| {
        let v = (v * 100.0).round() / 100.0;
        format!("{v}{unit}")
    };
    match tt.time_format.as_str() {
        "days" if day > 0 => return decimal(secs as f64 / day as f64, "d"),
        "hours" => return decimal(secs as f64 / 3600.0, "h"),
        _ => {}
    }
    let mut rest = secs / 60;
    let units = [("w", week / 60), ("d", day / 60), ("h", 60), ("m", 1)];
    let mut parts = Vec::new();
    for (name, size) in units {
        if rest >= size && size > 0 {
            parts.push(format!("{}{name}", rest / size));
            rest %= size;
        }
    }
    if parts.is_empty() {
        "0m".into()
    } else {
        parts.join(" ")
    }
}
