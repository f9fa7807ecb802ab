//! Progress of long work on stderr: a bar redrawn in place on a terminal, and elsewhere (logs,
//! CI, pipes) a plain line each time the percentage moves.

use std::io::{IsTerminal, Write};

/// One progress display.
pub struct Progress {
    label: String,
    unit: &'static str,
    terminal: bool,
    last: Option<(u64, String)>,
}

impl Progress {
    /// A display of `label`, counting `unit`s.
    pub fn new(label: &str, unit: &'static str) -> Self {
        Progress { label: label.to_string(), unit, terminal: std::io::stderr().is_terminal(), last: None }
    }

    /// Shows `done` of `total`, with a `note` after the count.
    pub fn update(&mut self, done: u64, total: u64, note: &str) {
        let percent = done.min(total) * 100 / total.max(1);
        if self.last.as_ref().is_some_and(|(p, n)| *p == percent && n == note) {
            return;
        }
        self.last = Some((percent, note.to_string()));
        let line = render(&self.label, done, total, self.unit, note);
        let mut err = std::io::stderr();
        let _ = match self.terminal {
            true => write!(err, "\r{line}"),
            false => writeln!(err, "{line}"),
        };
        let _ = err.flush();
    }

    /// Ends the display (the cursor leaves the bar's line).
    pub fn finish(&mut self) {
        if self.terminal && self.last.is_some() {
            eprintln!();
        }
    }
}

/// `label [####....]  42% done/total unit note`.
fn render(label: &str, done: u64, total: u64, unit: &str, note: &str) -> String {
    let (done, total) = (done.min(total.max(1)), total.max(1));
    let filled = (done * 30 / total) as usize;
    let note = if note.is_empty() { String::new() } else { format!(", {note}") };
    format!("{label:<6} [{}{}] {:>3}% {done}/{total} {unit}{note}", "#".repeat(filled), ".".repeat(30 - filled), done * 100 / total)
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn the_bar_fills_with_the_share_done() {
        assert_eq!(render("views", 0, 4, "events", ""), format!("views  [{}]   0% 0/4 events", ".".repeat(30)));
        assert_eq!(render("jobs", 2, 4, "devices", "1 failed"), format!("jobs   [{}{}]  50% 2/4 devices, 1 failed", "#".repeat(15), ".".repeat(15)));
        assert!(render("x", 9, 4, "events", "").contains("100% 4/4"), "never past the end");
        assert!(render("x", 0, 0, "events", "").contains("0/1"), "an empty total is one step");
    }
}
