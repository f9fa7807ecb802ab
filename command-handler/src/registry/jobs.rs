//! Jobs in the registry: each job's request, folded state, children and last change, kept
//! through `job_state` so stale results change nothing here either.

use super::Registry;
use chrono::{DateTime, Utc};
use netraven_events::catalog::*;
use netraven_events::job_state::{JobState, JobStatus, Step};
use netraven_events::{EventData, RecordedEvent};

/// A job as the command side and the dispatcher need it.
#[derive(Clone, Debug, PartialEq)]
pub struct JobInfo {
    /// The request that opened it.
    pub request: JobRequested,
    /// Its folded state.
    pub state: JobState,
    /// Children of a fanned-out job.
    pub children: Vec<JobId>,
    /// When its state last changed (or an agent last showed a sign of life).
    pub last_change: DateTime<Utc>,
    /// Its stream's version.
    pub version: u64,
    /// The error of its last failed attempt.
    pub last_error: Option<JobError>,
    /// Back-off asked for by the last retry, counted from `last_change`.
    pub backoff_ms: u64,
    /// Who asked for it (the `actor` of the request).
    pub actor: String,
    /// The request's correlation id.
    pub correlation_id: String,
}

impl JobInfo {
    /// The device of a single-device job.
    pub fn device(&self) -> Option<DeviceId> {
        match self.request.target {
            JobTarget::Device { device_id } => Some(device_id),
            _ => None,
        }
    }

    /// Whether the job fanned out into children (it is never dispatched itself).
    pub fn is_parent(&self) -> bool {
        !matches!(self.request.target, JobTarget::Device { .. })
    }
}

impl Registry {
    pub(super) fn apply_job_event(&mut self, recorded: &RecordedEvent) {
        let event = &recorded.event;
        if let EventData::JobRequested(request) = &event.data {
            if self.jobs.contains_key(&request.job_id) {
                return; // a duplicate request (a second scheduler firing the same due time)
            }
            let Some(state) = JobState::open(&event.data) else { return };
            if let Some(key) = &request.idempotency_key {
                self.idempotency.insert((event.actor.clone(), key.clone()), request.job_id);
            }
            // A fan-out is one batch, but its events lie in several partitions, and a Kafka
            // reader may hand over a child's request before its parent's.
            if let Some(parent) = request.parent_job_id {
                match self.jobs.get_mut(&parent) {
                    Some(parent) => parent.children.push(request.job_id),
                    None => self.early_children.entry(parent).or_default().push(request.job_id),
                }
            }
            let info = JobInfo {
                request: request.clone(),
                state,
                children: self.early_children.remove(&request.job_id).unwrap_or_default(),
                last_change: event.time,
                version: event.stream_version,
                last_error: None,
                backoff_ms: 0,
                actor: event.actor.clone(),
                correlation_id: event.correlation_id.clone(),
            };
            self.jobs.insert(request.job_id, info);
            self.waiting.insert(request.job_id);
            self.must_check.insert(request.job_id);
            return;
        }
        let Some(job_id) = job_of(&event.data) else { return };
        let Some(job) = self.jobs.get_mut(&job_id) else { return };
        job.version = job.version.max(event.stream_version);
        match job.state.step(&event.data) {
            Ok(Step::Applied(next)) => {
                let (before, after) = (job.state.status, next.status);
                let backup_device = if job.request.job_type == JobType::Backup { job.device() } else { None };
                job.state = next;
                job.last_change = event.time;
                match &event.data {
                    EventData::JobAttemptFailed(f) => job.last_error = Some(f.error.clone()),
                    EventData::JobFailed(f) => job.last_error = Some(f.error.clone()),
                    EventData::JobRetried(r) => job.backoff_ms = r.backoff_ms,
                    _ => {}
                }
                if before != after {
                    self.track(job_id, before, after, backup_device);
                }
            }
            Ok(Step::Stale) => {}
            Err(err) => tracing::warn!(%err, event_id = %event.id, "event does not fit its job; ignored"),
        }
    }
}

/// The job an event belongs to, when it is a job event.
fn job_of(data: &EventData) -> Option<JobId> {
    Some(match data {
        EventData::JobQueued(e) => e.job_id,
        EventData::JobDispatched(e) => e.job_id,
        EventData::JobStarted(e) => e.job_id,
        EventData::JobAttemptFailed(e) => e.job_id,
        EventData::JobRetried(e) => e.job_id,
        EventData::JobSucceeded(e) => e.job_id,
        EventData::JobFailed(e) => e.job_id,
        EventData::JobCancelled(e) => e.job_id,
        EventData::JobTimedOut(e) => e.job_id,
        EventData::JobLogged(e) => e.job_id,
        EventData::CommandOutputCaptured(e) => e.job_id,
        EventData::ConfigCaptured(e) => e.job_id,
        _ => return None,
    })
}

impl Registry {
    /// Keeps the dispatcher's sets in step with a job's change of status.
    fn track(&mut self, job_id: JobId, before: JobStatus, after: JobStatus, backup_device: Option<DeviceId>) {
        let flying = |s: JobStatus| matches!(s, JobStatus::Dispatched | JobStatus::Running);
        let waiting = |s: JobStatus| matches!(s, JobStatus::Requested | JobStatus::Queued);
        if waiting(before) && !waiting(after) {
            self.waiting.remove(&job_id);
            self.must_check.remove(&job_id);
        }
        if before == JobStatus::Requested && after == JobStatus::Queued {
            let watched = self.jobs.get(&job_id).is_some_and(|j| j.is_parent() || !j.request.depends_on.is_empty());
            if !watched {
                self.must_check.remove(&job_id);
            }
        }
        if waiting(after) {
            self.waiting.insert(job_id);
        }
        if flying(before) && !flying(after) {
            self.in_flight.remove(&job_id);
            if let Some(device) = backup_device {
                if let Some(count) = self.busy_backups.get_mut(&device) {
                    *count -= 1;
                    if *count == 0 {
                        self.busy_backups.remove(&device);
                    }
                }
            }
        }
        if !flying(before) && flying(after) {
            self.in_flight.insert(job_id);
            if let Some(device) = backup_device {
                *self.busy_backups.entry(device).or_default() += 1;
            }
        }
    }
}
