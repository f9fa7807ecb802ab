//! Telnet: option negotiation (a client that lets the server echo and suppress go-ahead and
//! refuses everything else), username/password login, then the same CLI session as SSH.

use super::cli::{CliAdapter, CliSession, Wire};
use super::{Login, Target, Timeouts};
use crate::DeviceError;
use crate::output::Cleaner;
use crate::profile::Profile;
use async_trait::async_trait;
use regex::Regex;
use std::sync::LazyLock;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

const IAC: u8 = 255;
const DONT: u8 = 254;
const DO: u8 = 253;
const WONT: u8 = 252;
const WILL: u8 = 251;
const SB: u8 = 250;
const SE: u8 = 240;
const ECHO: u8 = 1;
const SUPPRESS_GO_AHEAD: u8 = 3;

static USERNAME_PROMPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(user ?name|login)\s*:\s*$").expect("valid regex"));
static PASSWORD_PROMPT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)pass(word|code)\s*:\s*$").expect("valid regex"));

/// Where the negotiation parser is between chunks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Iac {
    #[default]
    Data,
    Command,
    Option(u8),
    Sub,
    SubCommand,
}

/// Splits a Telnet byte stream into data and the replies its option requests need.
#[derive(Debug, Default)]
pub struct Negotiator {
    state: Iac,
}

impl Negotiator {
    /// Returns the data bytes of `input` and appends the negotiation replies to `replies`.
    pub fn process(&mut self, input: &[u8], replies: &mut Vec<u8>) -> Vec<u8> {
        let mut data = Vec::with_capacity(input.len());
        for &b in input {
            self.state = match (self.state, b) {
                (Iac::Data, IAC) => Iac::Command,
                (Iac::Data, _) => {
                    data.push(b);
                    Iac::Data
                }
                (Iac::Command, IAC) => {
                    data.push(IAC);
                    Iac::Data
                }
                (Iac::Command, DO | DONT | WILL | WONT) => Iac::Option(b),
                (Iac::Command, SB) => Iac::Sub,
                (Iac::Command, _) => Iac::Data,
                (Iac::Option(verb), option) => {
                    replies.extend_from_slice(&reply(verb, option));
                    Iac::Data
                }
                (Iac::Sub, IAC) => Iac::SubCommand,
                (Iac::Sub, _) => Iac::Sub,
                (Iac::SubCommand, SE) => Iac::Data,
                (Iac::SubCommand, _) => Iac::Sub,
            };
        }
        data
    }
}

/// Our answer to one option request: the server may echo and suppress go-ahead; we do nothing.
fn reply(verb: u8, option: u8) -> Vec<u8> {
    match verb {
        WILL if matches!(option, ECHO | SUPPRESS_GO_AHEAD) => vec![IAC, DO, option],
        WILL => vec![IAC, DONT, option],
        DO => vec![IAC, WONT, option],
        _ => Vec::new(),
    }
}

/// A Telnet connection as a CLI byte stream.
pub struct TelnetWire {
    stream: TcpStream,
    negotiator: Negotiator,
}

#[async_trait]
impl Wire for TelnetWire {
    async fn send(&mut self, bytes: &[u8]) -> Result<(), DeviceError> {
        let mut escaped = Vec::with_capacity(bytes.len());
        for &b in bytes {
            match b {
                IAC => escaped.extend_from_slice(&[IAC, IAC]),
                b'\n' => escaped.extend_from_slice(b"\r\n"),
                _ => escaped.push(b),
            }
        }
        self.stream.write_all(&escaped).await.map_err(|e| DeviceError::Protocol(e.to_string()))
    }

    async fn recv(&mut self) -> Result<Option<Vec<u8>>, DeviceError> {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = self.stream.read(&mut buf).await.map_err(|e| DeviceError::Protocol(e.to_string()))?;
            if n == 0 {
                return Ok(None);
            }
            let mut replies = Vec::new();
            let data = self.negotiator.process(&buf[..n], &mut replies);
            if !replies.is_empty() {
                self.stream.write_all(&replies).await.map_err(|e| DeviceError::Protocol(e.to_string()))?;
            }
            if !data.is_empty() {
                return Ok(Some(data));
            }
        }
    }

    async fn shutdown(&mut self) -> Result<(), DeviceError> {
        self.stream.shutdown().await.map_err(|e| DeviceError::Protocol(e.to_string()))
    }
}

/// A network CLI over Telnet.
pub type TelnetSession = CliAdapter<TelnetWire>;

impl TelnetSession {
    /// Connects, logs in at the username and password prompts, and starts the CLI session.
    pub async fn connect(target: &Target, login: &Login, profile: Profile, timeouts: Timeouts) -> Result<Self, DeviceError> {
        let deadline = Instant::now() + timeouts.connect;
        let what = format!("Telnet login to {}:{}", target.host, target.port);
        let timeout = || DeviceError::Timeout { what: what.clone(), secs: timeouts.connect.as_secs() };
        let stream = tokio::time::timeout_at(deadline, TcpStream::connect((target.host.as_str(), target.port)))
            .await
            .map_err(|_| timeout())?
            .map_err(|e| DeviceError::Unreachable(e.to_string()))?;
        let mut wire = TelnetWire { stream, negotiator: Negotiator::default() };
        tokio::time::timeout_at(deadline, log_in(&mut wire, login, &profile)).await.map_err(|_| timeout())??;
        // Ask for a fresh prompt: the session starts by reading one.
        wire.send(b"\n").await?;
        Ok(CliSession::start(wire, profile, login.enable_secret.as_deref(), timeouts).await?.into())
    }
}

/// Answers the login prompts until the device shows its CLI prompt.
async fn log_in(wire: &mut TelnetWire, login: &Login, profile: &Profile) -> Result<(), DeviceError> {
    let mut cleaner = Cleaner::default();
    let mut sent_password = false;
    loop {
        let Some(bytes) = wire.recv().await? else {
            return Err(DeviceError::Protocol("the device closed the connection during login".into()));
        };
        cleaner.feed(&bytes);
        let line = String::from_utf8_lossy(cleaner.last_line()).into_owned();
        if USERNAME_PROMPT.is_match(&line) {
            if sent_password {
                return Err(DeviceError::Authentication(format!("the device refused the credentials of `{}`", login.username)));
            }
            wire.send(format!("{}\n", login.username).as_bytes()).await?;
            cleaner.take();
        } else if PASSWORD_PROMPT.is_match(&line) {
            if sent_password {
                return Err(DeviceError::Authentication(format!("the device refused the credentials of `{}`", login.username)));
            }
            let password = login.password.as_deref().unwrap_or_default();
            wire.send(format!("{password}\n").as_bytes()).await?;
            sent_password = true;
            cleaner.take();
        } else if profile.match_prompt(&line).is_some() {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn answers_option_requests_and_keeps_data() {
        let mut n = Negotiator::default();
        let mut replies = Vec::new();
        let data = n.process(&[IAC, WILL, ECHO, IAC, WILL, SUPPRESS_GO_AHEAD, IAC, DO, 24, b'U', b's', b'e', b'r'], &mut replies);
        assert_eq!(data, b"User");
        assert_eq!(replies, vec![IAC, DO, ECHO, IAC, DO, SUPPRESS_GO_AHEAD, IAC, WONT, 24]);
    }

    #[test]
    fn handles_sequences_split_across_chunks_subnegotiation_and_escaped_iac() {
        let mut n = Negotiator::default();
        let mut replies = Vec::new();
        let mut data = n.process(&[b'a', IAC], &mut replies);
        data.extend(n.process(&[WILL], &mut replies));
        data.extend(n.process(&[ECHO, IAC, SB, 24, 1, IAC, SE, IAC, IAC, b'b'], &mut replies));
        assert_eq!(data, vec![b'a', IAC, b'b']);
        assert_eq!(replies, vec![IAC, DO, ECHO]);
    }

    proptest! {
        #[test]
        fn any_byte_stream_is_processed_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
            let mut n = Negotiator::default();
            let mut replies = Vec::new();
            let data = n.process(&bytes, &mut replies);
            prop_assert!(data.len() <= bytes.len());
        }
    }
}
