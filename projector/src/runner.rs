//! The projector service: catches up with the log in large batches, then follows it live,
//! all SQLite work on the blocking pool; and `rebuild`, which replays the log into empty views.

use crate::status::{Lag, Status};
use crate::{Error, Result, ViewStore, read};
use futures::FutureExt;
use netraven_events::{EventLog, Position, RecordedEvent, Subscription};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

/// Events applied per transaction at most (fewer when the log has fewer waiting).
pub const DEFAULT_BATCH: usize = 10_000;

/// How far a catch-up has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Events read and committed so far (duplicates included).
    pub done: u64,
    /// Events in the log when the catch-up started (an estimate; never below `done`).
    pub total: u64,
}

/// Applies the event log to the SQLite views, exactly once.
pub struct Projector {
    store: ViewStore,
    path: PathBuf,
    batch_size: usize,
}

type Shutdown<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

impl Projector {
    /// Opens (creating if needed) the view database at `path`. Blocking: call it before the
    /// runtime starts or inside `spawn_blocking`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        Ok(Projector { store: ViewStore::open(&path)?, path, batch_size: DEFAULT_BATCH })
    }

    /// Sets the largest number of events per transaction.
    pub fn with_batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size.max(1);
        self
    }

    /// The view database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How far the views are behind `log`.
    pub async fn lag(&self, log: &dyn EventLog) -> Result<Lag> {
        lag(&self.path, log).await
    }

    /// Applies every event from the stored position on: first the backlog in large batches,
    /// then new events as they are appended, until `shutdown` completes or the log closes.
    pub async fn run(self, log: Arc<dyn EventLog>, shutdown: impl Future<Output = ()> + Send) -> Result<()> {
        let mut shutdown: Shutdown<'_> = Box::pin(shutdown);
        let head = log.head().await?;
        let Some(store) = catch_up(self.store, &*log, &head, self.batch_size, &mut shutdown, |_| {}).await? else {
            return Ok(());
        };
        let (store, from) = blocking(store, |s| s.position()).await?;
        tracing::info!(position = %from, "projector caught up; following the log");
        let mut live = log.subscribe(from).await?;
        pump(store, &mut live, Fill::Ready(self.batch_size), &mut shutdown, |_| {}).await?;
        Ok(())
    }
}

/// Drops the views at `path` and replays the whole log into them, calling `progress` after
/// each committed batch; the read indexes are built once at the end. Returns the final progress.
pub async fn rebuild(path: impl AsRef<Path>, log: Arc<dyn EventLog>, mut progress: impl FnMut(Progress) + Send) -> Result<Progress> {
    let path = path.as_ref().to_path_buf();
    let store = worker(tokio::task::spawn_blocking(move || {
        let mut store = ViewStore::open(&path)?;
        store.reset()?;
        Ok(store)
    }))
    .await?;
    let head = log.head().await?;
    let total: u64 = head.partitions().map(|(_, next)| next).sum();
    let mut done = 0u64;
    let mut never: Shutdown<'_> = Box::pin(std::future::pending());
    let store = catch_up(store, &*log, &head, DEFAULT_BATCH, &mut never, |n| {
        done += n;
        progress(Progress { done, total: total.max(done) });
    })
    .await?
    .ok_or_else(|| Error::Worker("the replay stopped without a shutdown".into()))?;
    blocking(store, |s| s.build_read_indexes()).await?;
    let last = Progress { done, total: done };
    progress(last);
    Ok(last)
}

/// How far the views at `path` are behind `log`.
pub async fn lag(path: &Path, log: &dyn EventLog) -> Result<Lag> {
    let path = path.to_path_buf();
    let status = worker(tokio::task::spawn_blocking(move || Status::read(&read::open(&path)?))).await?;
    Lag::new(status, &log.head().await?)
}

/// Reads everything up to `head` (read before the catch-up started) and records it;
/// `None` if `shutdown` came first.
async fn catch_up(
    store: ViewStore,
    log: &dyn EventLog,
    head: &Position,
    batch: usize,
    shutdown: &mut Shutdown<'_>,
    on_commit: impl FnMut(u64),
) -> Result<Option<ViewStore>> {
    let (store, from) = blocking(store, |s| s.position()).await?;
    let mut backlog = log.read_all(from).await?;
    let Some(store) = pump(store, &mut backlog, Fill::Full(batch), shutdown, on_commit).await? else { return Ok(None) };
    let head = head.clone();
    Ok(Some(blocking(store, move |s| s.mark_caught_up(&head)).await?.0))
}

/// How a batch is gathered.
#[derive(Clone, Copy)]
enum Fill {
    /// Wait for this many events (or the end of a bounded read): catching up.
    Full(usize),
    /// Take what is already there, up to this many: following the log live.
    Ready(usize),
}

/// Applies a subscription's events in batches until it ends (`Some`) or `shutdown` (`None`).
/// While one batch is applied on the blocking pool, the next one is gathered.
async fn pump(
    store: ViewStore,
    events: &mut Subscription,
    fill: Fill,
    shutdown: &mut Shutdown<'_>,
    mut on_commit: impl FnMut(u64),
) -> Result<Option<ViewStore>> {
    let mut applying = tokio::task::spawn_blocking(move || Ok(store));
    let mut in_flight = 0u64;
    loop {
        let next = gather(events, fill, shutdown).await;
        let mut store = worker(applying).await?;
        if in_flight > 0 {
            on_commit(in_flight);
        }
        let Some((batch, ended)) = next? else { return Ok(None) };
        if batch.is_empty() {
            return Ok(Some(store));
        }
        in_flight = batch.len() as u64;
        applying = tokio::task::spawn_blocking(move || store.apply_all(&batch).map(|_| store));
        if ended {
            let store = worker(applying).await?;
            on_commit(in_flight);
            return Ok(Some(store));
        }
    }
}

/// The next batch and whether the subscription ended after it; `None` on shutdown.
async fn gather(events: &mut Subscription, fill: Fill, shutdown: &mut Shutdown<'_>) -> Result<Option<(Vec<RecordedEvent>, bool)>> {
    let first = tokio::select! {
        biased;
        _ = shutdown.as_mut() => return Ok(None),
        next = events.next() => next,
    };
    let Some(first) = first else { return Ok(Some((Vec::new(), true))) };
    let mut pending = vec![first?];
    let (batch, wait) = match fill {
        Fill::Full(n) => (n, true),
        Fill::Ready(n) => (n, false),
    };
    while pending.len() < batch {
        let next = if wait { Some(events.next().await) } else { events.next().now_or_never() };
        match next {
            Some(Some(next)) => pending.push(next?),
            Some(None) => return Ok(Some((pending, true))),
            None => break,
        }
    }
    Ok(Some((pending, false)))
}

/// Runs `f` on the store on the blocking pool and hands the store back.
async fn blocking<T: Send + 'static>(
    mut store: ViewStore,
    f: impl FnOnce(&mut ViewStore) -> Result<T> + Send + 'static,
) -> Result<(ViewStore, T)> {
    worker(tokio::task::spawn_blocking(move || f(&mut store).map(|t| (store, t)))).await
}

async fn worker<T>(task: tokio::task::JoinHandle<Result<T>>) -> Result<T> {
    task.await.map_err(|e| Error::Worker(e.to_string()))?
}
