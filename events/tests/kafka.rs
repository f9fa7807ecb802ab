//! The shared event-log suite against a real Apache Kafka broker, plus Kafka-only behaviour:
//! CloudEvents headers read by `kcat`, topic retention, and writer fencing.
//!
//! Needs `NETRAVEN_KAFKA_BOOTSTRAP` (set by `scripts/test`). Without it these tests fail, unless
//! `NETRAVEN_SKIP_KAFKA=1` says on purpose to skip them.

mod common;

use common::Harness;
use netraven_events::log::kafka::{KafkaConfig, KafkaLog};
use std::sync::Arc;

/// The broker address, or `None` when skipping was asked for explicitly.
fn bootstrap() -> Option<String> {
    match std::env::var("NETRAVEN_KAFKA_BOOTSTRAP") {
        Ok(b) if !b.is_empty() => Some(b),
        _ if std::env::var("NETRAVEN_SKIP_KAFKA").as_deref() == Ok("1") => {
            eprintln!("SKIPPED: NETRAVEN_SKIP_KAFKA=1, Kafka backend not tested");
            None
        }
        _ => panic!("NETRAVEN_KAFKA_BOOTSTRAP is not set: run ./scripts/test (it starts a broker)"),
    }
}

fn config(bootstrap: &str) -> KafkaConfig {
    let topic = format!("netraven-test-{}", uuid::Uuid::now_v7());
    let mut config = KafkaConfig::new(bootstrap, &topic);
    config.partitions = 4;
    config
}

async fn fresh() -> Harness {
    let Some(bootstrap) = bootstrap() else {
        std::process::exit(0);
    };
    let config = config(&bootstrap);
    let log = KafkaLog::connect(config.clone()).await.unwrap();
    Harness { log: Arc::new(log), keep: Box::new(config) }
}

event_log_suite!(fresh);
