//! The credential metadata view: name, user, tags, priority, key version, revocation and
//! last use. Sealed secrets are never copied here, only their key version.

use super::enum_text;
use crate::Result;
use crate::time::to_text;
use netraven_events::catalog::AttemptOutcome;
use netraven_events::{Event, EventData};
use rusqlite::{Transaction, params};

/// Applies credential events to the metadata view.
pub(super) fn apply(tx: &Transaction<'_>, event: &Event) -> Result<()> {
    let at = to_text(&event.time);
    match &event.data {
        EventData::CredentialAdded(c) => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO credentials (credential_id, name, username, tags, priority, key_version,
                     enable_key_version, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                c.credential_id.to_string(),
                c.name,
                c.username,
                serde_json::to_string(&c.tags)?,
                c.priority,
                c.secret.key_version,
                c.enable_secret.as_ref().map(|s| s.key_version),
                at
            ])?;
        }
        EventData::CredentialRotated(r) => {
            tx.prepare_cached(
                "UPDATE credentials SET key_version = ?2, enable_key_version = ?3, rotated_at = ?4 WHERE credential_id = ?1",
            )?
            .execute(params![
                r.credential_id.to_string(),
                r.secret.key_version,
                r.enable_secret.as_ref().map(|s| s.key_version),
                at
            ])?;
        }
        EventData::CredentialRevoked(r) => {
            tx.prepare_cached("UPDATE credentials SET revoked = 1, revoked_at = ?2 WHERE credential_id = ?1")?
                .execute(params![r.credential_id.to_string(), at])?;
        }
        EventData::CredentialAttempted(a) => {
            let success = a.outcome == AttemptOutcome::Success;
            tx.prepare_cached(
                "UPDATE credentials SET last_used_at = ?2, last_outcome = ?3, last_device_id = ?4, last_job_id = ?5,
                     successes = successes + ?6, failures = failures + (1 - ?6) WHERE credential_id = ?1",
            )?
            .execute(params![
                a.credential_id.to_string(),
                at,
                enum_text(&a.outcome)?,
                a.device_id.to_string(),
                a.job_id.to_string(),
                success as i64
            ])?;
        }
        _ => {}
    }
    Ok(())
}
