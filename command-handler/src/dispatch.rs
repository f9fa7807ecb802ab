//! The dispatcher's pure decision (ADR 004): queue requested jobs, dispatch queued ones by
//! priority once their dependencies succeeded and their back-off passed (at most one running
//! backup per device unless forced, at most `max_in_flight` attempts at once), give up on
//! attempts that showed no sign of life past their timeout, and end parent jobs.

use crate::registry::{JobInfo, Registry};
use chrono::{DateTime, Duration, Utc};
use netraven_events::EventData;
use netraven_events::catalog::*;
use netraven_events::job_state::JobStatus;
use std::collections::HashSet;

/// Dispatcher settings.
#[derive(Clone, Debug)]
pub struct DispatchConfig {
    /// Attempts a job gets before it times out for good (the seed's `RETRY_CONFIG`: 3).
    pub max_attempts: u32,
    /// Silence past an attempt's timeout before it is given up on, in seconds.
    pub grace_secs: i64,
    /// Attempts dispatched or running at once, across all agents.
    pub max_in_flight: usize,
}

impl Default for DispatchConfig {
    fn default() -> Self {
        DispatchConfig { max_attempts: 3, grace_secs: 30, max_in_flight: 1000 }
    }
}

/// The events to append for one job, with the job stream version they were decided at.
pub type Decision = (JobId, u64, Vec<EventData>);

fn failure(code: &str, message: String) -> JobError {
    JobError { code: code.into(), message, retryable: false }
}

/// Everything the dispatcher does at `now`. `check_silence` also looks for attempts that went
/// silent past their timeout (the loop does that on its periodic tick, not on every event).
pub fn decide(reg: &Registry, now: DateTime<Utc>, config: &DispatchConfig, check_silence: bool) -> Vec<Decision> {
    let mut busy_devices: HashSet<DeviceId> = reg.busy_backups.keys().copied().collect();
    let mut in_flight = reg.in_flight.len();
    let mut out = Vec::new();
    if check_silence {
        for job in reg.in_flight.iter().filter_map(|id| reg.jobs.get(id)) {
            let deadline = job.last_change + Duration::seconds(job.request.timeout_secs as i64 + config.grace_secs);
            if now > deadline {
                let (id, attempt) = (job.request.job_id, job.state.attempt);
                let event: EventData = if attempt < config.max_attempts {
                    JobRetried { job_id: id, attempt: attempt + 1, backoff_ms: 0 }.into()
                } else {
                    JobTimedOut { job_id: id, attempt, timeout_secs: job.request.timeout_secs }.into()
                };
                out.push((id, job.version, vec![event]));
            }
        }
    }
    let mut ready: Vec<(&JobInfo, Vec<EventData>)> = Vec::new();
    // With no room to dispatch, only jobs to queue, parents and jobs with dependencies can
    // change; with tens of thousands of jobs waiting that keeps a pass short.
    let work = if in_flight < config.max_in_flight { &reg.waiting } else { &reg.must_check };
    for job in work.iter().filter_map(|id| reg.jobs.get(id)) {
        let id = job.request.job_id;
        let mut events = Vec::new();
        if job.state.status == JobStatus::Requested {
            events.push(JobQueued { job_id: id, priority: job.request.priority }.into());
        }
        if job.is_parent() {
            events.extend(end_parent(reg, job));
            if !events.is_empty() {
                out.push((id, job.version, events));
            }
            continue;
        }
        match dependencies(reg, job) {
            Deps::Failed(dep) => {
                events.push(JobFailed { job_id: id, attempt: job.state.attempt, error: failure("DEPENDENCY_FAILED", format!("job {dep} did not succeed")) }.into());
                out.push((id, job.version, events));
            }
            Deps::Met if in_flight < config.max_in_flight && now >= job.last_change + Duration::milliseconds(job.backoff_ms as i64) => ready.push((job, events)),
            _ => {
                if !events.is_empty() {
                    out.push((id, job.version, events));
                }
            }
        }
    }
    ready.sort_by_key(|(job, _)| (-job.request.priority, job.request.job_id));
    for (job, mut events) in ready {
        let device = job.device().expect("a job that is not a parent targets one device");
        let exclusive = job.request.job_type == JobType::Backup && !job.request.force;
        let blocked = in_flight >= config.max_in_flight || (exclusive && busy_devices.contains(&device));
        if !blocked {
            in_flight += 1;
            if job.request.job_type == JobType::Backup {
                busy_devices.insert(device);
            }
            events.push(
                JobDispatched {
                    job_id: job.request.job_id,
                    attempt: job.state.attempt.max(1),
                    device_id: device,
                    job_type: job.request.job_type,
                    parameters: job.request.parameters.clone(),
                    timeout_secs: job.request.timeout_secs,
                    log_position: Some(reg.facts_position.to_string()),
                }
                .into(),
            );
        }
        if !events.is_empty() {
            out.push((job.request.job_id, job.version, events));
        }
    }
    out
}

enum Deps {
    Met,
    Waiting,
    Failed(JobId),
}

fn dependencies(reg: &Registry, job: &JobInfo) -> Deps {
    for dep in &job.request.depends_on {
        match reg.jobs.get(dep).map(|d| d.state.status) {
            Some(JobStatus::Succeeded) => {}
            Some(s) if s.is_terminal() => return Deps::Failed(*dep),
            _ => return Deps::Waiting,
        }
    }
    Deps::Met
}

/// A parent's end once every child ended: success when all succeeded. A parent that says how
/// many children it requested waits until the registry has read all their requests.
fn end_parent(reg: &Registry, parent: &JobInfo) -> Option<EventData> {
    let expected = parent.request.child_count.map_or(1, |n| (n as usize).max(1));
    if parent.children.len() < expected {
        return None;
    }
    // Stops at the first child still open, so a pass over a large fan-out in progress is cheap.
    let mut succeeded = 0;
    for child in &parent.children {
        let status = reg.jobs.get(child)?.state.status;
        if !status.is_terminal() {
            return None;
        }
        succeeded += usize::from(status == JobStatus::Succeeded);
    }
    let children = &parent.children;
    let job_id = parent.request.job_id;
    Some(if succeeded == children.len() {
        JobSucceeded { job_id, attempt: 0, summary: format!("all {succeeded} device jobs succeeded") }.into()
    } else {
        let message = format!("{} of {} device jobs did not succeed", children.len() - succeeded, children.len());
        JobFailed { job_id, attempt: 0, error: failure("CHILDREN_FAILED", message) }.into()
    })
}

#[cfg(test)]
mod tests;
