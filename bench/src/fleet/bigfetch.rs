//! The large-configuration fetch: a configuration of `--big-size` made by `devsim`, stored in a
//! file on this host, fetched from a real OpenSSH server on loopback by OpenSSH's own client
//! (`ssh host cat file`), by the agent's SSH adapter alone (login and `cat` on an exec
//! channel) and by a NetRaven backup through the agent (a profile whose backup command is that
//! same `cat`), best of `--repeat` each.

use anyhow::{Context, Result, bail};
use netraven_device_agent::protocol::ssh::SshConnection;
use netraven_device_agent::protocol::{HostKeyPolicy, Login, Target, Timeouts};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::agent::{Outcome, Plan};
use super::clients::{self, Client, Setup};
use super::sim::Sim;

#[allow(dead_code)] // the tests' private sshd, shared rather than copied
#[path = "../../../device-agent/tests/support/sshd.rs"]
mod sshd;

/// The fetches of the same bytes.
pub struct BigFetch {
    pub bytes: u64,
    pub openssh: Duration,
    /// The agent's SSH adapter: connect, log in, `cat` on an exec channel.
    pub adapter: Duration,
    /// The whole backup through the agent (cleaning, redaction, hashing, the durable append).
    pub netraven: Outcome,
}

/// Logs in to `port` with the agent's SSH adapter and `cat`s `file`; returns the length read.
async fn adapter_fetch(port: u16, file: &Path) -> Result<u64> {
    let target = Target { host: "127.0.0.1".into(), port };
    let login = Login { username: sshd::USER.into(), password: Some(sshd::PASSWORD.into()), private_key: None, enable_secret: None };
    let connection = SshConnection::connect(&target, &login, HostKeyPolicy::LearnOnFirstUse, Timeouts::default()).await?;
    let text = connection.exec(&format!("cat {}", file.display())).await?;
    connection.close().await?;
    Ok(text.len() as u64)
}

/// `sshpass -p PASSWORD ssh ... -p PORT USER@127.0.0.1 COMMAND`, host keys neither checked nor kept.
fn ssh(password: &str, port: u16, user: &str, command: &str) -> Command {
    let mut ssh = Command::new("sshpass");
    ssh.args(["-p", password, "ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"])
        .args(["-o", "LogLevel=ERROR", "-p", &port.to_string(), &format!("{user}@127.0.0.1"), command]);
    ssh
}

/// Runs `command`, returning its standard output's length and the wall time.
fn timed(mut command: Command) -> Result<(u64, Duration)> {
    let started = Instant::now();
    let out = command.stderr(Stdio::inherit()).output().context("running ssh (sshpass and openssh-client)")?;
    let elapsed = started.elapsed();
    if !out.status.success() {
        bail!("{command:?} exited with {}", out.status);
    }
    Ok((out.stdout.len() as u64, elapsed))
}

/// A profile like `linux` whose only backup command is `cat FILE`.
fn cat_profile(dir: &Path, file: &Path) -> Result<()> {
    let profile = format!(
        "name = \"bench_cat\"\ndescription = \"one file, over SSH exec channels\"\ndefault_protocol = \"ssh\"\n\
         default_port = 22\nsession = \"exec\"\n\n[prompt]\nuser = '^\\S+@\\S+\\$\\s?$'\nprivileged = '^\\S+@\\S+#\\s?$'\n\n[backup]\ncommands = [\"cat {}\"]\n",
        file.display()
    );
    std::fs::write(dir.join("bench_cat.toml"), profile)?;
    Ok(())
}

/// Makes the file with `devsim`'s configuration of `size`, then times both fetches.
pub fn run(devsim: &Path, size: &str, repeat: usize, setup: &Setup) -> Result<BigFetch> {
    let dir = tempfile::tempdir()?;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))?;
    let file = dir.path().join("running-config.txt");
    let sim = Sim::start(devsim, 1, "cisco_ios", size)?;
    let d = &sim.devices[0];
    let config = ssh(&d.password, d.ssh_port, &d.username, "show running-config").output()?;
    if !config.status.success() || config.stdout.is_empty() {
        bail!("devsim gave no configuration over an exec channel");
    }
    std::fs::write(&file, &config.stdout)?;
    drop(sim);
    let profiles = dir.path().join("profiles");
    std::fs::create_dir(&profiles)?;
    cat_profile(&profiles, &file)?;

    let server = sshd::start_sshd();
    let mut openssh = Duration::MAX;
    for _ in 0..repeat {
        let (bytes, took) = timed(ssh(sshd::PASSWORD, server.port, sshd::USER, &format!("cat {}", file.display())))?;
        if bytes != config.stdout.len() as u64 {
            bail!("ssh cat gave {bytes} bytes of {}", config.stdout.len());
        }
        openssh = openssh.min(took);
    }
    let mut adapter = Duration::MAX;
    for _ in 0..repeat {
        let started = Instant::now();
        let bytes = tokio::runtime::Handle::current().block_on(adapter_fetch(server.port, &file))?;
        adapter = adapter.min(started.elapsed());
        if bytes != config.stdout.len() as u64 {
            bail!("the SSH adapter read {bytes} bytes of {}", config.stdout.len());
        }
    }
    let mut best: Option<Outcome> = None;
    for i in 0..repeat {
        let log_dir = setup.work.join(format!("big-{i}"));
        let plan = Plan { log_dir, devices: vec![(server.port, "bench_cat".into())], username: sshd::USER.into(), password: sshd::PASSWORD.into(), enable_secret: None, profiles_dir: Some(profiles.clone()) };
        let outcome = clients::run(&Client::NetRaven, setup, &plan, None)?.outcome;
        if outcome.succeeded != 1 {
            bail!("the agent's fetch failed: {:?}", outcome.first_error);
        }
        if best.as_ref().is_none_or(|b| outcome.wall_secs < b.wall_secs) {
            best = Some(outcome);
        }
    }
    Ok(BigFetch { bytes: config.stdout.len() as u64, openssh, adapter, netraven: best.context("--repeat is at least 1")? })
}
