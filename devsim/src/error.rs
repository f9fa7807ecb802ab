//! The crate's one error type.

use std::io;

/// Everything that can go wrong while starting or controlling a simulated fleet.
#[derive(Debug, thiserror::Error)]
pub enum DevsimError {
    /// A listener could not be bound or a socket operation failed.
    #[error("I/O error on {context}: {source}")]
    Io {
        /// What was being done (for example `binding 127.0.0.1:2200`).
        context: String,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// An unknown platform name was given.
    #[error(
        "unknown platform `{0}` (known: cisco_ios, cisco_nxos, cisco_iosxr, cisco_asa, arista_eos, juniper_junos, linux)"
    )]
    UnknownPlatform(String),
    /// A size such as `64k` or `20m` could not be read.
    #[error("invalid size `{0}` (expected a number with an optional k or m suffix)")]
    InvalidSize(String),
    /// The fleet configuration is inconsistent (for example zero devices or no listener).
    #[error("invalid fleet configuration: {0}")]
    InvalidConfig(String),
    /// A host key could not be made or an authorized key could not be read.
    #[error("SSH key error: {0}")]
    Key(String),
}

impl DevsimError {
    /// Wraps an I/O error with what was being done.
    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> Self {
        DevsimError::Io {
            context: context.into(),
            source,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = DevsimError> = std::result::Result<T, E>;
