//! NetRaven's device simulator: SSH and Telnet servers that emulate network device CLIs
//! (Cisco IOS, NX-OS, IOS-XR, ASA, Arista EOS, Juniper Junos, Linux) closely enough for real
//! clients, many devices per process, with fault injection for tests and benchmarks.
//!
//! ```no_run
//! # async fn demo() -> netraven_devsim::Result<()> {
//! use netraven_devsim::{Fleet, FleetConfig, Platform};
//! let fleet = Fleet::start(FleetConfig::new(10, &[Platform::CiscoIos])).await?;
//! let first = &fleet.devices()[0];
//! println!("ssh -p {:?} {}@127.0.0.1", first.ssh_port, first.username);
//! fleet.shutdown().await;
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod cli;
mod clock;
pub mod config_gen;
mod device;
mod error;
mod faults;
mod fleet;
mod handle;
mod hostkey;
mod listener;
mod platform;
mod rng;
mod ssh;
mod telnet;
mod terminal;

pub use config_gen::{ConfigParams, generate, parse_size};
pub use error::{DevsimError, Result};
pub use faults::{Drip, Faults, Refusal};
pub use fleet::{DeviceSpec, Fleet, FleetConfig};
pub use handle::{DeviceHandle, DeviceInfo};
pub use platform::Platform;
