//! Prints the fleet benchmark's figures: one row per client and fleet size, the client CPU
//! ratios, and the large fetch against OpenSSH.

use super::bigfetch::BigFetch;
use super::clients::Measured;

const MIB: f64 = 1024.0;

/// Prints the table header.
pub fn header() {
    println!(
        "{:>7} {:<9} {:>9} {:>8} {:>9} {:>11} {:>13} {:>11} {:>10} {:>9}",
        "devices", "client", "ok/fail", "wall s", "devices/s", "CPU s", "CPU ms/device", "process CPU", "peak MiB", "sim CPU s"
    );
}

/// Prints one client's run over `devices` devices.
pub fn row(devices: usize, m: &Measured) {
    let o = &m.outcome;
    let peak = if o.peak_rss_kib > 0 { o.peak_rss_kib } else { m.process.peak_rss_kib };
    println!(
        "{:>7} {:<9} {:>9} {:>8.2} {:>9.1} {:>11.2} {:>13.2} {:>11.2} {:>10.1} {:>9.2}",
        devices,
        m.client,
        format!("{}/{}", o.succeeded, o.failed),
        o.wall_secs,
        devices as f64 / o.wall_secs,
        o.cpu_secs,
        o.cpu_secs * 1000.0 / devices as f64,
        m.process.cpu_secs,
        peak as f64 / MIB,
        m.sim_cpu_secs.unwrap_or(0.0)
    );
    if let Some(error) = &o.first_error {
        println!("        first failure: {error}");
    }
}

/// Prints how much more client CPU per device each other client used than NetRaven.
pub fn ratios(devices: usize, runs: &[Measured]) {
    let Some(netraven) = runs.iter().find(|m| m.client == "netraven") else { return };
    for other in runs.iter().filter(|m| m.client != "netraven") {
        println!(
            "{devices:>7} client CPU per device, {} / netraven: {:.1}x (whole processes: {:.1}x)",
            other.client,
            other.outcome.cpu_secs / netraven.outcome.cpu_secs,
            other.process.cpu_secs / netraven.process.cpu_secs
        );
    }
}

/// Prints the large fetch.
pub fn big(fetch: &BigFetch) {
    let (n, openssh) = (&fetch.netraven, fetch.openssh.as_secs_f64());
    println!("fetch of {:.1} MiB, best of each (ratio to OpenSSH's time):", fetch.bytes as f64 / MIB / MIB);
    println!("  OpenSSH `ssh host cat file`            {openssh:>7.3} s");
    let adapter = fetch.adapter.as_secs_f64();
    println!("  agent's SSH adapter, login + exec cat  {adapter:>7.3} s  {:.2}x", adapter / openssh);
    println!(
        "  NetRaven backup through the agent      {:>7.3} s  {:.2}x  ({:.2} CPU s, peak {:.1} MiB)",
        n.wall_secs,
        n.wall_secs / openssh,
        n.cpu_secs,
        n.peak_rss_kib as f64 / MIB
    );
}
