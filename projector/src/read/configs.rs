//! Reading configuration versions: the list (newest first, without content) and one version
//! with its full content.

use super::{Cursor, Filter, Page};
use crate::time::from_text;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

const META: &str = "SELECT version, content_hash, size_bytes, job_id, attempt, captured_at, filter_version FROM config_versions";

/// A configuration version without its content.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ConfigVersionMeta {
    /// Version number on its device, from 1.
    pub version: i64,
    /// SHA-256 of the content without volatile lines.
    pub content_hash: String,
    /// Size of the content in bytes.
    pub size_bytes: u64,
    /// The backup job that captured it.
    pub job_id: String,
    /// The attempt that captured it.
    pub attempt: u32,
    /// When it was captured.
    pub captured_at: DateTime<Utc>,
    /// Version of the redaction rules applied.
    pub filter_version: u32,
}

/// A configuration version with its full content (volatile lines included).
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ConfigVersion {
    /// The device.
    pub device_id: String,
    /// The version's metadata.
    #[serde(flatten)]
    pub meta: ConfigVersionMeta,
    /// The configuration text (secrets redacted).
    pub content: String,
}

/// A device's versions, newest first; `cursor` continues below a version number.
pub fn config_versions(conn: &Connection, device_id: &str, limit: usize, cursor: Option<&Cursor>) -> Result<Page<ConfigVersionMeta>> {
    let mut f = Filter::default();
    f.push("device_id = ?", [Value::Text(device_id.to_string())]);
    if let Some(c) = cursor {
        let below: i64 = c.key.parse().map_err(|_| Error::Invalid { field: "cursor", message: "not a version cursor".into() })?;
        f.push("version < ?", [Value::Integer(below)]);
    }
    f.page(conn, META, "version DESC", limit, meta_row, |m| Cursor { key: m.version.to_string(), id: String::new() })
}

/// One version with its content.
pub fn config_version(conn: &Connection, device_id: &str, version: i64) -> Result<Option<ConfigVersion>> {
    let sql = format!("{}, content FROM config_versions WHERE device_id = ?1 AND version = ?2", META.trim_end_matches(" FROM config_versions"));
    let mut stmt = conn.prepare_cached(&sql)?;
    let found = stmt
        .query_row(rusqlite::params![device_id, version], |r| {
            Ok(meta_row(r).map(|meta| (meta, r.get::<_, String>(7))))
        })
        .optional()?;
    let Some(found) = found else { return Ok(None) };
    let (meta, content) = found?;
    Ok(Some(ConfigVersion { device_id: device_id.to_string(), meta, content: content? }))
}

fn meta_row(r: &Row<'_>) -> Result<ConfigVersionMeta> {
    Ok(ConfigVersionMeta {
        version: r.get(0)?,
        content_hash: r.get(1)?,
        size_bytes: r.get::<_, i64>(2)? as u64,
        job_id: r.get(3)?,
        attempt: r.get(4)?,
        captured_at: from_text(&r.get::<_, String>(5)?)?,
        filter_version: r.get(6)?,
    })
}
