//! Timestamps: milliseconds since the Unix epoch, UTC, formatted as Jira formats them.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::{OffsetDateTime, UtcOffset, format_description::FormatItem, macros::format_description};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millis(pub i64);

/// Where "now" comes from: the system clock, or the system clock plus an offset that
/// tests move forward ([`Clock::advance`]) instead of sleeping. Cheap to clone; clones
/// share the offset, so a test's handle moves the server's time.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock that starts at the system time and can be moved forward.
    pub fn adjustable() -> Clock {
        Clock(Some(Arc::new(AtomicI64::new(0))))
    }

    pub fn now(&self) -> Millis {
        let offset = self.0.as_ref().map_or(0, |o| o.load(Ordering::Relaxed));
        Millis(Millis::system_now().0 + offset)
    }

    /// Moves an adjustable clock forward; a system clock cannot be moved (no effect).
    pub fn advance(&self, by: std::time::Duration) {
        if let Some(offset) = &self.0 {
            offset.fetch_add(by.as_millis() as i64, Ordering::Relaxed);
        }
    }
}

const JIRA: &[FormatItem<'static>] = format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3][offset_hour sign:mandatory][offset_minute]"
);

impl Millis {
    /// The system clock. Services take their time from the store's [`Clock`]
    /// (`db.now()`, `store.now()`) so that tests can move it; only that clock reads this.
    pub(crate) fn system_now() -> Millis {
        Millis((OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64)
    }

    fn datetime(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(self.0 as i128 * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// `2026-01-31T14:00:00.000+0000`, Jira's wire format.
    pub fn to_jira(self) -> String {
        self.datetime()
            .to_offset(UtcOffset::UTC)
            .format(JIRA)
            .unwrap_or_default()
    }

    /// `2026-01-31T14:00:00.000Z`
    pub fn to_rfc3339_utc(self) -> String {
        let dt = self.datetime();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            dt.year(),
            dt.month() as u8,
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            dt.millisecond()
        )
    }

    /// Parses Jira's datetime inputs: `2026-01-31T14:00:00.000+0000`, RFC 3339, or a bare date.
    pub fn parse(raw: &str) -> Option<Millis> {
        let raw = raw.trim();
        if let Ok(dt) = OffsetDateTime::parse(raw, JIRA) {
            return Some(Millis::from_datetime(dt));
        }
        if let Ok(dt) = OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339) {
            return Some(Millis::from_datetime(dt));
        }
        if let Some(date) = parse_date(raw) {
            return Some(Millis::from_datetime(date.midnight().assume_utc()));
        }
        None
    }

    fn from_datetime(dt: OffsetDateTime) -> Millis {
        Millis((dt.unix_timestamp_nanos() / 1_000_000) as i64)
    }
}

/// Validates a `YYYY-MM-DD` date.
pub fn parse_date(raw: &str) -> Option<time::Date> {
    time::Date::parse(raw.trim(), format_description!("[year]-[month]-[day]")).ok()
}
