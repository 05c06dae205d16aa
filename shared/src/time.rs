//! Times are UTC epoch milliseconds everywhere in storage (portable across SQLite and MySQL).
//! A contest has a time zone (an IANA name such as `Europe/Madrid`): its organizer enters dates
//! in it and every page shows them in it ([`ContestZone`]).
use std::str::FromStr;

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

pub fn to_datetime(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// Formats for `<input type="datetime-local">` (`YYYY-MM-DDTHH:MM`, UTC).
pub fn to_input(ms: i64) -> String {
    to_datetime(ms).format("%Y-%m-%dT%H:%M").to_string()
}

/// Human display, e.g. `2026-11-25 14:00 UTC`.
pub fn display(ms: i64) -> String {
    to_datetime(ms).format("%Y-%m-%d %H:%M UTC").to_string()
}

/// RFC 3339 in UTC, for `<time datetime="…">`.
pub fn iso(ms: i64) -> String {
    to_datetime(ms).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Parses `YYYY-MM-DDTHH:MM` (seconds optional) as UTC.
pub fn parse_input(s: &str) -> Option<i64> {
    parse_naive(s).map(|n| n.and_utc().timestamp_millis())
}

fn parse_naive(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

/// A contest's time zone: a valid IANA name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContestZone(Tz);

/// Why a local date entered by an organizer is not a point in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTimeError {
    /// Not `YYYY-MM-DDTHH:MM`.
    Unreadable,
    /// A time skipped by a daylight-saving change (e.g. 02:30 on the spring-forward night).
    Skipped,
}

impl Default for ContestZone {
    fn default() -> Self {
        Self(Tz::UTC)
    }
}

impl ContestZone {
    /// An IANA zone name (`Europe/Madrid`, `America/Argentina/Buenos_Aires`, `UTC`); case as
    /// in the database, surrounding spaces ignored.
    pub fn parse(name: &str) -> Option<Self> {
        Tz::from_str(name.trim()).ok().map(Self)
    }

    /// The zone a stored name stands for; an unknown name (none is ever stored) reads as UTC.
    pub fn from_stored(name: &str) -> Self {
        Self::parse(name).unwrap_or_default()
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// Every zone name the form offers, alphabetically.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        chrono_tz::TZ_VARIANTS.iter().map(|z| z.name())
    }

    /// A wall-clock time in this zone (`YYYY-MM-DDTHH:MM`) as epoch milliseconds. On the
    /// autumn night a time happens twice: the first one.
    pub fn parse_local(&self, s: &str) -> Result<i64, LocalTimeError> {
        let naive = parse_naive(s).ok_or(LocalTimeError::Unreadable)?;
        match self.0.from_local_datetime(&naive) {
            LocalResult::Single(t) => Ok(t.timestamp_millis()),
            LocalResult::Ambiguous(first, _) => Ok(first.timestamp_millis()),
            LocalResult::None => Err(LocalTimeError::Skipped),
        }
    }

    /// For `<input type="datetime-local">`, in this zone.
    pub fn to_input(&self, ms: i64) -> String {
        to_datetime(ms)
            .with_timezone(&self.0)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    }

    /// Human display in this zone, with the zone's name: `2026-11-25 15:00 Europe/Madrid`
    /// (`2026-11-25 14:00 UTC` for UTC).
    pub fn display(&self, ms: i64) -> String {
        format!(
            "{} {}",
            to_datetime(ms)
                .with_timezone(&self.0)
                .format("%Y-%m-%d %H:%M"),
            self.0.name()
        )
    }
}

/// How far `then` is from `now`, in the largest whole unit that fits: what "closes in 3 days"
/// says. Under a minute counts as one minute (never "in 0 minutes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Minutes(i64),
    Hours(i64),
    Days(i64),
}

impl Span {
    pub fn between(now: i64, then: i64) -> Self {
        let mins = ((then - now).abs() / 60_000).max(1);
        if mins < 60 {
            Span::Minutes(mins)
        } else if mins < 48 * 60 {
            Span::Hours(mins / 60)
        } else {
            Span::Days(mins / (24 * 60))
        }
    }

    /// (`minutes` | `hours` | `days`, the count).
    pub fn unit_and_count(self) -> (&'static str, i64) {
        match self {
            Span::Minutes(n) => ("minutes", n),
            Span::Hours(n) => ("hours", n),
            Span::Days(n) => ("days", n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_round_trips() {
        let ms = parse_input("2026-11-25T14:05").unwrap();
        assert_eq!(to_input(ms), "2026-11-25T14:05");
        assert_eq!(display(ms), "2026-11-25 14:05 UTC");
        assert_eq!(iso(ms), "2026-11-25T14:05:00Z");
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_input("tomorrow").is_none());
        assert!(parse_input("2026-13-01T00:00").is_none());
    }

    #[test]
    fn zones_are_iana_names() {
        assert_eq!(
            ContestZone::parse(" Europe/Madrid ").unwrap().name(),
            "Europe/Madrid"
        );
        assert!(ContestZone::parse("Mars/Olympus").is_none());
        assert!(ContestZone::parse("").is_none());
        assert_eq!(ContestZone::from_stored("nonsense"), ContestZone::default());
        assert!(ContestZone::all_names().any(|n| n == "America/Bogota"));
    }

    #[test]
    fn local_times_are_stored_in_utc_and_shown_back_in_the_zone() {
        let madrid = ContestZone::parse("Europe/Madrid").unwrap();
        // Winter: UTC+1.
        let ms = madrid.parse_local("2026-12-01T10:00").unwrap();
        assert_eq!(display(ms), "2026-12-01 09:00 UTC");
        assert_eq!(madrid.to_input(ms), "2026-12-01T10:00");
        assert_eq!(madrid.display(ms), "2026-12-01 10:00 Europe/Madrid");
        // Summer: UTC+2.
        let ms = madrid.parse_local("2026-07-01T10:00").unwrap();
        assert_eq!(display(ms), "2026-07-01 08:00 UTC");
        let utc = ContestZone::default();
        assert_eq!(utc.display(ms), "2026-07-01 08:00 UTC");
        assert_eq!(utc.parse_local("2026-07-01T08:00"), Ok(ms));
    }

    #[test]
    fn daylight_saving_edges() {
        let madrid = ContestZone::parse("Europe/Madrid").unwrap();
        // 2026-03-29 02:30 does not exist in Madrid (clocks go from 02:00 to 03:00).
        assert_eq!(
            madrid.parse_local("2026-03-29T02:30"),
            Err(LocalTimeError::Skipped)
        );
        // 2026-10-25 02:30 happens twice: the first (summer time, UTC+2) is taken.
        let ms = madrid.parse_local("2026-10-25T02:30").unwrap();
        assert_eq!(display(ms), "2026-10-25 00:30 UTC");
        assert_eq!(madrid.parse_local("soon"), Err(LocalTimeError::Unreadable));
    }

    #[test]
    fn spans_pick_the_largest_unit() {
        let m = 60_000;
        assert_eq!(Span::between(0, 10), Span::Minutes(1));
        assert_eq!(Span::between(0, 59 * m), Span::Minutes(59));
        assert_eq!(Span::between(0, 60 * m), Span::Hours(1));
        assert_eq!(Span::between(0, 47 * 60 * m), Span::Hours(47));
        assert_eq!(Span::between(0, 48 * 60 * m), Span::Days(2));
        assert_eq!(Span::between(3 * 24 * 60 * m, 0), Span::Days(3));
    }
}
