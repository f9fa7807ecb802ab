//! Event builders for tests and benchmarks of the read side: devices, credentials, schedules
//! and whole job flows, built from the catalog types (job requests through JSON, so fields
//! the catalog adds later keep their defaults).

use chrono::Utc;
use netraven_events::catalog::*;
use netraven_events::{Cause, Event, EventData};
use serde_json::json;

/// The cause of fixture events: `actor` with correlation id `correlation`.
pub fn cause(actor: &str, correlation: &str) -> Cause {
    Cause { source: "/netraven/test".into(), actor: actor.into(), correlation_id: correlation.into(), causation_id: None }
}

/// Events for `data`, all with `cause`.
pub fn events(cause: &Cause, data: impl IntoIterator<Item = EventData>) -> Vec<Event> {
    data.into_iter().map(|d| Event::new(d, cause)).collect()
}

/// `DeviceRegistered` of an SSH device.
pub fn device_registered(device_id: DeviceId, name: &str, tags: &[&str]) -> EventData {
    DeviceRegistered {
        device_id,
        name: name.into(),
        host: format!("{name}.example.net"),
        port: 22,
        platform: Some("cisco_ios".into()),
        protocol: Protocol::Ssh,
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
    .into()
}

/// `JobRequested` for one device.
pub fn job_requested(job_id: JobId, device_id: DeviceId, job_type: &str, priority: i32) -> EventData {
    let value = json!({
        "job_id": job_id, "job_type": job_type, "priority": priority, "timeout_secs": 60,
        "target": { "kind": "device", "device_id": device_id },
    });
    EventData::from_value("netraven.job.requested.v1", value).expect("a valid job request")
}

/// `JobDispatched` of `attempt`.
pub fn dispatched(job_id: JobId, device_id: DeviceId, attempt: u32) -> EventData {
    JobDispatched { job_id, attempt, device_id, job_type: JobType::Backup, parameters: JobParameters::default(), timeout_secs: 60, log_position: None }.into()
}

/// `JobStarted` of `attempt`.
pub fn started(job_id: JobId, attempt: u32) -> EventData {
    JobStarted { job_id, attempt, agent_id: "agent-1".into() }.into()
}

/// `JobSucceeded` of `attempt`.
pub fn succeeded(job_id: JobId, attempt: u32) -> EventData {
    JobSucceeded { job_id, attempt, summary: format!("attempt {attempt} done") }.into()
}

/// `JobFailed` of `attempt` with `code`.
pub fn failed(job_id: JobId, attempt: u32, code: &str) -> EventData {
    JobFailed { job_id, attempt, error: JobError { code: code.into(), message: format!("{code} on attempt {attempt}"), retryable: false } }.into()
}

/// A job log entry.
pub fn logged(job_id: JobId, level: LogLevel, message: &str, details: serde_json::Value) -> EventData {
    JobLogged {
        job_id,
        timestamp: Utc::now(),
        level,
        category: "execution".into(),
        message: message.into(),
        details: details.as_object().cloned().unwrap_or_default(),
        source_component: "device-agent".into(),
        correlation_id: "corr-test".into(),
        filter_version: 3,
    }
    .into()
}

/// `ConfigCaptured` with an explicit change hash.
pub fn config_captured(job_id: JobId, device_id: DeviceId, attempt: u32, content: &str, hash: &str) -> EventData {
    ConfigCaptured {
        job_id,
        attempt,
        device_id,
        content: content.into(),
        content_hash: hash.into(),
        size_bytes: content.len() as u64,
        filter_version: 3,
    }
    .into()
}

/// A whole successful backup: requested, queued, dispatched, started, one log entry, the
/// captured configuration, succeeded.
pub fn backup_flow(job_id: JobId, device_id: DeviceId, content: &str, hash: &str) -> Vec<EventData> {
    vec![
        job_requested(job_id, device_id, "backup", 0),
        JobQueued { job_id, priority: 0 }.into(),
        dispatched(job_id, device_id, 1),
        started(job_id, 1),
        logged(job_id, LogLevel::Info, "connected", json!({ "host": "r1" })),
        config_captured(job_id, device_id, 1, content, hash),
        succeeded(job_id, 1),
    ]
}

/// `CredentialAdded` whose sealed secret is `ciphertext`.
pub fn credential_added(credential_id: CredentialId, name: &str, ciphertext: &str) -> EventData {
    CredentialAdded {
        credential_id,
        name: name.into(),
        username: "netops".into(),
        secret: SealedSecret { key_version: 2, nonce: "bm9uY2Vub25jZTEy".into(), ciphertext: ciphertext.into() },
        enable_secret: Some(SealedSecret { key_version: 2, nonce: "bm9uY2Vub25jZTEz".into(), ciphertext: ciphertext.into() }),
        tags: vec!["core".into()],
        priority: 1,
    }
    .into()
}
