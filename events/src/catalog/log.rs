//! Job log entries (the seed's `JobLogEntry`): structured, filtered lines of what a job did.

use super::ids::JobId;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[cfg(test)]
use proptest_derive::Arbitrary;

/// Severity of a job log entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
#[serde(rename_all = "UPPERCASE")]
pub enum LogLevel {
    /// Fine-grained detail.
    Debug,
    /// Normal progress.
    Info,
    /// Something unexpected that the job survived.
    Warning,
    /// An operation failed.
    Error,
    /// The job cannot go on.
    Critical,
}

/// One structured job log entry, already passed through the sensitive-data filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(test, derive(Arbitrary))]
pub struct JobLogged {
    /// The job this entry belongs to.
    pub job_id: JobId,
    /// When the logged thing happened.
    #[cfg_attr(test, proptest(strategy = "super::arb::time()"))]
    pub timestamp: DateTime<Utc>,
    /// Severity.
    pub level: LogLevel,
    /// What area it concerns: `connection`, `authentication`, `execution`, `result`, ...
    pub category: String,
    /// Human-readable message.
    pub message: String,
    /// Structured context (a JSON object).
    #[cfg_attr(test, proptest(strategy = "super::arb::details()"))]
    pub details: serde_json::Map<String, serde_json::Value>,
    /// The component that wrote it (`device-agent`, `command-handler`, ...).
    pub source_component: String,
    /// Correlation id of the request or job that caused it.
    pub correlation_id: String,
    /// Version of the redaction rules that filtered `message` and `details`.
    pub filter_version: u32,
}
