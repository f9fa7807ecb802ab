//! NetRaven's full-text search: a Tantivy index over job log entries and captured command
//! outputs and configurations, fed exactly once from the event log, and the search API over it.

mod error;
pub mod tokenizer;

pub use error::{Error, Result};
