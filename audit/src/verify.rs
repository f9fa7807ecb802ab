//! Verification: checks every checkpoint's signature and succession, recomputes each
//! partition's chain from the log against every checkpoint, and locates what differs.

use crate::chain::{ChainHead, Link};
use crate::checkpoint::{AuditKey, Checkpoint};
use crate::compare::locate;
use crate::finding::{Finding, Problem, Report};
use crate::scan::{Item, scan};
use crate::store::CheckpointStore;
use crate::Result;
use netraven_events::{EventLog, Position};
use std::collections::{BTreeMap, BTreeSet};

/// Verifies the log against every checkpoint in `store`. Tampering is reported in the
/// [`Report`]'s findings; an error means the verification itself could not run.
pub async fn verify(log: &dyn EventLog, store: &CheckpointStore, key: &AuditKey) -> Result<Report> {
    let reader = store.clone();
    let (checkpoints, sealed) = tokio::task::spawn_blocking(move || Ok::<_, crate::AuditError>((reader.checkpoints()?, reader.links()?))).await??;
    let (now, unreadable) = scan(log, Position::start(), (BTreeMap::new(), None), collect).await?;
    let key = key.clone();
    let report = tokio::task::spawn_blocking(move || judge(&checkpoints, &sealed, &now, unreadable, &key)).await??;
    Ok(report)
}

type Links = BTreeMap<u32, Vec<Link>>;

/// Collects the log's links; an unreadable event is kept as the reason the scan ended.
fn collect((links, unreadable): &mut (Links, Option<String>), item: Item) -> Result<()> {
    match item {
        Ok(recorded) => {
            let link = Link::of(&recorded)?;
            links.entry(link.partition).or_default().push(link);
        }
        Err(e) => *unreadable = Some(e.to_string()),
    }
    Ok(())
}

fn judge(checkpoints: &[Checkpoint], sealed: &Links, now: &Links, unreadable: Option<String>, key: &AuditKey) -> Result<Report> {
    let mut report = Report { checkpoints: checkpoints.len(), events: now.values().map(|l| l.len() as u64).sum(), ..Report::default() };
    let findings = &mut report.findings;
    if checkpoints.is_empty() {
        findings.push(Finding::new(Problem::NotSealed, "no checkpoint exists; run `netraven audit seal` first"));
    }
    for (i, cp) in checkpoints.iter().enumerate() {
        let number = cp.sealed.number;
        if !cp.is_signed_by(key)? {
            findings.push(Finding::new(Problem::BadSignature, "its signature is not the audit key's: the checkpoint was forged or altered, or the key is wrong").checkpoint(number));
        }
        let previous = i.checked_sub(1).map(|p| &checkpoints[p]);
        if number != i as u64 + 1 || cp.sealed.previous != previous.map(Checkpoint::signature_hex) {
            findings.push(Finding::new(Problem::CheckpointMissing, "it does not follow the checkpoint before it: a checkpoint was removed or replaced").checkpoint(number));
        }
    }
    let read_to = |p: u32| unreadable.as_ref().map(|_| now.get(&p).and_then(|l| l.last()).map_or(0, |l| l.offset));
    if let Some(reason) = &unreadable {
        findings.push(Finding::new(Problem::Unreadable, format!("{reason}; the log after it was not checked")));
    }
    let partitions: BTreeSet<u32> = sealed.keys().chain(now.keys()).chain(checkpoints.iter().flat_map(|c| c.sealed.heads.iter().map(|h| &h.partition))).copied().collect();
    let empty = Vec::new();
    for p in partitions {
        let (sealed_links, now_links) = (sealed.get(&p).unwrap_or(&empty), now.get(&p).unwrap_or(&empty));
        if let Some((number, count)) = first_mismatch(p, sealed_links, checkpoints) {
            findings.push(Finding::new(Problem::StoreAltered, format!("the stored record of the first {count} sealed events does not give this checkpoint's chain value")).checkpoint(number).in_partition(p));
        }
        let truncated = read_to(p);
        if let Some((number, count)) = first_mismatch(p, now_links, checkpoints) {
            let reading = if truncated.is_some() { " (the log could not be read to the end)" } else { "" };
            findings.push(
                Finding::new(Problem::ChainMismatch, format!("the chain recomputed over the first {count} events of the log does not match this checkpoint{reading}; it and every later one fail"))
                    .checkpoint(number)
                    .in_partition(p),
            );
        }
        findings.extend(locate(p, sealed_links, now_links, truncated));
        let sealed_count = checkpoints.last().and_then(|c| c.head(p)).map_or(0, |h| h.count);
        report.unsealed += (now_links.len() as u64).saturating_sub(sealed_count);
    }
    Ok(report)
}

/// The first checkpoint (number, events covered) whose head of `partition` the chain over
/// `links` does not reproduce.
fn first_mismatch(partition: u32, links: &[Link], checkpoints: &[Checkpoint]) -> Option<(u64, u64)> {
    let mut wanted: Vec<(u64, &crate::checkpoint::PartitionHead)> = checkpoints.iter().filter_map(|c| c.head(partition).map(|h| (c.sealed.number, h))).collect();
    wanted.sort_by_key(|(n, h)| (h.count, *n));
    let mut head = ChainHead::default();
    let mut links = links.iter();
    for (number, sealed) in wanted {
        while head.count < sealed.count {
            match links.next() {
                Some(link) => head.push(link),
                None => return Some((number, sealed.count)),
            }
        }
        if !sealed.matches(&head) {
            return Some((number, sealed.count));
        }
    }
    None
}
