//! The device-agent service: follows the event log, keeps devices, credentials and host keys
//! folded from it, and runs every `JobDispatched` that is still its job's current attempt,
//! bounded globally and per host, appending the attempt's events as ADR 004 lays down.

mod attempt;
mod breakers;
mod config;
mod follower;
mod outcome;
mod registry;
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
use netraven_events::{EventLog, Position};
use netraven_redact::SensitiveDataFilter;
use netraven_vault::Vault;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::Instrument;

/// One device-agent instance.
pub struct Agent {
    config: AgentConfig,
    log: Arc<dyn EventLog>,
    vault: Arc<Vault>,
    profiles: ProfileSet,
}

impl Agent {
    /// An agent that reads and appends through `log`, opens credentials with `vault` and
    /// talks to devices with `profiles`.
    pub fn new(config: AgentConfig, log: Arc<dyn EventLog>, vault: Arc<Vault>, profiles: ProfileSet) -> Self {
        Agent { config, log, vault, profiles }
    }

    /// Follows the log from its start until `shutdown` turns true (or the log ends), running
    /// dispatches as they come. On shutdown it takes no new dispatch, lets the attempts that
    /// started finish and closes its idle sessions. Fails only when the log cannot be read.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) -> netraven_events::Result<()> {
        let pool = ConnectionManager::new(self.config.pool.clone());
        let logger = JobLogger::new(self.log.clone(), Arc::new(SensitiveDataFilter::new()), "device-agent");
        let executor = Executor::new(self.profiles, self.vault, logger, self.config.timeouts(), pool.clone(), &self.config.agent_id);
        let shared = Arc::new(Shared {
            log: self.log.clone(),
            executor,
            limits: Limits::new(self.config.pool.max_connections, self.config.pool.max_per_host),
            breakers: Breakers::new(self.config.breaker.clone()),
            retry: self.config.retry.clone(),
        });
        let mut follower = Follower::default();
        let mut tasks = JoinSet::new();
        let attempts_shutdown = shutdown.clone();
        let launch = |tasks: &mut JoinSet<()>, dispatch: follower::Dispatch| {
            let span = tracing::info_span!("attempt", job_id = %dispatch.job.job_id, attempt = dispatch.job.attempt, correlation_id = %dispatch.correlation_id);
            tasks.spawn(attempt::run(shared.clone(), dispatch, attempts_shutdown.clone()).instrument(span));
        };
        let Some(caught_up) = catch_up(self.log.as_ref(), &mut follower, &mut shutdown).await? else {
            return Ok(());
        };
        for dispatch in follower.take_pending() {
            launch(&mut tasks, dispatch);
        }
        let mut subscription = self.log.subscribe(caught_up).await?;
        let mut reap = tokio::time::interval(pool.config().reap_interval());
        tracing::info!(agent_id = %self.config.agent_id, "device-agent caught up; following the event log");
        let result = loop {
            tokio::select! {
                biased;
                () = stopped(&mut shutdown) => break Ok(()),
                Some(joined) = tasks.join_next(), if !tasks.is_empty() => {
                    if let Err(error) = joined {
                        tracing::error!(%error, "an attempt task failed");
                    }
                }
                _ = reap.tick() => {
                    pool.reap();
                }
                next = subscription.next() => match next {
                    None => break Ok(()),
                    Some(Err(error)) => break Err(error),
                    Some(Ok(recorded)) => {
                        if let Some(dispatch) = follower.apply(&recorded.event, true) {
                            launch(&mut tasks, dispatch);
                        }
                    }
                },
            }
        };
        tracing::info!(in_flight = tasks.len(), "device-agent stopping; finishing started attempts");
        while let Some(joined) = tasks.join_next().await {
            if let Err(error) = joined {
                tracing::error!(%error, "an attempt task failed");
            }
        }
        pool.close_idle().await;
        result
    }
}

/// Reads the log as it is now, holding dispatches back; returns where the history ended, or
/// `None` when shutdown came first.
async fn catch_up(log: &dyn EventLog, follower: &mut Follower, shutdown: &mut watch::Receiver<bool>) -> netraven_events::Result<Option<Position>> {
    let mut history = log.read_all(Position::start()).await?;
    loop {
        tokio::select! {
            biased;
            () = stopped(shutdown) => return Ok(None),
            next = history.next() => match next {
                None => return Ok(Some(history.position().clone())),
                Some(recorded) => {
                    follower.apply(&recorded?.event, false);
                }
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
