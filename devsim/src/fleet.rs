//! A fleet: many simulated devices in one process, on consecutive 127.0.0.1 ports, sharing
//! the tokio runtime (one listener task per port, one task per connection).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use russh::keys::PublicKey;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::cli::platforms::spec;
use crate::device::{DeviceState, Identity};
use crate::error::{DevsimError, Result};
use crate::faults::Faults;
use crate::handle::{DeviceHandle, DeviceInfo};
use crate::listener::{self, Protocol};
use crate::platform::Platform;
use crate::rng::Rng;

/// One device to start.
#[derive(Debug, Clone)]
pub struct DeviceSpec {
    /// Name and initial host name.
    pub name: String,
    /// Platform.
    pub platform: Platform,
    /// Login user.
    pub username: String,
    /// Login password.
    pub password: String,
    /// Enable secret.
    pub enable_secret: String,
    /// Listen for SSH.
    pub ssh: bool,
    /// Listen for Telnet.
    pub telnet: bool,
    /// Approximate configuration size in bytes.
    pub config_size: usize,
    /// Faults from the start.
    pub faults: Faults,
    /// An OpenSSH public key line (`ssh-ed25519 AAAA...`) accepted for the login user.
    pub authorized_key: Option<String>,
}

impl DeviceSpec {
    /// An SSH device with the default credentials (`netraven` / `netraven` / enable
    /// `enable`) and a 64 KiB configuration.
    pub fn new(name: impl Into<String>, platform: Platform) -> Self {
        DeviceSpec {
            name: name.into(),
            platform,
            username: "netraven".into(),
            password: "netraven".into(),
            enable_secret: "enable".into(),
            ssh: true,
            telnet: false,
            config_size: 64 * 1024,
            faults: Faults::default(),
            authorized_key: None,
        }
    }
}

/// What to start.
#[derive(Debug, Clone)]
pub struct FleetConfig {
    /// First port; device `i` listens for SSH on `base_port + i` and for Telnet on
    /// `base_port + n + i` (`n` devices) when some device has SSH, else on `base_port + i`.
    /// 0 picks free ports.
    pub base_port: u16,
    /// Seed of host keys and generated configurations.
    pub seed: u64,
    /// Delay before an authentication rejection.
    pub auth_delay: Duration,
    /// The devices.
    pub devices: Vec<DeviceSpec>,
}

impl FleetConfig {
    /// `count` devices cycling through `platforms` (all platforms when empty), named after the
    /// platform's default host name and a number (`R1`, `switch2`, ...), on free ports.
    pub fn new(count: usize, platforms: &[Platform]) -> Self {
        let platforms = if platforms.is_empty() {
            &Platform::ALL[..]
        } else {
            platforms
        };
        let devices = (0..count)
            .map(|i| {
                let platform = platforms[i % platforms.len()];
                DeviceSpec::new(
                    format!("{}{}", spec(platform).default_name, i + 1),
                    platform,
                )
            })
            .collect();
        FleetConfig {
            base_port: 0,
            seed: 1,
            auth_delay: Duration::from_millis(100),
            devices,
        }
    }
}

/// A running fleet. Dropping it stops every device.
pub struct Fleet {
    devices: Vec<DeviceHandle>,
    infos: Vec<DeviceInfo>,
    shutdown: watch::Sender<bool>,
    listeners: Vec<JoinHandle<()>>,
}

async fn bind(port: u16) -> Result<(TcpListener, SocketAddr)> {
    let want = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let listener = TcpListener::bind(want)
        .await
        .map_err(|e| DevsimError::io(format!("binding {want}"), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| DevsimError::io("reading a listener address", e))?;
    Ok((listener, addr))
}

impl Fleet {
    /// Binds every listener and starts serving. Fails (and starts nothing) if a port is taken.
    pub async fn start(config: FleetConfig) -> Result<Fleet> {
        let n = config.devices.len();
        if n == 0 || config.devices.iter().any(|d| !d.ssh && !d.telnet) {
            return Err(DevsimError::InvalidConfig(
                "need at least one device, each with SSH or Telnet".into(),
            ));
        }
        let telnet_base = if config.devices.iter().any(|d| d.ssh) {
            n
        } else {
            0
        };
        if config.base_port != 0 && usize::from(config.base_port) + telnet_base + n > 65_536 {
            return Err(DevsimError::InvalidConfig(format!(
                "{n} devices do not fit above port {}",
                config.base_port
            )));
        }
        let port = |offset: usize| {
            if config.base_port == 0 {
                0
            } else {
                config.base_port + offset as u16
            }
        };
        let (shutdown, _) = watch::channel(false);
        let mut fleet = Fleet {
            devices: Vec::with_capacity(n),
            infos: Vec::with_capacity(n),
            shutdown,
            listeners: Vec::new(),
        };
        for (index, d) in config.devices.into_iter().enumerate() {
            let ssh = if d.ssh {
                Some(bind(port(index)).await?)
            } else {
                None
            };
            let telnet = if d.telnet {
                Some(bind(port(telnet_base + index)).await?)
            } else {
                None
            };
            let authorized_key = d
                .authorized_key
                .as_deref()
                .map(PublicKey::from_openssh)
                .transpose()
                .map_err(|e| DevsimError::Key(format!("authorized key of {}: {e}", d.name)))?;
            let id = Identity {
                index,
                fleet_seed: config.seed,
                seed: Rng::new(config.seed, &[index as u64]).next_u64(),
                platform: d.platform,
                username: d.username,
                password: d.password,
                enable_secret: d.enable_secret,
                authorized_key,
                config_size: d.config_size,
                auth_delay: config.auth_delay,
            };
            let state = Arc::new(DeviceState::new(id, d.name.clone(), d.faults));
            let handle = DeviceHandle {
                state: state.clone(),
                ssh_port: ssh.as_ref().map(|(_, a)| a.port()),
                telnet_port: telnet.as_ref().map(|(_, a)| a.port()),
                name: d.name,
            };
            for (protocol, bound) in [(Protocol::Ssh, ssh), (Protocol::Telnet, telnet)] {
                if let Some((listener, addr)) = bound {
                    let task = listener::run(
                        state.clone(),
                        protocol,
                        listener,
                        addr,
                        fleet.shutdown.subscribe(),
                    );
                    fleet.listeners.push(tokio::spawn(task));
                }
            }
            fleet.infos.push(handle.info());
            fleet.devices.push(handle);
        }
        tracing::info!(devices = n, "fleet started");
        Ok(fleet)
    }

    /// The devices as they were started (see [`DeviceHandle::info`] for current details).
    pub fn devices(&self) -> &[DeviceInfo] {
        &self.infos
    }

    /// The handle of device `index`.
    pub fn device(&self, index: usize) -> Option<&DeviceHandle> {
        self.devices.get(index)
    }

    /// Number of devices.
    pub fn len(&self) -> usize {
        self.devices.len()
    }

    /// Whether the fleet has no devices (never true for a started fleet).
    pub fn is_empty(&self) -> bool {
        self.devices.is_empty()
    }

    /// Stops listening, disconnects every session and waits (up to 5 s) until every
    /// connection has closed.
    pub async fn shutdown(mut self) {
        self.shutdown.send_replace(true);
        for task in self.listeners.drain(..) {
            let _ = task.await;
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while self.devices.iter().any(|d| d.connections() > 0)
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
        for task in &self.listeners {
            task.abort();
        }
    }
}
