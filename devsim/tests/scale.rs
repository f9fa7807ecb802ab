//! Scale: 1,000 devices in one process on one runtime; a sample answers over SSH at once.

mod common;

use std::time::Instant;

use common::exec;
use netraven_devsim::{Fleet, FleetConfig, Platform};

/// Resident memory of this process in KiB, from /proc.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_devices_start_and_answer() {
    let before = rss_kib();
    let started = Instant::now();
    let fleet = Fleet::start(FleetConfig::new(1000, &Platform::ALL))
        .await
        .expect("1,000 devices start");
    let startup = started.elapsed();
    let idle = rss_kib().saturating_sub(before);
    eprintln!("1,000 devices: started in {startup:?}, {idle} KiB more resident memory while idle");
    assert_eq!(fleet.len(), 1000);
    let sample: Vec<_> = (0..1000)
        .step_by(37)
        .map(|i| fleet.devices()[i].clone())
        .collect();
    let answers = futures::future::join_all(sample.iter().map(|info| async move {
        let command = match info.platform {
            Platform::Linux => "hostname",
            _ => "show version",
        };
        exec(info, command).await
    }))
    .await;
    for (info, (out, status)) in sample.iter().zip(answers) {
        assert_eq!(status, Some(0), "{}", info.name);
        assert!(!out.is_empty(), "{}", info.name);
    }
    fleet.shutdown().await;
}
