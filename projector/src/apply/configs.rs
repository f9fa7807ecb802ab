//! Configuration versions per device: a captured configuration becomes a new version only when
//! its content hash (computed without volatile lines) differs from the device's latest; the
//! full content, volatile lines included, is kept.

use crate::Result;
use crate::time::to_text;
use netraven_events::{Event, EventData};
use rusqlite::{OptionalExtension, Transaction, params};

/// Stores a captured configuration if it changed.
pub(super) fn apply(tx: &Transaction<'_>, event: &Event) -> Result<()> {
    let EventData::ConfigCaptured(c) = &event.data else { return Ok(()) };
    let device = c.device_id.to_string();
    let latest: Option<(i64, String)> = tx
        .prepare_cached("SELECT version, content_hash FROM config_versions WHERE device_id = ?1 ORDER BY version DESC LIMIT 1")?
        .query_row([&device], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if latest.as_ref().is_some_and(|(_, hash)| *hash == c.content_hash) {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO config_versions (device_id, version, content_hash, content, size_bytes, job_id, attempt,
             captured_at, event_id, filter_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        device,
        latest.map_or(1, |(v, _)| v + 1),
        c.content_hash,
        c.content,
        c.size_bytes as i64,
        c.job_id.to_string(),
        c.attempt,
        to_text(&event.time),
        event.id.to_string(),
        c.filter_version
    ])?;
    Ok(())
}
