//! The byte-level terminal a CLI session runs on: input from the client arrives on a channel,
//! output goes to a [`Sink`] (an SSH channel or a Telnet socket). It does the line discipline
//! (echo, backspace, CR/LF) and turns `\n` into `\r\n`.

use std::collections::VecDeque;
use std::future::Future;
use std::io;

use tokio::sync::mpsc;

use crate::faults::OutputFaults;

/// Where a session's output goes.
pub(crate) trait Sink: Send {
    /// Sends bytes to the client, waiting while the transport applies back-pressure.
    fn send(&mut self, data: Vec<u8>) -> impl Future<Output = io::Result<()>> + Send;
}

/// Why a session stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The client went away or the session ended normally.
    Closed,
    /// A hang fault: send nothing more but keep the connection open.
    Hang,
    /// A disconnect fault: drop the connection now.
    Disconnect,
}

/// Source bytes per write, so a 20 MB configuration streams instead of being copied whole.
const CHUNK: usize = 32 * 1024;

/// A client's terminal.
pub(crate) struct Terminal<S: Sink> {
    sink: S,
    input: mpsc::UnboundedReceiver<Vec<u8>>,
    pending: VecDeque<u8>,
    /// A CR ended the last line: swallow the LF or NUL that may follow it.
    after_cr: bool,
    /// Whether typed characters are echoed (a PTY or Telnet; not an exec channel).
    echo: bool,
}

impl<S: Sink> Terminal<S> {
    /// A terminal reading `input` and writing to `sink`.
    pub(crate) fn new(sink: S, input: mpsc::UnboundedReceiver<Vec<u8>>, echo: bool) -> Self {
        Terminal {
            sink,
            input,
            pending: VecDeque::new(),
            after_cr: false,
            echo,
        }
    }

    /// The sink back, for transport-specific closing.
    pub(crate) fn into_sink(self) -> S {
        self.sink
    }

    /// The next input byte, or `None` once the client has gone.
    async fn next_byte(&mut self) -> Option<u8> {
        loop {
            if let Some(b) = self.pending.pop_front() {
                return Some(b);
            }
            let chunk = self.input.recv().await?;
            self.pending.extend(chunk);
        }
    }

    /// Reads one line, echoing it when `echo` is set and the terminal echoes. `None` when the
    /// client has gone.
    pub(crate) async fn read_line(&mut self, echo: bool) -> Result<String, Stop> {
        let echo = echo && self.echo;
        let mut line: Vec<u8> = Vec::new();
        loop {
            let b = self.next_byte().await.ok_or(Stop::Closed)?;
            let after_cr = std::mem::replace(&mut self.after_cr, false);
            match b {
                b'\n' | 0 if after_cr => {}
                b'\r' | b'\n' => {
                    self.after_cr = b == b'\r';
                    if self.echo {
                        self.write_raw(b"\r\n").await?;
                    }
                    return Ok(String::from_utf8_lossy(&line).into_owned());
                }
                0x08 | 0x7f => {
                    if line.pop().is_some() && echo {
                        self.write_raw(b"\x08 \x08").await?;
                    }
                }
                b'\t' | 0x20..=0x7e | 0x80..=0xff => {
                    line.push(b);
                    if echo {
                        self.write_raw(&[b]).await?;
                    }
                }
                _ => {}
            }
        }
    }

    /// Reads one key press (for the pager); a CR LF pair counts as one key.
    pub(crate) async fn read_key(&mut self) -> Result<u8, Stop> {
        loop {
            let b = self.next_byte().await.ok_or(Stop::Closed)?;
            let after_cr = std::mem::replace(&mut self.after_cr, b == b'\r');
            if !(after_cr && (b == b'\n' || b == 0)) {
                return Ok(b);
            }
        }
    }

    /// A hang fault: discard input until the client gives up.
    pub(crate) async fn hang(&mut self) {
        while self.input.recv().await.is_some() {}
    }

    /// Writes bytes as they are.
    pub(crate) async fn write_raw(&mut self, data: &[u8]) -> Result<(), Stop> {
        self.sink
            .send(data.to_vec())
            .await
            .map_err(|_| Stop::Closed)
    }

    /// Writes text with `\n` turned into `\r\n`, without faults.
    pub(crate) async fn write(&mut self, text: &str) -> Result<(), Stop> {
        self.write_through(text, &mut OutputFaults::none()).await
    }

    /// Writes command output through the device's faults.
    pub(crate) async fn write_through(
        &mut self,
        text: &str,
        faults: &mut OutputFaults,
    ) -> Result<(), Stop> {
        for chunk in text.as_bytes().chunks(CHUNK) {
            faults.send(&mut self.sink, crlf(chunk)).await?;
        }
        Ok(())
    }
}

/// `\n` → `\r\n`.
fn crlf(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 16);
    for &b in text {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Collect(Vec<u8>);

    impl Sink for Collect {
        async fn send(&mut self, data: Vec<u8>) -> io::Result<()> {
            self.0.extend(data);
            Ok(())
        }
    }

    fn terminal(input: &[&[u8]]) -> Terminal<Collect> {
        let (tx, rx) = mpsc::unbounded_channel();
        for chunk in input {
            let _ = tx.send(chunk.to_vec());
        }
        Terminal::new(Collect(Vec::new()), rx, true)
    }

    #[tokio::test]
    async fn lines_end_at_cr_or_lf_and_crlf_counts_once() {
        let mut t = terminal(&[b"show ver\r", b"\nab\x7fc\n", b"x\r\0"]);
        assert_eq!(t.read_line(true).await, Ok("show ver".to_string()));
        assert_eq!(t.read_line(true).await, Ok("ac".to_string()));
        assert_eq!(t.read_line(false).await, Ok("x".to_string()));
        assert_eq!(t.read_line(true).await, Err(Stop::Closed));
        assert_eq!(
            t.into_sink().0,
            b"show ver\r\nab\x08 \x08c\r\n\r\n".to_vec()
        );
    }

    #[tokio::test]
    async fn output_gets_crlf() {
        let mut t = terminal(&[]);
        assert_eq!(t.write("a\nb\n").await, Ok(()));
        assert_eq!(t.into_sink().0, b"a\r\nb\r\n".to_vec());
    }
}
