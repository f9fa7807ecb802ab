//! The Kafka writer thread: group-commits concurrent appends in one Kafka transaction and
//! enforces expected versions from a per-partition cache of stream versions.
//!
//! A partition's versions are loaded from the topic on first use. Other writers (other
//! processes, with transactional ids of their own) append to the same streams, so before an
//! expectation is checked the writer catches up with what was committed to that partition since
//! it last looked, once per group commit. A newer writer with the same id fences this one
//! (`Error::Fenced`), and a fenced writer refuses all further appends.

use super::KafkaConfig;
use super::codec::{Encoded, headers, kafka_err, partition_of, stream_version};
use super::reader::{Reader, consumer, scan_with};
use rdkafka::consumer::BaseConsumer;
use crate::log::{Appended, ExpectedVersion, StreamId};
use crate::{Error, Result};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Message, ToBytes};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::{ClientConfig, ClientContext};
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, mpsc};
use std::time::Duration;
use tokio::sync::oneshot;

/// How long a call to the transaction coordinator may take.
const TXN_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the broker lets a transaction stay open before aborting it. A writer killed
/// mid-transaction holds back `read_committed` readers of the partitions it wrote until then,
/// so it is short; an append's transaction lasts milliseconds.
const TXN_LIFETIME: Duration = Duration::from_secs(15);
const GROUP_LIMIT: usize = 20_000;

/// One append waiting for the writer, already encoded by the appending task.
pub(crate) struct Request {
    pub events: Vec<Encoded>,
    pub expectations: Vec<(StreamId, ExpectedVersion)>,
    pub reply: oneshot::Sender<Result<Vec<Appended>>>,
}

/// Collects delivery reports (partition, offset) by record index.
#[derive(Default)]
pub(crate) struct Deliveries(Mutex<Vec<Option<std::result::Result<(u32, u64), String>>>>);

impl ClientContext for Deliveries {}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = Box<usize>;

    fn delivery(&self, result: &DeliveryResult<'_>, index: Box<usize>) {
        let report = match result {
            Ok(msg) => Ok((msg.partition() as u32, msg.offset() as u64)),
            Err((err, _)) => Err(err.to_string()),
        };
        if let Some(slot) = self.0.lock().expect("deliveries poisoned").get_mut(*index) {
            *slot = Some(report);
        }
    }
}

/// An encoded event with the stream version the writer gave it.
struct Prepared<'a> {
    encoded: &'a Encoded,
    stream_version: u64,
}

pub(crate) struct Writer {
    config: KafkaConfig,
    producer: BaseProducer<Deliveries>,
    versions: HashMap<StreamId, u64>,
    /// Per partition, the offset up to which `versions` reflects the topic.
    scanned: HashMap<u32, u64>,
    /// Partitions caught up with during the current group commit.
    fresh: HashSet<u32>,
    reader: BaseConsumer<Reader>,
    fenced: Option<String>,
}

impl Writer {
    /// Creates the transactional producer and fences any older writer with the same id.
    pub(crate) fn start(config: KafkaConfig) -> Result<Self> {
        let producer: BaseProducer<Deliveries> = ClientConfig::new()
            .set("bootstrap.servers", &config.bootstrap)
            .set("transactional.id", &config.writer_id)
            .set("enable.idempotence", "true")
            .set("acks", "all")
            .set("compression.type", "zstd")
            .set("linger.ms", "5")
            // After a commit the coordinator answers CONCURRENT_TRANSACTIONS until the markers
            // are written; librdkafka's default 100 ms back-off would cost that on every append.
            .set("retry.backoff.ms", "5")
            .set("batch.size", "1000000")
            .set("message.max.bytes", (config.max_event_bytes + (1 << 20)).to_string())
            .set("transaction.timeout.ms", TXN_LIFETIME.as_millis().to_string())
            .create_with_context(Deliveries::default())
            .map_err(kafka_err)?;
        producer.init_transactions(TXN_TIMEOUT).map_err(kafka_err)?;
        let reader = consumer(&config)?;
        Ok(Writer { config, producer, versions: HashMap::new(), scanned: HashMap::new(), fresh: HashSet::new(), reader, fenced: None })
    }

    /// Serves requests until every sender is gone.
    pub(crate) fn run(mut self, requests: mpsc::Receiver<Request>) {
        while let Ok(first) = requests.recv() {
            let mut group = vec![first];
            let mut count = group[0].events.len();
            while count < GROUP_LIMIT {
                let Ok(next) = requests.try_recv() else { break };
                count += next.events.len();
                group.push(next);
            }
            self.commit_group(group);
        }
    }

    fn commit_group(&mut self, group: Vec<Request>) {
        self.fresh.clear();
        let mut overlay = HashMap::new();
        let mut accepted = Vec::new();
        for request in group {
            match self.assign_versions(&request, &overlay) {
                Ok((versions, streams)) => {
                    overlay.extend(streams);
                    accepted.push((request, versions));
                }
                Err(err) => {
                    let _ = request.reply.send(Err(err));
                }
            }
        }
        if accepted.is_empty() {
            return;
        }
        let all: Vec<Prepared> = accepted
            .iter()
            .flat_map(|(request, versions)| {
                request.events.iter().zip(versions).map(|(encoded, v)| Prepared { encoded, stream_version: *v })
            })
            .collect();
        match self.produce(&all) {
            Ok(mut locations) => {
                self.versions.extend(overlay);
                for (request, versions) in accepted {
                    let rest = locations.split_off(versions.len());
                    let appended = locations
                        .into_iter()
                        .zip(versions)
                        .map(|((partition, offset), stream_version)| Appended { stream_version, partition, offset })
                        .collect();
                    locations = rest;
                    let _ = request.reply.send(Ok(appended));
                }
            }
            Err(err) => {
                let message = err.to_string();
                let fenced = matches!(err, Error::Fenced(_));
                for (request, _) in accepted {
                    let reply = if fenced { Error::Fenced(message.clone()) } else { Error::Kafka(message.clone()) };
                    let _ = request.reply.send(Err(reply));
                }
            }
        }
    }

    /// Checks a request's expectations and assigns its events' versions; returns them and the
    /// streams' new versions.
    fn assign_versions(&mut self, request: &Request, overlay: &HashMap<StreamId, u64>) -> Result<(Vec<u64>, HashMap<StreamId, u64>)> {
        if let Some(reason) = &self.fenced {
            return Err(Error::Fenced(reason.clone()));
        }
        for (stream, expected) in &request.expectations {
            let partition = partition_of(stream, self.config.partitions);
            if !overlay.contains_key(stream) && self.fresh.insert(partition) {
                self.catch_up(partition)?;
            }
            expected.check(stream, self.current(stream, overlay)?)?;
        }
        let mut mine: HashMap<StreamId, u64> = HashMap::new();
        let mut versions = Vec::with_capacity(request.events.len());
        for encoded in &request.events {
            let version = match mine.get(&encoded.stream) {
                Some(v) => *v,
                None => self.current(&encoded.stream, overlay)?,
            } + 1;
            mine.insert(encoded.stream.clone(), version);
            versions.push(version);
        }
        Ok((versions, mine))
    }

    fn current(&mut self, stream: &StreamId, overlay: &HashMap<StreamId, u64>) -> Result<u64> {
        if let Some(v) = overlay.get(stream) {
            return Ok(*v);
        }
        let partition = partition_of(stream, self.config.partitions);
        if !self.scanned.contains_key(&partition) {
            self.catch_up(partition)?;
        }
        Ok(self.versions.get(stream).copied().unwrap_or(0))
    }

    /// Folds the records committed to `partition` since the last look into the versions.
    fn catch_up(&mut self, partition: u32) -> Result<()> {
        let versions = &mut self.versions;
        let start = self.scanned.get(&partition).copied().unwrap_or(0);
        let next = scan_with(&self.reader, &self.config, partition, start, 0, |msg| {
            if let (Some(key), Some(v)) = (msg.key(), stream_version(msg)) {
                let entry = versions.entry(StreamId::new(String::from_utf8_lossy(key))).or_insert(0);
                *entry = (*entry).max(v);
            }
            Ok(())
        })?;
        self.scanned.insert(partition, next);
        Ok(())
    }

    /// Produces every record in one transaction; returns (partition, offset) per record.
    fn produce(&mut self, records: &[Prepared<'_>]) -> Result<Vec<(u32, u64)>> {
        *self.producer.context().0.lock().expect("deliveries poisoned") = vec![None; records.len()];
        self.producer.begin_transaction().map_err(|e| self.txn_error(e))?;
        for (index, p) in records.iter().enumerate() {
            if let Err(err) = self.send(index, p) {
                let _ = self.producer.abort_transaction(TXN_TIMEOUT);
                return Err(self.txn_error(err));
            }
        }
        if let Err(err) = self.producer.commit_transaction(TXN_TIMEOUT) {
            let _ = self.producer.abort_transaction(TXN_TIMEOUT);
            return Err(self.txn_error(err));
        }
        loop {
            let reports = self.producer.context().0.lock().expect("deliveries poisoned").clone();
            if reports.iter().all(Option::is_some) {
                return reports
                    .into_iter()
                    .map(|r| r.expect("checked").map_err(Error::Kafka))
                    .collect();
            }
            self.producer.poll(Duration::from_millis(10));
        }
    }

    fn send(&self, index: usize, p: &Prepared<'_>) -> std::result::Result<(), KafkaError> {
        let key = p.encoded.stream.as_str();
        let mut record = BaseRecord::with_opaque_to(&self.config.topic, Box::new(index))
            .partition(p.encoded.partition as i32)
            .key(key)
            .payload(p.encoded.payload.to_bytes())
            .headers(headers(p.encoded, p.stream_version));
        loop {
            match self.producer.send(record) {
                Ok(()) => return Ok(()),
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    record = back;
                    self.producer.poll(Duration::from_millis(50));
                }
                Err((err, _)) => return Err(err),
            }
        }
    }

    /// Classifies a transaction error; a fatal one (fencing) makes this writer refuse all appends.
    fn txn_error(&mut self, err: KafkaError) -> Error {
        let fatal = match &err {
            KafkaError::Transaction(e) => e.is_fatal(),
            _ => false,
        } || err.rdkafka_error_code() == Some(RDKafkaErrorCode::Fatal);
        // Versions cached from this writer's point of view can no longer be trusted.
        self.versions.clear();
        self.scanned.clear();
        if fatal {
            let reason = err.to_string();
            self.fenced = Some(reason.clone());
            return Error::Fenced(reason);
        }
        kafka_err(err)
    }
}
