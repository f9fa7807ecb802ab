//! The one error type of the search crate, with a stable code per variant.

use thiserror::Error;

/// Everything that can go wrong while indexing or searching.
#[derive(Debug, Error)]
pub enum Error {
    /// The query text is not valid Tantivy query syntax, or names something the index lacks.
    #[error("invalid query at position {position}: {message}")]
    InvalidQuery {
        /// Byte offset in the query text where the problem was found.
        position: usize,
        /// What is wrong there.
        message: String,
    },
    /// A pagination cursor could not be decoded, or belongs to another sort order.
    #[error("invalid cursor: {0}")]
    InvalidCursor(String),
    /// A search request's parameters contradict each other or are out of range.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The index on disk is not one this crate wrote (bad commit payload, missing field).
    #[error("corrupt index: {0}")]
    Corrupt(String),
    /// Tantivy failed (I/O, lock held by another writer, ...).
    #[error("index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The event log failed.
    #[error("event log: {0}")]
    Log(#[from] netraven_events::Error),
    /// File-system I/O failed.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// A blocking indexing task panicked or was cancelled.
    #[error("indexing task failed: {0}")]
    Task(String),
}

impl Error {
    /// A stable, machine-readable code (the query API maps it to an HTTP status).
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidQuery { .. } => "INVALID_QUERY",
            Error::InvalidCursor(_) => "INVALID_CURSOR",
            Error::InvalidRequest(_) => "INVALID_INPUT",
            Error::Corrupt(_) => "CORRUPT_INDEX",
            Error::Index(_) => "INDEX_ERROR",
            Error::Log(e) => e.code(),
            Error::Io(_) => "IO_ERROR",
            Error::Task(_) => "INTERNAL",
        }
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
