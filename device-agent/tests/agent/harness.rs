//! The command side as the tests play it: a fresh embedded log, devices and credentials as
//! events, jobs requested and dispatched as the dispatcher would, agents started and stopped,
//! and waits on a job's stream that end as soon as the awaited events are in the log.

use netraven_device_agent::profile::ProfileSet;
use netraven_device_agent::{Agent, AgentConfig};
use netraven_devsim::{DeviceHandle, DeviceInfo, DeviceSpec, Fleet, FleetConfig};
use netraven_events::catalog::*;
use netraven_events::job_state::JobState;
use netraven_events::log::embedded::EmbeddedLog;
use netraven_events::{AppendBatch, Cause, Event, EventData, EventLog, Position};
use netraven_vault::Vault;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// How long any awaited event may take.
const WAIT: Duration = Duration::from_secs(60);

pub struct Harness {
    pub log: Arc<dyn EventLog>,
    pub vault: Arc<Vault>,
    dir: tempfile::TempDir,
}

/// A running agent.
pub struct Running {
    pub task: JoinHandle<netraven_events::Result<()>>,
    stop: watch::Sender<bool>,
}

impl Running {
    /// Asks for a graceful shutdown and waits for it.
    pub async fn stop(self) {
        self.stop.send_replace(true);
        tokio::time::timeout(WAIT, self.task).await.expect("the agent stops").expect("not panicked").expect("no log error");
    }
}

/// A device simulator fleet of the given devices.
pub async fn fleet(specs: Vec<DeviceSpec>) -> Fleet {
    let mut config = FleetConfig::new(0, &[]);
    config.devices = specs;
    Fleet::start(config).await.expect("fleet starts")
}

/// One simulated device, registered with `platform` and a working credential (priority 1).
pub struct Lab {
    pub fleet: Fleet,
    pub info: DeviceInfo,
    pub h: Harness,
    pub device: DeviceId,
}

pub async fn lab(spec: DeviceSpec, platform: Option<&str>) -> Lab {
    let fleet = fleet(vec![spec]).await;
    let info = fleet.devices()[0].clone();
    let h = Harness::new();
    let device = h.device(info.ssh_port.unwrap(), platform, Protocol::Ssh).await;
    h.credential(&info.username, &info.password, Some(&info.enable_secret), 1).await;
    Lab { fleet, info, h, device }
}

impl Lab {
    /// The simulated device's controls.
    pub fn handle(&self) -> DeviceHandle {
        self.fleet.device(0).unwrap().clone()
    }
}

/// Agent settings for tests: a short command timeout, the seed's other defaults.
pub fn config(agent_id: &str) -> AgentConfig {
    AgentConfig { agent_id: agent_id.into(), command_timeout_secs: 10, ..AgentConfig::default() }
}

fn cause() -> Cause {
    Cause { source: "/test/command-handler".into(), actor: "test".into(), correlation_id: "corr-test".into(), causation_id: None }
}

impl Harness {
    /// An embedded log in a temporary folder.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log: Arc<dyn EventLog> = Arc::new(EmbeddedLog::open(dir.path().join("events.db")).unwrap());
        Harness::with_log(log, dir)
    }

    /// Another log (Kafka); `dir` is where [`log_files_contain`](Self::log_files_contain) looks.
    pub fn with_log(log: Arc<dyn EventLog>, dir: tempfile::TempDir) -> Self {
        let vault = Arc::new(Vault::from_keys([(1, [7u8; 32])]).unwrap());
        Harness { log, vault, dir }
    }

    pub async fn append(&self, events: Vec<EventData>) {
        let events = events.into_iter().map(|data| Event::new(data, &cause())).collect();
        self.log.append(AppendBatch::new(events)).await.unwrap();
    }

    /// Registers a device at `127.0.0.1:port`.
    pub async fn device(&self, port: u16, platform: Option<&str>, protocol: Protocol) -> DeviceId {
        let device_id = DeviceId::new();
        let registered = DeviceRegistered {
            device_id,
            name: format!("dev-{device_id}"),
            host: "127.0.0.1".into(),
            port,
            platform: platform.map(str::to_string),
            protocol,
            tags: vec!["lab".into()],
        };
        self.append(vec![registered.into()]).await;
        device_id
    }

    /// Stores a credential sealed by the vault; lower `priority` is tried first.
    pub async fn credential(&self, username: &str, password: &str, enable: Option<&str>, priority: i32) -> CredentialId {
        let credential_id = CredentialId::new();
        let context = credential_id.0.as_bytes();
        let added = CredentialAdded {
            credential_id,
            name: format!("cred-{priority}"),
            username: username.into(),
            secret: self.vault.seal(password, context),
            enable_secret: enable.map(|e| self.vault.seal(e, context)),
            tags: vec!["lab".into()],
            priority,
        };
        self.append(vec![added.into()]).await;
        credential_id
    }

    /// Requests, queues and dispatches attempt 1 of a job, as the command side would.
    pub async fn dispatch(&self, device_id: DeviceId, job_type: JobType, parameters: JobParameters) -> JobId {
        let job_id = JobId::new();
        let requested = JobRequested {
            job_id,
            job_type,
            target: JobTarget::Device { device_id },
            parameters: parameters.clone(),
            priority: 0,
            depends_on: vec![],
            timeout_secs: 60,
            force: false,
            parent_job_id: None,
            schedule_id: None,
            idempotency_key: None,
            child_count: None,
        };
        let queued = JobQueued { job_id, priority: 0 };
        let dispatched = JobDispatched { job_id, attempt: 1, device_id, job_type, parameters, timeout_secs: 60, log_position: None };
        self.append(vec![requested.into(), queued.into(), dispatched.into()]).await;
        job_id
    }

    /// Starts an agent.
    pub fn start(&self, config: AgentConfig) -> Running {
        self.start_agent(self.agent(config))
    }

    /// An agent on this harness's log and vault, not started.
    pub fn agent(&self, config: AgentConfig) -> Agent {
        Agent::new(config, self.log.clone(), self.vault.clone(), ProfileSet::builtin())
    }

    /// Starts `agent`.
    pub fn start_agent(&self, agent: Agent) -> Running {
        let (stop, shutdown) = watch::channel(false);
        Running { task: tokio::spawn(agent.run(shutdown)), stop }
    }

    /// Whether any file of the log's folder holds `needle` (a secret must never reach it).
    pub fn log_files_contain(&self, needle: &str) -> bool {
        std::fs::read_dir(self.dir.path()).unwrap().any(|entry| {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
    }

    /// The job's events so far.
    pub async fn job_events(&self, job_id: JobId) -> Vec<EventData> {
        self.log.read_stream(&job_id.stream(), 1).await.unwrap().into_iter().map(|r| r.event.data).collect()
    }

    /// Waits until the job's events satisfy `done`, following the log; returns them.
    pub async fn wait_for(&self, job_id: JobId, done: impl Fn(&[EventData]) -> bool) -> Vec<EventData> {
        let stream = job_id.stream();
        let mut subscription = self.log.subscribe(Position::start()).await.unwrap();
        let mut events = Vec::new();
        let waited = tokio::time::timeout(WAIT, async {
            while let Some(recorded) = subscription.next().await {
                let recorded = recorded.unwrap();
                if recorded.event.stream_id == stream {
                    events.push(recorded.event.data);
                    if done(&events) {
                        return;
                    }
                }
            }
        })
        .await;
        assert!(waited.is_ok(), "job {job_id} never got there: {:#?}", types(&events));
        events
    }

    /// Waits until the job has ended (or retried) its attempt `attempt`.
    pub async fn wait_attempt_end(&self, job_id: JobId, attempt: u32) -> Vec<EventData> {
        self.wait_for(job_id, |events| events.iter().any(|e| ends_attempt(e, attempt))).await
    }
}

/// Whether `event` is a terminal event of `attempt` (a retry ends it too).
pub fn ends_attempt(event: &EventData, attempt: u32) -> bool {
    match event {
        EventData::JobSucceeded(e) => e.attempt == attempt,
        EventData::JobFailed(e) => e.attempt == attempt,
        EventData::JobRetried(e) => e.attempt == attempt + 1,
        _ => false,
    }
}

/// Waits (polling the simulator's counter) until the device has `n` open connections.
pub async fn connections_become(device: &DeviceHandle, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while device.connections() != n {
        assert!(Instant::now() < deadline, "{} connection(s) open, expected {n}", device.connections());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub fn types(events: &[EventData]) -> Vec<&'static str> {
    events.iter().map(EventData::event_type).collect()
}

/// The job log messages among `events`.
pub fn messages(events: &[EventData]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            EventData::JobLogged(l) => Some(l.message.clone()),
            _ => None,
        })
        .collect()
}

/// The job's state as every component folds it.
pub fn fold(events: &[EventData]) -> JobState {
    JobState::fold(events).expect("a valid job history").expect("a job")
}
