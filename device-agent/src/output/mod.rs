//! Reading a device's output until its prompt, in time linear in the output: the cleaner
//! works byte by byte, and the prompt and pager checks look at the last line only.

mod clean;

pub use clean::Cleaner;

use crate::profile::{Profile, PromptKind};

/// Longest line still checked against prompt and pager patterns; a longer last line is output.
pub const MAX_PROMPT_LEN: usize = 256;

/// What the output read so far ends with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Nothing to act on: read more.
    More,
    /// A pager prompt, already removed from the output: send the profile's pager response.
    Pager,
    /// A password prompt (privilege escalation).
    Password,
    /// The device's prompt, with the mode it shows and the hostname it names (if captured).
    Prompt {
        /// The mode.
        kind: PromptKind,
        /// The hostname in the prompt.
        host: Option<String>,
    },
}

/// Accumulates one command's output and says when the device is waiting again.
#[derive(Debug)]
pub struct PromptReader<'p> {
    profile: &'p Profile,
    cleaner: Cleaner,
}

impl<'p> PromptReader<'p> {
    /// A reader for a device using `profile`.
    pub fn new(profile: &'p Profile) -> Self {
        PromptReader { profile, cleaner: Cleaner::default() }
    }

    /// Feeds raw bytes and tells what the output now ends with.
    pub fn feed(&mut self, bytes: &[u8]) -> Step {
        self.cleaner.feed(bytes);
        let line = self.cleaner.last_line();
        if line.is_empty() || line.len() > MAX_PROMPT_LEN {
            return Step::More;
        }
        let line = String::from_utf8_lossy(line);
        if self.profile.is_more_prompt(&line) {
            self.cleaner.drop_last_line();
            return Step::Pager;
        }
        if let Some(found) = self.profile.prompt_match(&line) {
            return Step::Prompt { kind: found.kind, host: found.host.map(str::to_string) };
        }
        if self.profile.is_password_prompt(&line) {
            return Step::Password;
        }
        Step::More
    }

    /// The output of `command`: without its echo (the first line, when it ends with the
    /// command) and without the final prompt; the reader starts afresh.
    pub fn finish(&mut self, command: &str) -> String {
        self.cleaner.drop_last_line();
        let bytes = self.cleaner.take();
        let text = String::from_utf8_lossy(&bytes);
        let trimmed = command.trim();
        match text.split_once('\n') {
            Some((first, rest)) if !trimmed.is_empty() && first.trim_end().ends_with(trimmed) => rest.to_string(),
            None if !trimmed.is_empty() && text.trim_end().ends_with(trimmed) => String::new(),
            _ => text.into_owned(),
        }
    }
}

#[cfg(test)]
mod tests;
