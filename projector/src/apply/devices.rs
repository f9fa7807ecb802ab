//! The inventory view: devices with their tags, platform and host key; removed devices stay,
//! marked removed.

use super::enum_text;
use crate::Result;
use crate::time::to_text;
use netraven_events::{Event, EventData};
use rusqlite::{Transaction, params};

/// Applies device events to the inventory.
pub(super) fn apply(tx: &Transaction<'_>, event: &Event) -> Result<()> {
    let at = to_text(&event.time);
    match &event.data {
        EventData::DeviceRegistered(d) => {
            let inserted = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO devices (device_id, name, host, port, protocol, platform, tags,
                         registered_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                )?
                .execute(params![
                    d.device_id.to_string(),
                    d.name,
                    d.host,
                    d.port,
                    enum_text(&d.protocol)?,
                    d.platform,
                    serde_json::to_string(&d.tags)?,
                    at
                ])?;
            if inserted == 1 {
                set_tags(tx, &d.device_id.to_string(), &d.tags)?;
            }
        }
        EventData::DeviceUpdated(u) => {
            let tags = u.tags.as_ref().map(serde_json::to_string).transpose()?;
            let protocol = u.protocol.as_ref().map(enum_text).transpose()?;
            let changed = tx
                .prepare_cached(
                    "UPDATE devices SET name = COALESCE(?2, name), host = COALESCE(?3, host), port = COALESCE(?4, port),
                         platform = COALESCE(?5, platform), protocol = COALESCE(?6, protocol),
                         tags = COALESCE(?7, tags), updated_at = ?8 WHERE device_id = ?1",
                )?
                .execute(params![u.device_id.to_string(), u.name, u.host, u.port, u.platform, protocol, tags, at])?;
            if let (1, Some(new_tags)) = (changed, &u.tags) {
                set_tags(tx, &u.device_id.to_string(), new_tags)?;
            }
        }
        EventData::DeviceRemoved(r) => {
            tx.prepare_cached("UPDATE devices SET removed = 1, removed_at = ?2, updated_at = ?2 WHERE device_id = ?1")?
                .execute(params![r.device_id.to_string(), at])?;
        }
        EventData::DevicePlatformDetected(p) => {
            tx.prepare_cached(
                "UPDATE devices SET platform = ?2, software_version = COALESCE(?3, software_version), updated_at = ?4
                 WHERE device_id = ?1",
            )?
            .execute(params![p.device_id.to_string(), p.platform, p.software_version, at])?;
        }
        EventData::HostKeyLearned(k) => pin(tx, &k.device_id.to_string(), &k.fingerprint, &at)?,
        EventData::HostKeyAccepted(k) => pin(tx, &k.device_id.to_string(), &k.fingerprint, &at)?,
        _ => {}
    }
    Ok(())
}

fn pin(tx: &Transaction<'_>, device_id: &str, fingerprint: &str, at: &str) -> Result<()> {
    tx.prepare_cached("UPDATE devices SET host_key_fingerprint = ?2, updated_at = ?3 WHERE device_id = ?1")?
        .execute(params![device_id, fingerprint, at])?;
    Ok(())
}

fn set_tags(tx: &Transaction<'_>, device_id: &str, tags: &[String]) -> Result<()> {
    tx.prepare_cached("DELETE FROM device_tags WHERE device_id = ?1")?.execute([device_id])?;
    let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO device_tags (device_id, tag) VALUES (?1, ?2)")?;
    for tag in tags {
        insert.execute([device_id, tag])?;
    }
    Ok(())
}
