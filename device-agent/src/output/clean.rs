//! Streaming clean-up of raw terminal output: strips ANSI escape sequences and control bytes,
//! applies backspaces and carriage returns, and turns `\r\n` into `\n`, in one pass over each
//! byte, carrying state across chunk boundaries.

/// Where the cleaner is inside an escape sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Plain text.
    Text,
    /// After `ESC`.
    Escape,
    /// Inside `ESC [ ... final`.
    Csi,
    /// Inside `ESC ] ... BEL` or `ESC ] ... ESC \`.
    Osc,
    /// After `ESC` inside an OSC (a possible string terminator).
    OscEscape,
}

/// Whether `b` is not plain text (tab is): a control byte or DEL.
fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// Cleans terminal output chunk by chunk into a growing buffer.
#[derive(Debug)]
pub struct Cleaner {
    state: State,
    pending_cr: bool,
    /// Cleaned output so far.
    out: Vec<u8>,
    /// Index in `out` where the current (last) line starts.
    line_start: usize,
}

impl Default for Cleaner {
    fn default() -> Self {
        Cleaner { state: State::Text, pending_cr: false, out: Vec::new(), line_start: 0 }
    }
}

impl Cleaner {
    /// Feeds raw bytes; their cleaned form is appended to the output. Runs of plain text are
    /// copied whole; only control bytes and escape sequences go through the state machine.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        self.out.reserve(bytes.len());
        while !bytes.is_empty() {
            if self.state == State::Text && !self.pending_cr {
                let plain = bytes.iter().position(|&b| is_control(b)).unwrap_or(bytes.len());
                self.out.extend_from_slice(&bytes[..plain]);
                bytes = &bytes[plain..];
            }
            if let Some((&first, rest)) = bytes.split_first() {
                self.byte(first);
                bytes = rest;
            }
        }
    }

    fn byte(&mut self, b: u8) {
        match self.state {
            State::Text => self.text(b),
            State::Escape => {
                self.state = match b {
                    b'[' => State::Csi,
                    b']' => State::Osc,
                    _ => State::Text, // two-byte sequences (ESC 7, ESC =, ...) end here
                }
            }
            State::Csi => {
                if (0x40..=0x7e).contains(&b) {
                    self.state = State::Text;
                }
            }
            State::Osc => match b {
                0x07 => self.state = State::Text,
                0x1b => self.state = State::OscEscape,
                _ => {}
            },
            State::OscEscape => self.state = if b == b'\\' { State::Text } else { State::Osc },
        }
    }

    fn text(&mut self, b: u8) {
        if self.pending_cr {
            self.pending_cr = false;
            if b != b'\n' {
                // A lone carriage return: the line is redrawn from its start.
                self.out.truncate(self.line_start);
            }
        }
        match b {
            0x1b => self.state = State::Escape,
            b'\r' => self.pending_cr = true,
            b'\n' => {
                self.out.push(b'\n');
                self.line_start = self.out.len();
            }
            0x08 => self.backspace(),
            b'\t' => self.out.push(b),
            0x00..=0x1f | 0x7f => {} // other control bytes carry no text
            _ => self.out.push(b),
        }
    }

    /// Deletes the last character of the current line (a whole UTF-8 sequence).
    fn backspace(&mut self) {
        if self.out.len() <= self.line_start {
            return;
        }
        while let Some(last) = self.out.pop() {
            let continuation = last & 0xc0 == 0x80;
            if !continuation || self.out.len() <= self.line_start {
                break;
            }
        }
    }

    /// The cleaned output so far.
    pub fn output(&self) -> &[u8] {
        &self.out
    }

    /// The current last line (no newline), the only place a prompt can be.
    pub fn last_line(&self) -> &[u8] {
        &self.out[self.line_start..]
    }

    /// Removes the current last line (a pager prompt or the final device prompt).
    pub fn drop_last_line(&mut self) {
        self.out.truncate(self.line_start);
    }

    /// Takes the cleaned output and starts afresh.
    pub fn take(&mut self) -> Vec<u8> {
        self.line_start = 0;
        self.pending_cr = false;
        std::mem::take(&mut self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(chunks: &[&[u8]]) -> String {
        let mut c = Cleaner::default();
        for chunk in chunks {
            c.feed(chunk);
        }
        String::from_utf8(c.output().to_vec()).unwrap()
    }

    #[test]
    fn strips_ansi_sequences_even_split_across_chunks() {
        assert_eq!(clean(&[b"\x1b[1;32mgreen\x1b[0m text"]), "green text");
        assert_eq!(clean(&[b"a\x1b[", b"0", b"m", b"b"]), "ab");
        assert_eq!(clean(&[b"\x1b]0;title\x07x\x1b]2;t\x1b\\y"]), "xy");
        assert_eq!(clean(&[b"\x1b7saved\x1b8"]), "saved");
    }

    #[test]
    fn crlf_becomes_lf_and_lone_cr_redraws_the_line() {
        assert_eq!(clean(&[b"one\r\ntwo\r", b"\nthree"]), "one\ntwo\nthree");
        assert_eq!(clean(&[b"line\n --More-- \r          \rnext"]), "line\nnext");
    }

    #[test]
    fn backspaces_erase_characters_but_never_past_the_line() {
        assert_eq!(clean(&[b"abc\x08\x08d"]), "ad");
        assert_eq!(clean(&[b"x\n\x08\x08y"]), "x\ny");
        assert_eq!(clean(&["h\u{e9}\x08".as_bytes()]), "h");
        assert_eq!(clean(&[b" --More-- \x08\x08\x08\x08\x08\x08\x08\x08\x08\x08", b"router"]), "router");
    }

    #[test]
    fn last_line_tracks_the_tail_only() {
        let mut c = Cleaner::default();
        c.feed(b"interface Gi0/1\r\n description x\r\nR1#");
        assert_eq!(c.last_line(), b"R1#");
        c.drop_last_line();
        assert_eq!(c.output(), b"interface Gi0/1\n description x\n");
        assert_eq!(c.take(), b"interface Gi0/1\n description x\n");
        assert!(c.output().is_empty());
    }
}
