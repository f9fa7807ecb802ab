//! The simulated fleet in its own `devsim` process, so its CPU is measured apart from the
//! clients': started with `--json`, its device list read from standard output.

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::procfs;

/// One simulated device as `devsim --json` prints it (the fields the clients need).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Device {
    pub name: String,
    pub platform: String,
    pub ssh_port: u16,
    pub username: String,
    pub password: String,
    pub enable_secret: String,
}

/// A running `devsim` process, stopped when dropped.
pub struct Sim {
    child: Child,
    pub devices: Vec<Device>,
}

impl Sim {
    /// Starts `count` SSH devices cycling through `platforms`, each with a configuration of
    /// `config_size` (`64k`, `20m`), and waits until every one is listening.
    pub fn start(binary: &Path, count: usize, platforms: &str, config_size: &str) -> Result<Sim> {
        let mut child = Command::new(binary)
            .args(["--count", &count.to_string(), "--base-port", "0", "--json"])
            .args(["--platforms", platforms, "--config-size", config_size])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("devsim's standard output")?;
        let mut sim = Sim { child, devices: Vec::with_capacity(count) };
        for line in BufReader::new(stdout).lines().take(count) {
            sim.devices.push(serde_json::from_str(&line?).context("a devsim --json line")?);
        }
        if sim.devices.len() != count {
            bail!("devsim printed {} of {count} devices", sim.devices.len());
        }
        Ok(sim)
    }

    /// CPU seconds the simulator has used so far.
    pub fn cpu_secs(&self) -> f64 {
        procfs::cpu_secs(self.child.id())
    }

    /// Writes the device list as JSON for a client process.
    pub fn write_devices(&self, path: &Path) -> Result<()> {
        std::fs::write(path, serde_json::to_vec(&self.devices)?).with_context(|| format!("writing {}", path.display()))
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
