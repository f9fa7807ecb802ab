//! One dispatched attempt from start to end: wait for a slot (globally and on the host), make
//! sure the dispatch is still the job's current attempt and claim it with `JobStarted`, check
//! the device's circuit breaker, run the executor, and append its events with the terminal ones.

use super::breakers::Breakers;
use super::follower::Dispatch;
use super::outcome::terminal_events;
use super::table::runnable;
use crate::DeviceError;
use crate::executor::{AttemptReport, Executor};
use crate::pool::Limits;
use crate::resilience::RetryConfig;
use netraven_events::catalog::{JobDispatched, JobStarted, LogLevel};
use netraven_events::job_state::JobState;
use netraven_events::joblog::JobLogEntry;
use netraven_events::{AppendBatch, Cause, Error, Event, EventLog, ExpectedVersion};
use std::sync::Arc;
use tokio::sync::watch;

/// What every attempt of an agent shares.
pub struct Shared {
    pub log: Arc<dyn EventLog>,
    pub executor: Executor,
    pub limits: Limits,
    pub breakers: Breakers,
    pub retry: RetryConfig,
}

/// Runs one dispatch unless shutdown comes before it got its slots.
pub async fn run(shared: Arc<Shared>, dispatch: Dispatch, mut shutdown: watch::Receiver<bool>) {
    let job = &dispatch.job;
    let endpoint = dispatch.target.as_ref().map(|t| t.device.endpoint()).unwrap_or_default();
    let _slots = tokio::select! {
        biased;
        () = super::stopped(&mut shutdown) => return,
        slots = shared.limits.acquire(&endpoint) => slots,
    };
    let cause = Cause {
        source: "/netraven/device-agent".into(),
        actor: shared.executor.agent_id().to_string(),
        correlation_id: dispatch.correlation_id.clone(),
        causation_id: Some(dispatch.event_id),
    };
    match claim(shared.log.as_ref(), job, &cause).await {
        Ok(true) => tracing::info!(job_id = %job.job_id, attempt = job.attempt, "attempt started"),
        Ok(false) => return tracing::debug!(job_id = %job.job_id, attempt = job.attempt, "dispatch no longer current; skipped"),
        Err(error) => return tracing::error!(job_id = %job.job_id, %error, "cannot claim the dispatch"),
    }
    let report = match &dispatch.target {
        Err(err) => refused(&shared, job, &cause, err.clone(), format!("attempt {} not run: {err}", job.attempt)),
        Ok(target) => match shared.breakers.try_acquire(job.device_id) {
            Err(open) => {
                let message = format!("attempt {} not run: the circuit breaker of {} is open ({open}); no connection attempted", job.attempt, target.device.endpoint());
                refused(&shared, job, &cause, open, message)
            }
            Ok(()) => {
                let report = shared.executor.run(job, target, &cause).await;
                shared.breakers.record(job.device_id, &report.outcome);
                report
            }
        },
    };
    let describe = |err: &DeviceError| shared.executor.job_error(job, err, &cause.correlation_id);
    let terminal = terminal_events(job, &report.outcome, describe, &shared.retry, rand::random::<f64>());
    let mut events = report.events;
    events.extend(terminal.into_iter().map(|data| Event::new(data, &cause)));
    match shared.log.append(AppendBatch::new(events)).await {
        Ok(_) => tracing::info!(job_id = %job.job_id, attempt = job.attempt, ok = report.outcome.is_ok(), "attempt ended"),
        Err(error) => tracing::error!(job_id = %job.job_id, %error, "cannot record the attempt's result"),
    }
}

/// An attempt that was not run, with the job log entry that says why.
fn refused(shared: &Shared, job: &JobDispatched, cause: &Cause, err: DeviceError, message: String) -> AttemptReport {
    let entry = JobLogEntry::new(job.job_id, LogLevel::Error, "result", message, &cause.correlation_id);
    let logged = shared.executor.logger().event(entry, &cause.actor);
    AttemptReport { events: vec![logged], outcome: Err(err) }
}

/// Appends `JobStarted` if the job's stream, read now, still waits for this attempt; the
/// append expects the version read, so of two agents racing for one dispatch only one wins.
async fn claim(log: &dyn EventLog, job: &JobDispatched, cause: &Cause) -> netraven_events::Result<bool> {
    let stream = job.job_id.stream();
    loop {
        let recorded = log.read_stream(&stream, 1).await?;
        let version = recorded.last().map_or(0, |r| r.event.stream_version);
        let state = JobState::fold(recorded.iter().map(|r| &r.event.data));
        if !matches!(&state, Ok(Some(state)) if runnable(state, job)) {
            return Ok(false);
        }
        let started = JobStarted { job_id: job.job_id, attempt: job.attempt, agent_id: cause.actor.clone() };
        let batch = AppendBatch::new(vec![Event::new(started, cause)]).expect(stream.clone(), ExpectedVersion::Exact(version));
        match log.append(batch).await {
            Ok(_) => return Ok(true),
            Err(Error::Conflict { .. }) => continue,
            Err(error) => return Err(error),
        }
    }
}
