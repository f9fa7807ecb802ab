//! NetRaven's projector: applies every event to the read views exactly once, recording the
//! applied position in the same transaction as the view change, and reads those views back.
#![warn(missing_docs)]

mod apply;
pub mod checkpoint;
mod error;
pub mod read;
mod runner;
mod schema;
pub mod status;
mod store;
pub mod time;

pub use apply::audit::refs as event_refs;
pub use checkpoint::Checkpoints;
pub use error::{Error, Result};
pub use runner::{DEFAULT_BATCH, Progress, Projector, lag, rebuild};
pub use status::{Lag, Status};
pub use store::{Batch, PROJECTION, ViewStore};
