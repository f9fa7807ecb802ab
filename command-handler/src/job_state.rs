//! The job state machine: requested → queued → dispatched → running → succeeded | failed |
//! cancelled | timed out, with retries as new attempts; folded from a job's events.

use netraven_events::EventData;
use netraven_events::catalog::JobId;
use thiserror::Error;

/// Where a job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobStatus {
    /// Asked for, not yet queued.
    Requested,
    /// Waiting for a free slot or its dependencies.
    Queued,
    /// An attempt was handed to the device-agents.
    Dispatched,
    /// An agent is working on an attempt.
    Running,
    /// Ended successfully.
    Succeeded,
    /// Ended in failure.
    Failed,
    /// Cancelled before it ended.
    Cancelled,
    /// An attempt ran past its timeout.
    TimedOut,
}

impl JobStatus {
    /// Whether the job has ended (no event may change it any more).
    pub fn is_terminal(self) -> bool {
        matches!(self, JobStatus::Succeeded | JobStatus::Failed | JobStatus::Cancelled | JobStatus::TimedOut)
    }

    /// Stable lower-case name, as used in APIs and views.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Requested => "requested",
            JobStatus::Queued => "queued",
            JobStatus::Dispatched => "dispatched",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::TimedOut => "timed_out",
        }
    }
}

/// An event that the job's current status does not allow.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("job {job_id} is {from}: `{event_type}` is not allowed")]
pub struct TransitionError {
    /// The job.
    pub job_id: JobId,
    /// Its status.
    pub from: &'static str,
    /// The refused event type.
    pub event_type: &'static str,
}

/// A job's state as folded from its stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobState {
    /// The job.
    pub job_id: JobId,
    /// Its status.
    pub status: JobStatus,
    /// The current attempt (0 before the first dispatch).
    pub attempt: u32,
}

impl JobState {
    /// The state after `JobRequested`, or `None` if `event` does not open a job.
    pub fn open(event: &EventData) -> Option<Self> {
        match event {
            EventData::JobRequested(r) => Some(JobState { job_id: r.job_id, status: JobStatus::Requested, attempt: 0 }),
            _ => None,
        }
    }

    /// The status `event` leads to, or an error if the current status forbids it. Events that
    /// do not change a job's status (log entries, outputs) keep it.
    pub fn next(&self, event: &EventData) -> Result<JobState, TransitionError> {
        use JobStatus::*;
        let (status, attempt) = match (self.status, event) {
            (Requested, EventData::JobQueued(_)) => (Queued, self.attempt),
            (Queued, EventData::JobDispatched(d)) => (Dispatched, d.attempt),
            (Dispatched, EventData::JobStarted(_)) => (Running, self.attempt),
            (Dispatched | Running, EventData::JobAttemptFailed(_)) => (self.status, self.attempt),
            (Dispatched | Running, EventData::JobRetried(r)) => (Queued, r.attempt),
            (Dispatched | Running, EventData::JobSucceeded(_)) => (Succeeded, self.attempt),
            (Requested | Queued | Dispatched | Running, EventData::JobFailed(_)) => (Failed, self.attempt),
            (Requested | Queued | Dispatched | Running, EventData::JobCancelled(_)) => (Cancelled, self.attempt),
            (Dispatched | Running, EventData::JobTimedOut(_)) => (TimedOut, self.attempt),
            (
                s,
                EventData::JobLogged(_)
                | EventData::CommandOutputCaptured(_)
                | EventData::ConfigCaptured(_)
                | EventData::CredentialAttempted(_),
            ) if !s.is_terminal() || matches!(event, EventData::JobLogged(_)) => (s, self.attempt),
            _ => {
                return Err(TransitionError { job_id: self.job_id, from: self.status.as_str(), event_type: event.event_type() });
            }
        };
        Ok(JobState { job_id: self.job_id, status, attempt })
    }

    /// Folds a job's events (its stream, in order) into its state.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a EventData>) -> Result<Option<JobState>, TransitionError> {
        let mut state: Option<JobState> = None;
        for event in events {
            state = match state {
                None => JobState::open(event),
                Some(s) => Some(s.next(event)?),
            };
        }
        Ok(state)
    }
}

#[cfg(test)]
mod tests;
