//! The jobs view, driven by `job_state`: a stale or refused result changes nothing, so a job
//! executed twice ends exactly once; a backup's end also updates its device's last backup.

use super::enum_text;
use crate::Result;
use crate::time::to_text;
use netraven_events::catalog::{JobRequested, JobTarget};
use netraven_events::job_state::{JobState, JobStatus, Step};
use netraven_events::{Event, EventData};
use rusqlite::{OptionalExtension, Transaction, params};

/// Every status, for reading the stored text back.
const STATUSES: [JobStatus; 8] = [
    JobStatus::Requested,
    JobStatus::Queued,
    JobStatus::Dispatched,
    JobStatus::Running,
    JobStatus::Succeeded,
    JobStatus::Failed,
    JobStatus::Cancelled,
    JobStatus::TimedOut,
];

/// What a status-changing event writes besides status and attempt.
#[derive(Default)]
struct Change {
    priority: Option<i32>,
    device_id: Option<String>,
    stamp: Option<&'static str>,
    error: Option<(String, String)>,
    summary: Option<String>,
}

fn change_of(data: &EventData) -> Option<Change> {
    let error = |code: &str, message: &str| Some((code.to_string(), message.to_string()));
    Some(match data {
        EventData::JobQueued(e) => Change { priority: Some(e.priority), stamp: Some("queued"), ..Change::default() },
        EventData::JobDispatched(e) => Change { device_id: Some(e.device_id.to_string()), stamp: Some("dispatched"), ..Change::default() },
        EventData::JobStarted(_) => Change { stamp: Some("started"), ..Change::default() },
        EventData::JobAttemptFailed(e) => Change { error: error(&e.error.code, &e.error.message), ..Change::default() },
        EventData::JobRetried(_) => Change::default(),
        EventData::JobSucceeded(e) => Change { stamp: Some("finished"), summary: Some(e.summary.clone()), ..Change::default() },
        EventData::JobFailed(e) => Change { stamp: Some("finished"), error: error(&e.error.code, &e.error.message), ..Change::default() },
        EventData::JobCancelled(e) => Change { stamp: Some("finished"), error: error("CANCELLED", &e.reason), ..Change::default() },
        EventData::JobTimedOut(e) => Change {
            stamp: Some("finished"),
            error: error("TIMEOUT", &format!("attempt {} ran past its timeout of {} s", e.attempt, e.timeout_secs)),
            ..Change::default()
        },
        _ => return None,
    })
}

/// Applies `event` to the jobs view; returns whether the event counts (false: a stale or
/// refused job event, which no other view may take either).
pub(super) fn apply(tx: &Transaction<'_>, event: &Event) -> Result<bool> {
    if let EventData::JobRequested(r) = &event.data {
        requested(tx, event, r)?;
        return Ok(true);
    }
    // Only events on the job's own stream go through its fold (not a schedule's firing).
    let Some(job_id) = super::audit::refs(&event.data).0.filter(|j| j.stream() == event.stream_id) else { return Ok(true) };
    let row: Option<(String, u32, String, Option<String>)> = tx
        .prepare_cached("SELECT status, attempts, job_type, device_id FROM jobs WHERE job_id = ?1")?
        .query_row([job_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((status, attempt, job_type, device_id)) = row else {
        // No job to fold into: log entries and credential attempts still count, results do not.
        return Ok(matches!(event.data, EventData::JobLogged(_) | EventData::CredentialAttempted(_)));
    };
    let status = STATUSES
        .into_iter()
        .find(|s| s.as_str() == status)
        .ok_or_else(|| crate::Error::Corrupt(format!("job status `{status}`")))?;
    let next = match (JobState { job_id, status, attempt }).step(&event.data) {
        Ok(Step::Applied(next)) => next,
        Ok(Step::Stale) => return Ok(false),
        Err(refused) => {
            tracing::warn!(job_id = %job_id, error = %refused, "event refused by the job state machine; ignored");
            return Ok(false);
        }
    };
    if let Some(change) = change_of(&event.data) {
        update(tx, event, &next, change)?;
        if next.status.is_terminal() && job_type == "backup" {
            let device = device_id.or_else(|| match &event.data {
                EventData::JobDispatched(d) => Some(d.device_id.to_string()),
                _ => None,
            });
            tx.prepare_cached(
                "UPDATE devices SET last_backup_job_id = ?2, last_backup_status = ?3, last_backup_at = ?4 WHERE device_id = ?1",
            )?
            .execute(params![device, job_id.to_string(), next.status.as_str(), to_text(&event.time)])?;
        }
    }
    Ok(true)
}

fn requested(tx: &Transaction<'_>, event: &Event, r: &JobRequested) -> Result<()> {
    let device = match &r.target {
        JobTarget::Device { device_id } => Some(device_id.to_string()),
        _ => None,
    };
    tx.prepare_cached(
        "INSERT OR IGNORE INTO jobs (job_id, status, job_type, target, device_id, priority, timeout_secs,
             parent_job_id, schedule_id, created_at, updated_at, actor, correlation_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12)",
    )?
    .execute(params![
        r.job_id.to_string(),
        JobStatus::Requested.as_str(),
        enum_text(&r.job_type)?,
        serde_json::to_string(&r.target)?,
        device,
        r.priority,
        r.timeout_secs,
        r.parent_job_id.map(|p| p.to_string()),
        r.schedule_id.map(|s| s.to_string()),
        to_text(&event.time),
        event.actor,
        event.correlation_id,
    ])?;
    Ok(())
}

fn update(tx: &Transaction<'_>, event: &Event, next: &JobState, change: Change) -> Result<()> {
    let (code, message) = change.error.unzip();
    tx.prepare_cached(
        "UPDATE jobs SET status = ?2, attempts = ?3, updated_at = ?4,
             priority = COALESCE(?5, priority),
             device_id = COALESCE(device_id, ?6),
             queued_at = CASE WHEN ?7 = 'queued' THEN COALESCE(queued_at, ?4) ELSE queued_at END,
             dispatched_at = CASE WHEN ?7 = 'dispatched' THEN ?4 ELSE dispatched_at END,
             started_at = CASE WHEN ?7 = 'started' THEN COALESCE(started_at, ?4) ELSE started_at END,
             finished_at = CASE WHEN ?7 = 'finished' THEN ?4 ELSE finished_at END,
             error_code = COALESCE(?8, error_code),
             error_message = COALESCE(?9, error_message),
             summary = COALESCE(?10, summary)
         WHERE job_id = ?1",
    )?
    .execute(params![
        next.job_id.to_string(),
        next.status.as_str(),
        next.attempt,
        to_text(&event.time),
        change.priority,
        change.device_id,
        change.stamp,
        code,
        message,
        change.summary,
    ])?;
    Ok(())
}
