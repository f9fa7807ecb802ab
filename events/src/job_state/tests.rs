//! Given events → when event → then state or error, for the job state machine.

use super::*;
use crate::catalog::*;

fn id() -> JobId {
    JobId(uuid::Uuid::from_u128(7))
}

fn requested() -> EventData {
    JobRequested {
        job_id: id(),
        job_type: JobType::Backup,
        target: JobTarget::Device { device_id: DeviceId(uuid::Uuid::from_u128(1)) },
        parameters: JobParameters::default(),
        priority: 0,
        depends_on: vec![],
        timeout_secs: 30,
        force: false,
        parent_job_id: None,
        schedule_id: None,
        idempotency_key: None,
        child_count: None,
    }
    .into()
}

fn queued() -> EventData {
    JobQueued { job_id: id(), priority: 0 }.into()
}

fn dispatched(attempt: u32) -> EventData {
    JobDispatched {
        job_id: id(),
        attempt,
        device_id: DeviceId(uuid::Uuid::from_u128(1)),
        job_type: JobType::Backup,
        parameters: JobParameters::default(),
        timeout_secs: 30,
        log_position: None,
    }
    .into()
}

fn started(attempt: u32) -> EventData {
    JobStarted { job_id: id(), attempt, agent_id: "agent-1".into() }.into()
}

fn error() -> JobError {
    JobError { code: "TIMEOUT".into(), message: "no answer".into(), retryable: true }
}

fn given(events: &[EventData]) -> JobState {
    JobState::fold(events).unwrap().unwrap()
}

#[test]
fn a_job_runs_through_its_lifecycle_to_success() {
    let state = given(&[requested(), queued(), dispatched(1), started(1)]);
    assert_eq!(state.status, JobStatus::Running);
    let done = state.next(&JobSucceeded { job_id: id(), attempt: 1, summary: "ok".into() }.into()).unwrap();
    assert_eq!(done.status, JobStatus::Succeeded);
    assert!(done.status.is_terminal());
}

#[test]
fn a_retry_is_a_new_attempt() {
    let failed_once = given(&[
        requested(),
        queued(),
        dispatched(1),
        started(1),
        JobAttemptFailed { job_id: id(), attempt: 1, error: error() }.into(),
        JobRetried { job_id: id(), attempt: 2, backoff_ms: 500 }.into(),
    ]);
    assert_eq!((failed_once.status, failed_once.attempt), (JobStatus::Queued, 2));
    let again = given(&[requested(), queued(), dispatched(1), started(1),
        JobRetried { job_id: id(), attempt: 2, backoff_ms: 500 }.into(), dispatched(2)]);
    assert_eq!((again.status, again.attempt), (JobStatus::Dispatched, 2));
}

#[test]
fn a_finished_job_cannot_be_cancelled_or_finished_again() {
    let done = given(&[requested(), queued(), dispatched(1), started(1),
        JobSucceeded { job_id: id(), attempt: 1, summary: "ok".into() }.into()]);
    let err = done.next(&JobCancelled { job_id: id(), reason: "too late".into() }.into()).unwrap_err();
    assert_eq!(err.from, "succeeded");
    assert_eq!(err.event_type, "netraven.job.cancelled.v1");
    assert_eq!(done.step(&JobFailed { job_id: id(), attempt: 1, error: error() }.into()), Ok(Step::Stale));
    assert_eq!(done.step(&started(1)), Ok(Step::Stale));
}

#[test]
fn a_result_delivered_twice_ends_the_job_once() {
    let success: EventData = JobSucceeded { job_id: id(), attempt: 1, summary: "ok".into() }.into();
    let done = given(&[requested(), queued(), dispatched(1), started(1), success.clone()]);
    assert_eq!(done.step(&success), Ok(Step::Stale));
    assert_eq!(done.step(&dispatched(1)), Ok(Step::Stale));
    let twice = given(&[requested(), queued(), dispatched(1), started(1), started(1), success.clone(), success]);
    assert_eq!((twice.status, twice.attempt), (JobStatus::Succeeded, 1));
}

#[test]
fn a_late_answer_from_an_abandoned_attempt_is_ignored() {
    let retried = given(&[requested(), queued(), dispatched(1), started(1),
        JobRetried { job_id: id(), attempt: 2, backoff_ms: 0 }.into(), dispatched(2), started(2)]);
    let late: EventData = JobSucceeded { job_id: id(), attempt: 1, summary: "late".into() }.into();
    assert_eq!(retried.step(&late), Ok(Step::Stale));
    let current = retried.next(&JobSucceeded { job_id: id(), attempt: 2, summary: "ok".into() }.into()).unwrap();
    assert_eq!((current.status, current.attempt), (JobStatus::Succeeded, 2));
}

#[test]
fn steps_cannot_be_skipped() {
    let requested_only = given(&[requested()]);
    assert_eq!(requested_only.next(&started(1)).unwrap().status, JobStatus::Requested);
    assert!(requested_only.next(&dispatched(1)).is_err());
    let cancelled = requested_only.next(&JobCancelled { job_id: id(), reason: "not needed".into() }.into()).unwrap();
    assert_eq!(cancelled.status, JobStatus::Cancelled);
}

#[test]
fn a_stream_that_does_not_open_with_a_request_has_no_job() {
    assert_eq!(JobState::fold(&[queued()]).unwrap(), None);
    assert_eq!(JobState::fold(&[]).unwrap(), None);
}
