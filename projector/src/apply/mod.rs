//! Applying one new event to the views: the job fold decides whether a job's result counts,
//! then each view takes what concerns it, and the audit table records every event.

pub(crate) mod audit;
mod configs;
mod credentials;
mod devices;
mod jobs;
mod logs;
mod schedules;

use crate::Result;
use netraven_events::RecordedEvent;
use rusqlite::Transaction;
use serde::Serialize;

/// Applies a new event (its id not applied before) inside the batch's transaction.
pub(crate) fn event(tx: &Transaction<'_>, recorded: &RecordedEvent) -> Result<()> {
    let event = &recorded.event;
    let counts = jobs::apply(tx, event)?;
    if counts {
        logs::apply(tx, event)?;
        configs::apply(tx, event)?;
        devices::apply(tx, event)?;
        credentials::apply(tx, event)?;
        schedules::apply(tx, event)?;
    }
    audit::record(tx, recorded, !counts)
}

/// The stable text of a unit enum as it appears in JSON (`backup`, `ssh`, `INFO`, ...).
pub(crate) fn enum_text<T: Serialize>(value: &T) -> Result<String> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}
