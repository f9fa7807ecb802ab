//! A real embedded log in a temp dir with a small history: two devices, a credential sealed by
//! the vault (its plaintext is a canary), and a backup job that captured a configuration twice.

#![allow(dead_code)]

use netraven_events::catalog::*;
use netraven_events::log::embedded::EmbeddedLog;
use netraven_events::{AppendBatch, Cause, Event, EventData, EventLog};
use std::path::PathBuf;

/// A plaintext secret that must never appear in anything replay prints.
pub const CANARY: &str = "canary-Pa55w0rd-7d3f";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub core: DeviceId,
    pub edge: DeviceId,
    pub job: JobId,
    pub other_job: JobId,
}

impl Fixture {
    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("events.db")
    }

    pub fn open(&self) -> EmbeddedLog {
        EmbeddedLog::open(self.log_path()).unwrap()
    }
}

pub fn cause(actor: &str) -> Cause {
    Cause { source: "/test".into(), actor: actor.into(), correlation_id: "c-1".into(), causation_id: None }
}

pub async fn append(log: &dyn EventLog, actor: &str, data: impl Into<EventData>) {
    log.append(AppendBatch::new(vec![Event::new(data, &cause(actor))])).await.unwrap();
}

fn device(id: DeviceId, name: &str, tags: &[&str]) -> DeviceRegistered {
    let tags = tags.iter().map(|t| t.to_string()).collect();
    DeviceRegistered { device_id: id, name: name.into(), host: format!("{name}.example.net"), port: 22, platform: None, protocol: Protocol::Ssh, tags }
}

fn requested(job: JobId, device: DeviceId) -> JobRequested {
    JobRequested {
        job_id: job,
        job_type: JobType::Backup,
        target: JobTarget::Device { device_id: device },
        parameters: JobParameters::default(),
        priority: 0,
        depends_on: vec![],
        timeout_secs: 60,
        force: false,
        parent_job_id: None,
        schedule_id: None,
        idempotency_key: None,
        child_count: None,
    }
}

fn config(job: JobId, device: DeviceId, content: &str) -> ConfigCaptured {
    ConfigCaptured { job_id: job, attempt: 1, device_id: device, content: content.into(), content_hash: format!("sha-{}", content.len()), size_bytes: content.len() as u64, filter_version: 1 }
}

/// The ids a history uses.
pub struct Ids {
    pub core: DeviceId,
    pub edge: DeviceId,
    pub job: JobId,
    pub other_job: JobId,
}

/// Writes the history into a temp dir's embedded log; the log is closed when this returns.
pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let log = EmbeddedLog::open(dir.path().join("events.db")).unwrap();
    let Ids { core, edge, job, other_job } = history(&log).await;
    log.close();
    Fixture { dir, core, edge, job, other_job }
}

/// Writes 13 events, one append each: two devices, a credential, a backup job on `core`
/// (three captures, two distinct), a job on `edge`, and an update of `core`.
pub async fn history(log: &dyn EventLog) -> Ids {
    let (core, edge, job, other_job) = (DeviceId::new(), DeviceId::new(), JobId::new(), JobId::new());
    append(log, "alice", device(core, "core-1", &["core"])).await;
    append(log, "alice", device(edge, "edge-1", &["edge"])).await;
    let vault = netraven_vault::Vault::from_keys([(1, [7u8; 32])]).unwrap();
    let credential = CredentialId::new();
    let secret = vault.seal(CANARY, credential.0.as_bytes());
    let added = CredentialAdded { credential_id: credential, name: "lab".into(), username: "admin".into(), secret, enable_secret: None, tags: vec![], priority: 0 };
    append(log, "alice", added).await;
    append(log, "bob", requested(job, core)).await;
    append(log, "dispatcher", JobQueued { job_id: job, priority: 0 }).await;
    let dispatched = JobDispatched { job_id: job, attempt: 1, device_id: core, job_type: JobType::Backup, parameters: JobParameters::default(), timeout_secs: 60, log_position: None };
    append(log, "dispatcher", dispatched).await;
    append(log, "agent", JobStarted { job_id: job, attempt: 1, agent_id: "a1".into() }).await;
    append(log, "agent", config(job, core, "hostname core-1")).await;
    append(log, "agent", config(job, core, "hostname core-1")).await;
    append(log, "agent", config(job, core, "hostname core-1\nntp server 1")).await;
    append(log, "agent", JobSucceeded { job_id: job, attempt: 1, summary: "captured".into() }).await;
    append(log, "carol", requested(other_job, edge)).await;
    append(log, "carol", DeviceUpdated { device_id: core, name: None, host: None, port: None, platform: Some("cisco_ios".into()), protocol: None, tags: Some(vec!["core".into(), "dc1".into()]) }).await;
    Ids { core, edge, job, other_job }
}
