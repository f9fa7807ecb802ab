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
    let reader_config = config.clone();
    let metadata = tokio::task::spawn_blocking(move || {
        use rdkafka::consumer::Consumer;
        super::reader::consumer(&reader_config)?
            .fetch_metadata(Some(&reader_config.topic), TIMEOUT)
            .map_err(kafka_err)
    })
    .await
    .map_err(|e| Error::Kafka(format!("metadata task failed: {e}")))??;
    let partitions = metadata
        .topics()
        .first()
        .map(|t| t.partitions().len() as u32)
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::Kafka(format!("topic {} has no partitions", config.topic)))?;
    Ok(partitions)
}
