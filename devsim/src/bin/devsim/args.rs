//! Command-line arguments of `devsim`, and their validation into a fleet configuration.

use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, ValueEnum};
use netraven_devsim::{DeviceSpec, Drip, Faults, FleetConfig, Platform, Refusal, parse_size};

/// Starts simulated network devices on 127.0.0.1 and prints how to reach them.
#[derive(Debug, Parser)]
#[command(name = "devsim", version)]
pub(crate) struct Args {
    /// Number of devices.
    #[arg(long, env = "NETRAVEN_DEVSIM_COUNT", default_value_t = 10)]
    pub count: usize,
    /// First port: SSH on base..base+count, Telnet after that (0 picks free ports).
    #[arg(long, env = "NETRAVEN_DEVSIM_BASE_PORT", default_value_t = 2200)]
    pub base_port: u16,
    /// `mixed` or a comma-separated list (cisco_ios, cisco_nxos, cisco_iosxr, cisco_asa,
    /// arista_eos, juniper_junos, linux); devices cycle through it.
    #[arg(long, env = "NETRAVEN_DEVSIM_PLATFORMS", default_value = "mixed")]
    pub platforms: String,
    /// Configuration size per device (`4096`, `64k`, `20m`).
    #[arg(long, env = "NETRAVEN_DEVSIM_CONFIG_SIZE", default_value = "64k")]
    pub config_size: String,
    /// Also listen for Telnet.
    #[arg(long, env = "NETRAVEN_DEVSIM_TELNET")]
    pub telnet: bool,
    /// Telnet only (no SSH).
    #[arg(long, env = "NETRAVEN_DEVSIM_NO_SSH")]
    pub no_ssh: bool,
    /// Seed of host keys and configurations (same seed, same fingerprints).
    #[arg(long, env = "NETRAVEN_DEVSIM_SEED", default_value_t = 1)]
    pub seed: u64,
    /// Login user of every device.
    #[arg(long, env = "NETRAVEN_DEVSIM_USERNAME", default_value = "netraven")]
    pub username: String,
    /// Login password of every device.
    #[arg(long, env = "NETRAVEN_DEVSIM_PASSWORD", default_value = "netraven")]
    pub password: String,
    /// Enable secret of every device.
    #[arg(long, env = "NETRAVEN_DEVSIM_ENABLE_SECRET", default_value = "enable")]
    pub enable_secret: String,
    /// Print one JSON object per device instead of a table.
    #[arg(long, env = "NETRAVEN_DEVSIM_JSON")]
    pub json: bool,
    /// Fault: fail the first N logins on every device.
    #[arg(long, env = "NETRAVEN_DEVSIM_AUTH_FAILURES", default_value_t = 0)]
    pub auth_failures: u32,
    /// Fault: slow output, `BYTES:MILLISECONDS` per chunk.
    #[arg(long, env = "NETRAVEN_DEVSIM_DRIP")]
    pub drip: Option<String>,
    /// Fault: stop sending a command's output after N bytes (connection stays open).
    #[arg(long, env = "NETRAVEN_DEVSIM_HANG_AFTER")]
    pub hang_after: Option<u64>,
    /// Fault: close the connection after N bytes of a command's output.
    #[arg(long, env = "NETRAVEN_DEVSIM_DISCONNECT_AFTER")]
    pub disconnect_after: Option<u64>,
    /// Fault: mix garbage bytes into output every N bytes.
    #[arg(long, env = "NETRAVEN_DEVSIM_GARBAGE_EVERY")]
    pub garbage_every: Option<u64>,
    /// Fault: refuse connections (`close`: accept and close at once; `stop`: do not listen).
    #[arg(long, env = "NETRAVEN_DEVSIM_REFUSE")]
    pub refuse: Option<RefuseArg>,
}

/// `--refuse` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum RefuseArg {
    /// Accept and close at once.
    Close,
    /// Do not listen.
    Stop,
}

impl Args {
    /// Validates the arguments into a fleet configuration.
    pub(crate) fn fleet_config(&self) -> anyhow::Result<FleetConfig> {
        if self.count == 0 {
            bail!("--count must be at least 1");
        }
        if self.no_ssh && !self.telnet {
            bail!("--no-ssh needs --telnet");
        }
        let platforms = Platform::parse_list(&self.platforms)?;
        let config_size = parse_size(&self.config_size)?;
        let faults = self.faults()?;
        let mut config = FleetConfig::new(self.count, &platforms);
        config.base_port = self.base_port;
        config.seed = self.seed;
        config.devices = config
            .devices
            .into_iter()
            .map(|d| DeviceSpec {
                username: self.username.clone(),
                password: self.password.clone(),
                enable_secret: self.enable_secret.clone(),
                ssh: !self.no_ssh,
                telnet: self.telnet,
                config_size,
                faults: faults.clone(),
                ..d
            })
            .collect();
        Ok(config)
    }

    fn faults(&self) -> anyhow::Result<Faults> {
        let drip = match &self.drip {
            Some(text) => {
                let (bytes, millis) = text
                    .split_once(':')
                    .context("--drip wants BYTES:MILLISECONDS")?;
                let chunk = bytes.trim().parse().context("--drip: bad byte count")?;
                let millis: u64 = millis.trim().parse().context("--drip: bad milliseconds")?;
                Some(Drip {
                    chunk,
                    delay: Duration::from_millis(millis),
                })
            }
            None => None,
        };
        Ok(Faults {
            auth_failures: self.auth_failures,
            drip,
            hang_after: self.hang_after,
            disconnect_after: self.disconnect_after,
            garbage_every: self.garbage_every,
            refuse: match self.refuse {
                None => Refusal::None,
                Some(RefuseArg::Close) => Refusal::CloseOnAccept,
                Some(RefuseArg::Stop) => Refusal::StopListening,
            },
        })
    }
}
