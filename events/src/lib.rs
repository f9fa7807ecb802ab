//! NetRaven's event backbone: the CloudEvents envelope, the versioned event catalog with its
//! JSON Schemas, job logging with redaction, and the `EventLog` contract with its backends.
//!
//! This crate does I/O only inside the event-log backends (`log::embedded`, `log::kafka`).
#![warn(missing_docs)]

pub mod catalog;
mod envelope;
mod error;
pub mod job_state;
pub mod joblog;
pub mod log;
pub mod schema;

pub use catalog::EventData;
pub use envelope::{Cause, DATA_CONTENT_TYPE, Event, SPEC_VERSION, data_schema_uri, envelope_schema};
pub use error::{Error, Result};
pub use log::{AppendBatch, Appended, EventLog, ExpectedVersion, Position, RecordedEvent, SkipTypes, StreamId, Subscription};
