//! NetRaven for auditors: replaying the event log (timelines of a job, a device, a user or a
//! time range; the state as it was at a moment; JSONL export) and tamper evidence (a SHA-256
//! chain per partition, sealed in HMAC-signed checkpoints kept outside the log, and a
//! verification that names every altered, deleted, inserted or reordered event).
//!
//! Everything reads the log through `EventLog::read_all`, so both backends work. See
//! `docs/adr/005-tamper-evidence.md`.
#![warn(missing_docs)]

pub mod chain;
pub mod checkpoint;
mod compare;
mod error;
pub mod finding;
pub mod replay;
pub mod scan;
mod seal;
pub mod store;
mod verify;

pub use checkpoint::{AuditKey, Checkpoint};
pub use error::{AuditError, Result};
pub use finding::{Finding, Problem, Report};
pub use seal::seal;
pub use store::CheckpointStore;
pub use verify::verify;
