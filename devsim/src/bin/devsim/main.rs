//! `devsim`: starts a fleet of simulated devices, prints how to reach each one, and runs until
//! Ctrl-C.

mod args;

use anyhow::Context;
use clap::Parser;
use netraven_devsim::{DeviceInfo, Fleet};

fn port(port: Option<u16>) -> String {
    port.map_or_else(|| "-".to_string(), |p| p.to_string())
}

fn print_table(devices: &[DeviceInfo]) {
    println!(
        "{:<14} {:<14} {:>6} {:>6} {:<12} {:<12} {:<12} FINGERPRINT",
        "NAME", "PLATFORM", "SSH", "TELNET", "USER", "PASSWORD", "ENABLE"
    );
    for d in devices {
        println!(
            "{:<14} {:<14} {:>6} {:>6} {:<12} {:<12} {:<12} {}",
            d.name,
            d.platform.as_str(),
            port(d.ssh_port),
            port(d.telnet_port),
            d.username,
            d.password,
            d.enable_secret,
            d.host_key_fingerprint
        );
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = args::Args::parse();
    let config = args.fleet_config()?;
    let fleet = Fleet::start(config).await.context("starting the fleet")?;
    if args.json {
        for d in fleet.devices() {
            println!("{}", serde_json::to_string(d)?);
        }
    } else {
        print_table(fleet.devices());
    }
    eprintln!("devsim: {} devices running; Ctrl-C stops them", fleet.len());
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    fleet.shutdown().await;
    Ok(())
}
