//! Runs one attempt of a backup job on one device and returns the events it caused, for the
//! caller to append in one batch: started, each credential attempt, job log entries, the host
//! key outcome, the captured configuration, and success or the attempt's failure.

use crate::backup::{self, CapturedConfig};
use crate::profile::{ProfileSet, SessionKind};
use crate::protocol::ssh::{SshConnection, SshExec};
use crate::protocol::telnet::TelnetSession;
use crate::protocol::{HostKeyPolicy, Login, ProtocolAdapter, Target, Timeouts};
use crate::{DeviceError, host_keys};
use netraven_events::catalog::*;
use netraven_events::joblog::{JobLogEntry, JobLogger};
use netraven_events::{Cause, Event, EventData};
use netraven_vault::Vault;
use std::sync::Arc;

/// A device as the agent needs it to connect.
#[derive(Clone, Debug)]
pub struct DeviceRecord {
    /// The device.
    pub device_id: DeviceId,
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Platform profile name.
    pub platform: String,
    /// Protocol.
    pub protocol: Protocol,
}

/// A credential candidate, still sealed.
#[derive(Clone, Debug)]
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

/// Runs backup attempts; shares profiles, vault and logger across jobs.
pub struct Executor {
    profiles: ProfileSet,
    vault: Arc<Vault>,
    logger: JobLogger,
    timeouts: Timeouts,
    agent_id: String,
}

/// The events of one attempt as they accumulate.
struct Attempt<'a> {
    executor: &'a Executor,
    job: &'a JobDispatched,
    cause: Cause,
    events: Vec<Event>,
}

impl Attempt<'_> {
    fn push(&mut self, data: impl Into<EventData>) {
        self.events.push(Event::new(data, &self.cause));
    }

    fn log(&mut self, level: LogLevel, category: &str, message: String) {
        let entry = JobLogEntry::new(self.job.job_id, level, category, message, &self.cause.correlation_id);
        self.events.push(self.executor.logger.event(entry, &self.cause.actor));
    }
}

impl Executor {
    /// An executor identified as `agent_id`.
    pub fn new(profiles: ProfileSet, vault: Arc<Vault>, logger: JobLogger, timeouts: Timeouts, agent_id: &str) -> Self {
        Executor { profiles, vault, logger, timeouts, agent_id: agent_id.to_string() }
    }

    /// Runs one backup attempt, trying credentials in order until one logs in.
    pub async fn backup(&self, job: &JobDispatched, device: &DeviceRecord, candidates: &[SealedCredential], host_key: &HostKeyPolicy, correlation_id: &str) -> Vec<Event> {
        let cause = Cause {
            source: "/netraven/device-agent".into(),
            actor: self.agent_id.clone(),
            correlation_id: correlation_id.to_string(),
            causation_id: None,
        };
        let mut attempt = Attempt { executor: self, job, cause, events: Vec::new() };
        attempt.push(JobStarted { job_id: job.job_id, attempt: job.attempt, agent_id: self.agent_id.clone() });
        match self.try_credentials(&mut attempt, device, candidates, host_key).await {
            Ok(config) => {
                let size_bytes = config.content.len() as u64;
                attempt.log(LogLevel::Info, "result", format!("configuration captured ({size_bytes} bytes)"));
                attempt.push(ConfigCaptured {
                    job_id: job.job_id,
                    attempt: job.attempt,
                    device_id: device.device_id,
                    content: config.content,
                    content_hash: config.content_hash,
                    size_bytes,
                    filter_version: config.filter_version,
                });
                attempt.push(JobSucceeded { job_id: job.job_id, attempt: job.attempt, summary: format!("backup of {size_bytes} bytes") });
            }
            Err(err) => {
                attempt.log(LogLevel::Error, "result", format!("attempt {} failed: {err}", job.attempt));
                let message = self.logger.filter_entry(JobLogEntry::new(job.job_id, LogLevel::Error, "result", err.to_string(), correlation_id)).message;
                let error = JobError { code: err.code().to_string(), message, retryable: err.is_retryable() };
                attempt.push(JobAttemptFailed { job_id: job.job_id, attempt: job.attempt, error });
            }
        }
        attempt.events
    }

    async fn try_credentials(&self, attempt: &mut Attempt<'_>, device: &DeviceRecord, candidates: &[SealedCredential], host_key: &HostKeyPolicy) -> Result<CapturedConfig, DeviceError> {
        let profile = self
            .profiles
            .get(&device.platform)
            .ok_or_else(|| DeviceError::Protocol(format!("no platform profile `{}`", device.platform)))?;
        let filter = backup::filter_for(profile)?;
        let mut last = DeviceError::Authentication("no credential matches this device".into());
        for candidate in candidates {
            let login = match self.open(candidate) {
                Ok(login) => login,
                Err(reason) => {
                    attempt.log(LogLevel::Warning, "authentication", format!("credential {} unusable: {reason}", candidate.credential_id));
                    continue;
                }
            };
            attempt.log(LogLevel::Info, "connection", format!("connecting to {}:{} as {}", device.host, device.port, login.username));
            let outcome = self.session(attempt, device, &login, host_key, profile).await;
            let recorded = match &outcome {
                Ok(_) => AttemptOutcome::Success,
                Err(DeviceError::Authentication(_)) => AttemptOutcome::AuthenticationFailed,
                Err(_) => AttemptOutcome::Error,
            };
            attempt.push(CredentialAttempted { credential_id: candidate.credential_id, device_id: device.device_id, job_id: attempt.job.job_id, outcome: recorded });
            match outcome {
                Ok(mut session) => {
                    let captured = backup::capture(session.as_mut(), profile, &filter).await;
                    let _ = session.disconnect().await;
                    return captured;
                }
                Err(err @ DeviceError::Authentication(_)) => {
                    attempt.log(LogLevel::Warning, "authentication", format!("credential {} refused; trying the next one", candidate.credential_id));
                    last = err;
                }
                Err(err) => return Err(err),
            }
        }
        Err(last)
    }

    fn open(&self, candidate: &SealedCredential) -> Result<Login, netraven_vault::VaultError> {
        let context = candidate.credential_id.0.as_bytes();
        let password = self.vault.open(&candidate.secret, context)?;
        let enable = candidate.enable_secret.as_ref().map(|s| self.vault.open(s, context)).transpose()?;
        Ok(Login {
            username: candidate.username.clone(),
            password: Some(password.to_string()),
            private_key: None,
            enable_secret: enable.map(|e| e.to_string()),
        })
    }

    async fn session(&self, attempt: &mut Attempt<'_>, device: &DeviceRecord, login: &Login, host_key: &HostKeyPolicy, profile: &crate::Profile) -> Result<Box<dyn ProtocolAdapter>, DeviceError> {
        let target = Target { host: device.host.clone(), port: device.port };
        match device.protocol {
            Protocol::Ssh => {
                let connected = SshConnection::connect(&target, login, host_key.clone(), self.timeouts).await;
                if let Some(event) = host_keys::event(device.device_id, host_key, connected.as_ref().map(|c| c.host_key())) {
                    attempt.push(event);
                }
                let conn = connected?;
                Ok(match profile.spec().session {
                    SessionKind::Exec => Box::new(SshExec::new(conn)),
                    SessionKind::Shell => Box::new(conn.shell(profile.clone(), login.enable_secret.as_deref()).await?),
                })
            }
            Protocol::Telnet => Ok(Box::new(TelnetSession::connect(&target, login, profile.clone(), self.timeouts).await?)),
            Protocol::Http => Err(DeviceError::Protocol("configuration backup over HTTP is not supported by this profile".into())),
        }
    }
}
