//! Reading a job's log entries in the order they were logged.

use super::{Cursor, Filter, Page};
use crate::time::from_text;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;
use serde::Serialize;

/// One job log entry (the seed's `JobLogEntry`).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct JobLogEntryView {
    /// The log event's id.
    pub event_id: String,
    /// The job.
    pub job_id: String,
    /// When the logged thing happened.
    pub timestamp: DateTime<Utc>,
    /// `DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`.
    pub level: String,
    /// Area (`connection`, `authentication`, ...).
    pub category: String,
    /// Message (filtered).
    pub message: String,
    /// Structured context (filtered).
    pub details: serde_json::Value,
    /// The component that wrote it.
    pub source_component: String,
    /// Correlation id.
    pub correlation_id: String,
    /// Redaction rules version.
    pub filter_version: u32,
    #[serde(skip)]
    seq: i64,
}

/// A page of a job's log entries, oldest first.
pub fn job_logs(conn: &Connection, job_id: &str, limit: usize, cursor: Option<&Cursor>) -> Result<Page<JobLogEntryView>> {
    let mut f = Filter::default();
    f.push("job_id = ?", [Value::Text(job_id.to_string())]);
    if let Some(c) = cursor {
        let after: i64 = c.key.parse().map_err(|_| Error::Invalid { field: "cursor", message: "not a log cursor".into() })?;
        f.push("seq > ?", [Value::Integer(after)]);
    }
    let select = "SELECT seq, event_id, job_id, timestamp, level, category, message, details, source_component,
        correlation_id, filter_version FROM job_logs";
    f.page(
        conn,
        select,
        "seq",
        limit,
        |r| {
            Ok(JobLogEntryView {
                seq: r.get(0)?,
                event_id: r.get(1)?,
                job_id: r.get(2)?,
                timestamp: from_text(&r.get::<_, String>(3)?)?,
                level: r.get(4)?,
                category: r.get(5)?,
                message: r.get(6)?,
                details: super::json_column(r, 7)?,
                source_component: r.get(8)?,
                correlation_id: r.get(9)?,
                filter_version: r.get(10)?,
            })
        },
        |e| Cursor { key: e.seq.to_string(), id: String::new() },
    )
}
