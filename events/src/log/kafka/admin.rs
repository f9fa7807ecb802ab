//! Topic set-up: creates the event topic with unlimited retention and large-message limits.

use super::KafkaConfig;
use super::codec::kafka_err;
use crate::{Error, Result};
use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::error::RDKafkaErrorCode;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(30);

/// Creates the topic if it does not exist; returns its partition count.
pub(crate) async fn ensure_topic(config: &KafkaConfig) -> Result<u32> {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", &config.bootstrap)
        .create()
        .map_err(kafka_err)?;
    let max_message = (config.max_event_bytes + (1 << 20)).to_string();
    let topic = NewTopic::new(&config.topic, config.partitions as i32, TopicReplication::Fixed(config.replication))
        .set("retention.ms", "-1")
        .set("retention.bytes", "-1")
        .set("cleanup.policy", "delete")
        .set("max.message.bytes", &max_message);
    let options = AdminOptions::new().operation_timeout(Some(TIMEOUT));
    let results = admin.create_topics([&topic], &options).await.map_err(kafka_err)?;
    for result in results {
        match result {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((name, code)) => return Err(Error::Kafka(format!("creating topic {name}: {code}"))),
        }
    }
    // A fresh topic's partitions get their leaders a moment after its creation (and another
    // process may have just created it): ask until every partition has one.
    let deadline = std::time::Instant::now() + TIMEOUT;
    loop {
        match ready_partitions(config.clone()).await {
            Ok(partitions) if partitions > 0 => return Ok(partitions),
            Err(err) if std::time::Instant::now() > deadline => return Err(err),
            _ if std::time::Instant::now() > deadline => return Err(Error::Kafka(format!("topic {} has partitions without a leader", config.topic))),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

/// The topic's partition count once every partition has a leader; 0 until then.
async fn ready_partitions(config: KafkaConfig) -> Result<u32> {
    tokio::task::spawn_blocking(move || {
        use rdkafka::consumer::Consumer;
        let metadata = super::reader::consumer(&config)?
            .fetch_metadata(Some(&config.topic), TIMEOUT)
            .map_err(kafka_err)?;
        let ready = |t: &&rdkafka::metadata::MetadataTopic| t.error().is_none() && !t.partitions().is_empty() && t.partitions().iter().all(|p| p.leader() >= 0 && p.error().is_none());
        Ok(metadata.topics().first().filter(ready).map_or(0, |t| t.partitions().len() as u32))
    })
    .await
    .map_err(|e| Error::Kafka(format!("metadata task failed: {e}")))?
}
