//! The state as it was at a moment, rebuilt from the events up to it: the inventory (devices
//! with platform and tags), every job's state (through `job_state`), and each device's
//! configuration versions (a new version whenever a captured configuration's hash changes).

use crate::scan::{Item, scan};
use crate::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use netraven_events::catalog::{DeviceId, JobId};
use netraven_events::job_state::{JobState, Step};
use netraven_events::{EventData, EventLog, Position};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;

/// A device as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    /// Its name.
    pub name: String,
    /// Host name or address.
    pub host: String,
    /// Platform profile, if known.
    pub platform: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
}

/// A job as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// Its state.
    pub state: JobState,
    /// Who asked for it.
    pub actor: String,
    /// When it was asked for.
    pub requested_at: DateTime<Utc>,
}

/// One configuration version of a device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigVersion {
    /// When it was captured.
    pub captured_at: DateTime<Utc>,
    /// The capturing job.
    pub job_id: JobId,
    /// Content hash.
    pub content_hash: String,
    /// Size in bytes.
    pub size_bytes: u64,
}

/// Everything rebuilt as of one moment.
#[derive(Clone, Debug, Default)]
pub struct State {
    /// The moment.
    pub as_of: Option<DateTime<Utc>>,
    /// Devices in the inventory then (removed ones are gone).
    pub devices: BTreeMap<DeviceId, Device>,
    /// Every job requested by then.
    pub jobs: BTreeMap<JobId, Job>,
    /// Configuration versions per device, oldest first.
    pub configs: BTreeMap<DeviceId, Vec<ConfigVersion>>,
    /// Events a job's state did not allow (kept out of the state, counted).
    pub refused: u64,
}

impl State {
    /// Applies one event (callers pass only events up to the moment, in log order).
    pub fn apply(&mut self, data: &EventData, actor: &str, time: DateTime<Utc>) {
        match data {
            EventData::DeviceRegistered(r) => {
                let device = Device { name: r.name.clone(), host: r.host.clone(), platform: r.platform.clone(), tags: r.tags.clone() };
                self.devices.insert(r.device_id, device);
            }
            EventData::DeviceUpdated(u) => {
                if let Some(d) = self.devices.get_mut(&u.device_id) {
                    let keep = |new: &Option<String>, old: &mut String| new.iter().for_each(|n| *old = n.clone());
                    keep(&u.name, &mut d.name);
                    keep(&u.host, &mut d.host);
                    d.platform = u.platform.clone().or(d.platform.take());
                    d.tags = u.tags.clone().unwrap_or(std::mem::take(&mut d.tags));
                }
            }
            EventData::DevicePlatformDetected(p) => {
                if let Some(d) = self.devices.get_mut(&p.device_id) {
                    d.platform = Some(p.platform.clone());
                }
            }
            EventData::DeviceRemoved(r) => {
                self.devices.remove(&r.device_id);
            }
            _ => self.apply_job(data, actor, time),
        }
    }

    fn apply_job(&mut self, data: &EventData, actor: &str, time: DateTime<Utc>) {
        if let Some(state) = JobState::open(data) {
            self.jobs.entry(state.job_id).or_insert(Job { state, actor: actor.to_string(), requested_at: time });
            return;
        }
        let Some(job) = data.stream().as_str().strip_prefix("job-").and_then(|id| id.parse().ok()).and_then(|id| self.jobs.get_mut(&JobId(id))) else {
            return;
        };
        match job.state.step(data) {
            Ok(Step::Applied(next)) => job.state = next,
            Ok(Step::Stale) => return,
            Err(_) => {
                self.refused += 1;
                return;
            }
        }
        if let EventData::ConfigCaptured(c) = data {
            let versions = self.configs.entry(c.device_id).or_default();
            if versions.last().is_none_or(|v| v.content_hash != c.content_hash) {
                versions.push(ConfigVersion { captured_at: time, job_id: c.job_id, content_hash: c.content_hash.clone(), size_bytes: c.size_bytes });
            }
        }
    }

    /// The state as one JSON document, for scripts.
    pub fn to_json(&self) -> serde_json::Value {
        let devices: Vec<_> = self.devices.iter().map(|(id, d)| json!({"device_id": id, "name": d.name, "host": d.host, "platform": d.platform, "tags": d.tags})).collect();
        let jobs: Vec<_> = self
            .jobs
            .iter()
            .map(|(id, j)| json!({"job_id": id, "status": j.state.status.as_str(), "attempt": j.state.attempt, "actor": j.actor, "requested_at": j.requested_at}))
            .collect();
        let configs: Vec<_> = self
            .configs
            .iter()
            .flat_map(|(device, versions)| versions.iter().enumerate().map(move |(n, v)| (device, n + 1, v)))
            .map(|(device, n, v)| json!({"device_id": device, "version": n, "content_hash": v.content_hash, "size_bytes": v.size_bytes, "captured_at": v.captured_at, "job_id": v.job_id}))
            .collect();
        json!({"as_of": self.as_of, "devices": devices, "jobs": jobs, "config_versions": configs, "refused_events": self.refused})
    }

    /// Writes the state for people.
    pub fn render(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let when = self.as_of.map_or("now".into(), |t| t.to_rfc3339_opts(SecondsFormat::Millis, true));
        writeln!(out, "State as of {when}")?;
        writeln!(out, "\nInventory ({} devices)", self.devices.len())?;
        for (id, d) in &self.devices {
            let platform = d.platform.as_deref().unwrap_or("-");
            writeln!(out, "  {id}  {}  {}  platform={platform}  tags=[{}]", d.name, d.host, d.tags.join(","))?;
        }
        writeln!(out, "\nJobs ({})", self.jobs.len())?;
        for (id, j) in &self.jobs {
            let at = j.requested_at.to_rfc3339_opts(SecondsFormat::Millis, true);
            writeln!(out, "  {id}  {}  attempt {}  requested {at} by {}", j.state.status.as_str(), j.state.attempt, j.actor)?;
        }
        writeln!(out, "\nConfiguration versions ({} devices)", self.configs.len())?;
        for (device, versions) in &self.configs {
            for (n, v) in versions.iter().enumerate() {
                let at = v.captured_at.to_rfc3339_opts(SecondsFormat::Millis, true);
                writeln!(out, "  {device}  v{}  {}  {} bytes  captured {at} by job {}", n + 1, v.content_hash, v.size_bytes, v.job_id)?;
            }
        }
        if self.refused > 0 {
            writeln!(out, "\n{} event(s) were not allowed by their job's state and were left out", self.refused)?;
        }
        Ok(())
    }
}

/// Rebuilds the state from every event at or before `as_of`.
pub async fn as_of(log: &dyn EventLog, as_of: DateTime<Utc>) -> Result<State> {
    let state = State { as_of: Some(as_of), ..State::default() };
    scan(log, Position::start(), state, apply_until).await
}

fn apply_until(state: &mut State, item: Item) -> Result<()> {
    let e = item?.event;
    if state.as_of.is_none_or(|t| e.time <= t) {
        state.apply(&e.data, &e.actor, e.time);
    }
    Ok(())
}
