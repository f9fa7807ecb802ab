//! Test fixtures: a registry given some events, and the principals of each role.

use crate::registry::Registry;
use netraven_api::{Principal, Role};
use netraven_events::catalog::*;
use netraven_events::{Cause, Event, EventData, RecordedEvent};
use std::collections::HashMap;

/// A registry with `events` applied in order (stamped now).
pub fn registry(events: Vec<EventData>) -> Registry {
    let mut reg = Registry::default();
    let mut versions: HashMap<String, u64> = HashMap::new();
    let cause = Cause { source: "/test".into(), actor: "ana".into(), correlation_id: "c-1".into(), causation_id: None };
    for (offset, data) in events.into_iter().enumerate() {
        let mut event = Event::new(data, &cause);
        let version = versions.entry(event.stream_id.to_string()).or_default();
        *version += 1;
        event.stream_version = *version;
        reg.apply(&RecordedEvent { partition: 0, offset: offset as u64, event });
    }
    reg
}

/// A principal of `role` with no device scope.
pub fn who(role: Role) -> Principal {
    Principal { user: format!("{}-user", role.as_str()), role, device_tags: vec![] }
}

/// A registered SSH device with `tags`.
pub fn device(n: u128, tags: &[&str]) -> (DeviceId, EventData) {
    let id = DeviceId(uuid::Uuid::from_u128(n));
    let event = DeviceRegistered { device_id: id, name: format!("r{n}"), host: format!("10.0.0.{n}"), port: 22, platform: Some("cisco_ios".into()), protocol: Protocol::Ssh, tags: tags.iter().map(|t| t.to_string()).collect() };
    (id, event.into())
}

/// A backup job request for one device.
pub fn backup(job: u128, device: DeviceId) -> (JobId, EventData) {
    let job_id = JobId(uuid::Uuid::from_u128(job));
    let request = JobRequested {
        job_id,
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
    };
    (job_id, request.into())
}
