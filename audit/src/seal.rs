//! Sealing: extends each partition's chain over the events appended since the latest
//! checkpoint and writes a new signed checkpoint.

use crate::chain::{ChainHead, Link};
use crate::checkpoint::{AuditKey, Checkpoint, PartitionHead, Sealed};
use crate::scan::{Item, scan};
use crate::store::CheckpointStore;
use crate::{AuditError, Result};
use netraven_events::{EventLog, Position};
use std::collections::BTreeMap;

/// Seals everything in the log now: verifies the latest checkpoint's signature, chains the
/// events after it, and stores a new checkpoint signed with `key`. Usable by any component
/// that holds the log (the CLI's `audit seal`, or a server on a timer).
pub async fn seal(log: &dyn EventLog, store: &CheckpointStore, key: &AuditKey) -> Result<Checkpoint> {
    let reader = store.clone();
    let latest = tokio::task::spawn_blocking(move || reader.latest()).await??;
    if let Some(cp) = &latest
        && !cp.is_signed_by(key)?
    {
        return Err(AuditError::BadSignature(cp.sealed.number));
    }
    let mut heads: BTreeMap<u32, ChainHead> = BTreeMap::new();
    let mut from = Position::start();
    for h in latest.iter().flat_map(|cp| cp.sealed.heads.iter()) {
        let hash = hex::decode(&h.chain).ok().and_then(|b| b.try_into().ok()).ok_or_else(|| AuditError::Malformed {
            number: latest.as_ref().map_or(0, |cp| cp.sealed.number),
            reason: format!("partition {} has a bad chain value", h.partition),
        })?;
        heads.insert(h.partition, ChainHead { count: h.count, last_offset: h.last_offset, hash });
        if h.count > 0 {
            from.set(h.partition, h.last_offset + 1);
        }
    }
    let (heads, links) = scan(log, from, (heads, Vec::new()), extend).await?;
    let sealed = Sealed {
        number: latest.as_ref().map_or(1, |cp| cp.sealed.number + 1),
        sealed_at: chrono::Utc::now(),
        heads: heads.iter().map(|(p, h)| PartitionHead::new(*p, h)).collect(),
        previous: latest.as_ref().map(Checkpoint::signature_hex),
    };
    let checkpoint = Checkpoint::sign(sealed, key)?;
    let (writer, saved) = (store.clone(), checkpoint.clone());
    tokio::task::spawn_blocking(move || writer.save(&saved, &links)).await??;
    Ok(checkpoint)
}

type Progress = (BTreeMap<u32, ChainHead>, Vec<(u64, Link)>);

/// Chains one event; an unreadable event stops the seal (nothing is sealed over it).
fn extend((heads, links): &mut Progress, item: Item) -> Result<()> {
    let link = Link::of(&item?)?;
    let head = heads.entry(link.partition).or_default();
    links.push((head.count, link));
    head.push(&link);
    Ok(())
}
