//! What both ways of taking dispatches share: launching attempts as tasks, reaping finished
//! tasks and expired idle sessions while following, and the graceful end (started attempts
//! finish, idle sessions close).

use super::attempt::{self, Shared};
use super::follower::Dispatch;
use crate::pool::ConnectionManager;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Interval;
use tracing::Instrument;

/// The attempts in flight and the pool they use.
pub struct Runner {
    shared: Arc<Shared>,
    pool: Arc<ConnectionManager>,
    tasks: JoinSet<()>,
    reap: Interval,
    shutdown: watch::Receiver<bool>,
}

impl Runner {
    /// No attempt yet; `shutdown` stops attempts still waiting for a slot.
    pub fn new(shared: Arc<Shared>, pool: Arc<ConnectionManager>, shutdown: watch::Receiver<bool>) -> Self {
        let reap = tokio::time::interval(pool.config().reap_interval());
        Runner { shared, pool, tasks: JoinSet::new(), reap, shutdown }
    }

    /// Starts a dispatch's attempt as its own task, in a span naming the job.
    pub fn launch(&mut self, dispatch: Dispatch) {
        let span = tracing::info_span!("attempt", job_id = %dispatch.job.job_id, attempt = dispatch.job.attempt, correlation_id = %dispatch.correlation_id);
        self.tasks.spawn(attempt::run(self.shared.clone(), dispatch, self.shutdown.clone()).instrument(span));
    }

    /// Waits for one finished attempt task or one tick of the idle-session reaper.
    pub async fn housekeeping(&mut self) {
        tokio::select! {
            Some(joined) = self.tasks.join_next(), if !self.tasks.is_empty() => {
                if let Err(error) = joined {
                    tracing::error!(%error, "an attempt task failed");
                }
            }
            _ = self.reap.tick() => {
                self.pool.reap();
            }
        }
    }

    /// Lets every started attempt finish, then closes the idle sessions.
    pub async fn finish(mut self) {
        tracing::info!(in_flight = self.tasks.len(), "device-agent stopping; finishing started attempts");
        while let Some(joined) = self.tasks.join_next().await {
            if let Err(error) = joined {
                tracing::error!(%error, "an attempt task failed");
            }
        }
        self.pool.close_idle().await;
    }
}
