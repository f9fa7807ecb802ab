//! An interactive CLI session over any byte transport (an SSH shell, a Telnet stream): waits for
//! the prompt, escalates privilege, turns paging off, and runs commands until the prompt returns.

use super::{ProtocolAdapter, Timeouts};
use crate::DeviceError;
use crate::output::{PromptReader, Step};
use crate::profile::{Profile, PromptKind};
use async_trait::async_trait;
use tokio::time::Instant;

/// A bidirectional byte stream to a device's CLI.
#[async_trait]
pub trait Wire: Send {
    /// Sends bytes.
    async fn send(&mut self, bytes: &[u8]) -> Result<(), DeviceError>;
    /// The next bytes, or `None` when the device closed the stream.
    async fn recv(&mut self) -> Result<Option<Vec<u8>>, DeviceError>;
    /// Closes the stream (and the connection under it).
    async fn shutdown(&mut self) -> Result<(), DeviceError>;
}

/// A logged-in CLI on a device, in privileged mode when the profile and credentials allow.
pub struct CliSession<W: Wire> {
    wire: W,
    profile: Profile,
    timeouts: Timeouts,
    mode: PromptKind,
}

impl<W: Wire> CliSession<W> {
    /// Waits for the first prompt, enters privileged mode if needed and turns paging off.
    pub async fn start(wire: W, profile: Profile, enable_secret: Option<&str>, timeouts: Timeouts) -> Result<Self, DeviceError> {
        let mut session = CliSession { wire, profile, timeouts, mode: PromptKind::User };
        session.mode = session.read_until_prompt("", None).await?.1;
        if session.mode == PromptKind::User {
            session.enable(enable_secret).await?;
        }
        let paging: Vec<String> = session.profile.spec().paging.disable_commands.clone();
        for command in paging {
            session.run(&command).await?;
        }
        Ok(session)
    }

    /// The mode the last prompt showed.
    pub fn mode(&self) -> PromptKind {
        self.mode
    }

    /// Runs one command; a device error indicator in its output makes it `CommandRejected`.
    pub async fn run(&mut self, command: &str) -> Result<String, DeviceError> {
        self.wire.send(format!("{command}\n").as_bytes()).await?;
        let (output, mode) = self.read_until_prompt(command, None).await?;
        self.mode = mode;
        if let Some(line) = self.profile.find_error(&output) {
            return Err(DeviceError::CommandRejected { command: command.to_string(), output: line.to_string() });
        }
        Ok(output)
    }

    async fn enable(&mut self, secret: Option<&str>) -> Result<(), DeviceError> {
        let Some(command) = self.profile.spec().privilege.as_ref().and_then(|p| p.enable_command.clone()) else {
            return Ok(());
        };
        self.wire.send(format!("{command}\n").as_bytes()).await?;
        let (_, mode) = self.read_until_prompt(&command, secret).await?;
        if mode != PromptKind::Privileged {
            return Err(DeviceError::Authentication("the device refused privileged mode".into()));
        }
        self.mode = mode;
        Ok(())
    }

    /// Reads until a prompt, answering pagers, and a password prompt with `password` (once).
    async fn read_until_prompt(&mut self, command: &str, mut password: Option<&str>) -> Result<(String, PromptKind), DeviceError> {
        let deadline = Instant::now() + self.timeouts.command;
        let mut reader = PromptReader::new(&self.profile);
        loop {
            let chunk = tokio::time::timeout_at(deadline, self.wire.recv()).await.map_err(|_| DeviceError::Timeout {
                what: format!("prompt after `{command}`"),
                secs: self.timeouts.command.as_secs(),
            })??;
            let Some(bytes) = chunk else {
                return Err(DeviceError::Protocol(format!("the device closed the session during `{command}`")));
            };
            match reader.feed(&bytes) {
                Step::More => {}
                Step::Pager => {
                    let response = self.profile.spec().paging.more_response.clone();
                    self.wire.send(response.as_bytes()).await?;
                }
                Step::Password => match password.take() {
                    Some(secret) => self.wire.send(format!("{secret}\n").as_bytes()).await?,
                    None => return Err(DeviceError::Authentication(format!("`{command}` asked for a password"))),
                },
                Step::Prompt { kind, .. } => return Ok((reader.finish(command), kind)),
            }
        }
    }

    /// Leaves the CLI and closes the transport.
    pub async fn close(mut self) -> Result<(), DeviceError> {
        let _ = self.wire.send(b"exit\n").await;
        self.wire.shutdown().await
    }
}

/// A network CLI session as a protocol adapter, whatever its transport.
pub struct CliAdapter<W: Wire> {
    cli: Option<CliSession<W>>,
}

impl<W: Wire> From<CliSession<W>> for CliAdapter<W> {
    fn from(cli: CliSession<W>) -> Self {
        CliAdapter { cli: Some(cli) }
    }
}

#[async_trait]
impl<W: Wire> ProtocolAdapter for CliAdapter<W> {
    async fn send_command(&mut self, command: &str) -> Result<String, DeviceError> {
        let cli = self.cli.as_mut().ok_or_else(|| DeviceError::Protocol("session closed".into()))?;
        cli.run(command).await
    }

    /// An empty line must bring the prompt back.
    async fn is_alive(&mut self) -> bool {
        match self.cli.as_mut() {
            Some(cli) => cli.run("").await.is_ok(),
            None => false,
        }
    }

    async fn disconnect(&mut self) -> Result<(), DeviceError> {
        match self.cli.take() {
            Some(cli) => cli.close().await,
            None => Ok(()),
        }
    }
}
