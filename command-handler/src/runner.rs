//! The command side's background loops: the dispatcher and the scheduler. Each decides with
//! the pure functions of `dispatch` and `decide::schedules`, appends with expected versions,
//! and waits for the registry to reflect its own appends before deciding again.

use crate::decide::schedules;
use crate::dispatch::{self, DispatchConfig};
use crate::state::CommandState;
use netraven_events::{Cause, Event, ExpectedVersion, StreamId};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How often the loops look again when nothing in the log changed.
const TICK: Duration = Duration::from_millis(500);

fn cause(component: &str, actor: &str, correlation_id: &str) -> Cause {
    Cause { source: format!("/netraven/{component}"), actor: actor.into(), correlation_id: correlation_id.into(), causation_id: None }
}

/// Waits for a change in the log, a tick, or shutdown; false on shutdown.
async fn wait(state: &CommandState, shutdown: &mut watch::Receiver<bool>) -> bool {
    let mut applied = state.applied();
    tokio::select! {
        // A short pause after a change lets a burst of appends be decided in one pass.
        _ = applied.changed() => {
            tokio::time::sleep(Duration::from_millis(5)).await;
            true
        }
        _ = tokio::time::sleep(TICK) => true,
        _ = shutdown.changed() => false,
    }
}

/// Appends one pass's events; a conflict (the state moved on) is retried by the next pass.
async fn append(state: &CommandState, events: Vec<Event>, expect: Vec<(StreamId, ExpectedVersion)>, what: &str) {
    if events.is_empty() {
        return;
    }
    match state.append_events(events, expect).await {
        Ok(Ok(_)) => {}
        Ok(Err(conflict)) => tracing::debug!(%conflict, "{what}: state moved on; deciding again"),
        Err(err) => {
            tracing::error!(%err, "{what}: append failed; retrying");
            tokio::time::sleep(TICK).await;
        }
    }
}

/// Runs the dispatcher until `shutdown` turns true.
pub async fn dispatcher(state: Arc<CommandState>, config: DispatchConfig, mut shutdown: watch::Receiver<bool>) {
    let mut last_silence_check = std::time::Instant::now();
    loop {
        let now = chrono::Utc::now();
        let check_silence = last_silence_check.elapsed() >= TICK;
        if check_silence {
            last_silence_check = std::time::Instant::now();
        }
        let (events, expect) = state.read(|reg| {
            let mut events = Vec::new();
            let mut expect = Vec::new();
            for (job_id, version, data) in dispatch::decide(reg, now, &config, check_silence) {
                let correlation = reg.jobs.get(&job_id).map(|j| j.correlation_id.clone()).unwrap_or_default();
                let cause = cause("dispatcher", "dispatcher", &correlation);
                expect.push((job_id.stream(), ExpectedVersion::Exact(version)));
                events.extend(data.into_iter().map(|d| Event::new(d, &cause)));
            }
            (events, expect)
        });
        append(&state, events, expect, "dispatcher").await;
        if !wait(&state, &mut shutdown).await {
            return;
        }
    }
}

/// Runs the scheduler until `shutdown` turns true: each due time fires once (the schedule's
/// stream version is expected, so a second firing of the same time is refused).
pub async fn scheduler(state: Arc<CommandState>, mut shutdown: watch::Receiver<bool>) {
    loop {
        fire_due(&state, chrono::Utc::now()).await;
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// One scheduler pass at `now`: appends a firing for every due schedule, each expecting the
/// schedule's version and new job streams; returns how many firings it tried.
pub async fn fire_due(state: &CommandState, now: chrono::DateTime<chrono::Utc>) -> usize {
    let due = state.read(|reg| schedules::fire_due(reg, now));
    let tried = due.len();
    for (schedule_id, version, data) in due {
        let correlation = uuid::Uuid::now_v7().to_string();
        let cause = cause("scheduler", "scheduler", &correlation);
        let mut expect = vec![(schedule_id.stream(), ExpectedVersion::Exact(version))];
        expect.extend(data.iter().filter(|d| matches!(d, netraven_events::EventData::JobRequested(_))).map(|d| (d.stream(), ExpectedVersion::NoStream)));
        append(state, data.into_iter().map(|d| Event::new(d, &cause)).collect(), expect, "scheduler").await;
    }
    tried
}
