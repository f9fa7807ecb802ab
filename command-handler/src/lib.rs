//! NetRaven's command side: decides, from current state, which events a command causes.
//!
//! Only this crate appends command-caused events. Decision logic is pure (given events → when
//! command → then events or error) so it is tested without I/O.

pub use netraven_events::job_state::{JobState, JobStatus, Step, TransitionError};
