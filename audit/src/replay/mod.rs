//! Replay: the timeline of a job, a device, a user or a time range, read from the log as
//! stored (credential events carry only ciphertext), printed for people or exported as
//! CloudEvents JSON lines; and the state as it was at a moment ([`state`]).

pub mod state;

use crate::scan::{Item, scan};
use crate::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use netraven_events::catalog::{DeviceId, JobId, JobTarget};
use netraven_events::{Event, EventData, EventLog, Position, RecordedEvent, StreamId};
use std::collections::HashSet;
use std::io::Write;

/// A moment in time (UTC).
pub type Time = DateTime<Utc>;

/// Parses an RFC 3339 time (`2026-11-27T17:00:00Z`, any offset) into UTC.
pub fn parse_time(text: &str) -> std::result::Result<Time, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("`{text}` is not an RFC 3339 time such as 2026-11-27T17:00:00Z ({e})"))
}

/// Which events a timeline holds; every condition given must hold.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this job's events and those of its child jobs (when it fanned out).
    pub job: Option<JobId>,
    /// Only this device's own events and the events of jobs that target it.
    pub device: Option<DeviceId>,
    /// Only events caused by this user or service.
    pub actor: Option<String>,
    /// Only events at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only events at or before this time.
    pub until: Option<DateTime<Utc>>,
}

/// How a timeline is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One readable line per event.
    Human,
    /// Structured-mode CloudEvents JSON, one event per line (`Event::to_json`).
    Jsonl,
}

/// Decides event by event, in log order, whether an event belongs to the timeline.
#[derive(Debug)]
pub struct Matcher {
    filter: Filter,
    /// Streams of the filtered job's children.
    children: HashSet<StreamId>,
    /// Streams of the jobs known to target the filtered device.
    device_jobs: HashSet<StreamId>,
}

impl Matcher {
    /// A matcher for `filter`.
    pub fn new(filter: Filter) -> Self {
        Matcher { filter, children: HashSet::new(), device_jobs: HashSet::new() }
    }

    /// Whether `event` belongs to the timeline. Events must come in log order, so that a job
    /// is known to target the device, or to be a child, before its later events are seen.
    pub fn matches(&mut self, event: &Event) -> bool {
        let f = &self.filter;
        if let (Some(job), EventData::JobRequested(r)) = (f.job, &event.data)
            && r.parent_job_id == Some(job)
        {
            self.children.insert(event.stream_id.clone());
        }
        if let Some(device) = f.device
            && targets(&event.data, device)
        {
            self.device_jobs.insert(event.stream_id.clone());
        }
        let f = &self.filter;
        f.job.is_none_or(|job| event.stream_id == job.stream() || self.children.contains(&event.stream_id))
            && f.device.is_none_or(|d| event.stream_id == d.stream() || self.device_jobs.contains(&event.stream_id))
            && f.actor.as_ref().is_none_or(|a| &event.actor == a)
            && f.since.is_none_or(|t| event.time >= t)
            && f.until.is_none_or(|t| event.time <= t)
    }
}

/// Whether a job event says its job works on `device`.
fn targets(data: &EventData, device: DeviceId) -> bool {
    match data {
        EventData::JobRequested(r) => match &r.target {
            JobTarget::Device { device_id } => *device_id == device,
            JobTarget::Devices { device_ids } => device_ids.contains(&device),
            JobTarget::Tags { .. } => false,
        },
        EventData::JobDispatched(d) => d.device_id == device,
        _ => false,
    }
}

/// Writes the events matching `filter` to `out` in `format`; returns how many were written.
pub async fn timeline(log: &dyn EventLog, filter: Filter, format: Format, out: Box<dyn Write + Send>) -> Result<u64> {
    let state = (Matcher::new(filter), format, out, 0u64);
    let (_, _, mut out, written) = scan(log, Position::start(), state, write_matching).await?;
    tokio::task::spawn_blocking(move || out.flush()).await??;
    Ok(written)
}

type Writing = (Matcher, Format, Box<dyn Write + Send>, u64);

fn write_matching((matcher, format, out, written): &mut Writing, item: Item) -> Result<()> {
    let recorded = item?;
    if matcher.matches(&recorded.event) {
        match format {
            Format::Human => writeln!(out, "{}", human_line(&recorded))?,
            Format::Jsonl => {
                out.write_all(&recorded.event.to_json()?)?;
                out.write_all(b"\n")?;
            }
        }
        *written += 1;
    }
    Ok(())
}

/// Longest payload excerpt on a human-readable line.
const EXCERPT_CHARS: usize = 160;

/// One readable line: time, place in the log, stream and version, type, actor, payload excerpt.
pub fn human_line(recorded: &RecordedEvent) -> String {
    let e = &recorded.event;
    let data = e.data.to_value().map(|v| v.to_string()).unwrap_or_else(|err| format!("<{err}>"));
    let mut excerpt: String = data.chars().take(EXCERPT_CHARS).collect();
    if excerpt.len() < data.len() {
        excerpt.push('…');
    }
    format!(
        "{}  {}:{}  {} v{}  {}  by {}  {}",
        e.time.to_rfc3339_opts(SecondsFormat::Millis, true),
        recorded.partition,
        recorded.offset,
        e.stream_id,
        e.stream_version,
        e.event_type(),
        e.actor,
        excerpt
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use netraven_events::Cause;
    use netraven_events::catalog::{JobParameters, JobRequested, JobStarted, JobType};

    fn event(data: impl Into<EventData>) -> Event {
        Event::new(data, &Cause { source: "/t".into(), actor: "a".into(), correlation_id: "c".into(), causation_id: None })
    }

    fn requested(job: JobId, target: JobTarget, parent: Option<JobId>) -> Event {
        let (job_type, parameters) = (JobType::Backup, JobParameters::default());
        let (depends_on, schedule_id, idempotency_key) = (vec![], None, None);
        event(JobRequested { job_id: job, job_type, target, parameters, priority: 0, depends_on, timeout_secs: 1, force: false, parent_job_id: parent, schedule_id, idempotency_key, child_count: None })
    }

    #[test]
    fn a_fanned_out_job_brings_its_children_and_a_device_its_jobs() {
        let (parent, child, other, device) = (JobId::new(), JobId::new(), JobId::new(), DeviceId::new());
        let history = [
            requested(parent, JobTarget::Devices { device_ids: vec![device] }, None),
            requested(child, JobTarget::Device { device_id: device }, Some(parent)),
            event(JobStarted { job_id: child, attempt: 1, agent_id: "x".into() }),
            requested(other, JobTarget::Tags { tags: vec!["core".into()] }, None),
            event(JobStarted { job_id: other, attempt: 1, agent_id: "x".into() }),
        ];
        let count = |filter: Filter| {
            let mut m = Matcher::new(filter);
            history.iter().filter(|e| m.matches(e)).count()
        };
        assert_eq!(count(Filter { job: Some(parent), ..Filter::default() }), 3);
        assert_eq!(count(Filter { job: Some(child), ..Filter::default() }), 2);
        assert_eq!(count(Filter { device: Some(device), ..Filter::default() }), 3);
        assert_eq!(count(Filter { device: Some(device), job: Some(other), ..Filter::default() }), 0);
    }
}
