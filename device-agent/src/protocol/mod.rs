//! Protocol adapters (the seed's `DeviceProtocolAdapter`): one trait, several transports. An
//! adapter is connected when built, sends a command and reads until the device is ready again,
//! and disconnects.

pub mod cli;
pub mod http;
pub mod ssh;
pub mod telnet;

use crate::DeviceError;
use async_trait::async_trait;
use std::time::Duration;

/// Where a device listens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Host name or IP address.
    pub host: String,
    /// TCP port.
    pub port: u16,
}

/// How to log in. Secrets live here only as long as a session is being opened.
#[derive(Clone)]
pub struct Login {
    /// User name.
    pub username: String,
    /// Password (also answers keyboard-interactive prompts).
    pub password: Option<String>,
    /// OpenSSH private key text, for key authentication.
    pub private_key: Option<String>,
    /// Enable / privilege password.
    pub enable_secret: Option<String>,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login").field("username", &self.username).finish_non_exhaustive()
    }
}

/// Time limits of a session.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// To connect and log in.
    pub connect: Duration,
    /// For one command's output to end with a prompt.
    pub command: Duration,
    /// Interval of SSH keepalive messages on an idle connection (none: no keepalives).
    pub keepalive: Option<Duration>,
}

impl Default for Timeouts {
    /// The seed's connection timeout (30 s) and keepalive (60 s), and a minute per command.
    fn default() -> Self {
        Timeouts { connect: Duration::from_secs(30), command: Duration::from_secs(60), keepalive: Some(Duration::from_secs(60)) }
    }
}

/// What to accept as the device's SSH host key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostKeyPolicy {
    /// First contact: accept and report the key so it can be pinned.
    LearnOnFirstUse,
    /// Accept only this `SHA256:` fingerprint.
    Pinned(String),
}

/// The host key a device presented.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostKey {
    /// Key algorithm (`ssh-ed25519`, ...).
    pub algorithm: String,
    /// `SHA256:` fingerprint, as OpenSSH prints it.
    pub fingerprint: String,
}

/// A connected session to one device.
#[async_trait]
pub trait ProtocolAdapter: Send {
    /// Sends one command and returns its output, cleaned, without echo and prompt.
    async fn send_command(&mut self, command: &str) -> Result<String, DeviceError>;

    /// Whether the session still answers: a pooled session is checked before it is reused.
    async fn is_alive(&mut self) -> bool;

    /// Ends the session.
    async fn disconnect(&mut self) -> Result<(), DeviceError>;
}
