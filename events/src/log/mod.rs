//! The `EventLog` contract: atomic batch appends with optimistic concurrency, stream reads,
//! catch-up-then-live subscriptions, and positions a reader can store and resume from.
//!
//! Two backends implement it and pass one shared test suite: [`embedded`] (SQLite, the
//! default) and `kafka` (Apache Kafka, behind the `kafka` feature).

pub mod embedded;
#[cfg(feature = "kafka")]
pub mod kafka;
mod position;
mod subscription;

pub use position::Position;
pub use subscription::Subscription;

use crate::{Error, Event, Result};
use async_trait::async_trait;
use std::fmt;

/// Largest encoded event the backends accept by default (a 20 MB configuration fits with room).
pub const DEFAULT_MAX_EVENT_BYTES: usize = 48 * 1024 * 1024;

/// Names a stream: the ordered history of one aggregate (`job-<uuid>`, `device-<uuid>`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StreamId(String);

impl StreamId {
    /// Wraps a stream name.
    pub fn new(name: impl Into<String>) -> Self {
        StreamId(name.into())
    }

    /// The stream name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a writer expects a stream's current version to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedVersion {
    /// No check.
    Any,
    /// The stream must not exist yet (version 0).
    NoStream,
    /// The stream's last event must have exactly this version (0 means "no stream").
    Exact(u64),
}

impl ExpectedVersion {
    /// Checks a stream's actual version against this expectation.
    pub fn check(self, stream: &StreamId, actual: u64) -> Result<()> {
        let ok = match self {
            ExpectedVersion::Any => true,
            ExpectedVersion::NoStream => actual == 0,
            ExpectedVersion::Exact(v) => actual == v,
        };
        if ok {
            return Ok(());
        }
        Err(Error::Conflict {
            stream: stream.to_string(),
            expected: match self {
                ExpectedVersion::NoStream => "no stream".into(),
                ExpectedVersion::Exact(v) => v.to_string(),
                ExpectedVersion::Any => "any".into(),
            },
            actual: if actual == 0 { "no stream".into() } else { actual.to_string() },
        })
    }
}

/// Events to append together: all are written, or none is.
#[derive(Clone, Debug, Default)]
pub struct AppendBatch {
    /// The events, in order; each goes to its own stream (`Event::stream_id`).
    pub events: Vec<Event>,
    /// Version checks that must all hold, or nothing is written (`Error::Conflict`).
    pub expectations: Vec<(StreamId, ExpectedVersion)>,
}

impl AppendBatch {
    /// A batch of events with no version checks.
    pub fn new(events: Vec<Event>) -> Self {
        AppendBatch { events, expectations: Vec::new() }
    }

    /// Refuses an empty batch (nothing to append is a caller's mistake).
    pub(crate) fn check_not_empty(&self) -> Result<()> {
        if self.events.is_empty() {
            return Err(Error::Invalid("an append needs at least one event".into()));
        }
        Ok(())
    }

    /// Adds a version check.
    pub fn expect(mut self, stream: StreamId, version: ExpectedVersion) -> Self {
        self.expectations.push((stream, version));
        self
    }
}

/// Where one appended event landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Appended {
    /// Its version in its stream.
    pub stream_version: u64,
    /// Partition (always 0 on the embedded store).
    pub partition: u32,
    /// Offset within the partition (the global position on the embedded store).
    pub offset: u64,
}

/// An event as stored, with its place in the log.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedEvent {
    /// Partition (always 0 on the embedded store).
    pub partition: u32,
    /// Offset within the partition.
    pub offset: u64,
    /// The event, with its stream version set.
    pub event: Event,
}

/// Event types (CloudEvents `type`) a reader does not want.
pub type SkipTypes = &'static [&'static str];

/// The log NetRaven's state is derived from.
#[async_trait]
pub trait EventLog: Send + Sync {
    /// Appends a batch atomically and durably; returns where each event landed, in order.
    async fn append(&self, batch: AppendBatch) -> Result<Vec<Appended>>;

    /// Reads one stream's events with version ≥ `from_version`, in order.
    async fn read_stream(&self, stream: &StreamId, from_version: u64) -> Result<Vec<RecordedEvent>>;

    /// Reads every event after `from` that was in the log when called, then ends.
    async fn read_all(&self, from: Position) -> Result<Subscription>;

    /// Reads every event after `from`, then follows new events as they are appended.
    async fn subscribe(&self, from: Position) -> Result<Subscription>;

    /// [`EventLog::read_all`] without the events of the `skip` types, which a backend leaves
    /// undecoded where it can (a reader that never folds large outputs need not parse them).
    /// On Kafka the position moves past skipped events too; the embedded store's one partition
    /// is in log order, so there a delivered event already covers everything before it.
    async fn read_all_skipping(&self, from: Position, skip: SkipTypes) -> Result<Subscription> {
        Ok(self.read_all(from).await?.skipping(skip))
    }

    /// [`EventLog::subscribe`] without the events of the `skip` types (see
    /// [`EventLog::read_all_skipping`]).
    async fn subscribe_skipping(&self, from: Position, skip: SkipTypes) -> Result<Subscription> {
        Ok(self.subscribe(from).await?.skipping(skip))
    }

    /// The position just after the last event currently in the log.
    async fn head(&self) -> Result<Position>;
}
