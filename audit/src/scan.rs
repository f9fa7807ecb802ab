//! Reads the whole log in batches and hands each batch to a consumer on the blocking pool, so
//! hashing, folding and writing output never run on the async workers.

use crate::Result;
use netraven_events::{EventLog, Position, RecordedEvent};

/// How many events go to the blocking pool at once.
const BATCH: usize = 512;
/// How many payload bytes (roughly) go to the blocking pool at once.
const BATCH_BYTES: usize = 8 * 1024 * 1024;

/// One item of the log as read: an event, or the reason the log could not be read further
/// (a read error ends the scan after it is delivered).
pub type Item = std::result::Result<RecordedEvent, netraven_events::Error>;

/// Reads every event after `from` that is in the log now, calling `consume` for each on the
/// blocking pool with `state`; returns the state at the end.
pub async fn scan<S, F>(log: &dyn EventLog, from: Position, mut state: S, consume: F) -> Result<S>
where
    S: Send + 'static,
    F: Fn(&mut S, Item) -> Result<()> + Send + Sync + Copy + 'static,
{
    let mut sub = log.read_all(from).await?;
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH);
    let mut bytes = 0;
    loop {
        let next = sub.next().await;
        let done = match next {
            None => true,
            Some(item) => {
                let failed = item.is_err();
                bytes += item.as_ref().map(size_hint).unwrap_or(0);
                batch.push(item);
                failed
            }
        };
        if done || batch.len() >= BATCH || bytes >= BATCH_BYTES {
            let items = std::mem::take(&mut batch);
            bytes = 0;
            state = tokio::task::spawn_blocking(move || {
                for item in items {
                    consume(&mut state, item)?;
                }
                Ok::<_, crate::AuditError>(state)
            })
            .await??;
        }
        if done {
            return Ok(state);
        }
    }
}

/// A cheap estimate of an event's size, to bound a batch's memory.
fn size_hint(recorded: &RecordedEvent) -> usize {
    match &recorded.event.data {
        netraven_events::EventData::ConfigCaptured(c) => c.content.len(),
        netraven_events::EventData::CommandOutputCaptured(c) => c.output.len(),
        _ => 512,
    }
}
