//! Why a client command failed: a message, what to do about it, and the exit code it means.

use std::process::ExitCode;

/// Exit code of a command that failed or whose job failed.
pub const FAILED: u8 = 1;
/// Exit code when not logged in or the token was refused.
pub const UNAUTHORIZED: u8 = 3;
/// Exit code when the thing asked for does not exist.
pub const NOT_FOUND: u8 = 4;
/// Exit code when the server failed or could not be reached.
pub const SERVER: u8 = 5;

/// A failed client command.
#[derive(Debug)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// What went wrong (the server's message when it answered).
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Failure {
    /// A failure with exit code `code`.
    pub fn new(code: u8, message: impl Into<String>) -> Failure {
        Failure { code, message: message.into(), hint: None }
    }

    /// The same failure with advice on what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hint = Some(hint.into());
        self
    }

    /// Not logged in, or the saved token no longer works.
    pub fn login(message: impl Into<String>) -> Failure {
        Failure::new(UNAUTHORIZED, message).hint("run `netraven login --server URL --user NAME`")
    }

    /// Prints the failure on stderr and turns it into the process exit code.
    pub fn report(&self) -> ExitCode {
        eprintln!("error: {}", self.message);
        if let Some(hint) = &self.hint {
            eprintln!("hint: {hint}");
        }
        ExitCode::from(self.code)
    }
}

/// What a client command returns.
pub type Outcome<T = ()> = Result<T, Failure>;
