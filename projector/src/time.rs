//! Timestamps in the views: fixed-width RFC 3339 UTC text, so text order is time order.

use crate::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};

/// The stored form of `t` (`2026-11-27T16:40:14.123456Z`).
pub fn to_text(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses a stored timestamp.
pub(crate) fn from_text(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::Corrupt(format!("timestamp `{text}`: {e}")))
}

/// Parses an optional stored timestamp.
pub(crate) fn from_opt(text: Option<String>) -> Result<Option<DateTime<Utc>>> {
    text.as_deref().map(from_text).transpose()
}
