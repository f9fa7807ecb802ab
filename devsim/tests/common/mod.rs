//! Test helpers: a russh client that records the server's host key, an interactive shell
//! reader that waits for text, an exec runner, and a raw Telnet client with IAC handling.

#![allow(dead_code)]

pub mod telnet;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use netraven_devsim::{DeviceInfo, Fleet, FleetConfig, Platform};
use russh::client::{self, Handle, Msg};
use russh::keys::{HashAlg, PublicKeyOrCertificate};
use russh::{Channel, ChannelMsg};

/// How long any single wait in a test may take.
pub const WAIT: Duration = Duration::from_secs(20);

/// A client handler that accepts any host key and remembers its fingerprint.
pub struct Client {
    pub fingerprint: Arc<Mutex<Option<String>>>,
}

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        let fp = key.public_key().fingerprint(HashAlg::Sha256).to_string();
        *self.fingerprint.lock().unwrap() = Some(fp);
        Ok(true)
    }
}

/// Starts a fleet of `count` devices of `platforms` with `edit` applied to the configuration.
pub async fn fleet(
    count: usize,
    platforms: &[Platform],
    edit: impl FnOnce(&mut FleetConfig),
) -> Fleet {
    let mut config = FleetConfig::new(count, platforms);
    config.auth_delay = Duration::from_millis(20);
    edit(&mut config);
    Fleet::start(config).await.expect("fleet starts")
}

/// Connects without authenticating; returns the session and the host key fingerprint.
pub async fn connect(port: u16) -> Result<(Handle<Client>, String), russh::Error> {
    let fingerprint = Arc::new(Mutex::new(None));
    let config = Arc::new(client::Config {
        inactivity_timeout: Some(Duration::from_secs(60)),
        ..Default::default()
    });
    let handle = client::connect(
        config,
        ("127.0.0.1", port),
        Client {
            fingerprint: fingerprint.clone(),
        },
    )
    .await?;
    let fp = fingerprint.lock().unwrap().clone().unwrap_or_default();
    Ok((handle, fp))
}

/// Connects and logs in with the device's password.
pub async fn login(info: &DeviceInfo) -> Handle<Client> {
    let (mut handle, _) = connect(info.ssh_port.expect("ssh port"))
        .await
        .expect("connects");
    let auth = handle
        .authenticate_password(&info.username, &info.password)
        .await
        .expect("auth runs");
    assert!(auth.success(), "password login to {} failed", info.name);
    handle
}

/// An interactive shell on a PTY.
pub struct Shell {
    pub channel: Channel<Msg>,
    pub handle: Handle<Client>,
    /// Received and not yet consumed.
    pub buf: Vec<u8>,
    /// The channel or connection ended.
    pub closed: bool,
}

impl Shell {
    /// Logs in and opens a PTY shell.
    pub async fn open(info: &DeviceInfo) -> Shell {
        let handle = login(info).await;
        let channel = handle
            .channel_open_session()
            .await
            .expect("session channel");
        channel
            .request_pty(true, "vt100", 80, 24, 0, 0, &[])
            .await
            .expect("pty");
        channel.request_shell(true).await.expect("shell");
        Shell {
            channel,
            handle,
            buf: Vec::new(),
            closed: false,
        }
    }

    /// Sends text as typed.
    pub async fn send(&self, text: &str) {
        self.channel
            .data_bytes(text.as_bytes().to_vec())
            .await
            .expect("send");
    }

    /// Receives one more message; false when the channel has ended.
    async fn receive(&mut self) -> bool {
        match self.channel.wait().await {
            Some(ChannelMsg::Data { data }) => {
                self.buf.extend_from_slice(&data);
                true
            }
            Some(ChannelMsg::Eof | ChannelMsg::Close) | None => {
                self.closed = true;
                false
            }
            Some(_) => true,
        }
    }

    /// Waits for `needle`; returns everything up to and including it (lossy UTF-8).
    pub async fn until(&mut self, needle: &str) -> String {
        let bytes = self.until_bytes(needle.as_bytes()).await;
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Waits for `needle`; returns everything up to and including it.
    pub async fn until_bytes(&mut self, needle: &[u8]) -> Vec<u8> {
        let mut searched: usize = 0;
        let found = tokio::time::timeout(WAIT, async {
            loop {
                let from = searched.saturating_sub(needle.len());
                if let Some(at) = find(&self.buf[from..], needle) {
                    return Some(from + at + needle.len());
                }
                searched = self.buf.len();
                if !self.receive().await {
                    return None;
                }
            }
        })
        .await;
        match found {
            Ok(Some(end)) => self.buf.drain(..end).collect(),
            _ => panic!(
                "did not see {:?}; got {:?}",
                String::from_utf8_lossy(needle),
                String::from_utf8_lossy(&self.buf[self.buf.len().saturating_sub(2000)..])
            ),
        }
    }

    /// Sends a command line and waits for `prompt`; returns the output in between.
    pub async fn cmd(&mut self, line: &str, prompt: &str) -> String {
        self.send(&format!("{line}\r")).await;
        self.until(prompt).await
    }

    /// Collects whatever arrives within `period`.
    pub async fn drain_for(&mut self, period: Duration) -> Vec<u8> {
        let _ = tokio::time::timeout(period, async { while self.receive().await {} }).await;
        std::mem::take(&mut self.buf)
    }
}

/// Byte-string search.
pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Runs one command on an exec channel; returns its output and exit status.
pub async fn exec(info: &DeviceInfo, command: &str) -> (Vec<u8>, Option<u32>) {
    let handle = login(info).await;
    let mut channel = handle
        .channel_open_session()
        .await
        .expect("session channel");
    channel.exec(true, command).await.expect("exec");
    let mut out = Vec::new();
    let mut status = None;
    tokio::time::timeout(WAIT, async {
        while let Some(msg) = channel.wait().await {
            match msg {
                ChannelMsg::Data { data } => out.extend_from_slice(&data),
                ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
                _ => {}
            }
        }
    })
    .await
    .expect("exec finishes");
    (out, status)
}

/// Turns `\r\n` back into `\n`.
pub fn unix(text: &str) -> String {
    text.replace("\r\n", "\n")
}
