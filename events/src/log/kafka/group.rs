//! Consumer-group membership for scale-out: members of one group share the topic's partitions,
//! each event goes to one member, and the group resumes from the offsets it committed.

use super::KafkaConfig;
use super::codec::{decode, kafka_err};
use crate::Result;
use crate::log::RecordedEvent;
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::message::Message;
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

/// One member of a Kafka consumer group reading the event topic.
pub struct GroupMember {
    consumer: StreamConsumer,
    topic: String,
}

impl GroupMember {
    /// Joins `group` on the topic of `config`; a new group starts at the beginning of the log.
    pub fn join(config: &KafkaConfig, group: &str) -> Result<Self> {
        let consumer: StreamConsumer = ClientConfig::new()
            .set("bootstrap.servers", &config.bootstrap)
            .set("group.id", group)
            .set("enable.auto.commit", "false")
            .set("auto.offset.reset", "earliest")
            .set("isolation.level", "read_committed")
            .set("partition.assignment.strategy", "cooperative-sticky")
            // A member that died hands its partitions to the others after this long.
            .set("session.timeout.ms", "10000")
            .set("fetch.message.max.bytes", (config.max_event_bytes + (1 << 20)).to_string())
            .set("receive.message.max.bytes", (2 * config.max_event_bytes + (1 << 20)).to_string())
            .create()
            .map_err(kafka_err)?;
        consumer.subscribe(&[&config.topic]).map_err(kafka_err)?;
        Ok(GroupMember { consumer, topic: config.topic.clone() })
    }

    /// The next event assigned to this member.
    pub async fn next(&self) -> Result<RecordedEvent> {
        let msg = self.consumer.recv().await.map_err(kafka_err)?;
        let event = decode(&msg)?;
        Ok(RecordedEvent { partition: msg.partition() as u32, offset: msg.offset() as u64, event })
    }

    /// Records that the group is done with `recorded` and everything before it in its partition.
    pub fn commit(&self, recorded: &RecordedEvent) -> Result<()> {
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset(&self.topic, recorded.partition as i32, Offset::Offset(recorded.offset as i64 + 1))
            .map_err(kafka_err)?;
        self.consumer.commit(&tpl, CommitMode::Async).map_err(kafka_err)
    }

    /// The partitions currently assigned to this member.
    pub fn assignment(&self) -> Result<Vec<u32>> {
        let tpl = self.consumer.assignment().map_err(kafka_err)?;
        Ok(tpl.elements().iter().map(|e| e.partition() as u32).collect())
    }
}
