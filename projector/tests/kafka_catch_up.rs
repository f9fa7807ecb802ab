//! The projector on real Kafka when its catch-up meets a transaction still open: the read stops
//! before the open transaction's events, and once it commits they are applied, not skipped.
//! Needs `NETRAVEN_KAFKA_BOOTSTRAP` (set by `scripts/test`), unless `NETRAVEN_SKIP_KAFKA=1`.

use netraven_events::catalog::{DeviceId, JobId, JobQueued};
use netraven_events::log::kafka::{KafkaConfig, KafkaLog};
use netraven_events::{AppendBatch, Event, EventLog};
use netraven_projector::{Projector, Status, lag};
use netraven_test_support::fixtures::{cause, job_requested};
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Message, OwnedMessage};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(30);

async fn log(bootstrap: &str, topic: &str) -> KafkaLog {
    let mut config = KafkaConfig::new(bootstrap, topic);
    config.partitions = 1;
    KafkaLog::connect(config).await.unwrap()
}

/// The records of `topic`'s only partition, as the product's writer encoded them.
fn records(bootstrap: &str, topic: &str, count: usize) -> Vec<OwnedMessage> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", format!("{topic}-copy"))
        .set("isolation.level", "read_committed")
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, 0, Offset::Beginning).unwrap();
    consumer.assign(&tpl).unwrap();
    let mut out = Vec::new();
    while out.len() < count {
        match consumer.poll(TIMEOUT) {
            Some(Ok(msg)) => out.push(msg.detach()),
            Some(Err(err)) => panic!("reading {topic}: {err}"),
            None => panic!("{topic} holds fewer than {count} records"),
        }
    }
    out
}

/// Produces a copy of `record` into `topic` in the producer's current transaction.
fn copy(producer: &BaseProducer, topic: &str, record: &OwnedMessage) {
    let mut out = BaseRecord::to(topic).partition(0).key(record.key().unwrap()).payload(record.payload().unwrap());
    if let Some(headers) = record.headers() {
        out = out.headers(headers.clone());
    }
    producer.send(out).map_err(|(err, _)| err).unwrap();
    producer.flush(TIMEOUT).unwrap();
}

async fn status(views: &Path, log: &KafkaLog) -> Option<Status> {
    lag(views, log).await.ok().map(|l| l.status)
}

async fn wait_for(views: &Path, log: &KafkaLog, what: &str, done: impl Fn(&Status) -> bool) -> Status {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(status) = status(views, log).await.filter(|s| done(s)) {
            return status;
        }
        assert!(Instant::now() < deadline, "{what}: {:?}", status(views, log).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_of_a_transaction_open_during_the_catch_up_are_applied_once_it_commits() {
    let Some(bootstrap) = netraven_test_support::kafka_bootstrap() else { return };
    let topic = format!("netraven-projector-catch-up-{}", uuid::Uuid::now_v7());
    // Two events of one job, encoded by the product's writer on a scratch topic.
    let scratch = log(&bootstrap, &format!("{topic}-scratch")).await;
    let job = JobId::new();
    let cause = cause("ana", "corr-1");
    let events = vec![Event::new(job_requested(job, DeviceId::new(), "backup", 0), &cause), Event::new(JobQueued { job_id: job, priority: 0 }, &cause)];
    scratch.append(AppendBatch::new(events)).await.unwrap();
    let [requested, queued]: [OwnedMessage; 2] = records(&bootstrap, &format!("{topic}-scratch"), 2).try_into().unwrap();

    // The first is committed to the topic; the second is written in a transaction left open.
    let kafka = log(&bootstrap, &topic).await;
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", &bootstrap)
        .set("transactional.id", format!("{topic}-slow-writer"))
        .set("transaction.timeout.ms", "120000")
        .create()
        .unwrap();
    producer.init_transactions(TIMEOUT).unwrap();
    producer.begin_transaction().unwrap();
    copy(&producer, &topic, &requested);
    producer.commit_transaction(TIMEOUT).unwrap();
    producer.begin_transaction().unwrap();
    copy(&producer, &topic, &queued);

    let kafka = Arc::new(kafka);
    let dir = tempfile::tempdir().unwrap();
    let views = dir.path().join("views.db");
    let projector = Projector::open(&views).unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let follow: Arc<dyn EventLog> = kafka.clone();
    let task = tokio::spawn(async move { projector.run(follow, async { stopped.await.ok(); }).await });

    let caught_up = wait_for(&views, &kafka, "the projector never caught up", |s| s.caught_up_at.is_some()).await;
    assert_eq!(caught_up.applied_events, 1, "only the committed event is read");
    producer.commit_transaction(TIMEOUT).unwrap();
    wait_for(&views, &kafka, "the event committed after the catch-up was never applied", |s| s.applied_events == 2).await;
    stop.send(()).unwrap();
    task.await.unwrap().unwrap();
}
