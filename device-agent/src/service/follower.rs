//! Follows the log: folds every event into the registry and the job table, and turns the
//! dispatches that are still current into work. Dispatches read while catching up on history
//! wait until the agent has caught up, so only those still current then are run.

use super::registry::Registry;
use super::table::JobTable;
use crate::DeviceError;
use crate::executor::AttemptTarget;
use netraven_events::catalog::{CommandOutputCaptured, ConfigCaptured, ConfigChanged, CredentialAttempted, JobDispatched, JobLogged};
use netraven_events::{Event, EventData, Position, SkipTypes, StreamId};
use std::collections::HashMap;
use uuid::Uuid;

/// Event types the follower never folds: job output and per-attempt records, which leave a
/// job's status and attempt as they are and carry no device or credential facts. The agent
/// reads past them undecoded instead of parsing every configuration it captured.
pub const UNFOLDED: SkipTypes = &[
    JobLogged::EVENT_TYPE,
    CommandOutputCaptured::EVENT_TYPE,
    ConfigCaptured::EVENT_TYPE,
    ConfigChanged::EVENT_TYPE,
    CredentialAttempted::EVENT_TYPE,
];

/// Whether a reader at `read` has read the device, credential and host-key events as far as the
/// dispatcher had when it decided `job` (a dispatch that does not say needs nothing more). They
/// may lie in other partitions (Kafka): the agent resolves the target only once this holds.
/// None of them is skipped (`UNFOLDED`), so the reader's position reaches it as soon as it has
/// delivered them.
pub fn read_as_far(job: &JobDispatched, read: &Position) -> bool {
    let decided: Option<Position> = job.log_position.as_deref().and_then(|p| p.parse().ok());
    decided.is_none_or(|d| read.covers(&d))
}

/// A dispatch to run, with what its attempt needs.
pub struct Dispatch {
    /// The dispatched attempt.
    pub job: JobDispatched,
    /// The dispatch event's id (the cause of everything the attempt appends).
    pub event_id: Uuid,
    /// The job's correlation id.
    pub correlation_id: String,
    /// The device, credentials and host-key policy, or why there are none.
    pub target: Result<AttemptTarget, DeviceError>,
}

struct Seen {
    job: JobDispatched,
    event_id: Uuid,
    correlation_id: String,
}

/// The agent's view of the log.
#[derive(Default)]
pub struct Follower {
    registry: Registry,
    jobs: JobTable,
    pending: HashMap<StreamId, Seen>,
}

impl Follower {
    /// Applies one event; returns a dispatch to run now when `live`, and holds it back while
    /// catching up.
    pub fn apply(&mut self, event: &Event, live: bool) -> Option<Dispatch> {
        self.observe(event);
        let EventData::JobDispatched(job) = &event.data else { return None };
        if !self.jobs.is_current(job) {
            return None;
        }
        let seen = Seen { job: job.clone(), event_id: event.id, correlation_id: event.correlation_id.clone() };
        if live {
            return Some(self.dispatch(seen));
        }
        self.pending.insert(event.stream_id.clone(), seen);
        None
    }

    /// Folds one event into the registry and the job table only (no dispatch is held back).
    pub fn observe(&mut self, event: &Event) {
        self.registry.apply(&event.data);
        self.jobs.apply(event);
        if self.pending.get(&event.stream_id).is_some_and(|seen| !self.jobs.is_current(&seen.job)) {
            self.pending.remove(&event.stream_id);
        }
    }

    /// The dispatch `event` asks for, if it is a dispatch still current in the folded state
    /// (for dispatches delivered apart from the log this follower reads: a consumer group).
    pub fn dispatch_for(&self, event: &Event) -> Option<Dispatch> {
        let EventData::JobDispatched(job) = &event.data else { return None };
        let seen = Seen { job: job.clone(), event_id: event.id, correlation_id: event.correlation_id.clone() };
        self.jobs.is_current(job).then(|| self.dispatch(seen))
    }

    /// The held-back dispatches that are still current, once caught up.
    pub fn take_pending(&mut self) -> Vec<Dispatch> {
        let pending: Vec<Seen> = self.pending.drain().map(|(_, seen)| seen).collect();
        pending.into_iter().filter(|seen| self.jobs.is_current(&seen.job)).map(|seen| self.dispatch(seen)).collect()
    }

    fn dispatch(&self, seen: Seen) -> Dispatch {
        let target = self.registry.target(seen.job.device_id);
        Dispatch { job: seen.job, event_id: seen.event_id, correlation_id: seen.correlation_id, target }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netraven_events::catalog::DEVICE_FACTS;

    #[test]
    fn no_event_a_dispatch_waits_for_is_skipped() {
        let skipped: Vec<&&str> = DEVICE_FACTS.iter().filter(|t| UNFOLDED.contains(t)).collect();
        assert!(skipped.is_empty(), "a reader that skips {skipped:?} would never reach a dispatch's log_position");
    }
}
