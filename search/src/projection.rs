//! What the index needs to know beside an entry's own event: a job's type and device, a device's
//! name and tags. Folded from job and device events in log order, or learned on demand from a
//! job's or device's stream when indexing resumes in the middle of the log.

use netraven_events::catalog::{DeviceId, JobId, JobTarget, JobType};
use netraven_events::{EventData, StreamId};
use std::collections::{HashMap, HashSet};

/// A job as far as the index cares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct JobInfo {
    /// What it does.
    pub job_type: Option<JobType>,
    /// The device it runs against (single-device jobs).
    pub device_id: Option<DeviceId>,
}

/// A device as far as the index cares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct DeviceInfo {
    /// Its name.
    pub name: String,
    /// Its tags.
    pub tags: Vec<String>,
}

/// Jobs and devices known so far.
#[derive(Debug, Default)]
pub(crate) struct Projection {
    jobs: HashMap<JobId, JobInfo>,
    devices: HashMap<DeviceId, DeviceInfo>,
    learned: HashSet<StreamId>,
}

impl Projection {
    /// Folds one event (events that tell nothing about jobs or devices are ignored).
    pub fn observe(&mut self, data: &EventData) {
        match data {
            EventData::JobRequested(e) => {
                let job = self.jobs.entry(e.job_id).or_default();
                job.job_type = Some(e.job_type);
                if let JobTarget::Device { device_id } = &e.target {
                    job.device_id = Some(*device_id);
                }
            }
            EventData::JobDispatched(e) => {
                let job = self.jobs.entry(e.job_id).or_default();
                job.job_type = Some(e.job_type);
                job.device_id = Some(e.device_id);
            }
            EventData::DeviceRegistered(e) => {
                self.devices.insert(e.device_id, DeviceInfo { name: e.name.clone(), tags: e.tags.clone() });
            }
            EventData::DeviceUpdated(e) => {
                let device = self.devices.entry(e.device_id).or_default();
                if let Some(name) = &e.name {
                    device.name = name.clone();
                }
                if let Some(tags) = &e.tags {
                    device.tags = tags.clone();
                }
            }
            EventData::DeviceRemoved(e) => {
                // Its entries stay searchable under the name and tags it had; new ones get none.
                self.devices.remove(&e.device_id);
                self.learned.insert(e.device_id.stream());
            }
            _ => {}
        }
    }

    /// The job, if known.
    pub fn job(&self, id: &JobId) -> Option<&JobInfo> {
        self.jobs.get(id)
    }

    /// The device, if known.
    pub fn device(&self, id: &DeviceId) -> Option<&DeviceInfo> {
        self.devices.get(id)
    }

    /// Streams to read before indexing `data`, because its job or device is unknown and was
    /// never looked up (empty when the context is known, or the event is not indexed).
    pub fn missing_context(&self, data: &EventData) -> Vec<StreamId> {
        let (job_id, device_id) = match data {
            EventData::JobLogged(e) => (e.job_id, None),
            EventData::CommandOutputCaptured(e) => (e.job_id, Some(e.device_id)),
            EventData::ConfigCaptured(e) => (e.job_id, Some(e.device_id)),
            _ => return Vec::new(),
        };
        let mut streams = Vec::new();
        let job = self.jobs.get(&job_id);
        if job.is_none() {
            streams.push(job_id.stream());
        }
        if let Some(device_id) = device_id.or_else(|| job.and_then(|j| j.device_id))
            && !self.devices.contains_key(&device_id)
        {
            streams.push(device_id.stream());
        }
        streams.retain(|s| !self.learned.contains(s));
        streams
    }

    /// Records that `stream` was read, so it is not looked up again.
    pub fn learned(&mut self, stream: StreamId) {
        self.learned.insert(stream);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netraven_events::catalog::{DeviceRegistered, DeviceUpdated, JobDispatched, JobLogged, JobParameters, LogLevel, Protocol};

    fn registered(device_id: DeviceId) -> EventData {
        DeviceRegistered {
            device_id,
            name: "core-sw1".into(),
            host: "10.0.0.1".into(),
            port: 22,
            platform: None,
            protocol: Protocol::Ssh,
            tags: vec!["core".into()],
        }
        .into()
    }

    fn logged(job_id: JobId) -> EventData {
        JobLogged {
            job_id,
            timestamp: chrono::Utc::now(),
            level: LogLevel::Info,
            category: "connection".into(),
            message: "hello".into(),
            details: Default::default(),
            source_component: "device-agent".into(),
            correlation_id: "c".into(),
            filter_version: 1,
        }
        .into()
    }

    #[test]
    fn folds_devices_and_jobs() {
        let (device, job) = (DeviceId::new(), JobId::new());
        let mut p = Projection::default();
        p.observe(&registered(device));
        let update = DeviceUpdated { device_id: device, name: None, host: None, port: None, platform: None, protocol: None, tags: Some(vec!["edge".into()]) };
        p.observe(&update.into());
        let dispatched = JobDispatched { job_id: job, attempt: 1, device_id: device, job_type: JobType::Backup, parameters: JobParameters::default(), timeout_secs: 30, log_position: None };
        p.observe(&dispatched.into());
        assert_eq!(p.device(&device).unwrap(), &DeviceInfo { name: "core-sw1".into(), tags: vec!["edge".into()] });
        assert_eq!(p.job(&job).unwrap(), &JobInfo { job_type: Some(JobType::Backup), device_id: Some(device) });
        assert!(p.missing_context(&logged(job)).is_empty());
    }

    #[test]
    fn unknown_context_is_asked_for_once() {
        let job = JobId::new();
        let mut p = Projection::default();
        assert_eq!(p.missing_context(&logged(job)), vec![job.stream()]);
        p.learned(job.stream());
        assert!(p.missing_context(&logged(job)).is_empty());
    }
}
