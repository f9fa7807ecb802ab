//! Generates the search benchmark's corpus: realistic network job logs and configuration
//! versions for a fleet of devices, as catalog events, deterministic for a given seed.

use chrono::{DateTime, Duration, TimeZone, Utc};
use netraven_events::catalog::{
    ConfigCaptured, DeviceId, DeviceRegistered, JobId, JobLogged, JobParameters, JobRequested, JobTarget, JobType, LogLevel, Protocol,
};
use netraven_events::{Cause, Event, EventData, RecordedEvent};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Log entries per job.
const ENTRIES_PER_JOB: usize = 20;

/// One generated document, as the other engines see it.
pub struct Doc {
    /// `log` or `config`.
    pub kind: &'static str,
    /// Log level, lowercase (configs: empty).
    pub level: &'static str,
    /// Index of the device.
    pub device: usize,
    /// Whether it is the device's latest configuration.
    pub latest: bool,
    /// The line prefix for files: time, level, device.
    pub prefix: String,
    /// The text.
    pub text: String,
}

/// A device of the fleet.
struct Device {
    id: DeviceId,
    name: String,
    asn: u32,
}

/// The generator.
pub struct Corpus {
    rng: StdRng,
    devices: Vec<Device>,
    versions: usize,
    start: DateTime<Utc>,
    cause: Cause,
    offset: u64,
    job: (JobId, usize),
}

/// A device's name.
pub fn device_name(i: usize) -> String {
    let role = ["core-sw", "edge-rtr", "leaf", "spine"][i % 4];
    format!("{role}{i}.dc{}.example.net", i % 4)
}

impl Corpus {
    /// A fleet of `devices` devices, `versions` configuration versions each.
    pub fn new(devices: usize, versions: usize) -> Self {
        let devices = (0..devices)
            .map(|i| Device { id: DeviceId(uuid::Uuid::from_u128(i as u128 + 1)), name: device_name(i), asn: 65000 + (i % 100) as u32 })
            .collect();
        let cause = Cause { source: "/netraven/device-agent".into(), actor: "bench".into(), correlation_id: "bench".into(), causation_id: None };
        let start = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        Corpus { rng: StdRng::seed_from_u64(6), devices, versions, start, cause, offset: 0, job: (JobId::new(), 0) }
    }

    /// The events registering every device.
    pub fn registrations(&mut self) -> Vec<RecordedEvent> {
        let data: Vec<EventData> = (0..self.devices.len())
            .map(|i| {
                let d = &self.devices[i];
                DeviceRegistered {
                    device_id: d.id,
                    name: d.name.clone(),
                    host: format!("10.255.{}.{}", i / 250, i % 250),
                    port: 22,
                    platform: Some("cisco_ios".into()),
                    protocol: Protocol::Ssh,
                    tags: vec![format!("dc{}", i % 4), ["core", "edge", "leaf", "spine"][i % 4].to_string()],
                }
                .into()
            })
            .collect();
        data.into_iter().map(|d| self.record(d, 0)).collect()
    }

    /// Log entry `n` (with the job it starts, every `ENTRIES_PER_JOB` entries) and, every
    /// `every` entries, one configuration version; returns the events and the documents.
    pub fn entry(&mut self, n: usize, every: usize) -> (Vec<RecordedEvent>, Vec<Doc>) {
        let mut events = Vec::new();
        let mut docs = Vec::new();
        if n % ENTRIES_PER_JOB == 0 {
            let device = self.rng.random_range(0..self.devices.len());
            self.job = (JobId::new(), device);
            let job_type = if n % (ENTRIES_PER_JOB * 3) == 0 { JobType::Backup } else { JobType::Command };
            events.push(self.record(requested(self.job.0, job_type, self.devices[device].id), n));
        }
        let (job, device) = self.job;
        let level = pick_level(self.rng.random_range(0..100));
        let text = self.message(device);
        let time = self.start + Duration::seconds(n as i64);
        let entry = JobLogged {
            job_id: job,
            timestamp: time,
            level,
            category: ["connection", "execution", "result"][n % 3].into(),
            message: text.clone(),
            details: Default::default(),
            source_component: "device-agent".into(),
            correlation_id: "bench".into(),
            filter_version: 3,
        };
        events.push(self.record(entry.into(), n));
        let level = level_name(level);
        docs.push(Doc { kind: "log", level, device, latest: false, prefix: format!("{time:?} {level}"), text });
        if n % every == 0 {
            let version = n / every / self.devices.len();
            let device = (n / every) % self.devices.len();
            if version < self.versions {
                let (event, doc) = self.config(n, device, version);
                events.push(self.record(requested(event.job_id, JobType::Backup, self.devices[device].id), n));
                events.push(self.record(event.into(), n));
                docs.push(doc);
            }
        }
        (events, docs)
    }

    /// A log message about `device`.
    fn message(&mut self, device: usize) -> String {
        let r = &mut self.rng;
        let ip = format!("10.{}.{}.{}", r.random_range(0..2), r.random_range(0..100), r.random_range(0..250));
        let port = r.random_range(1..49);
        let peer_as = 65000 + r.random_range(0..100);
        let d = &self.devices[device];
        match r.random_range(0..12) {
            0 => format!("Connecting to {} ({ip}) via SSH port 22", d.name),
            1 => format!("Interface GigabitEthernet1/0/{port} changed state to {}", ["down", "up"][port % 2]),
            2 => format!("%LINK-3-UPDOWN: Interface xe-0/0/{port}.0, changed state to down"),
            3 => format!("BGP neighbor {ip} (AS{peer_as}) went down: hold timer expired"),
            4 => format!("BGP neighbor {ip} (AS{peer_as}) established, local AS{}", d.asn),
            5 => format!("Authentication succeeded for user netops on {}", d.name),
            6 => format!("Authentication failed for user backup from {ip}: bad password"),
            7 => format!("MAC 001a.2b{:02x}.{:04x} moved from Gi1/0/{port} to Gi1/0/{} in vlan {}", port, r.random_range(0..256), port + 1, 100 + port),
            8 => format!("OSPF adjacency with {ip} on Eth1/{port} is FULL"),
            9 => format!("ipv6 neighbor 2001:db8:{:x}::{:x} reachable on Vlan{}", r.random_range(0..16), r.random_range(1..256), 100 + port),
            10 => format!("Command 'show running-config' completed in {} ms", r.random_range(50..5000)),
            _ => format!("Configuration saved to startup-config by netops; watchdog {} ok", r.random_range(0..10)),
        }
    }

    /// Configuration version `version` of `device`.
    fn config(&mut self, n: usize, device: usize, version: usize) -> (ConfigCaptured, Doc) {
        let d = &self.devices[device];
        let mut text = format!("hostname {}\n!\ninterface Loopback0\n ip address 10.255.{}.{} 255.255.255.255\n", d.name, device / 250, device % 250);
        for port in 1..=12 {
            let shut = if self.rng.random_range(0..10) == 0 { " shutdown" } else { " no shutdown" };
            let ip = format!("10.{}.{}.{}", self.rng.random_range(0..2), self.rng.random_range(0..100), self.rng.random_range(0..250));
            text += &format!("interface GigabitEthernet1/0/{port}\n description link-to-{}\n ip address {ip} 255.255.255.252\n{shut}\n", device_name((device + port) % self.devices.len()));
        }
        text += &format!("router bgp {}\n neighbor 10.0.{}.1 remote-as {}\n!\nntp server 10.255.255.{}\n! version {version}\nend\n", d.asn, device % 100, 65000 + (device + 1) % 100, version);
        let hash = format!("{:016x}", fnv(&text));
        let event = ConfigCaptured { job_id: JobId::new(), attempt: 1, device_id: d.id, size_bytes: text.len() as u64, content: text.clone(), content_hash: hash, filter_version: 3 };
        let prefix = format!("{:?} config", self.start + Duration::seconds(n as i64));
        (event, Doc { kind: "config", level: "", device, latest: version + 1 == self.versions, prefix, text })
    }

    /// Stamps an event with the next log offset.
    fn record(&mut self, data: EventData, n: usize) -> RecordedEvent {
        let mut event = Event::new(data, &self.cause);
        event.time = self.start + Duration::seconds(n as i64);
        self.offset += 1;
        RecordedEvent { partition: 0, offset: self.offset - 1, event }
    }
}

fn requested(job_id: JobId, job_type: JobType, device_id: DeviceId) -> EventData {
    let target = JobTarget::Device { device_id };
    let parameters = JobParameters::default();
    JobRequested { job_id, job_type, target, parameters, priority: 0, depends_on: vec![], timeout_secs: 60, force: false, parent_job_id: None, schedule_id: None, idempotency_key: None, child_count: None }.into()
}

fn pick_level(p: u32) -> LogLevel {
    match p {
        0..70 => LogLevel::Info,
        70..85 => LogLevel::Warning,
        85..95 => LogLevel::Error,
        95..99 => LogLevel::Debug,
        _ => LogLevel::Critical,
    }
}

/// A level's lowercase name, as the index and the files write it.
fn level_name(level: LogLevel) -> &'static str {
    ["debug", "info", "warning", "error", "critical"][level as usize]
}

/// FNV-1a, enough to tell configuration versions apart.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
}
