//! The jobs the agent has seen, folded with `job_state` as the log goes by, to tell whether a
//! dispatch is still the job's current attempt (ended jobs are dropped from the table).

use netraven_events::job_state::{JobState, JobStatus};
use netraven_events::catalog::JobDispatched;
use netraven_events::{Event, StreamId};
use std::collections::HashMap;

/// Whether `dispatch` is the attempt `state` waits for: dispatched, not yet started, not ended.
pub fn runnable(state: &JobState, dispatch: &JobDispatched) -> bool {
    state.status == JobStatus::Dispatched && state.attempt == dispatch.attempt
}

/// Open jobs by stream.
#[derive(Default)]
pub struct JobTable {
    jobs: HashMap<StreamId, JobState>,
}

impl JobTable {
    /// Applies one event of the log (events of other streams than jobs' are ignored).
    pub fn apply(&mut self, event: &Event) {
        if let Some(opened) = JobState::open(&event.data) {
            self.jobs.insert(event.stream_id.clone(), opened);
            return;
        }
        let Some(state) = self.jobs.get_mut(&event.stream_id) else { return };
        match state.next(&event.data) {
            Ok(next) if next.status.is_terminal() => {
                self.jobs.remove(&event.stream_id);
            }
            Ok(next) => *state = next,
            Err(err) => tracing::warn!(error = %err, "job event out of order; ignored"),
        }
    }

    /// Whether `dispatch` is its job's current, unstarted attempt.
    pub fn is_current(&self, dispatch: &JobDispatched) -> bool {
        self.jobs.get(&dispatch.job_id.stream()).is_some_and(|state| runnable(state, dispatch))
    }
}
