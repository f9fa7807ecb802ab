//! A raw Telnet client for tests: answers the server's option negotiation (DO for the
//! options it offers, DONT/WONT for the rest) and records what was negotiated.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const IAC: u8 = 255;
pub const DONT: u8 = 254;
pub const DO: u8 = 253;
pub const WONT: u8 = 252;
pub const WILL: u8 = 251;
pub const ECHO: u8 = 1;
pub const SGA: u8 = 3;
pub const NAWS: u8 = 31;

/// A Telnet connection.
pub struct TelnetClient {
    stream: TcpStream,
    /// Data received (IAC sequences removed) and not yet consumed.
    pub buf: Vec<u8>,
    /// Every (verb, option) the server sent.
    pub negotiation: Vec<(u8, u8)>,
    pending_iac: Vec<u8>,
}

impl TelnetClient {
    pub async fn connect(port: u16) -> TelnetClient {
        let stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("telnet connects");
        TelnetClient {
            stream,
            buf: Vec::new(),
            negotiation: Vec::new(),
            pending_iac: Vec::new(),
        }
    }

    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.expect("telnet send");
    }

    /// Sends a line the way telnet clients do, ending in CR LF.
    pub async fn line(&mut self, text: &str) {
        self.send_raw(format!("{text}\r\n").as_bytes()).await;
    }

    /// Reads once; answers negotiation; false at end of stream.
    async fn receive(&mut self) -> bool {
        let mut chunk = [0u8; 8192];
        let n = self.stream.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return false;
        }
        let mut input = std::mem::take(&mut self.pending_iac);
        input.extend_from_slice(&chunk[..n]);
        let mut i = 0;
        let mut replies = Vec::new();
        while i < input.len() {
            if input[i] != IAC {
                self.buf.push(input[i]);
                i += 1;
                continue;
            }
            let Some(&verb) = input.get(i + 1) else {
                self.pending_iac = input[i..].to_vec();
                break;
            };
            if verb == IAC {
                self.buf.push(IAC);
                i += 2;
                continue;
            }
            let Some(&option) = input.get(i + 2) else {
                self.pending_iac = input[i..].to_vec();
                break;
            };
            self.negotiation.push((verb, option));
            match verb {
                WILL if option == ECHO || option == SGA => replies.extend([IAC, DO, option]),
                WILL => replies.extend([IAC, DONT, option]),
                DO => replies.extend([IAC, WONT, option]),
                _ => {}
            }
            i += 3;
        }
        if !replies.is_empty() {
            self.send_raw(&replies).await;
        }
        true
    }

    /// Waits for `needle` in the data; returns everything up to and including it.
    pub async fn until(&mut self, needle: &str) -> String {
        let needle = needle.as_bytes();
        let found = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                if let Some(at) = super::find(&self.buf, needle) {
                    return Some(at + needle.len());
                }
                if !self.receive().await {
                    return None;
                }
            }
        })
        .await;
        match found {
            Ok(Some(end)) => {
                String::from_utf8_lossy(&self.buf.drain(..end).collect::<Vec<_>>()).into_owned()
            }
            _ => panic!(
                "telnet: did not see {:?}; got {:?}",
                String::from_utf8_lossy(needle),
                String::from_utf8_lossy(&self.buf)
            ),
        }
    }

    /// True when the server closes the connection within `wait`.
    pub async fn closed_within(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, async { while self.receive().await {} })
            .await
            .is_ok()
    }
}
