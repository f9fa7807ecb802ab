//! NetRaven's device-agent: the only component that talks to devices, and only when a
//! dispatch event asks it to.
#![warn(missing_docs)]

pub mod backup;
pub mod credentials;
pub mod error;
pub mod executor;
pub mod host_keys;
pub mod output;
pub mod pool;
pub mod profile;
pub mod protocol;
pub mod resilience;
pub mod service;

pub use error::DeviceError;
pub use service::{Agent, AgentConfig};
pub use profile::{Detection, Profile, ProfileError, ProfileSet, PromptKind};
