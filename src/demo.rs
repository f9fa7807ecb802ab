//! `serve --demo`: a simulated fleet of mixed platforms on loopback, registered with a
//! credential and a backup schedule, whose configurations keep changing, so a newcomer sees
//! jobs, logs, config versions, diffs and search hits within a minute.

use anyhow::Result;
use netraven_devsim::{Fleet, FleetConfig};
use netraven_api::{Principal, Role};
use netraven_command_handler::decide::credentials::{self, CredentialCreate};
use netraven_command_handler::decide::devices::{self, DeviceCreate, DeviceUpdate};
use netraven_command_handler::decide::jobs::{self, JobCreate, Requested};
use netraven_command_handler::decide::schedules::{self, ScheduleCreate};
use netraven_command_handler::state::{CommandState, Decided, cause};
use netraven_events::ExpectedVersion;
use netraven_events::catalog::{JobTarget, JobType, MissedRunPolicy, ScheduleSpec};
use netraven_vault::Vault;
use std::sync::Arc;
use std::time::Duration;

const TAG: &str = "demo";

fn demo_user() -> Principal {
    Principal { user: "demo".into(), role: Role::Admin, device_tags: vec![] }
}

fn opens(events: Vec<netraven_events::EventData>) -> Decided {
    let expect = events.iter().map(|e| (e.stream(), ExpectedVersion::NoStream)).collect();
    (events, expect)
}

/// Starts `count` simulated devices and registers everything; the fleet lives as long as the
/// returned value.
pub async fn start(state: &Arc<CommandState>, vault: &Vault, count: usize) -> Result<Fleet> {
    let fleet = Fleet::start(FleetConfig::new(count, &[])).await?;
    let who = demo_user();
    let cause = cause("demo", &uuid::Uuid::now_v7().to_string());
    for info in fleet.devices() {
        let port = info.ssh_port.unwrap_or(22);
        state
            .execute(&cause, |reg| match reg.device_named(&info.name) {
                Some(id) if reg.devices[&id].port == port => Ok((vec![], vec![])),
                Some(id) => {
                    let change = DeviceUpdate { port: Some(port), ..DeviceUpdate::default() };
                    Ok((vec![devices::update(reg, &who, id, change)?], vec![]))
                }
                None => {
                    let body = DeviceCreate { name: info.name.clone(), host: Some("127.0.0.1".into()), port: Some(port), platform: Some(info.platform.as_str().into()), protocol: None, tags: vec![TAG.into(), info.platform.as_str().into()] };
                    Ok(opens(devices::register(reg, &who, vec![body])?))
                }
            })
            .await?;
    }
    if state.read(|reg| !reg.credentials.values().any(|c| c.name == "demo fleet" && !c.revoked)) {
        let first = &fleet.devices()[0];
        let body = CredentialCreate { name: "demo fleet".into(), username: first.username.clone(), secret: first.password.clone(), enable_secret: Some(first.enable_secret.clone()), tags: vec![TAG.into()], priority: 10 };
        let (_, event) = credentials::add(&who, vault, body)?;
        state.execute(&cause, |_| Ok(opens(vec![event.clone()]))).await?;
    }
    let backup = || JobCreate { job_type: JobType::Backup, target: JobTarget::Tags { tags: vec![TAG.into()] }, commands: vec![], config_mode: false, priority: 0, depends_on: vec![], timeout_secs: 120, force: false };
    if state.read(|reg| !reg.schedules.values().any(|s| s.created.name == "demo backups")) {
        let body = ScheduleCreate { name: "demo backups".into(), spec: ScheduleSpec::Interval { every_secs: 120 }, missed_runs: MissedRunPolicy::FireOnce, job: backup() };
        state.execute(&cause, |reg| Ok(opens(vec![schedules::create(reg, &who, body.clone())?.1]))).await?;
    }
    state
        .execute(&cause, |reg| match jobs::request(reg, &who, backup(), None, None)? {
            Requested::New(_, events) => Ok(opens(events)),
            Requested::Existing(_) => Ok((vec![], vec![])),
        })
        .await?;
    println!("Demo: {} simulated devices registered (tag `{TAG}`), backed up now and every 2 minutes.", fleet.len());
    Ok(fleet)
}

/// Changes the configuration of a few devices every `every`, until `shutdown`.
pub async fn churn(fleet: Arc<Fleet>, every: Duration, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let mut turn = 0usize;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
        for k in 0..3 {
            if let Some(device) = fleet.device((turn * 7 + k * 13) % fleet.len().max(1)) {
                device.change_config();
            }
        }
        turn += 1;
    }
}
