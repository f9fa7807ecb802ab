//! The fleet benchmark (issue 4): backs up N simulated devices (a `devsim` process) with the
//! NetRaven agent (its own process, `fleet-agent`), Netmiko and Scrapli, printing wall time,
//! devices/s, client CPU per device, the simulator's CPU and the agent's peak RSS; then a large
//! configuration fetched by the agent and by OpenSSH from a real sshd.

pub mod agent;
mod bigfetch;
mod clients;
mod procfs;
mod sim;
mod table;

use anyhow::{Result, bail};
use std::path::PathBuf;

use agent::Plan;
use clients::{Client, Setup};
use sim::Sim;

/// Settings of the fleet benchmark.
#[derive(clap::Args)]
pub struct Args {
    /// Fleet sizes (`0`: none, only the large fetch).
    #[arg(long, value_delimiter = ',', default_value = "100,500,1000")]
    sizes: Vec<usize>,
    /// devsim platforms; the default is the five that Netmiko and Scrapli both drive.
    #[arg(long, default_value = "cisco_ios,cisco_nxos,cisco_iosxr,arista_eos,juniper_junos")]
    platforms: String,
    /// Configuration size of each device.
    #[arg(long, default_value = "64k")]
    config_size: String,
    /// Clients to run, in order.
    #[arg(long, value_delimiter = ',', default_value = "netraven,netmiko,scrapli")]
    clients: Vec<String>,
    /// Netmiko's thread pool.
    #[arg(long, default_value_t = 20)]
    netmiko_workers: usize,
    /// Scrapli's semaphore (the agent's default `max_connections` is 50).
    #[arg(long, default_value_t = 50)]
    scrapli_concurrency: usize,
    /// Size of the configuration fetched against OpenSSH (`0` skips it).
    #[arg(long, default_value = "20m")]
    big_size: String,
    /// Fetches of the large configuration per client (the best counts).
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// The simulator binary.
    #[arg(long, default_value = "target/release/devsim")]
    devsim: PathBuf,
    /// Python of the virtual environment with Netmiko and Scrapli.
    #[arg(long, default_value = ".cache/python-clients/bin/python")]
    python: PathBuf,
    /// Folder of the Python client scripts.
    #[arg(long, default_value = "bench/clients")]
    scripts: PathBuf,
}

fn client(args: &Args, name: &str) -> Result<Client> {
    Ok(match name {
        "netraven" => Client::NetRaven,
        "netmiko" => clients::python("netmiko", &args.scripts, "netmiko_fleet.py", args.netmiko_workers),
        "scrapli" => clients::python("scrapli", &args.scripts, "scrapli_fleet.py", args.scrapli_concurrency),
        other => bail!("unknown client {other} (netraven, netmiko, scrapli)"),
    })
}

/// Every client on one fresh simulated fleet of `n` devices.
fn fleet(args: &Args, setup: &Setup, n: usize) -> Result<()> {
    let sim = Sim::start(&args.devsim, n, &args.platforms, &args.config_size)?;
    let first = &sim.devices[0];
    let plan = Plan {
        log_dir: setup.work.join(format!("fleet-{n}")),
        devices: sim.devices.iter().map(|d| (d.ssh_port, d.platform.clone())).collect(),
        username: first.username.clone(),
        password: first.password.clone(),
        enable_secret: Some(first.enable_secret.clone()),
        profiles_dir: None,
    };
    let mut runs = Vec::new();
    for name in &args.clients {
        let measured = clients::run(&client(args, name)?, setup, &plan, Some(&sim))?;
        table::row(n, &measured);
        runs.push(measured);
    }
    table::ratios(n, &runs);
    Ok(())
}

fn run_blocking(args: Args) -> Result<()> {
    let work = tempfile::tempdir()?;
    let setup = Setup { python: args.python.clone(), work: work.path().to_path_buf() };
    println!("fleet: {} platforms, {} configurations, clients {}", args.platforms, args.config_size, args.clients.join(", "));
    table::header();
    for &n in args.sizes.iter().filter(|&&n| n > 0) {
        fleet(&args, &setup, n)?;
    }
    if args.big_size != "0" {
        table::big(&bigfetch::run(&args.devsim, &args.big_size, args.repeat.max(1), &setup)?);
    }
    Ok(())
}

/// Runs the benchmark (child processes and their polling are blocking work).
pub async fn run(args: Args) -> Result<()> {
    tokio::task::spawn_blocking(move || run_blocking(args)).await?
}
