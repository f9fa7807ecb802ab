//! Reading the jobs view: filtered, sorted, cursor-paginated lists, one job, and the devices
//! a job touches (for the caller's device scope).

use super::{Cursor, Filter, Page};
use crate::time::{from_opt, from_text, to_text};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

const SELECT: &str = "SELECT job_id, status, job_type, target, device_id, attempts, priority, timeout_secs, parent_job_id,
    schedule_id, created_at, queued_at, dispatched_at, started_at, finished_at, updated_at, actor, correlation_id,
    error_code, error_message, summary FROM jobs";

/// A job as the API shows it.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct JobView {
    /// The job id.
    pub job_id: String,
    /// `requested`, `queued`, `dispatched`, `running`, `succeeded`, `failed`, `cancelled` or `timed_out`.
    pub status: String,
    /// `backup`, `command` or `detect`.
    pub job_type: String,
    /// The requested target (one device, a list, or tags).
    pub target: serde_json::Value,
    /// The device it runs on (none for a parent job that fanned out).
    pub device_id: Option<String>,
    /// The current attempt (0 before the first dispatch).
    pub attempts: u32,
    /// Queue priority (higher first).
    pub priority: i32,
    /// Per-attempt timeout in seconds.
    pub timeout_secs: u32,
    /// The job that fanned out into this one.
    pub parent_job_id: Option<String>,
    /// The schedule that fired it.
    pub schedule_id: Option<String>,
    /// When it was requested.
    pub created_at: DateTime<Utc>,
    /// When it was first queued.
    pub queued_at: Option<DateTime<Utc>>,
    /// When its current attempt was dispatched.
    pub dispatched_at: Option<DateTime<Utc>>,
    /// When an agent first started it.
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
    /// When the view last changed.
    pub updated_at: DateTime<Utc>,
    /// Run time from first start to end, in milliseconds.
    pub duration_ms: Option<i64>,
    /// Who requested it.
    pub actor: String,
    /// The request's correlation id.
    pub correlation_id: String,
    /// The last error (a failed attempt, or why it ended).
    pub error: Option<JobErrorView>,
    /// The success summary.
    pub summary: Option<String>,
}

/// Why a job or its last attempt failed.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct JobErrorView {
    /// Stable code (`AUTHENTICATION`, `TIMEOUT`, `CANCELLED`, ...).
    pub code: String,
    /// Explanation.
    pub message: String,
}

/// Sort orders of the job list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum JobSort {
    /// `-created_at`: newest first (the default).
    #[default]
    NewestFirst,
    /// `created_at`: oldest first.
    OldestFirst,
    /// `-priority`: highest priority first.
    PriorityHighFirst,
    /// `priority`: lowest priority first.
    PriorityLowFirst,
}

impl JobSort {
    /// The accepted `sort` values.
    pub const NAMES: [&str; 4] = ["-created_at", "created_at", "-priority", "priority"];

    /// Parses a `sort` value.
    pub fn parse(text: &str) -> Option<JobSort> {
        let all = [JobSort::NewestFirst, JobSort::OldestFirst, JobSort::PriorityHighFirst, JobSort::PriorityLowFirst];
        Self::NAMES.iter().position(|n| *n == text).map(|i| all[i])
    }

    fn column(self) -> &'static str {
        match self {
            JobSort::NewestFirst | JobSort::OldestFirst => "created_at",
            JobSort::PriorityHighFirst | JobSort::PriorityLowFirst => "priority",
        }
    }

    fn descending(self) -> bool {
        matches!(self, JobSort::NewestFirst | JobSort::PriorityHighFirst)
    }
}

/// Filters, sort and page of a job list.
#[derive(Clone, Debug, Default)]
pub struct JobQuery {
    /// Any of these statuses (empty: all).
    pub statuses: Vec<String>,
    /// Job type.
    pub job_type: Option<String>,
    /// The device the job runs on.
    pub device_id: Option<String>,
    /// A tag the job's device carries.
    pub tag: Option<String>,
    /// Who requested it.
    pub actor: Option<String>,
    /// The parent job it was fanned out from.
    pub parent_job_id: Option<String>,
    /// Requested at or after.
    pub since: Option<DateTime<Utc>>,
    /// Requested before.
    pub until: Option<DateTime<Utc>>,
    /// The caller's device scope (empty: every job).
    pub scope: Vec<String>,
    /// Sort order.
    pub sort: JobSort,
    /// Page size.
    pub limit: usize,
    /// Where the previous page ended.
    pub cursor: Option<Cursor>,
}

/// One page of jobs.
pub fn jobs(conn: &Connection, q: &JobQuery) -> Result<Page<JobView>> {
    let mut f = Filter::default();
    if !q.statuses.is_empty() {
        let marks = vec!["?"; q.statuses.len()].join(", ");
        f.push(format!("status IN ({marks})"), q.statuses.iter().map(|s| Value::Text(s.clone())));
    }
    f.when("job_type = ?", q.job_type.clone());
    f.when("device_id = ?", q.device_id.clone());
    f.when("device_id IN (SELECT device_id FROM device_tags WHERE tag = ?)", q.tag.clone());
    f.when("actor = ?", q.actor.clone());
    f.when("parent_job_id = ?", q.parent_job_id.clone());
    f.when("created_at >= ?", q.since.as_ref().map(to_text));
    f.when("created_at < ?", q.until.as_ref().map(to_text));
    f.scope("device_id", &q.scope);
    let (column, descending) = (q.sort.column(), q.sort.descending());
    let op = if descending { "<" } else { ">" };
    if let Some(c) = &q.cursor {
        let key = match q.sort.column() {
            "priority" => Value::Integer(c.key.parse().map_err(|_| Error::Invalid { field: "cursor", message: "not a cursor of this sort order".into() })?),
            _ => Value::Text(c.key.clone()),
        };
        f.push(format!("({column} {op} ? OR ({column} = ? AND job_id {op} ?))"), [key.clone(), key, Value::Text(c.id.clone())]);
    }
    let dir = if descending { "DESC" } else { "ASC" };
    let order = format!("{column} {dir}, job_id {dir}");
    f.page(conn, SELECT, &order, q.limit, job_row, |j| Cursor {
        key: if column == "priority" { j.priority.to_string() } else { to_text(&j.created_at) },
        id: j.job_id.clone(),
    })
}

/// One job.
pub fn job(conn: &Connection, job_id: &str) -> Result<Option<JobView>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE job_id = ?1"))?;
    let raw = stmt.query_row([job_id], |r| Ok(job_row(r))).optional()?;
    raw.transpose()
}

/// The device a job runs on, if it is known.
pub fn job_device(conn: &Connection, job_id: &str) -> Result<Option<String>> {
    let found: Option<Option<String>> =
        conn.prepare_cached("SELECT device_id FROM jobs WHERE job_id = ?1")?.query_row([job_id], |r| r.get(0)).optional()?;
    Ok(found.flatten())
}

/// The tags of every device a job touches: its own device, or its children's for a parent job.
pub fn job_devices_tags(conn: &Connection, job_id: &str) -> Result<Vec<Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.tags FROM jobs j JOIN devices d ON d.device_id = j.device_id WHERE j.job_id = ?1 OR j.parent_job_id = ?1",
    )?;
    let mut rows = stmt.query([job_id])?;
    let mut all = Vec::new();
    while let Some(r) = rows.next()? {
        all.push(super::tags_column(r, 0)?);
    }
    Ok(all)
}

fn job_row(r: &Row<'_>) -> Result<JobView> {
    let started_at = from_opt(r.get(13)?)?;
    let finished_at = from_opt(r.get(14)?)?;
    let code: Option<String> = r.get(18)?;
    let message: Option<String> = r.get(19)?;
    Ok(JobView {
        job_id: r.get(0)?,
        status: r.get(1)?,
        job_type: r.get(2)?,
        target: super::json_column(r, 3)?,
        device_id: r.get(4)?,
        attempts: r.get(5)?,
        priority: r.get(6)?,
        timeout_secs: r.get(7)?,
        parent_job_id: r.get(8)?,
        schedule_id: r.get(9)?,
        created_at: from_text(&r.get::<_, String>(10)?)?,
        queued_at: from_opt(r.get(11)?)?,
        dispatched_at: from_opt(r.get(12)?)?,
        started_at,
        finished_at,
        updated_at: from_text(&r.get::<_, String>(15)?)?,
        duration_ms: started_at.zip(finished_at).map(|(s, f)| (f - s).num_milliseconds()),
        actor: r.get(16)?,
        correlation_id: r.get(17)?,
        error: code.zip(message).map(|(code, message)| JobErrorView { code, message }),
        summary: r.get(20)?,
    })
}
