//! Feeds an indexer from the event log: follows a live subscription, or replays the log for a
//! rebuild. Event context is learned on the async side; Tantivy writes and commits run on the
//! blocking pool, one batch at a time.

use crate::compaction::Compaction;
use crate::document::Prepared;
use crate::indexer::{Indexer, IndexerSettings};
use crate::{Error, Result};
use futures::FutureExt;
use netraven_events::{EventLog, Position, RecordedEvent, Subscription};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

/// Most events handed to the blocking pool at once.
const BATCH: usize = 1024;

impl Indexer {
    /// Follows `log` from this indexer's position until `shutdown` resolves (or the log closes),
    /// committing in batches; commits what is pending before returning the indexer.
    pub async fn run(self, log: Arc<dyn EventLog>, shutdown: impl Future<Output = ()>) -> Result<Indexer> {
        let subscription = log.subscribe(self.position().clone()).await?;
        drive(self, log.as_ref(), subscription, shutdown, |_| {}).await
    }

    /// Applies every event in `log` after this indexer's position (the log's content when
    /// called), calling `progress` after each batch, then commits and returns the indexer.
    pub async fn catch_up(self, log: Arc<dyn EventLog>, progress: impl FnMut(&Position)) -> Result<Indexer> {
        let subscription = log.read_all(self.position().clone()).await?;
        drive(self, log.as_ref(), subscription, std::future::pending(), progress).await
    }
}

/// `netraven projector --rebuild`: deletes the index in `dir`, replays the whole log into a new
/// one (reporting the position after each batch) and commits; then starts merging its segments
/// ([`Indexer::compact`]). Returns the indexer to [`Indexer::run`] on, and the merge.
pub async fn rebuild(
    dir: PathBuf,
    settings: IndexerSettings,
    log: Arc<dyn EventLog>,
    progress: impl FnMut(&Position),
) -> Result<(Indexer, Compaction)> {
    let indexer = blocking(move || Indexer::recreate(&dir, settings)).await?;
    let mut indexer = indexer.catch_up(log, progress).await?;
    blocking(move || {
        let compaction = indexer.compact()?;
        Ok((indexer, compaction))
    })
    .await
}

/// The loop shared by `run` and `catch_up`.
async fn drive(
    mut indexer: Indexer,
    log: &dyn EventLog,
    mut subscription: Subscription,
    shutdown: impl Future<Output = ()>,
    mut progress: impl FnMut(&Position),
) -> Result<Indexer> {
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let mut events = Vec::new();
        let mut done = false;
        let interval = indexer.settings().commit_interval;
        tokio::select! {
            biased;
            () = &mut shutdown => done = true,
            item = subscription.next() => match item {
                None => done = true,
                Some(item) => {
                    events.push(item?);
                    while events.len() < BATCH {
                        match subscription.next().now_or_never() {
                            Some(Some(item)) => events.push(item?),
                            Some(None) => { done = true; break; }
                            None => break,
                        }
                    }
                }
            },
            () = tokio::time::sleep(interval), if indexer.is_dirty() => {}
        }
        let batch = prepare(&mut indexer, log, &events).await?;
        indexer = blocking(move || {
            let mut indexer = indexer;
            for prepared in batch {
                indexer.write(prepared)?;
            }
            if done { indexer.commit()? } else { indexer.commit_if_due().map(|_| ())? }
            Ok(indexer)
        })
        .await?;
        progress(indexer.position());
        if done {
            return Ok(indexer);
        }
    }
}

/// Prepares the events not yet applied, first reading the streams of jobs and devices the
/// indexer has not seen (when it resumed in the middle of the log).
async fn prepare(indexer: &mut Indexer, log: &dyn EventLog, events: &[RecordedEvent]) -> Result<Vec<Prepared>> {
    let mut batch = Vec::with_capacity(events.len());
    for recorded in events {
        if indexer.is_applied(recorded) {
            continue;
        }
        loop {
            let missing = indexer.projection_mut().missing_context(&recorded.event.data);
            if missing.is_empty() {
                break;
            }
            for stream in missing {
                for earlier in log.read_stream(&stream, 1).await? {
                    indexer.projection_mut().observe(&earlier.event.data);
                }
                indexer.projection_mut().learned(stream);
            }
        }
        batch.push(indexer.prepare(recorded));
    }
    Ok(batch)
}

/// Runs `work` on the blocking pool.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| Error::Task(e.to_string()))?
}
