//! The schedules view: spec, missed-run policy, paused/removed flags and the last firing.

use super::enum_text;
use crate::Result;
use crate::time::to_text;
use netraven_events::{Event, EventData};
use rusqlite::{Transaction, params};

/// Applies schedule events to the schedules view.
pub(super) fn apply(tx: &Transaction<'_>, event: &Event) -> Result<()> {
    let at = to_text(&event.time);
    let flag = |column: &str, value: i64, id: String| -> Result<()> {
        tx.prepare_cached(&format!("UPDATE schedules SET {column} = ?2, updated_at = ?3 WHERE schedule_id = ?1"))?
            .execute(params![id, value, at])?;
        Ok(())
    };
    match &event.data {
        EventData::ScheduleCreated(s) => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO schedules (schedule_id, name, spec, missed_runs, job_type, target, created_at,
                     updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )?
            .execute(params![
                s.schedule_id.to_string(),
                s.name,
                serde_json::to_string(&s.spec)?,
                enum_text(&s.missed_runs)?,
                enum_text(&s.job_type)?,
                serde_json::to_string(&s.target)?,
                at
            ])?;
        }
        EventData::SchedulePaused(s) => flag("paused", 1, s.schedule_id.to_string())?,
        EventData::ScheduleResumed(s) => flag("paused", 0, s.schedule_id.to_string())?,
        EventData::ScheduleRemoved(s) => flag("removed", 1, s.schedule_id.to_string())?,
        EventData::ScheduleFired(f) => {
            tx.prepare_cached(
                "UPDATE schedules SET last_fired_at = ?2, last_due_at = ?3, last_job_id = ?4,
                     fired_count = fired_count + 1 WHERE schedule_id = ?1",
            )?
            .execute(params![f.schedule_id.to_string(), at, to_text(&f.due_at), f.job_id.to_string()])?;
        }
        _ => {}
    }
    Ok(())
}
