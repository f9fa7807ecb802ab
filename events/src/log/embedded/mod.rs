//! The embedded event log: one SQLite file and its bodies file, no server. EventStoreDB-like
//! semantics: named streams, expected-version appends, a global position and catch-up
//! subscriptions.
//!
//! Appends go to one writer thread that group-commits them (see `writer`); an append is
//! acknowledged only after the syncer thread has fsynced its commit (see `durable`), and no
//! reader sees an event before that. Reads use their own connections off the async runtime.
//! Live subscribers are woken by the syncer at once; a slow poll also picks up events another
//! process appended to the same file.

mod bodies;
mod durable;
mod store;
mod writer;

use super::subscription::READ_AHEAD;
use super::{AppendBatch, Appended, EventLog, Position, RecordedEvent, SkipTypes, StreamId, Subscription};
use crate::{Error, Result};
use async_trait::async_trait;
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;
use tokio::sync::{oneshot, watch};

/// How often a live subscriber looks for events appended by another process.
const FOREIGN_WRITER_POLL: Duration = Duration::from_millis(500);

/// The SQLite-backed event log.
#[derive(Clone)]
pub struct EmbeddedLog {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    requests: Mutex<Option<mpsc::Sender<writer::Request>>>,
    max_event_bytes: usize,
    head: watch::Receiver<u64>,
    durable: Arc<durable::Durable>,
    /// The bodies file, for positioned reads from any thread.
    bodies: std::fs::File,
    readers: Mutex<Vec<Connection>>,
}

impl EmbeddedLog {
    /// Opens (creating if needed) the log file at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with_limit(path, super::DEFAULT_MAX_EVENT_BYTES)
    }

    /// Opens the log with a custom limit on the encoded size of one event.
    pub fn open_with_limit(path: impl AsRef<Path>, max_event_bytes: usize) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let conn = store::open(&path, store::Role::Writer)?;
        let bodies = bodies::open(&path)?;
        let dropped = store::drop_torn_tail(&conn, &bodies)?;
        if dropped > 0 {
            tracing::warn!(dropped, path = %path.display(), "dropped unacknowledged events whose bodies a crash tore");
        }
        let last = store::last_position(&conn)?;
        let durable = Arc::new(durable::Durable::new(&path, bodies.try_clone()?));
        // What an earlier process committed but had not fsynced yet is durable from here on.
        durable.ensure(last)?;
        let (head_tx, head_rx) = watch::channel(last);
        let (tx, rx) = mpsc::channel();
        let (committed_tx, committed_rx) = mpsc::channel();
        let (nudge, nudges) = mpsc::sync_channel(1);
        let checkpoint_conn = store::open(&path, store::Role::Checkpointer)?;
        std::thread::Builder::new()
            .name("netraven-embedded-checkpointer".into())
            .spawn(move || writer::checkpointer(checkpoint_conn, nudges))?;
        let syncing = durable.clone();
        std::thread::Builder::new()
            .name("netraven-embedded-syncer".into())
            .spawn(move || durable::syncer(&syncing, committed_rx, head_tx, nudge))?;
        let appender = bodies::Appender::new(bodies.try_clone()?);
        let marks = durable.clone();
        std::thread::Builder::new()
            .name("netraven-embedded-writer".into())
            .spawn(move || writer::run(conn, appender, &marks, rx, committed_tx))?;
        Ok(EmbeddedLog {
            inner: Arc::new(Inner {
                path,
                requests: Mutex::new(Some(tx)),
                max_event_bytes,
                head: head_rx,
                durable,
                bodies,
                readers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Stops accepting appends; appends already queued still complete.
    pub fn close(&self) {
        self.inner.requests.lock().expect("writer handle poisoned").take();
    }

    /// Runs `f` with a pooled read connection on the blocking thread pool.
    async fn with_reader<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &std::fs::File) -> Result<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = inner.readers.lock().expect("reader pool poisoned").pop();
            let conn = match pooled {
                Some(conn) => conn,
                None => store::open(&inner.path, store::Role::Reader)?,
            };
            let result = f(&conn, &inner.bodies);
            inner.readers.lock().expect("reader pool poisoned").push(conn);
            result
        })
        .await
        .map_err(|e| Error::Invalid(format!("reader task failed: {e}")))?
    }

    /// The position of the last event in the file, made durable if it was not yet (another
    /// process's commit, or one of ours whose fsync is under way).
    async fn durable_head(&self) -> Result<u64> {
        let durable = self.inner.durable.clone();
        self.with_reader(move |c, _| {
            let last = store::last_position(c)?;
            durable.ensure(last)?;
            Ok(last)
        })
        .await
    }

    /// Feeds events from `from`, leaving out the `skip` types; ends after position `stop_at` if
    /// given, else follows the log.
    fn feed(&self, from: Position, stop_at: Option<u64>, skip: SkipTypes) -> Subscription {
        let log = self.clone();
        Subscription::spawn(from.clone(), move |tx| async move {
            let mut next = from.next_offset(0);
            let mut head = log.inner.head.clone();
            head.mark_unchanged();
            loop {
                let upto = log.inner.durable.mark();
                let page = log.with_reader(move |c, b| store::read_page(c, b, next, upto, READ_AHEAD, skip)).await;
                let page = match page {
                    Ok(page) => page,
                    Err(err) => {
                        let _ = tx.send(Err(err)).await;
                        return;
                    }
                };
                let caught_up = page.len() < READ_AHEAD;
                for recorded in page {
                    if stop_at.is_some_and(|stop| recorded.offset > stop) {
                        return;
                    }
                    next = recorded.offset + 1;
                    if tx.send(Ok(recorded)).await.is_err() {
                        return;
                    }
                }
                if !caught_up {
                    continue;
                }
                // Every event up to `upto` was read or skipped.
                next = next.max(upto + 1);
                if stop_at.is_some() {
                    return;
                }
                tokio::select! {
                    changed = head.changed() => if changed.is_err() { return },
                    _ = tokio::time::sleep(FOREIGN_WRITER_POLL) => if let Err(err) = log.durable_head().await {
                        let _ = tx.send(Err(err)).await;
                        return;
                    },
                    _ = tx.closed() => return,
                }
            }
        })
    }
}

#[async_trait]
impl EventLog for EmbeddedLog {
    async fn append(&self, batch: AppendBatch) -> Result<Vec<Appended>> {
        batch.check_not_empty()?;
        // Encoding happens here, on the caller's task, so the writer thread only writes.
        let events = batch
            .events
            .iter()
            .map(|event| {
                let body = event.to_json()?;
                if body.len() > self.inner.max_event_bytes {
                    return Err(Error::TooLarge { size: body.len(), limit: self.inner.max_event_bytes });
                }
                Ok(writer::Encoded { stream: event.stream_id.clone(), event_type: event.event_type(), body })
            })
            .collect::<Result<Vec<_>>>()?;
        let (reply, answer) = oneshot::channel();
        let request = writer::Request { events, expectations: batch.expectations, reply };
        let sender = self.inner.requests.lock().expect("writer handle poisoned").clone();
        sender.ok_or(Error::Closed)?.send(request).map_err(|_| Error::Closed)?;
        answer.await.map_err(|_| Error::Closed)?
    }

    async fn read_stream(&self, stream: &StreamId, from_version: u64) -> Result<Vec<RecordedEvent>> {
        let stream = stream.clone();
        let durable = self.inner.durable.clone();
        self.with_reader(move |c, b| {
            let events = store::read_stream(c, b, &stream, from_version)?;
            durable.ensure(events.iter().map(|e| e.offset).max().unwrap_or(0))?;
            Ok(events)
        })
        .await
    }

    async fn read_all(&self, from: Position) -> Result<Subscription> {
        self.read_all_skipping(from, &[]).await
    }

    async fn subscribe(&self, from: Position) -> Result<Subscription> {
        self.subscribe_skipping(from, &[]).await
    }

    async fn read_all_skipping(&self, from: Position, skip: SkipTypes) -> Result<Subscription> {
        let last = self.durable_head().await?;
        Ok(self.feed(from, Some(last), skip))
    }

    async fn subscribe_skipping(&self, from: Position, skip: SkipTypes) -> Result<Subscription> {
        Ok(self.feed(from, None, skip))
    }

    async fn head(&self) -> Result<Position> {
        let last = self.durable_head().await?;
        let mut position = Position::start();
        position.set(0, last + 1);
        Ok(position)
    }
}
