//! NetRaven's device-agent: the only component that talks to devices, and only when a
//! dispatch event asks it to.

pub mod error;

pub use error::DeviceError;
