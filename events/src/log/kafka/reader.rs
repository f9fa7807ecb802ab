//! Reading the topic: bounded partition scans and catch-up-then-live feeds, each on its own
//! blocking thread with a `BaseConsumer` that reads only committed transactions.

use super::KafkaConfig;
use super::codec::{decode, kafka_err};
use crate::log::{Position, RecordedEvent, Subscription};
use crate::{Error, Result};
use rdkafka::client::ClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::error::KafkaError;
use rdkafka::message::{BorrowedMessage, Message};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const POLL: Duration = Duration::from_millis(100);
const METADATA_TIMEOUT: Duration = Duration::from_secs(30);

/// The readers' client context: reaching the end of a partition is how a bounded scan knows
/// it is done, not an error, so librdkafka's report of it is not logged as one.
pub(crate) struct Reader;

impl ClientContext for Reader {
    fn error(&self, error: KafkaError, reason: &str) {
        if error.rdkafka_error_code() != Some(RDKafkaErrorCode::PartitionEOF) {
            tracing::error!(%error, reason, "kafka reader error");
        }
    }
}

impl ConsumerContext for Reader {}

/// A consumer that reads committed records only and never joins a group or commits offsets.
pub(crate) fn consumer(config: &KafkaConfig) -> Result<BaseConsumer<Reader>> {
    let mut cc = ClientConfig::new();
    cc.set("bootstrap.servers", &config.bootstrap)
        .set("group.id", format!("netraven-reader-{}", uuid::Uuid::now_v7()))
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "true")
        .set("isolation.level", "read_committed")
        .set("fetch.message.max.bytes", (config.max_event_bytes + (1 << 20)).to_string())
        .set("receive.message.max.bytes", (2 * config.max_event_bytes + (1 << 20)).to_string());
    cc.create_with_context(Reader).map_err(kafka_err)
}

/// The next offset past the end of each partition right now (its high watermark).
pub(crate) fn high_watermarks(consumer: &BaseConsumer<Reader>, config: &KafkaConfig) -> Result<HashMap<u32, u64>> {
    (0..config.partitions).map(|p| Ok((p, watermark(consumer, config, p)?))).collect()
}

/// The high watermark of `partition`, asking again for a few seconds while the partition's
/// leader moves or is not yet elected (a topic created a moment ago).
fn watermark(consumer: &BaseConsumer<Reader>, config: &KafkaConfig, partition: u32) -> Result<u64> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match consumer.fetch_watermarks(&config.topic, partition as i32, METADATA_TIMEOUT) {
            Ok((_, high)) => return Ok(high.max(0) as u64),
            Err(err) if Instant::now() < deadline && matches!(err.rdkafka_error_code(), Some(RDKafkaErrorCode::NotLeaderForPartition | RDKafkaErrorCode::LeaderNotAvailable | RDKafkaErrorCode::UnknownTopicOrPartition)) => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(err) => return Err(kafka_err(err)),
        }
    }
}

/// Visits every committed record of `partition` from `start` up to its current end, and at
/// least up to `must_reach` (see [`scan_with`]).
pub(crate) fn scan_partition(
    config: &KafkaConfig,
    partition: u32,
    start: u64,
    must_reach: u64,
    visit: impl FnMut(&BorrowedMessage<'_>) -> Result<()>,
) -> Result<()> {
    scan_with(&consumer(config)?, config, partition, start, must_reach, visit).map(|_| ())
}

/// Visits, with `consumer`, every committed record of `partition` from `start` up to its end
/// right now; returns where to start next time (before any record an open transaction holds
/// back).
///
/// Records before `must_reach` are known committed (this process's acknowledged appends): the
/// scan waits for them. The broker acknowledges a commit before it has written the markers that
/// make the records readable, so a scan right after an append could otherwise stop short.
pub(crate) fn scan_with(
    consumer: &BaseConsumer<Reader>,
    config: &KafkaConfig,
    partition: u32,
    start: u64,
    must_reach: u64,
    mut visit: impl FnMut(&BorrowedMessage<'_>) -> Result<()>,
) -> Result<u64> {
    let end = watermark(consumer, config, partition)?.max(must_reach);
    if start >= end {
        return Ok(end);
    }
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(&config.topic, partition as i32, Offset::Offset(start as i64))
        .map_err(kafka_err)?;
    consumer.assign(&tpl).map_err(kafka_err)?;
    let mut next = start;
    loop {
        match consumer.poll(METADATA_TIMEOUT) {
            None => return Err(Error::Kafka(format!("timed out reading partition {partition}"))),
            Some(Err(KafkaError::PartitionEOF(p))) if p == partition as i32 && next >= must_reach => return Ok(next),
            Some(Err(KafkaError::PartitionEOF(_))) => {}
            Some(Err(e)) => return Err(kafka_err(e)),
            // A record of an earlier assignment still in the client's queue.
            Some(Ok(msg)) if msg.partition() != partition as i32 || (msg.offset() as u64) < start => {}
            Some(Ok(msg)) => {
                visit(&msg)?;
                next = msg.offset() as u64 + 1;
                if next >= end {
                    return Ok(end);
                }
            }
        }
    }
}

/// Feeds every partition from `from`. With `must_reach` (per partition, offsets known committed:
/// see [`scan_with`]) it stops at the ends seen at the start, and not before those offsets;
/// without, it follows the log.
pub(crate) fn feed(config: KafkaConfig, from: Position, must_reach: Option<Vec<u64>>) -> Subscription {
    Subscription::spawn(from.clone(), move |tx| async move {
        let result = tokio::task::spawn_blocking(move || {
            let outcome = run_feed(&config, &from, must_reach, &tx);
            if let Err(err) = outcome {
                let _ = tx.blocking_send(Err(err));
            }
        })
        .await;
        if let Err(err) = result {
            tracing::error!(error = %err, "kafka feed thread failed");
        }
    })
}

fn run_feed(
    config: &KafkaConfig,
    from: &Position,
    must_reach: Option<Vec<u64>>,
    tx: &mpsc::Sender<Result<RecordedEvent>>,
) -> Result<()> {
    let consumer = consumer(config)?;
    let bounded = must_reach.is_some();
    let must_reach = |p: u32| must_reach.as_ref().and_then(|m| m.get(p as usize).copied()).unwrap_or(0);
    let ends = match bounded {
        true => Some(high_watermarks(&consumer, config)?.into_iter().map(|(p, end)| (p, end.max(must_reach(p)))).collect::<HashMap<_, _>>()),
        false => None,
    };
    let mut next: HashMap<u32, u64> = (0..config.partitions).map(|p| (p, from.next_offset(p))).collect();
    let mut open: Vec<u32> = (0..config.partitions)
        .filter(|p| ends.as_ref().is_none_or(|e| e[p] > from.next_offset(*p)))
        .collect();
    if bounded && open.is_empty() {
        return Ok(());
    }
    let mut tpl = TopicPartitionList::new();
    for p in 0..config.partitions {
        let offset = Offset::Offset(from.next_offset(p) as i64);
        tpl.add_partition_offset(&config.topic, p as i32, offset).map_err(kafka_err)?;
    }
    consumer.assign(&tpl).map_err(kafka_err)?;
    let mut idle_since = Instant::now();
    loop {
        if tx.is_closed() {
            return Ok(());
        }
        match consumer.poll(POLL) {
            None => {
                if bounded && idle_since.elapsed() > METADATA_TIMEOUT {
                    return Err(Error::Kafka("timed out catching up".into()));
                }
            }
            Some(Err(KafkaError::PartitionEOF(p))) => {
                let p = p as u32;
                if bounded && next.get(&p).is_some_and(|n| *n >= must_reach(p)) {
                    open.retain(|o| *o != p);
                }
            }
            Some(Err(e)) => return Err(kafka_err(e)),
            Some(Ok(msg)) => {
                idle_since = Instant::now();
                let partition = msg.partition() as u32;
                let offset = msg.offset() as u64;
                next.insert(partition, offset + 1);
                if let Some(ends) = &ends {
                    if offset >= ends[&partition] {
                        open.retain(|o| *o != partition);
                        continue;
                    }
                    if offset + 1 >= ends[&partition] {
                        open.retain(|o| *o != partition);
                    }
                }
                let recorded = decode(&msg).map(|event| RecordedEvent { partition, offset, event });
                let failed = recorded.is_err();
                if tx.blocking_send(recorded).is_err() || failed {
                    return Ok(());
                }
            }
        }
        if bounded && open.is_empty() {
            return Ok(());
        }
    }
}
