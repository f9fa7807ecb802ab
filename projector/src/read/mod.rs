//! Reading the views for the query API: typed rows (serde + JSON Schema), filters and keyset
//! (cursor) pagination. Every function takes a read connection from [`open`].

mod audit;
mod configs;
mod devices;
mod jobs;
mod logs;
mod registry;

pub use audit::{AuditEntry, AuditQuery, audit_timeline};
pub use configs::{ConfigVersion, ConfigVersionMeta, config_version, config_versions};
pub use devices::{DeviceQuery, DeviceView, LastBackup, device, device_tags, devices};
pub use jobs::{JobErrorView, JobQuery, JobSort, JobView, job, job_device, job_devices_tags, jobs};
pub use logs::{JobLogEntryView, job_logs};
pub use registry::{CredentialView, ScheduleView, credentials, schedules};

use crate::Result;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, Row};
use serde::Serialize;
use std::path::Path;
use std::time::Duration;

/// Opens a read-only connection to the view database.
pub fn open(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    crate::store::stable_plans(&conn)?;
    Ok(conn)
}

/// One page of a list, and the cursor of the next page (none on the last page).
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page.
    pub next_cursor: Option<String>,
}

/// A position in a sorted list: the sort key and id of the last item seen, as an opaque string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key of the last item.
    pub key: String,
    /// The id of the last item (tie-breaker).
    pub id: String,
}

impl Cursor {
    /// The opaque text form (hex).
    pub fn encode(&self) -> String {
        format!("{}\t{}", self.key, self.id).bytes().map(|b| format!("{b:02x}")).collect()
    }

    /// Parses the text form; `None` if it is not one.
    pub fn decode(text: &str) -> Option<Cursor> {
        if !text.len().is_multiple_of(2) {
            return None;
        }
        let bytes: Option<Vec<u8>> = (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect();
        let (key, id) = String::from_utf8(bytes?).ok()?.split_once('\t').map(|(k, i)| (k.to_string(), i.to_string()))?;
        Some(Cursor { key, id })
    }
}

/// A WHERE clause built from optional filters, with its arguments in order.
#[derive(Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    args: Vec<Value>,
}

impl Filter {
    /// Adds `clause` (with `?` placeholders) and its arguments.
    pub(crate) fn push(&mut self, clause: impl Into<String>, args: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.into());
        self.args.extend(args);
    }

    /// Adds `clause` with one argument when the argument is given.
    pub(crate) fn when<T: Into<Value>>(&mut self, clause: &str, arg: Option<T>) {
        if let Some(arg) = arg {
            self.push(clause, [arg.into()]);
        }
    }

    /// Adds `column IN (SELECT device_id FROM device_tags WHERE tag IN (...))` for a non-empty scope.
    pub(crate) fn scope(&mut self, column: &str, tags: &[String]) {
        if tags.is_empty() {
            return;
        }
        let marks = vec!["?"; tags.len()].join(", ");
        self.push(
            format!("{column} IN (SELECT device_id FROM device_tags WHERE tag IN ({marks}))"),
            tags.iter().map(|t| Value::Text(t.clone())),
        );
    }

    /// Runs `SELECT {select} {where} ORDER BY {order} LIMIT limit+1` and cuts a page; `cursor_of`
    /// makes the next cursor from the page's last item.
    pub(crate) fn page<T>(
        self,
        conn: &Connection,
        select: &str,
        order: &str,
        limit: usize,
        row: impl Fn(&Row<'_>) -> Result<T>,
        cursor_of: impl Fn(&T) -> Cursor,
    ) -> Result<Page<T>> {
        let filter = if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) };
        let sql = format!("{select}{filter} ORDER BY {order} LIMIT {}", limit + 1);
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(self.args))?;
        let mut items = Vec::new();
        while let Some(r) = rows.next()? {
            items.push(row(r)?);
        }
        let next_cursor = (items.len() > limit).then(|| {
            items.truncate(limit);
            items.last().map(|last| cursor_of(last).encode())
        });
        Ok(Page { items, next_cursor: next_cursor.flatten() })
    }
}

/// Reads a JSON text column.
pub(crate) fn json_column(r: &Row<'_>, index: usize) -> Result<serde_json::Value> {
    Ok(serde_json::from_str(&r.get::<_, String>(index)?)?)
}

/// Reads a JSON list-of-strings column (tags).
pub(crate) fn tags_column(r: &Row<'_>, index: usize) -> Result<Vec<String>> {
    Ok(serde_json::from_str(&r.get::<_, String>(index)?)?)
}
