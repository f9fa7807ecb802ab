//! Schedule commands (create, pause, resume, remove) and the scheduler's pure decision: which
//! due times of a schedule fire now, by its missed-run policy.

use super::jobs::{self, JobCreate, Requested};
use super::text;
use crate::registry::{Registry, ScheduleInfo};
use chrono::{DateTime, Duration, Utc};
use croner::Cron;
use netraven_api::{Action, ApiError, Principal};
use netraven_events::EventData;
use netraven_events::catalog::*;
use serde::Deserialize;
use std::str::FromStr;

/// Most due times one schedule fires in one pass when catching up.
pub const MAX_CATCH_UP: usize = 100;
/// A due time this late (or less) still fires under the `skip` policy.
pub const SKIP_GRACE_SECS: i64 = 60;

/// The body of `POST /schedules`.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleCreate {
    /// A name for people.
    pub name: String,
    /// `cron` (expression + IANA time zone), `interval` (seconds) or `once` (a UTC time).
    pub spec: ScheduleSpec,
    /// What to do about due times missed while NetRaven was down (`fire_once` by default).
    #[serde(default = "default_policy")]
    pub missed_runs: MissedRunPolicy,
    /// The job each firing requests.
    pub job: JobCreate,
}

fn default_policy() -> MissedRunPolicy {
    MissedRunPolicy::FireOnce
}

fn cron(expression: &str, timezone: &str) -> Result<(Cron, chrono_tz::Tz), ApiError> {
    let cron = Cron::from_str(expression).map_err(|e| ApiError::invalid("spec.expression", format!("not a cron expression: {e}")))?;
    let tz = chrono_tz::Tz::from_str(timezone).map_err(|_| ApiError::invalid("spec.timezone", format!("`{timezone}` is not an IANA time zone")))?;
    Ok((cron, tz))
}

/// Decides `POST /schedules`; the job is checked now exactly as a request would be.
pub fn create(reg: &Registry, who: &Principal, body: ScheduleCreate) -> Result<(ScheduleId, EventData), ApiError> {
    who.require(Action::ManageSchedules)?;
    match &body.spec {
        ScheduleSpec::Cron { expression, timezone } => {
            cron(expression, timezone)?;
        }
        ScheduleSpec::Interval { every_secs } if !(60..=31_536_000).contains(every_secs) => {
            return Err(ApiError::invalid("spec.every_secs", "must be between 60 and 31536000"));
        }
        ScheduleSpec::Once { at } if *at < Utc::now() - Duration::seconds(SKIP_GRACE_SECS) => {
            return Err(ApiError::invalid("spec.at", "is in the past"));
        }
        _ => {}
    }
    jobs::request(reg, who, body.job.clone(), None, None)?;
    let schedule_id = ScheduleId::new();
    let job = body.job;
    let created = ScheduleCreated {
        schedule_id,
        name: text("name", &body.name, 128)?,
        spec: body.spec,
        missed_runs: body.missed_runs,
        job_type: job.job_type,
        target: job.target,
        parameters: JobParameters { commands: job.commands, config_mode: job.config_mode },
    };
    Ok((schedule_id, created.into()))
}

/// What `change` does to a schedule: pause, resume or remove.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Stop firing.
    Pause,
    /// Fire again.
    Resume,
    /// Forget it.
    Remove,
}

/// Decides pause, resume or remove.
pub fn change(reg: &Registry, who: &Principal, schedule_id: ScheduleId, change: Change) -> Result<EventData, ApiError> {
    who.require(Action::ManageSchedules)?;
    let info = reg.schedules.get(&schedule_id).ok_or_else(|| ApiError::NotFound(format!("schedule {schedule_id} does not exist")))?;
    Ok(match change {
        Change::Pause if info.paused => return Err(ApiError::Conflict("the schedule is already paused".into())),
        Change::Resume if !info.paused => return Err(ApiError::Conflict("the schedule is not paused".into())),
        Change::Pause => SchedulePaused { schedule_id }.into(),
        Change::Resume => ScheduleResumed { schedule_id }.into(),
        Change::Remove => ScheduleRemoved { schedule_id }.into(),
    })
}

/// The due times of a schedule after its last firing (or creation) up to `now`, in order.
fn due_times(info: &ScheduleInfo, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let after = info.last_due.unwrap_or(info.created_at);
    let mut due = Vec::new();
    match &info.created.spec {
        ScheduleSpec::Once { at } => {
            if info.last_due.is_none() && *at <= now {
                due.push(*at);
            }
        }
        ScheduleSpec::Interval { every_secs } => {
            let step = Duration::seconds(*every_secs as i64);
            let mut next = after + step;
            while next <= now && due.len() <= MAX_CATCH_UP * 100 {
                due.push(next);
                next += step;
            }
        }
        ScheduleSpec::Cron { expression, timezone } => {
            let Ok((cron, tz)) = cron(expression, timezone) else { return due };
            for next in cron.iter_after(after.with_timezone(&tz)) {
                let next = next.with_timezone(&Utc);
                if next > now || due.len() > MAX_CATCH_UP * 100 {
                    break;
                }
                due.push(next);
            }
        }
    }
    due
}

/// The scheduler's decision at `now`: the `ScheduleFired` and job events of every schedule
/// that is due, by policy: `catch_up` fires each missed time (at most `MAX_CATCH_UP`),
/// `fire_once` fires the latest only, `skip` fires only a time at most `SKIP_GRACE_SECS` late
/// (older ones are left unfired and never reconsidered once a later time fires).
pub fn fire_due(reg: &Registry, now: DateTime<Utc>) -> Vec<(ScheduleId, u64, Vec<EventData>)> {
    let scheduler = Principal { user: "scheduler".into(), role: netraven_api::Role::Operator, device_tags: vec![] };
    let mut out = Vec::new();
    let mut ids: Vec<&ScheduleId> = reg.schedules.keys().collect();
    ids.sort();
    for id in ids {
        let info = &reg.schedules[id];
        if info.paused {
            continue;
        }
        let due = due_times(info, now);
        let Some(latest) = due.last().copied() else { continue };
        let chosen: Vec<DateTime<Utc>> = match info.created.missed_runs {
            MissedRunPolicy::CatchUp => due.into_iter().take(MAX_CATCH_UP).collect(),
            MissedRunPolicy::FireOnce => vec![latest],
            MissedRunPolicy::Skip if now - latest <= Duration::seconds(SKIP_GRACE_SECS) => vec![latest],
            MissedRunPolicy::Skip => vec![],
        };
        let mut events = Vec::new();
        for due_at in chosen.iter().copied() {
            let body = JobCreate {
                job_type: info.created.job_type,
                target: info.created.target.clone(),
                commands: info.created.parameters.commands.clone(),
                config_mode: info.created.parameters.config_mode,
                priority: 0,
                depends_on: vec![],
                timeout_secs: 300,
                force: false,
            };
            match jobs::request(reg, &scheduler, body, None, Some((*id, due_at))) {
                Ok(Requested::New(job_id, job_events)) => {
                    events.push(ScheduleFired { schedule_id: *id, due_at, job_id }.into());
                    events.extend(job_events);
                }
                Ok(Requested::Existing(job_id)) => events.push(ScheduleFired { schedule_id: *id, due_at, job_id }.into()),
                Err(err) => tracing::warn!(schedule = %id, %err, "a due schedule cannot request its job now; it fires next time"),
            }
        }
        if !events.is_empty() {
            out.push((*id, info.version, events));
        }
    }
    out
}
