//! The one error type of the `audit` crate.

use thiserror::Error;

/// Everything that can stop a replay, a seal or a verification (tampering found by
/// `verify` is not an error but a finding in its report).
#[derive(Debug, Error)]
pub enum AuditError {
    /// Reading the event log failed.
    #[error("event log: {0}")]
    Log(#[from] netraven_events::Error),
    /// The checkpoint store (SQLite) failed.
    #[error("checkpoint store: {0}")]
    Store(#[from] rusqlite::Error),
    /// A checkpoint's stored form is unreadable.
    #[error("checkpoint #{number} is malformed: {reason}")]
    Malformed {
        /// The checkpoint.
        number: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// The latest checkpoint does not carry a valid signature under this key, so nothing
    /// can be sealed on top of it.
    #[error("checkpoint #{0} has no valid signature under this audit key; run `netraven audit verify`")]
    BadSignature(u64),
    /// The audit key is unusable.
    #[error("audit key: {0}")]
    Key(String),
    /// Writing output failed.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// JSON encoding failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// A blocking task panicked or was cancelled.
    #[error("background task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Result with [`AuditError`].
pub type Result<T> = std::result::Result<T, AuditError>;
