//! Runs one backup client in its own process (the NetRaven agent in `fleet-agent` mode, or a
//! Python script) and collects its figures: its own JSON line (backups only) plus what
//! `/proc` says about the whole process, and the simulator's CPU over the same time.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::agent::{Outcome, Plan};
use super::procfs::{self, Usage};
use super::sim::Sim;

/// How to start a client.
pub enum Client {
    /// This binary in `fleet-agent` mode.
    NetRaven,
    /// `python script devices.json argument` (Netmiko's workers, Scrapli's concurrency).
    Python { name: &'static str, script: PathBuf, argument: usize },
}

/// One client's run.
pub struct Measured {
    pub client: &'static str,
    pub outcome: Outcome,
    pub process: Usage,
    /// CPU seconds the simulator used while the client ran (`None` without a simulator).
    pub sim_cpu_secs: Option<f64>,
}

/// Paths shared by every run.
pub struct Setup {
    pub python: PathBuf,
    pub work: PathBuf,
}

/// Runs `client`: the agent on `plan`, a Python script on the devices of `sim`.
pub fn run(client: &Client, setup: &Setup, plan: &Plan, sim: Option<&Sim>) -> Result<Measured> {
    let (name, mut command) = match client {
        Client::NetRaven => {
            let path = setup.work.join("plan.json");
            std::fs::write(&path, serde_json::to_vec(plan)?)?;
            // This very binary, even when a rebuild has replaced the file since it started.
            let mut command = Command::new("/proc/self/exe");
            command.arg("fleet-agent").arg(path);
            ("netraven", command)
        }
        Client::Python { name, script, argument } => {
            let path = setup.work.join("devices.json");
            sim.context("Python clients back up the simulator")?.write_devices(&path)?;
            let mut command = Command::new(&setup.python);
            command.arg(script).arg(path).arg(argument.to_string());
            (*name, command)
        }
    };
    let sim_before = sim.map(Sim::cpu_secs);
    let child = command.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().with_context(|| format!("starting {name}"))?;
    let (process, out) = collect(child)?;
    if !process.status.success() {
        bail!("{name} exited with {}", process.status);
    }
    let line = out.lines().last().with_context(|| format!("{name} printed no figures"))?;
    let outcome: Outcome = serde_json::from_str(line).with_context(|| format!("{name}'s figures: {line}"))?;
    let sim_cpu_secs = sim.zip(sim_before).map(|(s, before)| s.cpu_secs() - before);
    Ok(Measured { client: name, outcome, process, sim_cpu_secs })
}

/// Reads the child's standard output on a thread while its figures are polled.
fn collect(mut child: std::process::Child) -> Result<(Usage, String)> {
    let mut stdout = child.stdout.take().context("a piped standard output")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let usage = procfs::wait(child)?;
    let text = reader.join().map_err(|_| anyhow::anyhow!("the output reader panicked"))??;
    Ok((usage, text))
}

/// A Python client script of `dir`.
pub fn python(name: &'static str, dir: &Path, file: &str, argument: usize) -> Client {
    Client::Python { name, script: dir.join(file), argument }
}
