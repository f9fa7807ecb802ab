//! Time stamps and uptimes in the formats the emulated platforms print.

use chrono::{DateTime, Utc};

/// Seconds since the Unix epoch, now.
pub(crate) fn unix_now() -> i64 {
    Utc::now().timestamp()
}

/// Formats a Unix time with a `strftime` pattern in UTC.
pub(crate) fn format(unix: i64, pattern: &str) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0)
        .unwrap_or_default()
        .format(pattern)
        .to_string()
}

/// IOS style: `10:15:22 UTC Mon Mar 4 2024`.
pub(crate) fn cisco(unix: i64) -> String {
    format(unix, "%H:%M:%S UTC %a %b %-d %Y")
}

/// IOS-XR's line before each `show` output: `Wed Mar 14 12:31:28.607 UTC`.
pub(crate) fn xr_stamp() -> String {
    Utc::now().format("%a %b %e %H:%M:%S%.3f UTC").to_string()
}

/// An uptime split into weeks, days, hours, minutes and seconds.
pub(crate) struct Uptime {
    /// Whole weeks.
    pub weeks: i64,
    /// Days after the weeks.
    pub days: i64,
    /// Hours after the days.
    pub hours: i64,
    /// Minutes after the hours.
    pub minutes: i64,
    /// Seconds after the minutes.
    pub seconds: i64,
}

impl Uptime {
    /// Splits a number of seconds.
    pub(crate) fn new(secs: i64) -> Self {
        let secs = secs.max(0);
        Uptime {
            weeks: secs / 604_800,
            days: secs / 86_400 % 7,
            hours: secs / 3_600 % 24,
            minutes: secs / 60 % 60,
            seconds: secs % 60,
        }
    }

    /// Total days (weeks included).
    pub(crate) fn total_days(&self) -> i64 {
        self.weeks * 7 + self.days
    }

    /// IOS and IOS-XR style: `2 weeks, 3 days, 1 hour, 42 minutes`.
    pub(crate) fn cisco(&self) -> String {
        let parts = [
            (self.weeks, "week"),
            (self.days, "day"),
            (self.hours, "hour"),
            (self.minutes, "minute"),
        ];
        let words: Vec<String> = parts
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
            .collect();
        if words.is_empty() {
            "0 minutes".to_string()
        } else {
            words.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(cisco(1_709_547_322), "10:15:22 UTC Mon Mar 4 2024");
        assert_eq!(
            Uptime::new(8 * 86_400 + 3_660).cisco(),
            "1 week, 1 day, 1 hour, 1 minute"
        );
    }
}
