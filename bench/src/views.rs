//! Read-side benchmarks: rebuilding the SQLite views from a log of backup job flows (events/s),
//! and listing a device's configuration versions plus one diff when it has many versions.

use anyhow::Result;
use netraven_events::catalog::{DeviceId, JobId};
use netraven_events::log::embedded::EmbeddedLog;
use netraven_events::{AppendBatch, EventLog};
use netraven_test_support::fixtures::{backup_flow, cause, device_registered, events};
use netraven_projector::read;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Settings of the views benchmark.
#[derive(clap::Args)]
pub struct Args {
    /// Events in the log the views are rebuilt from (backup flows of 7 events).
    #[arg(long, default_value_t = 1_000_000)]
    events: u64,
    /// Devices the backups are spread over.
    #[arg(long, default_value_t = 1_000)]
    devices: u64,
    /// Every device's configuration changes on one backup in this many.
    #[arg(long, default_value_t = 10)]
    change_every: u64,
    /// Configuration versions of the device whose list and diff are timed.
    #[arg(long, default_value_t = 10_000)]
    versions: u64,
    /// Timed list-plus-diff requests.
    #[arg(long, default_value_t = 200)]
    samples: usize,
}

/// A configuration of about 6 KB whose `revision` line differs per revision.
fn config(device: u64, revision: u64) -> String {
    let mut text = format!("hostname r{device}\n! Last configuration change at {revision}\nbanner motd revision-{revision}\n");
    for i in 0..120 {
        text.push_str(&format!("interface GigabitEthernet0/{i}\n description link {i} of r{device}\n"));
    }
    text
}

/// Appends `flows` backup flows (device, revision) in batches of about 1,000 events.
async fn fill(log: &EmbeddedLog, flows: impl Iterator<Item = (DeviceId, u64, u64)>) -> Result<u64> {
    let who = cause("bench", "corr-bench");
    let (mut pending, mut appended) = (Vec::new(), 0);
    for (device, number, revision) in flows {
        pending.extend(backup_flow(JobId::new(), device, &config(number, revision), &format!("{number}-{revision}")));
        if pending.len() >= 1_000 {
            appended += pending.len() as u64;
            log.append(AppendBatch::new(events(&who, pending.drain(..)))).await?;
        }
    }
    if !pending.is_empty() {
        appended += pending.len() as u64;
        log.append(AppendBatch::new(events(&who, pending))).await?;
    }
    Ok(appended)
}

async fn register(log: &EmbeddedLog, devices: &[DeviceId]) -> Result<u64> {
    let data = devices.iter().enumerate().map(|(i, d)| device_registered(*d, &format!("r{i}"), &["bench"]));
    log.append(AppendBatch::new(events(&cause("bench", "corr-bench"), data))).await?;
    Ok(devices.len() as u64)
}

/// Runs both benchmarks and prints their figures.
pub async fn run(args: Args) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let log = EmbeddedLog::open(dir.path().join("events.db"))?;
    let devices: Vec<DeviceId> = (0..args.devices).map(|_| DeviceId::new()).collect();
    let mut total = register(&log, &devices).await?;
    let flows = (args.events.saturating_sub(total)).div_ceil(7);
    let n = args.devices;
    total += fill(&log, (0..flows).map(|f| (devices[(f % n) as usize], f % n, f / n / args.change_every.max(1)))).await?;
    let shared: Arc<dyn EventLog> = Arc::new(log);
    let started = Instant::now();
    let mut all = shared.read_all(netraven_events::Position::start()).await?;
    let mut read_back = 0u64;
    while let Some(event) = all.next().await {
        event?;
        read_back += 1;
    }
    let elapsed = started.elapsed();
    println!("log read alone (baseline): {read_back} events in {:.1} s = {:.0} events/s", elapsed.as_secs_f64(), read_back as f64 / elapsed.as_secs_f64());
    let views = dir.path().join("views.db");
    let started = Instant::now();
    let mut batches = 0u64;
    let done = netraven_projector::rebuild(&views, shared.clone(), |_| batches += 1).await?;
    let elapsed = started.elapsed();
    println!(
        "views rebuild: {} events ({total} appended, {n} devices) in {:.1} s = {:.0} events/s ({} transactions)",
        done.done,
        elapsed.as_secs_f64(),
        done.done as f64 / elapsed.as_secs_f64(),
        batches - 1
    );

    let log = EmbeddedLog::open(dir.path().join("versions.db"))?;
    let device = DeviceId::new();
    register(&log, &[device]).await?;
    fill(&log, (0..args.versions).map(|v| (device, 0, v))).await?;
    let views = dir.path().join("versions-views.db");
    netraven_projector::rebuild(&views, Arc::new(log), |_| {}).await?;
    let conn = read::open(&views)?;
    let id = device.to_string();
    let mut timings: Vec<Duration> = Vec::with_capacity(args.samples);
    for i in 0..args.samples {
        let started = Instant::now();
        let page = read::config_versions(&conn, &id, 50, None)?;
        let to = page.items.first().map(|v| v.version).unwrap_or(1);
        let from = 1 + (i as i64 * 7919) % to.max(1);
        let (old, new) = (read::config_version(&conn, &id, from)?, read::config_version(&conn, &id, to)?);
        let (old, new) = (old.expect("from version"), new.expect("to version"));
        let (diff, _, _) = netraven_query_api::diff::unified(&old.content, &new.content, ("from", "to"), true, 3);
        std::hint::black_box((page, diff));
        timings.push(started.elapsed());
    }
    timings.sort();
    let pct = |p: f64| timings[((timings.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1e3;
    println!(
        "versions + diff ({} versions, first page of 50 and a diff of two ~{} KB versions): p50 {:.2} ms, p99 {:.2} ms over {} requests",
        args.versions,
        config(0, 0).len() / 1024,
        pct(0.5),
        pct(0.99),
        args.samples
    );
    Ok(())
}
