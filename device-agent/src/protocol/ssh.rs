//! SSH through russh: password, keyboard-interactive and key authentication; host keys learned
//! on first use or pinned; an interactive PTY shell for network CLIs and exec channels for hosts.

use super::cli::{CliAdapter, CliSession, Wire};
use super::{HostKey, HostKeyPolicy, Login, ProtocolAdapter, Target, Timeouts};
use crate::DeviceError;
use crate::profile::Profile;
use async_trait::async_trait;
use russh::ChannelMsg;
use russh::client::{self, Handle, KeyboardInteractiveAuthResponse, Msg};
use russh::keys::{HashAlg, PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use std::sync::{Arc, Mutex};

/// Checks the server's key against the policy and remembers what it presented.
struct KeyCheck {
    policy: HostKeyPolicy,
    seen: Arc<Mutex<Option<HostKey>>>,
}

impl client::Handler for KeyCheck {
    type Error = russh::Error;

    async fn check_server_key(&mut self, key: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        let public = match key {
            PublicKeyOrCertificate::PublicKey { key, .. } => key.clone(),
            PublicKeyOrCertificate::Certificate(cert) => cert.public_key().clone().into(),
        };
        let presented = HostKey {
            algorithm: public.algorithm().to_string(),
            fingerprint: public.fingerprint(HashAlg::Sha256).to_string(),
        };
        let accepted = match &self.policy {
            HostKeyPolicy::LearnOnFirstUse => true,
            HostKeyPolicy::Pinned(expected) => *expected == presented.fingerprint,
        };
        *self.seen.lock().expect("host key slot poisoned") = Some(presented);
        Ok(accepted)
    }
}

/// An authenticated SSH connection.
pub struct SshConnection {
    handle: Handle<KeyCheck>,
    host_key: HostKey,
    timeouts: Timeouts,
}

impl SshConnection {
    /// Connects, checks the host key and logs in (key, then password, then keyboard-interactive).
    pub async fn connect(target: &Target, login: &Login, policy: HostKeyPolicy, timeouts: Timeouts) -> Result<Self, DeviceError> {
        let what = format!("SSH login to {}:{}", target.host, target.port);
        let secs = timeouts.connect.as_secs();
        tokio::time::timeout(timeouts.connect, Self::open(target, login, policy, timeouts))
            .await
            .map_err(|_| DeviceError::Timeout { what, secs })?
    }

    async fn open(target: &Target, login: &Login, policy: HostKeyPolicy, timeouts: Timeouts) -> Result<Self, DeviceError> {
        let seen = Arc::new(Mutex::new(None));
        let config = Arc::new(client::Config { nodelay: true, keepalive_interval: timeouts.keepalive, ..Default::default() });
        let check = KeyCheck { policy: policy.clone(), seen: seen.clone() };
        let connected = client::connect(config, (target.host.as_str(), target.port), check).await;
        let presented = seen.lock().expect("host key slot poisoned").clone();
        let mut handle = match (connected, presented, &policy) {
            (Ok(handle), _, _) => handle,
            (Err(_), Some(presented), HostKeyPolicy::Pinned(expected)) if presented.fingerprint != *expected => {
                return Err(DeviceError::HostKey { expected: expected.clone(), presented: presented.fingerprint });
            }
            (Err(err), _, _) => return Err(connect_error(err)),
        };
        let host_key = seen.lock().expect("host key slot poisoned").clone().ok_or_else(|| DeviceError::Protocol("no host key".into()))?;
        authenticate(&mut handle, login).await?;
        Ok(SshConnection { handle, host_key, timeouts })
    }

    /// The host key the device presented.
    pub fn host_key(&self) -> &HostKey {
        &self.host_key
    }

    /// Opens an interactive shell on a PTY and starts a CLI session on it.
    pub async fn shell(self, profile: Profile, enable_secret: Option<&str>) -> Result<SshShell, DeviceError> {
        let channel = self.handle.channel_open_session().await.map_err(protocol)?;
        channel.request_pty(true, "vt100", 511, 24, 0, 0, &[]).await.map_err(protocol)?;
        channel.request_shell(true).await.map_err(protocol)?;
        let timeouts = self.timeouts;
        let wire = ShellWire { channel, connection: self };
        Ok(CliSession::start(wire, profile, enable_secret, timeouts).await?.into())
    }

    /// Runs one command on its own exec channel; a non-zero exit status is `CommandRejected`.
    pub async fn exec(&self, command: &str) -> Result<String, DeviceError> {
        let secs = self.timeouts.command.as_secs();
        let what = format!("output of `{command}`");
        tokio::time::timeout(self.timeouts.command, self.exec_inner(command))
            .await
            .map_err(|_| DeviceError::Timeout { what, secs })?
    }

    async fn exec_inner(&self, command: &str) -> Result<String, DeviceError> {
        let mut channel = self.handle.channel_open_session().await.map_err(protocol)?;
        channel.exec(true, command).await.map_err(protocol)?;
        let (mut out, mut err, mut status) = (Vec::new(), Vec::new(), None);
        while let Some(msg) = channel.wait().await {
            match msg {
                ChannelMsg::Data { data } => out.extend_from_slice(&data),
                ChannelMsg::ExtendedData { data, .. } => err.extend_from_slice(&data),
                ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
                _ => {}
            }
        }
        match status {
            Some(0) => Ok(String::from_utf8_lossy(&out).into_owned()),
            Some(code) => Err(DeviceError::CommandRejected {
                command: command.to_string(),
                output: format!("exit status {code}: {}", String::from_utf8_lossy(&err).trim()),
            }),
            None => Err(DeviceError::Protocol(format!("`{command}` ended without an exit status"))),
        }
    }

    /// Whether the connection still carries channels: opens one and closes it again.
    pub async fn probe(&self) -> bool {
        if self.handle.is_closed() {
            return false;
        }
        match tokio::time::timeout(self.timeouts.command, self.handle.channel_open_session()).await {
            Ok(Ok(channel)) => channel.close().await.is_ok(),
            _ => false,
        }
    }

    /// Closes the connection.
    pub async fn close(&self) -> Result<(), DeviceError> {
        self.handle.disconnect(russh::Disconnect::ByApplication, "", "en").await.map_err(protocol)
    }
}

async fn authenticate(handle: &mut Handle<KeyCheck>, login: &Login) -> Result<(), DeviceError> {
    let user = login.username.as_str();
    if let Some(text) = &login.private_key {
        let key = russh::keys::decode_secret_key(text, None)
            .map_err(|e| DeviceError::Authentication(format!("unusable private key: {e}")))?;
        let hash = handle.best_supported_rsa_hash().await.map_err(protocol)?.flatten();
        let key = PrivateKeyWithHashAlg::new(Arc::new(key), hash);
        if handle.authenticate_publickey(user, key).await.map_err(protocol)?.success() {
            return Ok(());
        }
    }
    if let Some(password) = &login.password {
        if handle.authenticate_password(user, password).await.map_err(protocol)?.success() {
            return Ok(());
        }
        let mut reply = handle.authenticate_keyboard_interactive_start(user, None::<String>).await.map_err(protocol)?;
        for _ in 0..3 {
            match reply {
                KeyboardInteractiveAuthResponse::Success => return Ok(()),
                KeyboardInteractiveAuthResponse::Failure { .. } => break,
                KeyboardInteractiveAuthResponse::InfoRequest { prompts, .. } => {
                    let answers = prompts.iter().map(|_| password.clone()).collect();
                    reply = handle.authenticate_keyboard_interactive_respond(answers).await.map_err(protocol)?;
                }
            }
        }
    }
    Err(DeviceError::Authentication(format!("the device refused the credentials of `{user}`")))
}

fn protocol(err: russh::Error) -> DeviceError {
    DeviceError::Protocol(err.to_string())
}

fn connect_error(err: russh::Error) -> DeviceError {
    match err {
        russh::Error::IO(e) => DeviceError::Unreachable(e.to_string()),
        russh::Error::ConnectionTimeout => DeviceError::Unreachable("connection timed out".into()),
        other => DeviceError::Protocol(other.to_string()),
    }
}

/// The PTY shell channel as a CLI byte stream; it owns the connection it runs on.
pub struct ShellWire {
    channel: russh::Channel<Msg>,
    connection: SshConnection,
}

#[async_trait]
impl Wire for ShellWire {
    async fn send(&mut self, bytes: &[u8]) -> Result<(), DeviceError> {
        self.channel.data(bytes).await.map_err(protocol)
    }

    async fn recv(&mut self) -> Result<Option<Vec<u8>>, DeviceError> {
        loop {
            match self.channel.wait().await {
                Some(ChannelMsg::Data { data }) => return Ok(Some(data.to_vec())),
                Some(ChannelMsg::Eof | ChannelMsg::Close) | None => return Ok(None),
                Some(_) => {}
            }
        }
    }

    async fn shutdown(&mut self) -> Result<(), DeviceError> {
        let _ = self.channel.eof().await;
        self.connection.close().await
    }
}

/// A network CLI over an SSH shell.
pub type SshShell = CliAdapter<ShellWire>;

/// A host reached through exec channels, one per command.
pub struct SshExec {
    connection: SshConnection,
}

impl SshExec {
    /// Wraps an authenticated connection.
    pub fn new(connection: SshConnection) -> Self {
        SshExec { connection }
    }
}

#[async_trait]
impl ProtocolAdapter for SshExec {
    async fn send_command(&mut self, command: &str) -> Result<String, DeviceError> {
        self.connection.exec(command).await
    }

    async fn is_alive(&mut self) -> bool {
        self.connection.probe().await
    }

    async fn disconnect(&mut self) -> Result<(), DeviceError> {
        self.connection.close().await
    }
}
