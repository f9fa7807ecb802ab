//! NetRaven's query API: serves the read side over HTTP and never writes to the event log.

pub mod error_body;

pub use error_body::{ErrorBody, status_for};
