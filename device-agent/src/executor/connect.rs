//! Getting a session for an attempt: a live pooled one for any candidate credential, else a
//! new login that tries the candidates in order (the next one on an authentication failure),
//! recording every credential attempt and the host-key outcome.

use super::{Attempt, AttemptTarget, DeviceRecord, SealedCredential};
use crate::pool::{Lease, SessionKey};
use crate::profile::{Profile, SessionKind};
use crate::protocol::ssh::{SshConnection, SshExec};
use crate::protocol::telnet::TelnetSession;
use crate::protocol::{HostKeyPolicy, Login, ProtocolAdapter, Target};
use crate::{DeviceError, host_keys};
use netraven_events::catalog::{AttemptOutcome, CredentialAttempted, LogLevel, Protocol};

/// A session for the attempt's device, pooled or new.
pub(super) async fn lease(attempt: &mut Attempt<'_>, target: &AttemptTarget, profile: &Profile) -> Result<Lease, DeviceError> {
    let device = &target.device;
    let pool = attempt.executor.pool.clone();
    for candidate in &target.candidates {
        let found = pool.checkout(&session_key(device, profile, candidate)).await;
        if found.dead > 0 {
            let message = format!("{} pooled session(s) to {} no longer answered; replacing them", found.dead, device.endpoint());
            attempt.log(LogLevel::Warning, "connection", message);
        }
        if let Some(lease) = found.lease {
            let message = format!("reusing the pooled session to {} (credential {})", device.endpoint(), candidate.credential_id);
            attempt.log(LogLevel::Info, "connection", message);
            return Ok(lease);
        }
    }
    let mut last = DeviceError::Authentication("no credential matches this device".into());
    for candidate in &target.candidates {
        let login = match open_secret(attempt, candidate) {
            Ok(login) => login,
            Err(reason) => {
                attempt.log(LogLevel::Warning, "authentication", format!("credential {} unusable: {reason}", candidate.credential_id));
                continue;
            }
        };
        attempt.log(LogLevel::Info, "connection", format!("connecting to {} as {}", device.endpoint(), login.username));
        let outcome = connect(attempt, device, &login, &target.host_key, profile).await;
        let recorded = match &outcome {
            Ok(_) => AttemptOutcome::Success,
            Err(DeviceError::Authentication(_)) => AttemptOutcome::AuthenticationFailed,
            Err(_) => AttemptOutcome::Error,
        };
        let job_id = attempt.job.job_id;
        attempt.push(CredentialAttempted { credential_id: candidate.credential_id, device_id: device.device_id, job_id, outcome: recorded });
        match outcome {
            Ok(session) => return Ok(pool.admit(session_key(device, profile, candidate), session)),
            Err(err @ DeviceError::Authentication(_)) => {
                attempt.log(LogLevel::Warning, "authentication", format!("credential {} refused; trying the next one", candidate.credential_id));
                last = err;
            }
            Err(err) => return Err(err),
        }
    }
    Err(last)
}

/// Sessions are interchangeable only when opened the same way with the same secret.
fn session_key(device: &DeviceRecord, profile: &Profile, credential: &SealedCredential) -> SessionKey {
    let revision = format!(
        "{}|{:?}|{}|{}|{}",
        device.endpoint(),
        device.protocol,
        profile.name(),
        credential.username,
        credential.secret.ciphertext
    );
    SessionKey { device_id: device.device_id, credential_id: credential.credential_id, revision }
}

/// Opens a candidate's sealed secrets with the vault, bound to the credential's id.
fn open_secret(attempt: &Attempt<'_>, candidate: &SealedCredential) -> Result<Login, netraven_vault::VaultError> {
    let vault = &attempt.executor.vault;
    let context = candidate.credential_id.0.as_bytes();
    let password = vault.open(&candidate.secret, context)?;
    let enable = candidate.enable_secret.as_ref().map(|s| vault.open(s, context)).transpose()?;
    Ok(Login {
        username: candidate.username.clone(),
        password: Some(password.to_string()),
        private_key: None,
        enable_secret: enable.map(|e| e.to_string()),
    })
}

/// Logs in over the device's protocol and starts the profile's kind of session.
async fn connect(attempt: &mut Attempt<'_>, device: &DeviceRecord, login: &Login, host_key: &HostKeyPolicy, profile: &Profile) -> Result<Box<dyn ProtocolAdapter>, DeviceError> {
    let target = Target { host: device.host.clone(), port: device.port };
    let timeouts = attempt.executor.timeouts;
    match device.protocol {
        Protocol::Ssh => {
            let connected = SshConnection::connect(&target, login, host_key.clone(), timeouts).await;
            if let Some(event) = host_keys::event(device.device_id, host_key, connected.as_ref().map(|c| c.host_key())) {
                attempt.push(event);
            }
            let conn = connected?;
            Ok(match profile.spec().session {
                SessionKind::Exec => Box::new(SshExec::new(conn)),
                SessionKind::Shell => Box::new(conn.shell(profile.clone(), login.enable_secret.as_deref()).await?),
            })
        }
        Protocol::Telnet => Ok(Box::new(TelnetSession::connect(&target, login, profile.clone(), timeouts).await?)),
        Protocol::Http => Err(DeviceError::Protocol("jobs over HTTP device APIs are not run by the agent".into())),
    }
}
