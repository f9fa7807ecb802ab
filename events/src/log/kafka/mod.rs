//! The Kafka event log: one topic, partitioned by stream id, written in transactions by an
//! idempotent producer (`acks=all`, zstd) and read with `read_committed` consumers.
//!
//! Records follow the CloudEvents Kafka binding in binary mode (`ce_*` headers, the payload as
//! the value, the stream id as the key), so `kcat` or any CloudEvents consumer reads them.
//! The topic is created with unlimited retention: the log is the source of truth.

mod admin;
mod codec;
mod group;
mod reader;
mod writer;

use super::{AppendBatch, Appended, EventLog, Position, RecordedEvent, StreamId, Subscription};
use crate::{Error, Result};
use async_trait::async_trait;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use tokio::sync::oneshot;

pub use codec::CE_PREFIX;
pub use group::GroupMember;

/// Partitions of a newly created topic: enough for a dozen agents or projectors to share it.
pub const DEFAULT_PARTITIONS: u32 = 12;

/// Where and how to reach the topic.
#[derive(Clone, Debug)]
pub struct KafkaConfig {
    /// `host:port` list of brokers.
    pub bootstrap: String,
    /// The event topic.
    pub topic: String,
    /// Partition count used when the topic is created (an existing topic keeps its own).
    pub partitions: u32,
    /// Replication factor used when the topic is created.
    pub replication: i32,
    /// Transactional id of this writer: one live writer per id (a newer one fences the older).
    pub writer_id: String,
    /// Largest payload accepted, in bytes.
    pub max_event_bytes: usize,
}

impl KafkaConfig {
    /// Defaults for a topic on the given brokers.
    pub fn new(bootstrap: &str, topic: &str) -> Self {
        KafkaConfig {
            bootstrap: bootstrap.to_string(),
            topic: topic.to_string(),
            partitions: DEFAULT_PARTITIONS,
            replication: 1,
            writer_id: format!("netraven-writer-{topic}"),
            max_event_bytes: super::DEFAULT_MAX_EVENT_BYTES,
        }
    }
}

/// The Kafka-backed event log.
pub struct KafkaLog {
    config: KafkaConfig,
    requests: Mutex<Option<mpsc::Sender<writer::Request>>>,
    /// Per partition, the offset after this log's last acknowledged append: reads wait for it.
    acked: Vec<AtomicU64>,
}

impl KafkaLog {
    /// Creates the topic if needed, starts the transactional writer and fences older writers
    /// with the same `writer_id`.
    pub async fn connect(mut config: KafkaConfig) -> Result<Self> {
        config.partitions = admin::ensure_topic(&config).await?;
        let writer_config = config.clone();
        let writer = tokio::task::spawn_blocking(move || writer::Writer::start(writer_config))
            .await
            .map_err(|e| Error::Kafka(format!("writer start failed: {e}")))??;
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("netraven-kafka-writer".into())
            .spawn(move || writer.run(rx))?;
        let acked = (0..config.partitions).map(|_| AtomicU64::new(0)).collect();
        Ok(KafkaLog { config, requests: Mutex::new(Some(tx)), acked })
    }

    /// The configuration in use (with the topic's real partition count).
    pub fn config(&self) -> &KafkaConfig {
        &self.config
    }

    /// Joins consumer group `group` (scale-out: members share the partitions).
    pub fn join_group(&self, group: &str) -> Result<GroupMember> {
        GroupMember::join(&self.config, group)
    }

    /// The offset after this log's last acknowledged append to `partition` (0: none).
    fn acked_end(&self, partition: u32) -> u64 {
        self.acked.get(partition as usize).map_or(0, |end| end.load(Ordering::Relaxed))
    }

    /// Stops accepting appends; appends already queued still complete.
    pub fn close(&self) {
        self.requests.lock().expect("writer handle poisoned").take();
    }
}

#[async_trait]
impl EventLog for KafkaLog {
    async fn append(&self, batch: AppendBatch) -> Result<Vec<Appended>> {
        batch.check_not_empty()?;
        // Encoding happens here, on the caller's task, so the writer thread only produces.
        let (partitions, max) = (self.config.partitions, self.config.max_event_bytes);
        let events = batch.events.iter().map(|e| codec::encode(e, partitions, max)).collect::<Result<Vec<_>>>()?;
        let (reply, answer) = oneshot::channel();
        let request = writer::Request { events, expectations: batch.expectations, reply };
        let sender = self.requests.lock().expect("writer handle poisoned").clone();
        sender.ok_or(Error::Closed)?.send(request).map_err(|_| Error::Closed)?;
        let appended = answer.await.map_err(|_| Error::Closed)??;
        for a in &appended {
            if let Some(end) = self.acked.get(a.partition as usize) {
                end.fetch_max(a.offset + 1, Ordering::Relaxed);
            }
        }
        Ok(appended)
    }

    async fn read_stream(&self, stream: &StreamId, from_version: u64) -> Result<Vec<RecordedEvent>> {
        let config = self.config.clone();
        let stream = stream.clone();
        let partition = codec::partition_of(&stream, config.partitions);
        let must_reach = self.acked_end(partition);
        tokio::task::spawn_blocking(move || {
            let mut events = Vec::new();
            reader::scan_partition(&config, partition, 0, must_reach, |msg| {
                use rdkafka::Message;
                if msg.key() != Some(stream.as_str().as_bytes())
                    || codec::stream_version(msg).is_none_or(|v| v < from_version)
                {
                    return Ok(());
                }
                let event = codec::decode(msg)?;
                events.push(RecordedEvent { partition, offset: msg.offset() as u64, event });
                Ok(())
            })?;
            Ok(events)
        })
        .await
        .map_err(|e| Error::Kafka(format!("reader task failed: {e}")))?
    }

    async fn read_all(&self, from: Position) -> Result<Subscription> {
        let acked = (0..self.config.partitions).map(|p| self.acked_end(p)).collect();
        Ok(reader::feed(self.config.clone(), from, Some(acked)))
    }

    async fn subscribe(&self, from: Position) -> Result<Subscription> {
        Ok(reader::feed(self.config.clone(), from, None))
    }

    async fn head(&self) -> Result<Position> {
        let config = self.config.clone();
        tokio::task::spawn_blocking(move || {
            let consumer = reader::consumer(&config)?;
            let mut position = Position::start();
            for (partition, end) in reader::high_watermarks(&consumer, &config)? {
                position.set(partition, end);
            }
            Ok(position)
        })
        .await
        .map_err(|e| Error::Kafka(format!("reader task failed: {e}")))?
    }
}
