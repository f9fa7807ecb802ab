//! Runs one attempt of a job on one device and returns the events it caused, for the caller
//! to append in one batch: each credential attempt, job log entries, the host key outcome, the
//! job's captured output, and the outcome that decides the attempt's terminal events.

mod connect;
mod jobs;

use crate::pool::ConnectionManager;
use crate::profile::ProfileSet;
use crate::protocol::{HostKeyPolicy, Timeouts};
use crate::DeviceError;
use netraven_events::catalog::*;
use netraven_events::joblog::{JobLogEntry, JobLogger};
use netraven_events::{Cause, Event, EventData};
use netraven_vault::Vault;
use std::sync::Arc;
use std::time::Duration;

/// The profile of a device whose platform is not known yet (until a detect job names it).
pub const FALLBACK_PROFILE: &str = "generic";

/// A device as the agent needs it to connect.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceRecord {
    /// The device.
    pub device_id: DeviceId,
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Platform profile name; none until detected.
    pub platform: Option<String>,
    /// Protocol.
    pub protocol: Protocol,
}

impl DeviceRecord {
    /// `host:port`, the unit of per-host limits and of log messages.
    pub fn endpoint(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// A credential candidate, still sealed.
#[derive(Clone, Debug, PartialEq)]
pub struct SealedCredential {
    /// The credential.
    pub credential_id: CredentialId,
    /// Login name.
    pub username: String,
    /// Sealed password.
    pub secret: SealedSecret,
    /// Sealed enable secret.
    pub enable_secret: Option<SealedSecret>,
}

/// Everything an attempt needs to know about its device.
#[derive(Clone, Debug)]
pub struct AttemptTarget {
    /// The device.
    pub device: DeviceRecord,
    /// Credentials to try, best first.
    pub candidates: Vec<SealedCredential>,
    /// What to accept as its SSH host key.
    pub host_key: HostKeyPolicy,
}

/// What an attempt did: its events so far, and a summary or the error that ended it.
#[derive(Debug)]
pub struct AttemptReport {
    /// Credential attempts, host-key events, log entries and captured output, in order.
    pub events: Vec<Event>,
    /// A one-line summary on success, or why the attempt failed.
    pub outcome: Result<String, DeviceError>,
}

/// Runs attempts; shares profiles, vault, logger and the connection pool across jobs.
pub struct Executor {
    profiles: ProfileSet,
    vault: Arc<Vault>,
    logger: JobLogger,
    timeouts: Timeouts,
    pool: Arc<ConnectionManager>,
    agent_id: String,
    filters: crate::backup::Filters,
}

/// The events of one attempt as they accumulate.
struct Attempt<'a> {
    executor: &'a Executor,
    job: &'a JobDispatched,
    cause: &'a Cause,
    events: Vec<Event>,
}

impl Attempt<'_> {
    fn push(&mut self, data: impl Into<EventData>) {
        self.events.push(Event::new(data, self.cause));
    }

    fn log(&mut self, level: LogLevel, category: &str, message: String) {
        let entry = JobLogEntry::new(self.job.job_id, level, category, message, &self.cause.correlation_id);
        self.events.push(self.executor.logger.event(entry, &self.cause.actor));
    }
}

impl Executor {
    /// An executor identified as `agent_id`, opening sessions through `pool`.
    pub fn new(profiles: ProfileSet, vault: Arc<Vault>, logger: JobLogger, timeouts: Timeouts, pool: Arc<ConnectionManager>, agent_id: &str) -> Self {
        Executor { profiles, vault, logger, timeouts, pool, agent_id: agent_id.to_string(), filters: Default::default() }
    }

    /// The agent instance this executor runs for.
    pub fn agent_id(&self) -> &str {
        &self.agent_id
    }

    /// The job logger (entries are filtered before they become events).
    pub fn logger(&self) -> &JobLogger {
        &self.logger
    }

    /// The connection pool.
    pub fn pool(&self) -> &Arc<ConnectionManager> {
        &self.pool
    }

    /// Runs one attempt of `job` within its `timeout_secs`; `cause` names the dispatch.
    pub async fn run(&self, job: &JobDispatched, target: &AttemptTarget, cause: &Cause) -> AttemptReport {
        let mut attempt = Attempt { executor: self, job, cause, events: Vec::new() };
        let limit = Duration::from_secs(u64::from(job.timeout_secs.max(1)));
        let outcome = match tokio::time::timeout(limit, self.work(&mut attempt, target)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(DeviceError::Timeout { what: format!("attempt {} of the job", job.attempt), secs: limit.as_secs() }),
        };
        match &outcome {
            Ok(summary) => attempt.log(LogLevel::Info, "result", format!("attempt {} succeeded: {summary}", job.attempt)),
            Err(err) => attempt.log(LogLevel::Error, "result", format!("attempt {} failed: {err}", job.attempt)),
        }
        AttemptReport { events: attempt.events, outcome }
    }

    /// The error as a job event records it: its code, whether it is retryable, and its message
    /// through the sensitive-data filter.
    pub fn job_error(&self, job: &JobDispatched, err: &DeviceError, correlation_id: &str) -> JobError {
        let entry = JobLogEntry::new(job.job_id, LogLevel::Error, "result", err.to_string(), correlation_id);
        JobError { code: err.code().to_string(), message: self.logger.filter_entry(entry).message, retryable: err.is_retryable() }
    }

    async fn work(&self, attempt: &mut Attempt<'_>, target: &AttemptTarget) -> Result<String, DeviceError> {
        let name = target.device.platform.as_deref().unwrap_or(FALLBACK_PROFILE);
        let profile = self.profiles.get(name).ok_or_else(|| DeviceError::Protocol(format!("no platform profile `{name}`")))?;
        let mut lease = connect::lease(attempt, target, profile).await?;
        let outcome = jobs::run(attempt, lease.session(), profile, &target.device).await;
        match &outcome {
            Ok(_) => lease.release(),
            Err(_) => lease.discard(),
        }
        outcome
    }
}
