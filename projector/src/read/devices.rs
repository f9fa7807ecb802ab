//! Reading the inventory: devices with tags, platform and last backup, by name order.

use super::{Cursor, Filter, Page};
use crate::Result;
use crate::time::{from_opt, from_text};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

const SELECT: &str = "SELECT device_id, name, host, port, protocol, platform, software_version, tags, host_key_fingerprint,
    registered_at, updated_at, removed, removed_at, last_backup_job_id, last_backup_status, last_backup_at FROM devices";

/// A device as the API shows it.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DeviceView {
    /// The device id.
    pub device_id: String,
    /// Unique name.
    pub name: String,
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// `ssh`, `telnet` or `http`.
    pub protocol: String,
    /// Platform profile name, once known.
    pub platform: Option<String>,
    /// Software version read by a detect job.
    pub software_version: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// The pinned SSH host key fingerprint.
    pub host_key_fingerprint: Option<String>,
    /// When it was registered.
    pub registered_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Whether it left the inventory.
    pub removed: bool,
    /// When it left.
    pub removed_at: Option<DateTime<Utc>>,
    /// The last backup job that ended.
    pub last_backup: Option<LastBackup>,
}

/// The outcome of a device's last backup job.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LastBackup {
    /// The job.
    pub job_id: String,
    /// How it ended.
    pub status: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Filters and page of a device list.
#[derive(Clone, Debug, Default)]
pub struct DeviceQuery {
    /// A tag the device carries.
    pub tag: Option<String>,
    /// Include removed devices.
    pub include_removed: bool,
    /// The caller's device scope (empty: every device).
    pub scope: Vec<String>,
    /// Page size.
    pub limit: usize,
    /// Where the previous page ended.
    pub cursor: Option<Cursor>,
}

/// One page of devices, by name.
pub fn devices(conn: &Connection, q: &DeviceQuery) -> Result<Page<DeviceView>> {
    let mut f = Filter::default();
    f.when("device_id IN (SELECT device_id FROM device_tags WHERE tag = ?)", q.tag.clone());
    if !q.include_removed {
        f.push("removed = 0", []);
    }
    f.scope("device_id", &q.scope);
    if let Some(c) = &q.cursor {
        f.push("(name > ? OR (name = ? AND device_id > ?))", [Value::Text(c.key.clone()), Value::Text(c.key.clone()), Value::Text(c.id.clone())]);
    }
    f.page(conn, SELECT, "name, device_id", q.limit, device_row, |d| Cursor { key: d.name.clone(), id: d.device_id.clone() })
}

/// One device (removed ones too).
pub fn device(conn: &Connection, device_id: &str) -> Result<Option<DeviceView>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE device_id = ?1"))?;
    stmt.query_row([device_id], |r| Ok(device_row(r))).optional()?.transpose()
}

/// A device's tags (empty for an unknown device).
pub fn device_tags(conn: &Connection, device_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT tag FROM device_tags WHERE device_id = ?1 ORDER BY tag")?;
    let tags = stmt.query_map([device_id], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
    Ok(tags)
}

fn device_row(r: &Row<'_>) -> Result<DeviceView> {
    let backup_job: Option<String> = r.get(13)?;
    let backup_status: Option<String> = r.get(14)?;
    let backup_at = from_opt(r.get(15)?)?;
    Ok(DeviceView {
        device_id: r.get(0)?,
        name: r.get(1)?,
        host: r.get(2)?,
        port: r.get(3)?,
        protocol: r.get(4)?,
        platform: r.get(5)?,
        software_version: r.get(6)?,
        tags: super::tags_column(r, 7)?,
        host_key_fingerprint: r.get(8)?,
        registered_at: from_text(&r.get::<_, String>(9)?)?,
        updated_at: from_text(&r.get::<_, String>(10)?)?,
        removed: r.get(11)?,
        removed_at: from_opt(r.get(12)?)?,
        last_backup: match (backup_job, backup_status, backup_at) {
            (Some(job_id), Some(status), Some(at)) => Some(LastBackup { job_id, status, at }),
            _ => None,
        },
    })
}
