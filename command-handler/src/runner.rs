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

/// Logs what became of one pass's appends: a conflict (the state moved on) is decided again by
/// the next pass; after any other error the loop pauses a tick.
async fn report(outcomes: Vec<Result<(), netraven_events::Error>>, what: &str) {
    let mut failed = false;
    for outcome in outcomes {
        match outcome {
            Ok(()) => {}
            Err(conflict @ netraven_events::Error::Conflict { .. }) => tracing::debug!(%conflict, "{what}: state moved on; deciding again"),
            Err(err) => {
                tracing::error!(%err, "{what}: append failed; retrying");
                failed = true;
            }
        }
    }
    if failed {
        tokio::time::sleep(TICK).await;
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
        let decisions: Vec<(Vec<Event>, Vec<(StreamId, ExpectedVersion)>)> = state.read(|reg| {
            dispatch::decide(reg, now, &config, check_silence)
                .into_iter()
                .map(|(job_id, version, data)| {
                    let correlation = reg.jobs.get(&job_id).map(|j| j.correlation_id.clone()).unwrap_or_default();
                    let cause = cause("dispatcher", "dispatcher", &correlation);
                    (data.into_iter().map(|d| Event::new(d, &cause)).collect(), vec![(job_id.stream(), ExpectedVersion::Exact(version))])
                })
                .collect()
        });
        // One append per job, all at once: the log commits them together, and a job whose
        // version moved on is decided again next pass without holding back the others.
        match state.append_each(decisions).await {
            Ok(outcomes) => report(outcomes, "dispatcher").await,
            Err(err) => tracing::error!(%err, "dispatcher: the registry stopped following the log"),
        }
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
    let firings = due.into_iter().map(|(schedule_id, version, data)| {
        let cause = cause("scheduler", "scheduler", &uuid::Uuid::now_v7().to_string());
        let mut expect = vec![(schedule_id.stream(), ExpectedVersion::Exact(version))];
        expect.extend(data.iter().filter(|d| matches!(d, netraven_events::EventData::JobRequested(_))).map(|d| (d.stream(), ExpectedVersion::NoStream)));
        (data.into_iter().map(|d| Event::new(d, &cause)).collect(), expect)
    });
    match state.append_each(firings.collect()).await {
        Ok(outcomes) => report(outcomes, "scheduler").await,
        Err(err) => tracing::error!(%err, "scheduler: the registry stopped following the log"),
    }
    tried
}
