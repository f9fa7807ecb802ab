//! Event-log settings shared by every command: which backend, and where it is.

use anyhow::{Context, Result};
use netraven_events::EventLog;
use netraven_events::log::embedded::EmbeddedLog;
use netraven_events::log::kafka::{KafkaConfig, KafkaLog};
use std::path::PathBuf;
use std::sync::Arc;

/// Where the event log lives.
#[derive(clap::Args, Debug, Clone)]
pub struct StoreArgs {
    /// Data folder of the embedded store (the event log is `events.db` inside it).
    #[arg(long, env = "NETRAVEN_DATA", default_value = "./netraven-data")]
    pub data_dir: PathBuf,
    /// Use Apache Kafka at these brokers (`host:port,...`) instead of the embedded store.
    #[arg(long, env = "NETRAVEN_KAFKA_BOOTSTRAP")]
    pub kafka_bootstrap: Option<String>,
    /// The Kafka event topic.
    #[arg(long, env = "NETRAVEN_KAFKA_TOPIC", default_value = "netraven.events")]
    pub kafka_topic: String,
    /// Transactional id of this process's Kafka writer (one live writer per id; a new one per
    /// process when unset).
    #[arg(long, env = "NETRAVEN_KAFKA_WRITER_ID")]
    pub kafka_writer_id: Option<String>,
}

impl StoreArgs {
    /// The Kafka settings, when Kafka is the backend. Without `--kafka-writer-id` each process
    /// gets a writer id of its own, so processes never fence each other; set a stable id per
    /// instance to have a restarted instance fence its zombie predecessor.
    fn kafka_config(&self) -> Option<KafkaConfig> {
        let bootstrap = self.kafka_bootstrap.as_ref()?;
        let mut config = KafkaConfig::new(bootstrap, &self.kafka_topic);
        config.writer_id = match &self.kafka_writer_id {
            Some(id) => id.clone(),
            None => format!("netraven-{}-{}", self.kafka_topic, uuid::Uuid::now_v7()),
        };
        Some(config)
    }

    /// Opens the configured event log.
    pub async fn open(&self) -> Result<Arc<dyn EventLog>> {
        Ok(self.open_with_kafka().await?.0)
    }

    /// Opens the configured event log, and also hands back the Kafka log itself when that is
    /// the backend (for consumer groups).
    pub async fn open_with_kafka(&self) -> Result<(Arc<dyn EventLog>, Option<Arc<KafkaLog>>)> {
        match self.kafka_config() {
            Some(config) => {
                let bootstrap = config.bootstrap.clone();
                let log = Arc::new(KafkaLog::connect(config).await.with_context(|| format!("cannot reach Kafka at {bootstrap}"))?);
                Ok((log.clone(), Some(log)))
            }
            None => {
                let path = self.data_dir.join("events.db");
                let log = EmbeddedLog::open(&path).with_context(|| format!("cannot open the embedded store {}", path.display()))?;
                Ok((Arc::new(log), None))
            }
        }
    }

    /// A one-line description of the backend, for logs.
    pub fn describe(&self) -> String {
        match &self.kafka_bootstrap {
            Some(b) => format!("kafka {b} topic {}", self.kafka_topic),
            None => format!("embedded {}", self.data_dir.join("events.db").display()),
        }
    }
}
