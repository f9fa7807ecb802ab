//! Reading the small registries: credential metadata (never secrets) and schedules.

use crate::Result;
use crate::time::{from_opt, from_text};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;

/// A credential's metadata.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CredentialView {
    /// The credential id.
    pub credential_id: String,
    /// Its name.
    pub name: String,
    /// Login name.
    pub username: String,
    /// Devices with any of these tags are candidates (empty: all).
    pub tags: Vec<String>,
    /// Lower is tried first.
    pub priority: i32,
    /// Vault key version of the sealed secret.
    pub key_version: u32,
    /// Vault key version of the sealed enable secret, if any.
    pub enable_key_version: Option<u32>,
    /// Whether it may no longer be used.
    pub revoked: bool,
    /// When it was added.
    pub added_at: DateTime<Utc>,
    /// When its secret was last rotated.
    pub rotated_at: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When an agent last tried it.
    pub last_used_at: Option<DateTime<Utc>>,
    /// `success`, `authentication_failed` or `error`.
    pub last_outcome: Option<String>,
    /// The device of the last attempt.
    pub last_device_id: Option<String>,
    /// Successful logins.
    pub successes: u64,
    /// Failed attempts.
    pub failures: u64,
}

/// A schedule.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ScheduleView {
    /// The schedule id.
    pub schedule_id: String,
    /// Its name.
    pub name: String,
    /// When it fires (cron, interval or once).
    pub spec: serde_json::Value,
    /// `catch_up`, `fire_once` or `skip`.
    pub missed_runs: String,
    /// The job type it requests.
    pub job_type: String,
    /// The target of the requested jobs.
    pub target: serde_json::Value,
    /// Whether it is paused.
    pub paused: bool,
    /// Whether it was removed.
    pub removed: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last fired.
    pub last_fired_at: Option<DateTime<Utc>>,
    /// The due time of the last firing.
    pub last_due_at: Option<DateTime<Utc>>,
    /// The job the last firing requested.
    pub last_job_id: Option<String>,
    /// How many times it fired.
    pub fired_count: u64,
}

/// Every credential's metadata, by priority then name.
pub fn credentials(conn: &Connection) -> Result<Vec<CredentialView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT credential_id, name, username, tags, priority, key_version, enable_key_version, revoked, added_at,
             rotated_at, revoked_at, last_used_at, last_outcome, last_device_id, successes, failures
         FROM credentials ORDER BY priority, name, credential_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut all = Vec::new();
    while let Some(r) = rows.next()? {
        all.push(CredentialView {
            credential_id: r.get(0)?,
            name: r.get(1)?,
            username: r.get(2)?,
            tags: super::tags_column(r, 3)?,
            priority: r.get(4)?,
            key_version: r.get(5)?,
            enable_key_version: r.get(6)?,
            revoked: r.get(7)?,
            added_at: from_text(&r.get::<_, String>(8)?)?,
            rotated_at: from_opt(r.get(9)?)?,
            revoked_at: from_opt(r.get(10)?)?,
            last_used_at: from_opt(r.get(11)?)?,
            last_outcome: r.get(12)?,
            last_device_id: r.get(13)?,
            successes: r.get::<_, i64>(14)? as u64,
            failures: r.get::<_, i64>(15)? as u64,
        });
    }
    Ok(all)
}

/// Every schedule by name (removed ones only when asked).
pub fn schedules(conn: &Connection, include_removed: bool) -> Result<Vec<ScheduleView>> {
    let mut stmt = conn.prepare_cached(
        "SELECT schedule_id, name, spec, missed_runs, job_type, target, paused, removed, created_at, last_fired_at,
             last_due_at, last_job_id, fired_count FROM schedules WHERE removed = 0 OR ?1 ORDER BY name, schedule_id",
    )?;
    let mut rows = stmt.query([include_removed])?;
    let mut all = Vec::new();
    while let Some(r) = rows.next()? {
        all.push(ScheduleView {
            schedule_id: r.get(0)?,
            name: r.get(1)?,
            spec: super::json_column(r, 2)?,
            missed_runs: r.get(3)?,
            job_type: r.get(4)?,
            target: super::json_column(r, 5)?,
            paused: r.get(6)?,
            removed: r.get(7)?,
            created_at: from_text(&r.get::<_, String>(8)?)?,
            last_fired_at: from_opt(r.get(9)?)?,
            last_due_at: from_opt(r.get(10)?)?,
            last_job_id: r.get(11)?,
            fired_count: r.get::<_, i64>(12)? as u64,
        });
    }
    Ok(all)
}
