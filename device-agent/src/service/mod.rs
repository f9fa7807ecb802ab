//! The device-agent service: follows the event log, keeps devices, credentials and host keys
//! folded from it, and runs every `JobDispatched` that is still its job's current attempt,
//! bounded globally and per host, appending the attempt's events as ADR 004 lays down.

mod attempt;
mod breakers;
mod config;
mod follower;
mod group;
mod outcome;
mod registry;
mod runner;
mod table;

pub use breakers::Breakers;
pub use config::AgentConfig;
pub use outcome::terminal_events;
pub use registry::Registry;

use crate::executor::Executor;
use crate::pool::{ConnectionManager, Limits};
use crate::profile::ProfileSet;
use attempt::Shared;
use follower::Follower;
use netraven_events::joblog::JobLogger;
use netraven_events::log::kafka::GroupMember;
use netraven_events::{Event, EventData, EventLog, Position};
use netraven_redact::SensitiveDataFilter;
use netraven_vault::Vault;
use runner::Runner;
use std::sync::Arc;
use tokio::sync::watch;

/// One device-agent instance.
pub struct Agent {
    config: AgentConfig,
    log: Arc<dyn EventLog>,
    vault: Arc<Vault>,
    profiles: ProfileSet,
    group: Option<GroupMember>,
}

impl Agent {
    /// An agent that reads and appends through `log`, opens credentials with `vault` and
    /// talks to devices with `profiles`. It runs every dispatch in the log (one agent, or
    /// several on the embedded store where the `JobStarted` claim picks one).
    pub fn new(config: AgentConfig, log: Arc<dyn EventLog>, vault: Arc<Vault>, profiles: ProfileSet) -> Self {
        Agent { config, log, vault, profiles, group: None }
    }

    /// Takes dispatches from a Kafka consumer group instead (scale-out: each dispatch goes to
    /// one member of the group), while still reading the whole log for devices and credentials.
    pub fn with_group(mut self, member: GroupMember) -> Self {
        self.group = Some(member);
        self
    }

    /// Follows the log until `shutdown` turns true (or the log ends), running dispatches as
    /// they come. On shutdown it takes no new dispatch, lets the attempts that started finish
    /// and closes its idle sessions. Fails only when the log cannot be read.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) -> netraven_events::Result<()> {
        let Agent { config, log, vault, profiles, group } = self;
        let pool = ConnectionManager::new(config.pool.clone());
        let logger = JobLogger::new(log.clone(), Arc::new(SensitiveDataFilter::new()), "device-agent");
        let executor = Executor::new(profiles, vault, logger, config.timeouts(), pool.clone(), &config.agent_id);
        let shared = Arc::new(Shared {
            log: log.clone(),
            executor,
            limits: Limits::new(config.pool.max_connections, config.pool.max_per_host),
            breakers: Breakers::new(config.breaker.clone()),
            retry: config.retry.clone(),
        });
        let mut runner = Runner::new(shared, pool, shutdown.clone());
        tracing::info!(agent_id = %config.agent_id, group = group.is_some(), "device-agent starting");
        let result = match group {
            None => follow_log(&mut runner, log.as_ref(), &mut shutdown).await,
            Some(member) => group::follow(&mut runner, log, member, &mut shutdown).await,
        };
        runner.finish().await;
        result
    }
}

/// Runs the dispatches of the whole log: those of its history that are still current once it
/// has been read, then each live one.
async fn follow_log(runner: &mut Runner, log: &dyn EventLog, shutdown: &mut watch::Receiver<bool>) -> netraven_events::Result<()> {
    let mut follower = Follower::default();
    let Some(caught_up) = catch_up(log, |event| drop(follower.apply(event, false)), shutdown).await? else {
        return Ok(());
    };
    for dispatch in follower.take_pending() {
        runner.launch(dispatch);
    }
    let mut subscription = log.subscribe_skipping(caught_up, follower::UNFOLDED).await?;
    // Dispatches decided on more of the log than read here yet (Kafka, other partitions).
    let mut held: Vec<Event> = Vec::new();
    loop {
        tokio::select! {
            biased;
            () = stopped(shutdown) => return Ok(()),
            () = runner.housekeeping() => {}
            next = subscription.next() => match next {
                None => return Ok(()),
                Some(Err(error)) => return Err(error),
                Some(Ok(recorded)) => {
                    let read = subscription.position();
                    if let Some(dispatch) = follower.apply(&recorded.event, true) {
                        match follower::read_as_far(&dispatch.job, read) {
                            true => runner.launch(dispatch),
                            false => held.push(recorded.event),
                        }
                    }
                    held.retain(|event| {
                        let EventData::JobDispatched(job) = &event.data else { return false };
                        let covered = follower::read_as_far(job, read);
                        if let Some(dispatch) = follower.dispatch_for(event).filter(|_| covered) {
                            runner.launch(dispatch);
                        }
                        !covered
                    });
                }
            },
        }
    }
}

/// Reads the log as it is now (a bounded read) into `apply`; returns where it ended, or `None`
/// when shutdown came first.
async fn catch_up(log: &dyn EventLog, mut apply: impl FnMut(&Event), shutdown: &mut watch::Receiver<bool>) -> netraven_events::Result<Option<Position>> {
    let mut history = log.read_all_skipping(Position::start(), follower::UNFOLDED).await?;
    loop {
        tokio::select! {
            biased;
            () = stopped(shutdown) => return Ok(None),
            next = history.next() => match next {
                None => return Ok(Some(history.position().clone())),
                Some(recorded) => apply(&recorded?.event),
            },
        }
    }
}

/// Resolves once `shutdown` is true; never if its sender is gone without saying so.
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    if shutdown.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}
