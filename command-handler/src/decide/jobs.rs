//! Job commands: request a job (one device, a list, or a tag selector fanned out into one
//! child per device; idempotent by key), and cancel one.

use super::text;
use crate::registry::Registry;
use chrono::{DateTime, Utc};
use netraven_api::{ApiError, Principal};
use netraven_events::EventData;
use netraven_events::catalog::*;
use serde::Deserialize;

/// The body of `POST /jobs`.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JobCreate {
    /// `backup`, `command` or `detect`.
    #[serde(rename = "type")]
    pub job_type: JobType,
    /// One device, a list, or every device carrying all of some tags.
    pub target: JobTarget,
    /// Commands of a `command` job.
    #[serde(default)]
    pub commands: Vec<String>,
    /// Run a `command` job's commands in configuration mode.
    #[serde(default)]
    pub config_mode: bool,
    /// -100 (lowest) to 100 (highest); 0 by default.
    #[serde(default)]
    pub priority: i32,
    /// Jobs that must succeed first.
    #[serde(default)]
    pub depends_on: Vec<JobId>,
    /// Per-attempt timeout, 1 to 86,400 seconds (300 by default).
    #[serde(default = "default_timeout")]
    pub timeout_secs: u32,
    /// Back up even if a backup of the device is already running.
    #[serde(default)]
    pub force: bool,
}

fn default_timeout() -> u32 {
    300
}

/// What a job request decided.
#[derive(Debug, PartialEq)]
pub enum Requested {
    /// The same idempotency key already made this job.
    Existing(JobId),
    /// A new job: its id and the events to append.
    New(JobId, Vec<EventData>),
}

/// Decides `POST /jobs` for `who`; a schedule's firing passes its schedule and due time.
///
/// A fired job's id is derived from (schedule, due time) and a child's from (parent, device),
/// so two scheduler instances that fire the same due time request the same job, and the
/// second request is a duplicate that every fold ignores.
pub fn request(reg: &Registry, who: &Principal, body: JobCreate, key: Option<String>, fired: Option<(ScheduleId, DateTime<Utc>)>) -> Result<Requested, ApiError> {
    if !who.can_create_job(body.job_type) {
        return Err(ApiError::Forbidden(format!("role `{}` may not create jobs", who.role.as_str())));
    }
    if let Some(key) = &key {
        text("Idempotency-Key", key, 200)?;
        if let Some(existing) = reg.idempotency.get(&(who.user.clone(), key.clone())) {
            return Ok(Requested::Existing(*existing));
        }
    }
    let parameters = parameters(&body)?;
    if !(-100..=100).contains(&body.priority) {
        return Err(ApiError::invalid("priority", "must be between -100 and 100"));
    }
    if !(1..=86_400).contains(&body.timeout_secs) {
        return Err(ApiError::invalid("timeout_secs", "must be between 1 and 86400"));
    }
    for dep in &body.depends_on {
        if !reg.jobs.contains_key(dep) {
            return Err(ApiError::invalid("depends_on", format!("job {dep} does not exist")));
        }
    }
    let devices = devices(reg, who, &body.target)?;
    let job_id = match fired {
        Some((schedule, due)) => JobId(uuid::Uuid::new_v5(&schedule.0, due.to_rfc3339().as_bytes())),
        None => JobId::new(),
    };
    if reg.jobs.contains_key(&job_id) {
        return Ok(Requested::Existing(job_id));
    }
    let schedule = fired.map(|(s, _)| s);
    let fan_out = !matches!(body.target, JobTarget::Device { .. });
    let request = |job_id, target, parent_job_id, idempotency_key, child_count| JobRequested {
        job_id,
        job_type: body.job_type,
        target,
        parameters: parameters.clone(),
        priority: body.priority,
        depends_on: body.depends_on.clone(),
        timeout_secs: body.timeout_secs,
        force: body.force,
        parent_job_id,
        schedule_id: schedule,
        idempotency_key,
        child_count,
    };
    let child_count = fan_out.then_some(devices.len() as u32);
    let mut events: Vec<EventData> = vec![request(job_id, body.target.clone(), None, key, child_count).into()];
    if fan_out {
        let child = |device_id: DeviceId| JobId(uuid::Uuid::new_v5(&job_id.0, device_id.0.as_bytes()));
        events.extend(devices.into_iter().map(|device_id| request(child(device_id), JobTarget::Device { device_id }, Some(job_id), None, None).into()));
    }
    Ok(Requested::New(job_id, events))
}

fn parameters(body: &JobCreate) -> Result<JobParameters, ApiError> {
    match body.job_type {
        JobType::Command => {
            if body.commands.is_empty() {
                return Err(ApiError::invalid("commands", "a command job needs at least one command"));
            }
            if body.commands.len() > 200 {
                return Err(ApiError::invalid("commands", "at most 200 commands per job"));
            }
            let commands = body.commands.iter().map(|c| text("commands", c, 1000)).collect::<Result<_, _>>()?;
            Ok(JobParameters { commands, config_mode: body.config_mode })
        }
        _ if !body.commands.is_empty() || body.config_mode => {
            Err(ApiError::invalid("commands", "only command jobs take commands or config_mode"))
        }
        _ => Ok(JobParameters::default()),
    }
}

/// The devices a target names, each existing and within the caller's scope.
fn devices(reg: &Registry, who: &Principal, target: &JobTarget) -> Result<Vec<DeviceId>, ApiError> {
    let ids = match target {
        JobTarget::Device { device_id } => vec![*device_id],
        JobTarget::Devices { device_ids } if device_ids.is_empty() => return Err(ApiError::invalid("target.device_ids", "must name at least one device")),
        JobTarget::Devices { device_ids } => device_ids.clone(),
        JobTarget::Tags { tags } if tags.is_empty() => return Err(ApiError::invalid("target.tags", "must name at least one tag")),
        JobTarget::Tags { tags } => {
            let found: Vec<DeviceId> = reg.devices_with_tags(tags).into_iter().filter(|id| who.can_access_device(&reg.devices[id].tags)).collect();
            if found.is_empty() {
                return Err(ApiError::invalid("target.tags", "no device (within your scope) carries all of these tags"));
            }
            return Ok(found);
        }
    };
    let mut seen = Vec::with_capacity(ids.len());
    for id in ids {
        let device = reg.devices.get(&id).ok_or_else(|| ApiError::invalid("target", format!("device {id} does not exist")))?;
        if !who.can_access_device(&device.tags) {
            return Err(ApiError::Forbidden(format!("device {id} is outside your device scope")));
        }
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    Ok(seen)
}

/// Decides `POST /jobs/{id}/cancel`: cancels the job and its unfinished children.
pub fn cancel(reg: &Registry, who: &Principal, job_id: JobId, reason: Option<String>) -> Result<Vec<EventData>, ApiError> {
    who.require(netraven_api::Action::RunJobs)?;
    let job = reg.jobs.get(&job_id).ok_or_else(|| ApiError::NotFound(format!("job {job_id} does not exist")))?;
    let tags: Vec<&[String]> = job.device().and_then(|d| reg.devices.get(&d)).map(|d| d.tags.as_slice()).into_iter().collect();
    if !who.can_access_job(tags) {
        return Err(ApiError::Forbidden(format!("job {job_id} is outside your device scope")));
    }
    let reason = match reason {
        Some(r) => text("reason", &r, 500)?,
        None => format!("cancelled by {}", who.user),
    };
    let cancelled = JobCancelled { job_id, reason: reason.clone() }.into();
    job.state.step(&cancelled).map_err(|e| ApiError::Conflict(e.to_string()))?;
    let mut events = vec![cancelled];
    for child in &job.children {
        if reg.jobs.get(child).is_some_and(|c| !c.state.status.is_terminal()) {
            events.push(JobCancelled { job_id: *child, reason: reason.clone() }.into());
        }
    }
    Ok(events)
}

/// The body of `POST /jobs/snapshot`.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapshotCreate {
    /// Only devices carrying all of these tags (none: every device in your scope).
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Decides "snapshot now": a backup of every device (or every device with the tags) in the
/// caller's scope, fanned out at the highest priority so it goes before queued work and runs
/// at the highest concurrency the dispatcher and agents allow.
pub fn snapshot(reg: &Registry, who: &Principal, body: SnapshotCreate) -> Result<Requested, ApiError> {
    let target = if body.tags.is_empty() {
        let mut ids: Vec<DeviceId> = reg.devices.iter().filter(|(_, d)| who.can_access_device(&d.tags)).map(|(id, _)| *id).collect();
        if ids.is_empty() {
            return Err(ApiError::invalid("tags", "there is no device (within your scope) to back up"));
        }
        ids.sort();
        JobTarget::Devices { device_ids: ids }
    } else {
        JobTarget::Tags { tags: super::tags("tags", &body.tags)? }
    };
    let job = JobCreate { job_type: JobType::Backup, target, commands: vec![], config_mode: false, priority: 100, depends_on: vec![], timeout_secs: default_timeout(), force: false };
    request(reg, who, job, None, None)
}
