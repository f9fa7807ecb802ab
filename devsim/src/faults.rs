//! Fault injection: what a device should do wrong, and the output path that does it.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::rng::Rng;
use crate::terminal::{Sink, Stop};

/// The faults a device injects. Set at start (`DeviceSpec::faults`) or at run time
/// (`DeviceHandle::set_faults`); output faults apply from the next command on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Faults {
    /// The next N authentication attempts fail (password, keyboard-interactive, public key,
    /// Telnet login) even with the right credentials; later attempts succeed.
    pub auth_failures: u32,
    /// Send command output slowly: `chunk` bytes, then wait `delay`.
    pub drip: Option<Drip>,
    /// Stop sending a command's output after this many bytes and keep the connection open.
    pub hang_after: Option<u64>,
    /// Close the connection after this many bytes of a command's output.
    pub disconnect_after: Option<u64>,
    /// Mix a burst of garbage (invalid UTF-8 and stray escape sequences) into command output
    /// every this many bytes.
    pub garbage_every: Option<u64>,
    /// Refuse connections.
    pub refuse: Refusal,
}

/// Slow output: `chunk` bytes every `delay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drip {
    /// Bytes per chunk (at least 1).
    pub chunk: usize,
    /// Pause after each chunk.
    pub delay: Duration,
}

/// How a device refuses connections.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Connections are served normally.
    #[default]
    None,
    /// The listener accepts and closes each connection at once.
    CloseOnAccept,
    /// The listener is closed, so connecting fails with "connection refused".
    StopListening,
}

/// The garbage burst: invalid UTF-8, a lone escape, a colour code, a cursor move and a NUL.
const GARBAGE: &[&[u8]] = &[
    b"\xff\xfe\xc3\x28",
    b"\x1b[31m\x80\x81\x1b[0m",
    b"\x1b[2J\x1b[H",
    b"\x1b]0;\x9b\x07",
    b"\x00\xa0\xa1\x1b",
];

/// The fault state of one command's output: counts bytes against the hang and disconnect
/// limits, inserts garbage and drips.
pub(crate) struct OutputFaults {
    faults: Faults,
    sent: u64,
    next_garbage: u64,
    rng: Rng,
}

impl OutputFaults {
    /// Starts a command's output under `faults`.
    pub(crate) fn new(faults: Faults, seed: u64) -> Self {
        let next_garbage = faults.garbage_every.unwrap_or(u64::MAX);
        OutputFaults {
            faults,
            sent: 0,
            next_garbage,
            rng: Rng::new(seed, &[]),
        }
    }

    /// Output with no faults (prompts, echo, login dialogue).
    pub(crate) fn none() -> Self {
        OutputFaults::new(Faults::default(), 0)
    }

    /// Sends `data` (already with `\r\n` line endings) through the faults.
    pub(crate) async fn send<S: Sink>(&mut self, sink: &mut S, data: Vec<u8>) -> Result<(), Stop> {
        let (data, stop) = self.cut(data);
        let data = self.with_garbage(data);
        self.drip(sink, data).await?;
        stop.map_or(Ok(()), Err)
    }

    /// Cuts `data` at the hang or disconnect limit, whichever comes first.
    fn cut(&mut self, mut data: Vec<u8>) -> (Vec<u8>, Option<Stop>) {
        let limits = [
            (self.faults.disconnect_after, Stop::Disconnect),
            (self.faults.hang_after, Stop::Hang),
        ];
        let first = limits
            .into_iter()
            .filter_map(|(limit, stop)| limit.map(|l| (l, stop)))
            .min_by_key(|(limit, _)| *limit);
        let start = self.sent;
        self.sent += data.len() as u64;
        match first {
            Some((limit, stop)) if self.sent >= limit => {
                data.truncate(limit.saturating_sub(start) as usize);
                (data, Some(stop))
            }
            _ => (data, None),
        }
    }

    /// Inserts a garbage burst at every `garbage_every` boundary the data crosses.
    fn with_garbage(&mut self, data: Vec<u8>) -> Vec<u8> {
        let Some(every) = self.faults.garbage_every.filter(|e| *e > 0) else {
            return data;
        };
        let end = self.sent;
        let start = end - data.len() as u64;
        if self.next_garbage >= end {
            return data;
        }
        let mut out = Vec::with_capacity(data.len() + 64);
        let mut from = 0usize;
        while self.next_garbage < end {
            let at = (self.next_garbage.saturating_sub(start)) as usize;
            out.extend_from_slice(&data[from..at]);
            out.extend_from_slice(*self.rng.pick(GARBAGE));
            from = at;
            self.next_garbage += every;
        }
        out.extend_from_slice(&data[from..]);
        out
    }

    async fn drip<S: Sink>(&mut self, sink: &mut S, data: Vec<u8>) -> Result<(), Stop> {
        match self.faults.drip {
            Some(Drip { chunk, delay }) => {
                for piece in data.chunks(chunk.max(1)) {
                    sink.send(piece.to_vec()).await.map_err(|_| Stop::Closed)?;
                    tokio::time::sleep(delay).await;
                }
                Ok(())
            }
            None if data.is_empty() => Ok(()),
            None => sink.send(data).await.map_err(|_| Stop::Closed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faults(f: impl FnOnce(&mut Faults)) -> OutputFaults {
        let mut faults = Faults::default();
        f(&mut faults);
        OutputFaults::new(faults, 1)
    }

    #[test]
    fn cut_stops_at_the_first_limit_across_writes() {
        let mut out = faults(|f| {
            f.hang_after = Some(15);
            f.disconnect_after = Some(30);
        });
        assert_eq!(out.cut(vec![b'a'; 10]), (vec![b'a'; 10], None));
        assert_eq!(out.cut(vec![b'b'; 10]), (vec![b'b'; 5], Some(Stop::Hang)));
        let mut out = faults(|f| f.disconnect_after = Some(0));
        assert_eq!(out.cut(vec![b'a'; 3]), (vec![], Some(Stop::Disconnect)));
    }

    #[test]
    fn garbage_lands_at_each_boundary() {
        let mut out = faults(|f| f.garbage_every = Some(4));
        let (data, _) = out.cut(b"0123456789".to_vec());
        let mixed = out.with_garbage(data);
        assert!(mixed.len() > 10);
        assert!(std::str::from_utf8(&mixed).is_err());
        assert!(mixed.starts_with(b"0123"));
        assert!(mixed.ends_with(b"89"));
    }
}
