//! Reading the audit timeline: who did what, when, on which job or device.

use super::{Cursor, Filter, Page};
use crate::time::{from_text, to_text};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::Value;
use serde::Serialize;

/// One event on the audit timeline.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AuditEntry {
    /// Order of application (the timeline's order).
    pub seq: i64,
    /// The event id.
    pub event_id: String,
    /// Where it is in the log (`partition:offset`).
    pub position: String,
    /// When it happened.
    pub time: DateTime<Utc>,
    /// Who caused it.
    pub actor: String,
    /// The versioned event type.
    pub event_type: String,
    /// Its stream.
    pub stream_id: String,
    /// The job it concerns.
    pub job_id: Option<String>,
    /// The device it concerns.
    pub device_id: Option<String>,
    /// Correlation id of the causing request or job.
    pub correlation_id: String,
    /// The producing component.
    pub source: String,
    /// A stale or refused job event that changed no view (a duplicate result, a late answer).
    pub ignored: bool,
}

/// Filters and page of the audit timeline.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// Who caused the events.
    pub actor: Option<String>,
    /// Events about this device (its own, and its jobs').
    pub device_id: Option<String>,
    /// Events about this job.
    pub job_id: Option<String>,
    /// Event type.
    pub event_type: Option<String>,
    /// At or after.
    pub since: Option<DateTime<Utc>>,
    /// Before.
    pub until: Option<DateTime<Utc>>,
    /// Newest first.
    pub descending: bool,
    /// Page size.
    pub limit: usize,
    /// Where the previous page ended.
    pub cursor: Option<Cursor>,
}

/// One page of the audit timeline.
pub fn audit_timeline(conn: &Connection, q: &AuditQuery) -> Result<Page<AuditEntry>> {
    let mut f = Filter::default();
    f.when("actor = ?", q.actor.clone());
    if let Some(device) = &q.device_id {
        let d = Value::Text(device.clone());
        f.push("(device_id = ? OR job_id IN (SELECT job_id FROM jobs WHERE device_id = ?))", [d.clone(), d]);
    }
    f.when("job_id = ?", q.job_id.clone());
    f.when("event_type = ?", q.event_type.clone());
    f.when("time >= ?", q.since.as_ref().map(to_text));
    f.when("time < ?", q.until.as_ref().map(to_text));
    let op = if q.descending { "<" } else { ">" };
    if let Some(c) = &q.cursor {
        let seq: i64 = c.key.parse().map_err(|_| Error::Invalid { field: "cursor", message: "not an audit cursor".into() })?;
        f.push(format!("seq {op} ?"), [Value::Integer(seq)]);
    }
    let select = "SELECT seq, event_id, position, time, actor, event_type, stream_id, job_id, device_id, correlation_id,
        source, ignored FROM audit";
    let order = if q.descending { "seq DESC" } else { "seq" };
    f.page(
        conn,
        select,
        order,
        q.limit,
        |r| {
            Ok(AuditEntry {
                seq: r.get(0)?,
                event_id: r.get(1)?,
                position: r.get(2)?,
                time: from_text(&r.get::<_, String>(3)?)?,
                actor: r.get(4)?,
                event_type: r.get(5)?,
                stream_id: r.get(6)?,
                job_id: r.get(7)?,
                device_id: r.get(8)?,
                correlation_id: r.get(9)?,
                source: r.get(10)?,
                ignored: r.get(11)?,
            })
        },
        |e| Cursor { key: e.seq.to_string(), id: String::new() },
    )
}
