//! The one error type of the `events` crate, with a stable code per variant.

use thiserror::Error;

/// Everything that can go wrong while building, encoding, storing or reading events.
#[derive(Debug, Error)]
pub enum Error {
    /// An expected stream version did not match; nothing of the batch was written.
    #[error("conflict on stream `{stream}`: expected version {expected}, found {actual}")]
    Conflict {
        /// The stream whose version did not match.
        stream: String,
        /// What the caller expected.
        expected: String,
        /// What the log holds.
        actual: String,
    },
    /// An event is larger than the log accepts.
    #[error("event of {size} bytes exceeds the limit of {limit} bytes")]
    TooLarge {
        /// Encoded size of the event.
        size: usize,
        /// The configured limit.
        limit: usize,
    },
    /// Input was malformed (an unknown event type, a bad position string, an empty batch...).
    #[error("invalid input: {0}")]
    Invalid(String),
    /// Stored or received bytes could not be decoded into an event.
    #[error("corrupt event at {at}: {reason}")]
    Corrupt {
        /// Where the bad bytes were found.
        at: String,
        /// What was wrong with them.
        reason: String,
    },
    /// Another writer took over this writer's identity (Kafka transactional fencing).
    #[error("this writer was fenced by a newer writer with the same id: {0}")]
    Fenced(String),
    /// The embedded store (SQLite) failed.
    #[error("embedded store: {0}")]
    Store(#[from] rusqlite::Error),
    /// The Kafka client or broker failed.
    #[error("kafka: {0}")]
    Kafka(String),
    /// JSON encoding or decoding failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// File-system I/O failed.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// The log was closed while an operation was in flight.
    #[error("the event log is closed")]
    Closed,
}

impl Error {
    /// A stable, machine-readable code for this error (used in API error bodies and logs).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Conflict { .. } => "CONFLICT",
            Error::TooLarge { .. } => "PAYLOAD_TOO_LARGE",
            Error::Invalid(_) => "INVALID_INPUT",
            Error::Corrupt { .. } => "CORRUPT_EVENT",
            Error::Fenced(_) => "WRITER_FENCED",
            Error::Store(_) => "STORE_ERROR",
            Error::Kafka(_) => "KAFKA_ERROR",
            Error::Json(_) => "JSON_ERROR",
            Error::Io(_) => "IO_ERROR",
            Error::Closed => "CLOSED",
        }
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
