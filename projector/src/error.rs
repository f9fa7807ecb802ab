//! The one error type of the projector crate.

use thiserror::Error;

/// Errors of the projector and of the view reads.
#[derive(Debug, Error)]
pub enum Error {
    /// The view database failed.
    #[error("view store: {0}")]
    Store(#[from] rusqlite::Error),
    /// The event log failed, or a stored position could not be read back.
    #[error("event log: {0}")]
    Event(#[from] netraven_events::Error),
    /// A stored JSON column could not be decoded.
    #[error("stored json: {0}")]
    Json(#[from] serde_json::Error),
    /// A stored value has an unexpected shape (a bad timestamp, an unknown status).
    #[error("corrupt view row: {0}")]
    Corrupt(String),
    /// A read request is malformed (a cursor from another sort order, ...).
    #[error("{field}: {message}")]
    Invalid {
        /// The offending parameter.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The blocking task that owns the view database died.
    #[error("view worker: {0}")]
    Worker(String),
}

impl Error {
    /// Whether the error means the views do not exist yet (the projector never ran).
    pub fn is_missing_views(&self) -> bool {
        matches!(self, Error::Store(rusqlite::Error::SqliteFailure(_, Some(m))) if m.starts_with("no such table"))
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
