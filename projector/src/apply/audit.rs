//! The audit table: one row per event (who, what, when, on which job or device, under which
//! correlation id); events the job fold ignored are kept and marked `ignored`.

use crate::Result;
use crate::time::to_text;
use netraven_events::catalog::{DeviceId, JobId};
use netraven_events::{EventData, RecordedEvent};
use rusqlite::{Transaction, params};

/// The job and device an event names, if any.
pub fn refs(data: &EventData) -> (Option<JobId>, Option<DeviceId>) {
    use EventData as D;
    let (job, device) = match data {
        D::JobRequested(e) => (Some(e.job_id), match &e.target {
            netraven_events::catalog::JobTarget::Device { device_id } => Some(*device_id),
            _ => None,
        }),
        D::JobDispatched(e) => (Some(e.job_id), Some(e.device_id)),
        D::JobQueued(e) => (Some(e.job_id), None),
        D::JobStarted(e) => (Some(e.job_id), None),
        D::JobAttemptFailed(e) => (Some(e.job_id), None),
        D::JobRetried(e) => (Some(e.job_id), None),
        D::JobSucceeded(e) => (Some(e.job_id), None),
        D::JobFailed(e) => (Some(e.job_id), None),
        D::JobCancelled(e) => (Some(e.job_id), None),
        D::JobTimedOut(e) => (Some(e.job_id), None),
        D::JobLogged(e) => (Some(e.job_id), None),
        D::CommandOutputCaptured(e) => (Some(e.job_id), Some(e.device_id)),
        D::ConfigCaptured(e) => (Some(e.job_id), Some(e.device_id)),
        D::ConfigChanged(e) => (Some(e.job_id), Some(e.device_id)),
        D::CredentialAttempted(e) => (Some(e.job_id), Some(e.device_id)),
        D::DevicePlatformDetected(e) => (Some(e.job_id), Some(e.device_id)),
        D::ScheduleFired(e) => (Some(e.job_id), None),
        D::DeviceRegistered(e) => (None, Some(e.device_id)),
        D::DeviceUpdated(e) => (None, Some(e.device_id)),
        D::DeviceRemoved(e) => (None, Some(e.device_id)),
        D::HostKeyLearned(e) => (None, Some(e.device_id)),
        D::HostKeyMismatched(e) => (None, Some(e.device_id)),
        D::HostKeyAccepted(e) => (None, Some(e.device_id)),
        D::CredentialAdded(_)
        | D::CredentialRotated(_)
        | D::CredentialRevoked(_)
        | D::ScheduleCreated(_)
        | D::SchedulePaused(_)
        | D::ScheduleResumed(_)
        | D::ScheduleRemoved(_) => (None, None),
    };
    (job, device)
}

/// Records `recorded` in the audit table.
pub(super) fn record(tx: &Transaction<'_>, recorded: &RecordedEvent, ignored: bool) -> Result<()> {
    let event = &recorded.event;
    let (job, device) = refs(&event.data);
    tx.prepare_cached(
        "INSERT INTO audit (event_id, position, time, actor, event_type, stream_id, job_id, device_id,
             correlation_id, source, ignored) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        event.id.to_string(),
        format!("{}:{}", recorded.partition, recorded.offset),
        to_text(&event.time),
        event.actor,
        event.event_type(),
        event.stream_id.as_str(),
        job.map(|j| j.to_string()),
        device.map(|d| d.to_string()),
        event.correlation_id,
        event.source,
        ignored
    ])?;
    Ok(())
}
