//! Event-log throughput: appends of ~1 KiB events in batches of 1 and 1000, and catch-up
//! reads, on the embedded store and on Kafka, next to Kafka's own producer tool.

use crate::producer_perf;
use crate::report::{self, Throughput};
use anyhow::{Result, bail};
use netraven_events::catalog::{JobId, JobLogged, LogLevel};
use netraven_events::log::embedded::EmbeddedLog;
use netraven_events::log::kafka::{KafkaConfig, KafkaLog};
use netraven_events::{AppendBatch, Cause, Event, EventLog, Position};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// Payload size of every benchmark event, as in Kafka's tool run.
const RECORD_SIZE: usize = 1024;

/// Settings of the event-log benchmark.
#[derive(clap::Args)]
pub struct Args {
    /// Events appended in batches of 1000 (and read back).
    #[arg(long, default_value_t = 200_000)]
    events: u64,
    /// Events appended one per append (from `--writers` concurrent tasks).
    #[arg(long, default_value_t = 20_000)]
    single_events: u64,
    /// Concurrent writers for the batch-of-1 run.
    #[arg(long, default_value_t = 64)]
    writers: u64,
    /// Concurrent writers for the second batch-of-1000 run.
    #[arg(long, default_value_t = 8)]
    batch_writers: u64,
    /// Kafka brokers; without them only the embedded store is measured.
    #[arg(long, env = "NETRAVEN_KAFKA_BOOTSTRAP")]
    kafka_bootstrap: Option<String>,
    /// Folder of Kafka's jars, for its ProducerPerformance tool.
    #[arg(long, env = "NETRAVEN_KAFKA_LIBS")]
    kafka_libs: Option<PathBuf>,
}

/// Runs the benchmark and prints its table.
pub async fn run(args: Args) -> Result<()> {
    let dir = tempfile::tempdir()?;
    println!("event-log benchmark: {RECORD_SIZE}-byte payloads, {} batched events, {} single events x {} writers\n",
        args.events, args.single_events, args.writers);
    report::header();
    let embedded: Arc<dyn EventLog> = Arc::new(EmbeddedLog::open(dir.path().join("events.db"))?);
    measure("embedded", embedded, &args).await?;

    let Some(bootstrap) = &args.kafka_bootstrap else {
        println!("\n(kafka not measured: set NETRAVEN_KAFKA_BOOTSTRAP, e.g. through bench/run)");
        return Ok(());
    };
    let topic = format!("netraven-bench-{}", uuid::Uuid::now_v7());
    let kafka = KafkaLog::connect(KafkaConfig::new(bootstrap, &topic)).await?;
    let partitions = kafka.config().partitions;
    let ours = measure("kafka", Arc::new(kafka), &args).await?;

    let Some(libs) = &args.kafka_libs else { bail!("NETRAVEN_KAFKA_LIBS is needed to run Kafka's own tool") };
    let tool_topic = format!("{topic}-tool");
    KafkaLog::connect(KafkaConfig::new(bootstrap, &tool_topic)).await?.close();
    let (rate, mb) = producer_perf::run(libs, bootstrap, &tool_topic, args.events, RECORD_SIZE).await?;
    println!("{:<10} {:<44} {:>10} {:>14.0} {:>9.1}", "kafka-tool", "ProducerPerformance acks=all zstd", args.events, rate, mb);
    println!("\nkafka backend (best batches-of-1000 run) / ProducerPerformance: {:.2}x  ({partitions} partitions)", ours / rate);
    Ok(())
}

/// Measures one backend; returns its best batch-of-1000 append rate.
async fn measure(name: &str, log: Arc<dyn EventLog>, args: &Args) -> Result<f64> {
    let template = sized_event();
    let mut best_batched: f64 = 0.0;
    let mut expected = 0;
    for (batch, writers, total) in [
        (1000, 1, args.events),
        (1000, args.batch_writers, args.events),
        (1, args.writers, args.single_events),
    ] {
        let t = append_run(&log, &template, batch, writers, total).await?;
        report::row(name, &format!("append, batches of {batch}, {writers} writers"), &t);
        if batch == 1000 {
            best_batched = best_batched.max(t.events_per_sec());
        }
        expected += t.events;
    }
    let started = Instant::now();
    let mut sub = log.read_all(Position::start()).await?;
    let mut read = 0u64;
    while let Some(item) = sub.next().await {
        item?;
        read += 1;
    }
    if read != expected {
        bail!("{name}: read {read} events, expected {expected}");
    }
    let catch_up = Throughput { events: read, bytes_each: RECORD_SIZE, elapsed: started.elapsed() };
    report::row(name, "catch-up read from the start", &catch_up);
    Ok(best_batched)
}

/// `writers` concurrent tasks append about `total` events in batches of `batch`. The events are
/// made before the clock starts, so only the log's work is timed.
async fn append_run(log: &Arc<dyn EventLog>, template: &Event, batch: u64, writers: u64, total: u64) -> Result<Throughput> {
    let per_writer = total / batch / writers;
    let work: Vec<Vec<Vec<Event>>> = (0..writers)
        .map(|_| (0..per_writer).map(|_| (0..batch).map(|_| fresh(template)).collect()).collect())
        .collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for batches in work {
        let log = log.clone();
        tasks.push(tokio::spawn(async move {
            for events in batches {
                log.append(AppendBatch::new(events)).await?;
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(Throughput { events: per_writer * batch * writers, bytes_each: RECORD_SIZE, elapsed: started.elapsed() })
}

/// A job log event whose payload is `RECORD_SIZE` bytes of JSON, with incompressible-ish text
/// like Kafka's tool (random upper-case letters).
fn sized_event() -> Event {
    let cause = Cause { source: "/netraven/bench".into(), actor: "bench".into(), correlation_id: "bench".into(), causation_id: None };
    let mut entry = JobLogged {
        job_id: JobId::new(),
        timestamp: chrono::Utc::now(),
        level: LogLevel::Info,
        category: "bench".into(),
        message: String::new(),
        details: Default::default(),
        source_component: "bench".into(),
        correlation_id: "bench".into(),
        filter_version: 1,
    };
    let overhead = serde_json::to_vec(&entry).expect("serializes").len();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    entry.message = (0..RECORD_SIZE.saturating_sub(overhead))
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            char::from(b'A' + (seed % 26) as u8)
        })
        .collect();
    Event::new(entry, &cause)
}

/// A new event like `template`, on a stream of its own job.
fn fresh(template: &Event) -> Event {
    let cause = Cause {
        source: template.source.clone(),
        actor: template.actor.clone(),
        correlation_id: template.correlation_id.clone(),
        causation_id: None,
    };
    let mut data = template.data.clone();
    if let netraven_events::EventData::JobLogged(entry) = &mut data {
        entry.job_id = JobId::new();
    }
    Event::new(data, &cause)
}
