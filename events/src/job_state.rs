//! The job state machine: requested → queued → dispatched → running → succeeded | failed |
//! cancelled | timed out, with retries as new attempts; folded from a job's events.
//!
//! Results are keyed by job and attempt: a result for another attempt than the current one,
//! or any result after the job ended, is *stale* (a duplicate delivery or a late answer from
//! an agent that was given up on) and changes nothing. That is how a job executed twice still
//! ends exactly once in every view.

use crate::EventData;
use crate::catalog::JobId;
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

/// What one event did to a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The job's new state.
    Applied(JobState),
    /// A result for another attempt, or after the job ended: ignored.
    Stale,
}

/// The attempt a result-carrying event is about (`JobRetried`: the new attempt).
fn result_attempt(event: &EventData) -> Option<u32> {
    match event {
        EventData::JobStarted(e) => Some(e.attempt),
        EventData::JobAttemptFailed(e) => Some(e.attempt),
        EventData::JobRetried(e) => Some(e.attempt),
        EventData::JobSucceeded(e) => Some(e.attempt),
        EventData::JobTimedOut(e) => Some(e.attempt),
        EventData::CommandOutputCaptured(e) => Some(e.attempt),
        EventData::ConfigCaptured(e) => Some(e.attempt),
        _ => None,
    }
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

    /// What `event` does to the job: a new state, stale (ignored), or an error if the current
    /// status forbids it. Events that do not change a job's status (log entries, outputs) keep it.
    pub fn step(&self, event: &EventData) -> Result<Step, TransitionError> {
        use JobStatus::*;
        if let Some(attempt) = result_attempt(event) {
            let expected = if matches!(event, EventData::JobRetried(_)) { self.attempt + 1 } else { self.attempt };
            if attempt != expected || self.status.is_terminal() {
                return Ok(Step::Stale);
            }
        }
        if let EventData::JobFailed(f) = event {
            if self.status.is_terminal() && f.attempt == self.attempt && f.attempt > 0 {
                return Ok(Step::Stale);
            }
        }
        if let EventData::JobDispatched(d) = event {
            let duplicate = match self.status {
                Queued => d.attempt != self.attempt.max(1),
                Requested => false,
                _ => d.attempt <= self.attempt,
            };
            if duplicate {
                return Ok(Step::Stale);
            }
        }
        let (status, attempt) = match (self.status, event) {
            (Requested, EventData::JobQueued(_)) => (Queued, self.attempt),
            (Queued, EventData::JobDispatched(d)) => (Dispatched, d.attempt),
            (Dispatched, EventData::JobStarted(_)) => (Running, self.attempt),
            (Running, EventData::JobStarted(_)) => return Ok(Step::Stale),
            (Dispatched | Running, EventData::JobAttemptFailed(_)) => (self.status, self.attempt),
            (Dispatched | Running, EventData::JobRetried(r)) => (Queued, r.attempt),
            (Dispatched | Running, EventData::JobSucceeded(_)) => (Succeeded, self.attempt),
            // A parent job (fanned out into children) is never dispatched: it ends from the queue.
            (Queued, EventData::JobSucceeded(s)) if s.attempt == 0 => (Succeeded, 0),
            (Requested | Queued | Dispatched | Running, EventData::JobFailed(_)) => (Failed, self.attempt),
            (Requested | Queued | Dispatched | Running, EventData::JobCancelled(_)) => (Cancelled, self.attempt),
            (Dispatched | Running, EventData::JobTimedOut(_)) => (TimedOut, self.attempt),
            (_, EventData::JobLogged(_) | EventData::CredentialAttempted(_)) => (self.status, self.attempt),
            (Dispatched | Running, EventData::CommandOutputCaptured(_) | EventData::ConfigCaptured(_)) => (self.status, self.attempt),
            _ => {
                return Err(TransitionError { job_id: self.job_id, from: self.status.as_str(), event_type: event.event_type() });
            }
        };
        Ok(Step::Applied(JobState { job_id: self.job_id, status, attempt }))
    }

    /// The state after `event` (unchanged when the event is stale), or an error if the current
    /// status forbids it.
    pub fn next(&self, event: &EventData) -> Result<JobState, TransitionError> {
        Ok(match self.step(event)? {
            Step::Applied(state) => state,
            Step::Stale => self.clone(),
        })
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
