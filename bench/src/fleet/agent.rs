//! The agent side of the fleet benchmark, run in its own process (`netraven-bench fleet-agent
//! PLAN`) so its CPU and memory are its own: it plays the command side on a fresh embedded log
//! (devices, one credential, jobs requested and queued), starts `Agent::new(..).run(..)`,
//! appends one `JobDispatched` per device as the dispatcher would (ADR 004), and waits until
//! every job has a terminal event (reading past job output undecoded). It prints its figures
//! as one JSON line.

use anyhow::{Context, Result, bail};
use netraven_device_agent::{Agent, AgentConfig, ProfileSet};
use netraven_events::catalog::*;
use netraven_events::log::embedded::EmbeddedLog;
use netraven_events::{AppendBatch, Cause, Event, EventData, EventLog, SkipTypes};
use netraven_vault::Vault;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::watch;

use super::procfs;

/// Dispatches appended per batch, as a dispatcher draining its queue would.
const DISPATCH_BATCH: usize = 100;

/// What the agent process backs up.
#[derive(Debug, Serialize, Deserialize)]
pub struct Plan {
    /// Folder of the embedded log.
    pub log_dir: PathBuf,
    /// `(port on 127.0.0.1, profile)` per device.
    pub devices: Vec<(u16, String)>,
    pub username: String,
    pub password: String,
    pub enable_secret: Option<String>,
    /// A folder of extra profiles (`ProfileSet::load`).
    pub profiles_dir: Option<PathBuf>,
}

/// The agent process's figures, over the backups only (from the first dispatch to the last
/// terminal event), except `peak_rss_kib` (the whole process).
#[derive(Debug, Serialize, Deserialize)]
pub struct Outcome {
    pub succeeded: usize,
    pub failed: usize,
    pub first_error: Option<String>,
    pub config_bytes: u64,
    pub wall_secs: f64,
    pub cpu_secs: f64,
    #[serde(default)]
    pub peak_rss_kib: u64,
}

/// Settings of the hidden `fleet-agent` mode.
#[derive(clap::Args)]
pub struct Args {
    /// The plan, a JSON file written by `fleet`.
    plan: PathBuf,
}

fn cause() -> Cause {
    Cause { source: "/bench/command-handler".into(), actor: "bench".into(), correlation_id: "corr-bench".into(), causation_id: None }
}

async fn append(log: &dyn EventLog, data: Vec<EventData>) -> Result<()> {
    let who = cause();
    for chunk in data.chunks(1_000) {
        let events = chunk.iter().cloned().map(|d| Event::new(d, &who)).collect();
        log.append(AppendBatch::new(events)).await?;
    }
    Ok(())
}

/// Devices, the credential and requested + queued jobs; returns the dispatches to append.
async fn prepare(log: &dyn EventLog, vault: &Vault, plan: &Plan) -> Result<Vec<EventData>> {
    let credential_id = CredentialId::new();
    let context = credential_id.0.as_bytes();
    let mut setup: Vec<EventData> = vec![
        CredentialAdded {
            credential_id,
            name: "bench".into(),
            username: plan.username.clone(),
            secret: vault.seal(&plan.password, context),
            enable_secret: plan.enable_secret.as_deref().map(|e| vault.seal(e, context)),
            tags: vec!["bench".into()],
            priority: 1,
        }
        .into(),
    ];
    let mut dispatches = Vec::with_capacity(plan.devices.len());
    for (i, (port, platform)) in plan.devices.iter().enumerate() {
        let (device_id, job_id, job_type) = (DeviceId::new(), JobId::new(), JobType::Backup);
        let parameters = JobParameters::default();
        setup.push(
            DeviceRegistered { device_id, name: format!("bench-{i}"), host: "127.0.0.1".into(), port: *port, platform: Some(platform.clone()), protocol: Protocol::Ssh, tags: vec!["bench".into()] }
                .into(),
        );
        setup.push(
            JobRequested { job_id, job_type, target: JobTarget::Device { device_id }, parameters: parameters.clone(), priority: 0, depends_on: vec![], timeout_secs: 600, force: false, parent_job_id: None, schedule_id: None, idempotency_key: None, child_count: None }
                .into(),
        );
        setup.push(JobQueued { job_id, priority: 0 }.into());
        dispatches.push(JobDispatched { job_id, attempt: 1, device_id, job_type, parameters, timeout_secs: 600, log_position: None }.into());
    }
    append(log, setup).await?;
    Ok(dispatches)
}

fn job_of(data: &EventData) -> Option<JobId> {
    match data {
        EventData::JobDispatched(d) => Some(d.job_id),
        _ => None,
    }
}

/// Event types the wait for terminal events leaves undecoded: the bench's own reading is not
/// the agent's work, so it stays as light as the log allows while the clock runs.
const NOT_TERMINAL: SkipTypes = &[
    JobLogged::EVENT_TYPE,
    ConfigCaptured::EVENT_TYPE,
    ConfigChanged::EVENT_TYPE,
    CommandOutputCaptured::EVENT_TYPE,
    CredentialAttempted::EVENT_TYPE,
];

/// Configuration bytes captured for `jobs`, read job by job once the clock has stopped (one
/// job's events at a time, so the count adds nothing to the agent's peak memory).
async fn captured_bytes(log: &dyn EventLog, jobs: &HashSet<JobId>) -> Result<u64> {
    let mut bytes = 0;
    for job in jobs {
        for recorded in log.read_stream(&job.stream(), 1).await? {
            if let EventData::ConfigCaptured(c) = recorded.event.data {
                bytes += c.size_bytes;
            }
        }
    }
    Ok(bytes)
}

/// Runs the plan and prints the outcome.
pub async fn run(args: Args) -> Result<()> {
    let plan: Plan = serde_json::from_slice(&std::fs::read(&args.plan)?).context("reading the plan")?;
    let log: Arc<dyn EventLog> = Arc::new(EmbeddedLog::open(plan.log_dir.join("events.db"))?);
    let vault = Arc::new(Vault::from_keys([(1, [7u8; 32])])?);
    let dispatches = prepare(log.as_ref(), &vault, &plan).await?;
    let jobs: HashSet<JobId> = dispatches.iter().filter_map(job_of).collect();
    let profiles = ProfileSet::load(plan.profiles_dir.as_deref())?;
    let config = AgentConfig { agent_id: "bench-agent".into(), ..AgentConfig::default() };
    let mut terminals = log.subscribe_skipping(log.head().await?, NOT_TERMINAL).await?;
    let (stop, shutdown) = watch::channel(false);
    let running = tokio::spawn(Agent::new(config, log.clone(), vault, profiles).run(shutdown));

    let (started, cpu_before) = (Instant::now(), procfs::cpu_secs(std::process::id()));
    for chunk in dispatches.chunks(DISPATCH_BATCH) {
        append(log.as_ref(), chunk.to_vec()).await?;
    }
    let mut outcome = Outcome { succeeded: 0, failed: 0, first_error: None, config_bytes: 0, wall_secs: 0.0, cpu_secs: 0.0, peak_rss_kib: 0 };
    while outcome.succeeded + outcome.failed < jobs.len() {
        let Some(recorded) = terminals.next().await else { bail!("the log ended before every job did") };
        match recorded?.event.data {
            EventData::JobSucceeded(s) if jobs.contains(&s.job_id) => outcome.succeeded += 1,
            EventData::JobFailed(f) if jobs.contains(&f.job_id) => {
                outcome.failed += 1;
                outcome.first_error.get_or_insert(format!("{}: {}", f.error.code, f.error.message));
            }
            _ => {}
        }
    }
    outcome.wall_secs = started.elapsed().as_secs_f64();
    outcome.cpu_secs = procfs::cpu_secs(std::process::id()) - cpu_before;
    outcome.config_bytes = captured_bytes(log.as_ref(), &jobs).await?;
    stop.send_replace(true);
    running.await??;
    outcome.peak_rss_kib = procfs::vm_hwm_kib("self").unwrap_or(0);
    println!("{}", serde_json::to_string(&outcome)?);
    Ok(())
}
