//! The pager: splits command output into pages and waits for a key at the platform's pager
//! prompt (space: next page, Enter: next line, `q`: stop).

use crate::faults::OutputFaults;
use crate::terminal::{Sink, Stop, Terminal};

/// Paging state of one command's output.
pub(crate) struct Pager {
    /// The pager prompt and the page length, or `None` when paging is off.
    page: Option<(&'static str, usize)>,
    /// Lines left on the current page.
    left: usize,
    /// The user pressed `q`.
    quit: bool,
}

impl Pager {
    /// A pager for one command's output.
    pub(crate) fn new(prompt: Option<&'static str>, length: Option<usize>) -> Self {
        let page = prompt.zip(length).filter(|(_, n)| *n > 0);
        Pager {
            page,
            left: page.map_or(0, |(_, n)| n),
            quit: false,
        }
    }

    /// Writes `text` (a piece of the output) page by page.
    pub(crate) async fn emit<S: Sink>(
        &mut self,
        term: &mut Terminal<S>,
        text: &str,
        faults: &mut OutputFaults,
    ) -> Result<(), Stop> {
        let Some((prompt, length)) = self.page else {
            return term.write_through(text, faults).await;
        };
        let mut rest = text;
        while !rest.is_empty() && !self.quit {
            if self.left == 0 {
                term.write(prompt).await?;
                let key = term.read_key().await?;
                let n = prompt.len();
                term.write_raw(
                    format!("{}{}{}", "\x08".repeat(n), " ".repeat(n), "\x08".repeat(n)).as_bytes(),
                )
                .await?;
                match key {
                    b'q' | b'Q' | 0x03 => self.quit = true,
                    b'\r' | b'\n' => self.left = 1,
                    _ => self.left = length,
                }
                continue;
            }
            let (cut, lines) = after_lines(rest, self.left);
            term.write_through(&rest[..cut], faults).await?;
            self.left -= lines;
            rest = &rest[cut..];
        }
        Ok(())
    }
}

/// The offset just after the `n`-th line break (or the end) and the number of breaks passed.
fn after_lines(text: &str, n: usize) -> (usize, usize) {
    let mut seen = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            seen += 1;
            if seen == n {
                return (i + 1, seen);
            }
        }
    }
    (text.len(), seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_after_lines() {
        assert_eq!(after_lines("a\nb\nc\n", 2), (4, 2));
        assert_eq!(after_lines("a\nb", 5), (3, 1));
    }
}
