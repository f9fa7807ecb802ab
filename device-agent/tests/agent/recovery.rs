//! At-least-once execution with exactly-once results: an agent killed mid-job is replaced by
//! another that runs the redispatched attempt; a redelivered or stale dispatch is not run
//! again; two agents racing for one dispatch start it once.

use crate::harness::*;
use netraven_devsim::{DeviceSpec, Drip, Faults, Platform};
use std::time::Duration;
use netraven_events::EventData;
use netraven_events::catalog::*;
use netraven_events::job_state::JobStatus;

fn started(events: &[EventData], attempt: u32) -> Vec<String> {
    events.iter().filter_map(|e| match e {
        EventData::JobStarted(s) if s.attempt == attempt => Some(s.agent_id.clone()),
        _ => None,
    }).collect()
}

/// Results an agent recorded for `attempt`.
fn results(events: &[EventData], attempt: u32) -> usize {
    events
        .iter()
        .filter(|e| match e {
            EventData::JobSucceeded(e) => e.attempt == attempt,
            EventData::JobAttemptFailed(e) => e.attempt == attempt,
            EventData::JobFailed(e) => e.attempt == attempt,
            _ => false,
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_whose_agent_died_is_finished_once_by_another() {
    let mut spec = DeviceSpec::new("edge-k", Platform::CiscoIos);
    spec.faults = Faults { hang_after: Some(200), ..Faults::default() };
    let lab = lab(spec, Some("cisco_ios")).await;
    let (h, device, handle) = (&lab.h, lab.device, lab.handle());

    let first = h.start(config("agent-1"));
    let job = h.dispatch(device, JobType::Backup, JobParameters::default()).await;
    h.wait_for(job, |events| !started(events, 1).is_empty()).await;
    first.task.abort();
    assert!(first.task.await.unwrap_err().is_cancelled(), "agent-1 was killed mid-job");
    handle.set_faults(Faults::default());

    // The dispatcher gives up on attempt 1 and dispatches attempt 2.
    let redispatch = JobDispatched { job_id: job, attempt: 2, device_id: device, job_type: JobType::Backup, parameters: JobParameters::default(), timeout_secs: 60, log_position: None };
    h.append(vec![JobRetried { job_id: job, attempt: 2, backoff_ms: 0 }.into(), redispatch.clone().into()]).await;
    let (second, third) = (h.start(config("agent-2")), h.start(config("agent-3")));
    let events = h.wait_attempt_end(job, 2).await;
    assert_eq!(started(&events, 2).len(), 1, "one of the two agents claimed attempt 2: {:?}", started(&events, 2));

    // A redelivered dispatch of the finished attempt, then another job as a marker.
    h.append(vec![redispatch.into()]).await;
    let marker = h.dispatch(device, JobType::Backup, JobParameters::default()).await;
    h.wait_attempt_end(marker, 1).await;
    second.stop().await;
    third.stop().await;

    let events = h.job_events(job).await;
    assert_eq!(started(&events, 1), ["agent-1"], "nobody re-ran attempt 1");
    assert_eq!(started(&events, 2).len(), 1, "the redelivered dispatch was not run again");
    assert_eq!((results(&events, 1), results(&events, 2)), (0, 1));
    let succeeded = events.iter().filter(|e| matches!(e, EventData::JobSucceeded(_))).count();
    let captured = events.iter().filter(|e| matches!(e, EventData::ConfigCaptured(_))).count();
    assert_eq!((succeeded, captured), (1, 1));
    let state = fold(&events);
    assert_eq!((state.status, state.attempt), (JobStatus::Succeeded, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_shutdown_lets_a_started_attempt_finish() {
    let mut spec = DeviceSpec::new("edge-s", Platform::CiscoIos);
    spec.faults = Faults { drip: Some(Drip { chunk: 2048, delay: Duration::from_millis(30) }), ..Faults::default() };
    let lab = lab(spec, Some("cisco_ios")).await;
    let agent = lab.h.start(config("agent-1"));
    let job = lab.h.dispatch(lab.device, JobType::Backup, JobParameters::default()).await;
    lab.h.wait_for(job, |events| !started(events, 1).is_empty()).await;
    agent.stop().await;
    let events = lab.h.job_events(job).await;
    assert_eq!(results(&events, 1), 1, "the attempt ended before the agent did: {:#?}", types(&events));
    assert_eq!(fold(&events).status, JobStatus::Succeeded);
    connections_become(&lab.handle(), 0).await;
}
