//! The job log view: every job log entry (already filtered when it became an event), in log order.

use super::enum_text;
use crate::Result;
use crate::time::to_text;
use netraven_events::{Event, EventData};
use rusqlite::{Transaction, params};

/// Stores a job log entry.
pub(super) fn apply(tx: &Transaction<'_>, event: &Event) -> Result<()> {
    let EventData::JobLogged(e) = &event.data else { return Ok(()) };
    tx.prepare_cached(
        "INSERT INTO job_logs (event_id, job_id, timestamp, level, category, message, details, source_component,
             correlation_id, filter_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        event.id.to_string(),
        e.job_id.to_string(),
        to_text(&e.timestamp),
        enum_text(&e.level)?,
        e.category,
        e.message,
        serde_json::to_string(&e.details)?,
        e.source_component,
        e.correlation_id,
        e.filter_version
    ])?;
    Ok(())
}
