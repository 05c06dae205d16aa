//! Times are UTC epoch milliseconds everywhere in storage (portable across SQLite and MySQL).
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

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

/// Parses `YYYY-MM-DDTHH:MM` (seconds optional) as UTC.
pub fn parse_input(s: &str) -> Option<i64> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .map(|n| n.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_round_trips() {
        let ms = parse_input("2026-11-25T14:05").unwrap();
        assert_eq!(to_input(ms), "2026-11-25T14:05");
        assert_eq!(display(ms), "2026-11-25 14:05 UTC");
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_input("tomorrow").is_none());
        assert!(parse_input("2026-13-01T00:00").is_none());
    }
}
