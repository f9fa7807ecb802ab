//! NetRaven's command side: decides, from current state, which events a command causes, and
//! appends them; dispatches jobs to the device-agents and fires schedules.
//!
//! Only this crate appends command-caused events. Decision logic is pure (given events → when
//! command → then events or error) so it is tested without I/O.
#![warn(missing_docs)]

pub mod decide;
pub mod dispatch;
pub mod http;
pub mod registry;
pub mod runner;
pub mod state;
pub mod users;

pub use netraven_events::job_state::{JobState, JobStatus, Step, TransitionError};
