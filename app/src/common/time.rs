//! The clock: one "now", and dates formatted with the `time` crate.

use time::{format_description::well_known::Rfc3339, OffsetDateTime};

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Today as a day number (days since 1970-01-01, UTC).
pub fn today() -> i64 {
    now().div_euclid(86_400)
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01, UTC).
pub fn date_of_day(day: i64) -> String {
    iso_time(day.saturating_mul(86_400))[..10].to_string()
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ` (out-of-range times as the epoch).
pub fn iso_time(t: i64) -> String {
    OffsetDateTime::from_unix_timestamp(t)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times() {
        assert_eq!(date_of_day(0), "1970-01-01");
        assert_eq!(date_of_day(20_786), "2026-11-29");
        assert_eq!(date_of_day(11_016), "2000-02-29");
        assert_eq!(date_of_day(-1), "1969-12-31");
        assert_eq!(iso_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_time(1_764_377_045), "2025-11-29T00:44:05Z");
        assert!(today() > 20_000);
    }
}
