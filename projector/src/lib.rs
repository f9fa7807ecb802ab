//! NetRaven's projector: applies every event to the read views exactly once, recording the
//! applied position in the same transaction as the view change.

pub mod checkpoint;

pub use checkpoint::{Checkpoints, Error};
