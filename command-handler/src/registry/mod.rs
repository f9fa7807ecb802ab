//! The command side's view of current state, folded from the whole log: devices, credentials,
//! schedules, jobs (through `job_state`) and idempotency keys. Commands are decided against it.

mod jobs;

pub use jobs::JobInfo;

use chrono::{DateTime, Utc};
use netraven_events::catalog::*;
use netraven_events::{EventData, RecordedEvent};
use std::collections::HashMap;

/// A device as commands need it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceInfo {
    /// Name (unique among devices not removed).
    pub name: String,
    /// Host.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Platform profile.
    pub platform: Option<String>,
    /// Protocol.
    pub protocol: Protocol,
    /// Tags.
    pub tags: Vec<String>,
    /// Its stream's version (for expected-version appends).
    pub version: u64,
}

/// A credential as commands need it (no secret).
#[derive(Clone, Debug, PartialEq)]
pub struct CredentialInfo {
    /// Name.
    pub name: String,
    /// Revoked credentials accept no further command.
    pub revoked: bool,
    /// The sealed password (for re-encryption under a new key; never returned).
    pub secret: SealedSecret,
    /// The sealed enable secret.
    pub enable_secret: Option<SealedSecret>,
    /// Its stream's version.
    pub version: u64,
}

/// A schedule as the scheduler needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleInfo {
    /// How it was created.
    pub created: ScheduleCreated,
    /// When it was created (the first due time counts from here).
    pub created_at: DateTime<Utc>,
    /// Paused schedules do not fire.
    pub paused: bool,
    /// The latest due time that fired.
    pub last_due: Option<DateTime<Utc>>,
    /// Its stream's version.
    pub version: u64,
}

/// Current state, as of the events applied so far.
#[derive(Debug, Default)]
pub struct Registry {
    /// Devices not removed.
    pub devices: HashMap<DeviceId, DeviceInfo>,
    /// Credentials ever added (revoked ones flagged).
    pub credentials: HashMap<CredentialId, CredentialInfo>,
    /// Schedules not removed.
    pub schedules: HashMap<ScheduleId, ScheduleInfo>,
    /// Every job.
    pub jobs: HashMap<JobId, JobInfo>,
    /// Jobs requested or queued (the dispatcher's work list).
    pub waiting: std::collections::HashSet<JobId>,
    /// Waiting jobs the dispatcher must look at even when it cannot dispatch more: not yet
    /// queued, parents of a fan-out, or with dependencies (which may fail them).
    pub must_check: std::collections::HashSet<JobId>,
    /// Jobs with an attempt dispatched or running.
    pub in_flight: std::collections::HashSet<JobId>,
    /// Devices with a backup in flight, and how many.
    pub busy_backups: HashMap<DeviceId, u32>,
    /// (actor, Idempotency-Key) → the job it created.
    pub idempotency: HashMap<(String, String), JobId>,
    /// Children whose request was applied before their parent's, by parent.
    early_children: HashMap<JobId, Vec<JobId>>,
    /// How far the device, credential and host-key events have been applied
    /// ([`DEVICE_FACTS`]): what a dispatch decided now has seen of them.
    pub facts_position: netraven_events::Position,
}

impl Registry {
    /// Applies one recorded event.
    pub fn apply(&mut self, recorded: &RecordedEvent) {
        let event = &recorded.event;
        if DEVICE_FACTS.contains(&event.data.event_type()) {
            self.facts_position.advance(recorded.partition, recorded.offset);
        }
        let version = event.stream_version;
        match &event.data {
            EventData::DeviceRegistered(d) => {
                let info = DeviceInfo { name: d.name.clone(), host: d.host.clone(), port: d.port, platform: d.platform.clone(), protocol: d.protocol, tags: d.tags.clone(), version };
                self.devices.insert(d.device_id, info);
            }
            EventData::DeviceUpdated(u) => {
                if let Some(d) = self.devices.get_mut(&u.device_id) {
                    if let Some(v) = &u.name { d.name = v.clone() }
                    if let Some(v) = &u.host { d.host = v.clone() }
                    if let Some(v) = u.port { d.port = v }
                    if let Some(v) = &u.platform { d.platform = Some(v.clone()) }
                    if let Some(v) = u.protocol { d.protocol = v }
                    if let Some(v) = &u.tags { d.tags = v.clone() }
                    d.version = version;
                }
            }
            EventData::DevicePlatformDetected(p) => {
                if let Some(d) = self.devices.get_mut(&p.device_id) {
                    d.platform = Some(p.platform.clone());
                    d.version = version;
                }
            }
            EventData::DeviceRemoved(r) => {
                self.devices.remove(&r.device_id);
            }
            EventData::CredentialAdded(c) => {
                let info = CredentialInfo { name: c.name.clone(), revoked: false, secret: c.secret.clone(), enable_secret: c.enable_secret.clone(), version };
                self.credentials.insert(c.credential_id, info);
            }
            EventData::CredentialRotated(c) => {
                if let Some(info) = self.credentials.get_mut(&c.credential_id) {
                    info.secret = c.secret.clone();
                    info.enable_secret = c.enable_secret.clone();
                }
                self.touch_credential(c.credential_id, version, false);
            }
            EventData::CredentialRevoked(c) => self.touch_credential(c.credential_id, version, true),
            EventData::ScheduleCreated(s) => {
                let info = ScheduleInfo { created: s.clone(), created_at: event.time, paused: false, last_due: None, version };
                self.schedules.insert(s.schedule_id, info);
            }
            EventData::SchedulePaused(s) => self.touch_schedule(s.schedule_id, version, |i| i.paused = true),
            EventData::ScheduleResumed(s) => self.touch_schedule(s.schedule_id, version, |i| i.paused = false),
            EventData::ScheduleFired(f) => self.touch_schedule(f.schedule_id, version, |i| i.last_due = i.last_due.max(Some(f.due_at))),
            EventData::ScheduleRemoved(s) => {
                self.schedules.remove(&s.schedule_id);
            }
            _ => self.apply_job_event(recorded),
        }
    }

    fn touch_credential(&mut self, id: CredentialId, version: u64, revoked: bool) {
        if let Some(c) = self.credentials.get_mut(&id) {
            c.version = version;
            c.revoked |= revoked;
        }
    }

    fn touch_schedule(&mut self, id: ScheduleId, version: u64, change: impl FnOnce(&mut ScheduleInfo)) {
        if let Some(s) = self.schedules.get_mut(&id) {
            change(s);
            s.version = version;
        }
    }

    /// The ids of devices carrying every one of `tags`, sorted by name.
    pub fn devices_with_tags(&self, tags: &[String]) -> Vec<DeviceId> {
        let mut found: Vec<(&String, DeviceId)> = self
            .devices
            .iter()
            .filter(|(_, d)| tags.iter().all(|t| d.tags.contains(t)))
            .map(|(id, d)| (&d.name, *id))
            .collect();
        found.sort();
        found.into_iter().map(|(_, id)| id).collect()
    }

    /// The device named `name`, if any.
    pub fn device_named(&self, name: &str) -> Option<DeviceId> {
        self.devices.iter().find(|(_, d)| d.name == name).map(|(id, _)| *id)
    }
}
